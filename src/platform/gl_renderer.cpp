#include "platform/gl_renderer.hpp"

#include <GLES3/gl3.h>

#include <cstdio>

#include "imgui.h"
#include "shaders.hpp"  // generated from shaders/ at build time

namespace steward::platform {
namespace {

struct GlState {
  GLuint program = 0;
  GLint projection = -1;
  GLint texture = -1;
  GLint alpha_only = -1;
  GLuint vao = 0;
  GLuint vbo = 0;
  GLuint ibo = 0;
  GLuint font_texture = 0;
};
GlState gl;
int rgba_textures = 0;  // thumbnails alive: the tests check they are given back

GLuint compile(GLenum kind, const char* source) {
  GLuint shader = glCreateShader(kind);
  glShaderSource(shader, 1, &source, nullptr);
  glCompileShader(shader);
  GLint ok = 0;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[1024];
    glGetShaderInfoLog(shader, sizeof log, nullptr, log);
    std::fprintf(stderr, "shader compile failed: %s\n", log);
    glDeleteShader(shader);
    return 0;
  }
  return shader;
}

}  // namespace

bool renderer_init() {
  GLuint vs = compile(GL_VERTEX_SHADER, shaders::imgui_vert);
  GLuint fs = compile(GL_FRAGMENT_SHADER, shaders::imgui_frag);
  if (!vs || !fs) return false;
  gl.program = glCreateProgram();
  glAttachShader(gl.program, vs);
  glAttachShader(gl.program, fs);
  glLinkProgram(gl.program);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = 0;
  glGetProgramiv(gl.program, GL_LINK_STATUS, &ok);
  if (!ok) {
    char log[1024];
    glGetProgramInfoLog(gl.program, sizeof log, nullptr, log);
    std::fprintf(stderr, "shader link failed: %s\n", log);
    return false;
  }
  gl.projection = glGetUniformLocation(gl.program, "u_projection");
  gl.texture = glGetUniformLocation(gl.program, "u_texture");
  gl.alpha_only = glGetUniformLocation(gl.program, "u_alpha_only");

  glGenVertexArrays(1, &gl.vao);
  glGenBuffers(1, &gl.vbo);
  glGenBuffers(1, &gl.ibo);
  glBindVertexArray(gl.vao);
  glBindBuffer(GL_ARRAY_BUFFER, gl.vbo);
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, gl.ibo);
  glEnableVertexAttribArray(0);
  glEnableVertexAttribArray(1);
  glEnableVertexAttribArray(2);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert), (void*)IM_OFFSETOF(ImDrawVert, pos));
  glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert), (void*)IM_OFFSETOF(ImDrawVert, uv));
  glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(ImDrawVert), (void*)IM_OFFSETOF(ImDrawVert, col));
  glBindVertexArray(0);
  return true;
}

namespace {
// Binds the texture, sampled linearly and clamped at its edges, for an upload.
void prepare_texture(GLuint texture) {
  glBindTexture(GL_TEXTURE_2D, texture);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
}
}  // namespace

void renderer_upload_font_atlas() {
  ImGuiIO& io = ImGui::GetIO();
  unsigned char* pixels = nullptr;
  int width = 0, height = 0;
  io.Fonts->GetTexDataAsAlpha8(&pixels, &width, &height);
  if (!gl.font_texture) glGenTextures(1, &gl.font_texture);
  prepare_texture(gl.font_texture);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, width, height, 0, GL_RED, GL_UNSIGNED_BYTE, pixels);
  io.Fonts->SetTexID((ImTextureID)(intptr_t)gl.font_texture);
  // The atlas lives on the GPU now; the CPU copy of a CJK atlas is many megabytes.
  io.Fonts->ClearTexData();
}

unsigned renderer_upload_rgba(const unsigned char* pixels, int width, int height) {
  GLuint texture = 0;
  glGenTextures(1, &texture);
  if (!texture) return 0;
  prepare_texture(texture);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
  ++rgba_textures;
  return texture;
}

