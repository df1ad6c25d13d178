#include "ui/test_hook.hpp"

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "imgui.h"
#include "imgui_internal.h"

namespace steward::ui {
namespace {

struct WidgetRect {
  std::string label;
  ImRect rect;
};

std::vector<WidgetRect> building;
std::vector<WidgetRect> last_frame;
std::vector<ImRect> text_fields_building;
std::vector<ImRect> text_fields_last_frame;
ImRect active_text_field;

// What the person sees: the text before "##"; an input with a hidden label ("##姓名") is named by its id part.
std::string visible_label(const char* label) {
  std::string_view text(label);
  const size_t hashes = text.find("##");
  if (hashes == std::string_view::npos) return std::string(text);
  if (hashes > 0) return std::string(text.substr(0, hashes));
  std::string_view id = text.substr(2);
  if (!id.empty() && id.front() == '#') id.remove_prefix(1);
  return std::string(id);
}

void record(std::string label, const ImRect& rect) {
  if (label.empty()) return;
  // Items clipped away by scrolling are not on screen: the tests should not try to press them.
  ImGuiWindow* window = ImGui::GetCurrentContext()->CurrentWindow;
  ImRect visible = rect;
  if (window) visible.ClipWith(window->ClipRect);
  if (visible.GetWidth() <= 0 || visible.GetHeight() <= 0) return;
  building.push_back({std::move(label), visible});
}

}  // namespace

void test_hook_begin_frame() {
  building.clear();
  text_fields_building.clear();
  active_text_field = ImRect();
  ImGui::GetCurrentContext()->TestEngineHookItems = true;
}

void test_hook_end_frame() {
  last_frame.swap(building);
  text_fields_last_frame.swap(text_fields_building);
}

const std::vector<ImRect>& text_field_rects() { return text_fields_last_frame; }
ImRect active_text_field_rect() { return active_text_field; }

void record_text_field(ImGuiContext* ctx, const ImRect& rect, ImGuiID id) {
  const ImGuiItemFlags flags = ctx->LastItemData.InFlags;
  if (!(flags & ImGuiItemFlags_Inputable) || (flags & ImGuiItemFlags_Disabled)) return;
  if (id == ctx->ActiveId) active_text_field = rect;
  ImRect visible = rect;
  if (ctx->CurrentWindow) visible.ClipWith(ctx->CurrentWindow->ClipRect);
  if (visible.GetWidth() > 0 && visible.GetHeight() > 0) text_fields_building.push_back(visible);
}

void tracked_text(const char* text) {
  ImGui::TextUnformatted(text);
  record(text, ImGui::GetCurrentContext()->LastItemData.Rect);
}

void tracked_item(const char* label) { record(label, ImGui::GetCurrentContext()->LastItemData.Rect); }

std::string test_hook_widgets_json(float scale) {
  nlohmann::json out = nlohmann::json::array();
  for (const WidgetRect& w : last_frame) {
    out.push_back({{"label", w.label},
                   {"x", w.rect.Min.x / scale},
                   {"y", w.rect.Min.y / scale},
                   {"w", w.rect.GetWidth() / scale},
                   {"h", w.rect.GetHeight() / scale}});
  }
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace steward::ui

// Dear ImGui's test-engine hooks (declared in imgui_internal.h).
void ImGuiTestEngineHook_ItemAdd(ImGuiContext* ctx, const ImRect& rect, ImGuiID id) {
  steward::ui::record_text_field(ctx, rect, id);
}
void ImGuiTestEngineHook_ItemInfo(ImGuiContext* ctx, ImGuiID, const char* label, ImGuiItemStatusFlags) {
  if (label) steward::ui::record(steward::ui::visible_label(label), ctx->LastItemData.Rect);
}
void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}
const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID) { return nullptr; }
