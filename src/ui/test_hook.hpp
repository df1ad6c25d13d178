// The browser tests' view of the screen: every labelled widget of the last frame with its rectangle.
// Filled through Dear ImGui's test-engine hooks (IMGUI_ENABLE_TEST_ENGINE), so every button, input, checkbox
// and selectable is listed without the screens doing anything; plain text that tests must read is added with
// tracked_text(). Exposed to JS as window.stewardTest.widgets() by the platform layer.
#pragma once

#include <string>
#include <vector>

#include "imgui.h"
#include "imgui_internal.h"  // ImRect

namespace steward::ui {

void test_hook_begin_frame();  // call before ImGui::NewFrame()
void test_hook_end_frame();    // call after ImGui::Render(): the frame's widgets become "the last frame"
// Text a person reads (a status, a count, a list cell), registered with the rectangle it was drawn in.
void tracked_text(const char* text);
// The last item (an image, say), registered under a label a test can look for.
void tracked_item(const char* label);
// [{"label":..., "x":..., "y":..., "w":..., "h":...}] in CSS pixels (framebuffer pixels / scale).
std::string test_hook_widgets_json(float scale);

// The same hooks tell the platform layer where text fields are (framebuffer pixels, last frame): it focuses the
// page's text field inside the touch handler when a finger lifts on one (iOS opens its keyboard only then), and
// it keeps the active one above the on-screen keyboard.
const std::vector<ImRect>& text_field_rects();
ImRect active_text_field_rect();  // empty when no text field is active

}  // namespace steward::ui
