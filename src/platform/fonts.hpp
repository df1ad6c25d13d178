// Builds the glyph atlas at the screen's pixel density, so text is drawn 1:1 and stays crisp on a 2× tablet.
#pragma once

#include <cstdint>
#include <vector>

namespace steward::platform {

inline constexpr float kBodyFontCssPx = 20.0f;
inline constexpr float kHeadingFontCssPx = 28.0f;

// Keeps the font file for later rebuilds (a pixel-density change); the atlas does not own it.
void fonts_set_data(std::vector<uint8_t> font_file);
// Rebuilds both fonts for `scale` framebuffer pixels per CSS pixel and uploads the atlas. Without font data
// (the file failed to load) falls back to ImGui's built-in Latin font so the app still works.
void fonts_build(float scale);

}  // namespace steward::platform