void renderer_free_texture(unsigned texture) {
  if (!texture) return;
  glDeleteTextures(1, &texture);
  --rgba_textures;
}

int renderer_rgba_textures() { return rgba_textures; }

void renderer_draw(ImDrawData* draw_data, int fb_width, int fb_height) {
  glViewport(0, 0, fb_width, fb_height);
  glClearColor(0.96f, 0.96f, 0.95f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  if (!draw_data || draw_data->CmdListsCount == 0) return;

  glEnable(GL_BLEND);
  glBlendEquation(GL_FUNC_ADD);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glDisable(GL_CULL_FACE);
  glDisable(GL_DEPTH_TEST);
  glEnable(GL_SCISSOR_TEST);

  const float l = draw_data->DisplayPos.x, r = l + draw_data->DisplaySize.x;
  const float t = draw_data->DisplayPos.y, b = t + draw_data->DisplaySize.y;
  const float projection[4][4] = {
      {2.0f / (r - l), 0.0f, 0.0f, 0.0f},
      {0.0f, 2.0f / (t - b), 0.0f, 0.0f},
      {0.0f, 0.0f, -1.0f, 0.0f},
      {(r + l) / (l - r), (t + b) / (b - t), 0.0f, 1.0f},
  };
  glUseProgram(gl.program);
  glUniformMatrix4fv(gl.projection, 1, GL_FALSE, &projection[0][0]);
  glUniform1i(gl.texture, 0);
  glActiveTexture(GL_TEXTURE0);
  glBindVertexArray(gl.vao);
  glBindBuffer(GL_ARRAY_BUFFER, gl.vbo);
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, gl.ibo);

  const ImVec2 clip_off = draw_data->DisplayPos;
  const ImVec2 clip_scale = draw_data->FramebufferScale;
  for (int n = 0; n < draw_data->CmdListsCount; n++) {
    const ImDrawList* list = draw_data->CmdLists[n];
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)list->VtxBuffer.Size * sizeof(ImDrawVert), list->VtxBuffer.Data,
                 GL_STREAM_DRAW);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, (GLsizeiptr)list->IdxBuffer.Size * sizeof(ImDrawIdx), list->IdxBuffer.Data,
                 GL_STREAM_DRAW);
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback) {
        if (cmd.UserCallback != ImDrawCallback_ResetRenderState) cmd.UserCallback(list, &cmd);
        continue;
      }
      const float x0 = (cmd.ClipRect.x - clip_off.x) * clip_scale.x;
      const float y0 = (cmd.ClipRect.y - clip_off.y) * clip_scale.y;
      const float x1 = (cmd.ClipRect.z - clip_off.x) * clip_scale.x;
      const float y1 = (cmd.ClipRect.w - clip_off.y) * clip_scale.y;
      if (x1 <= x0 || y1 <= y0) continue;
      glScissor((int)x0, (int)(fb_height - y1), (int)(x1 - x0), (int)(y1 - y0));
      const GLuint texture = (GLuint)(intptr_t)cmd.GetTexID();
      glBindTexture(GL_TEXTURE_2D, texture);
      glUniform1i(gl.alpha_only, texture == gl.font_texture ? 1 : 0);
      glDrawElements(GL_TRIANGLES, (GLsizei)cmd.ElemCount, sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT,
                     (void*)(intptr_t)(cmd.IdxOffset * sizeof(ImDrawIdx)));
    }
  }
  glBindVertexArray(0);
  glDisable(GL_SCISSOR_TEST);
}

void renderer_shutdown() {
  if (gl.font_texture) glDeleteTextures(1, &gl.font_texture);
  if (gl.vbo) glDeleteBuffers(1, &gl.vbo);
  if (gl.ibo) glDeleteBuffers(1, &gl.ibo);
  if (gl.vao) glDeleteVertexArrays(1, &gl.vao);
  if (gl.program) glDeleteProgram(gl.program);
  gl = {};
}

}  // namespace steward::platform
