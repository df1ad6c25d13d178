// Draws Dear ImGui's draw lists with WebGL2 (OpenGL ES 3.0), using the shaders in shaders/.
#pragma once

struct ImDrawData;

namespace steward::platform {

bool renderer_init();  // compiles the shaders; false (with a message on stderr) if WebGL2 is unusable
// (Re)uploads the font atlas as a one-channel texture; call after the atlas is (re)built.
void renderer_upload_font_atlas();
// A photo's thumbnail as an RGBA texture; returns its id for ImGui::Image (0 when it could not be made).
unsigned renderer_upload_rgba(const unsigned char* pixels, int width, int height);
void renderer_free_texture(unsigned texture);
int renderer_rgba_textures();  // made by renderer_upload_rgba and not freed yet
void renderer_draw(ImDrawData* draw_data, int framebuffer_width, int framebuffer_height);
void renderer_shutdown();

}  // namespace steward::platform
