// Builds the glyph atlas at the screen's pixel density, so text is drawn 1:1 and stays crisp on a 2× tablet.
// The atlas starts with the baked subset (ASCII, GB 2312, punctuation, the UI's words); characters beyond it (rare
// name characters such as 喆 堃 䶮, other scripts) are noted as text arrives, their chunk of the fuller font is
// fetched once (and cached by the page), and the atlas is rebuilt with them merged in.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace steward::platform {

inline constexpr float kBodyFontCssPx = 20.0f;
inline constexpr float kHeadingFontCssPx = 28.0f;

// Keeps the font file for later rebuilds (a pixel-density change); the atlas does not own it.
void fonts_set_data(std::vector<uint8_t> font_file);
// Rebuilds both fonts for `scale` framebuffer pixels per CSS pixel and uploads the atlas. Without font data
// (the file failed to load) falls back to ImGui's built-in Latin font so the app still works.
void fonts_build(float scale);

// Text that may be drawn (typed, loaded, received by sync): its characters missing from the atlas are wanted.
void fonts_note_text(std::string_view utf8);
struct FontChunkRequest {
  int chunk;
  const char* file;  // relative to fonts/
};
// Chunks to fetch now, each asked for once; answer with fonts_add_chunk() or fonts_chunk_failed().
std::vector<FontChunkRequest> fonts_take_wanted_chunks();
void fonts_add_chunk(int chunk, std::vector<uint8_t> data);
// Offline and not cached: asked for again after fonts_retry_failed() (the network is back).
void fonts_chunk_failed(int chunk);
void fonts_retry_failed();
// Glyphs arrived that the atlas lacks: call fonts_build() before the next frame.
bool fonts_rebuild_due();

struct AtlasInfo {
  int width = 0, height = 0;
  int glyphs = 0;
  double build_ms = 0;  // the last build, upload included
};
AtlasInfo fonts_atlas_info();
// The body font draws this code point with its own glyph (not the fallback).
bool fonts_has_glyph(unsigned codepoint);

}  // namespace steward::platform
