#include "ui/widgets.hpp"

#include <algorithm>

#include "ui/test_hook.hpp"

namespace steward::ui {
namespace {
ImFont* body_font_ = nullptr;
ImFont* heading_font_ = nullptr;
float scale_ = 1.0f;
}  // namespace

void set_fonts(ImFont* body, ImFont* heading) {
  body_font_ = body;
  heading_font_ = heading;
}
ImFont* heading_font() { return heading_font_ ? heading_font_ : ImGui::GetFont(); }

float px(float css) { return css * scale_; }
void set_px_scale(float scale) { scale_ = scale; }

void colored_text(const ImVec4& color, const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  tracked_text(text);
  ImGui::PopStyleColor();
}

void banner(const ImVec4& background, const char* text, float width) {
  ImGui::PushStyleColor(ImGuiCol_ChildBg, background);
  if (width <= 0) width = ImGui::GetContentRegionAvail().x;
  const float wrap_width = width - px(32);
  const float text_h = ImGui::CalcTextSize(text, nullptr, false, wrap_width).y;
  ImGui::BeginChild(ImGui::GetID(text), ImVec2(width, text_h + px(24)), false, ImGuiWindowFlags_NoScrollbar);
  ImGui::SetCursorPos(ImVec2(px(16), px(12)));
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap_width);
  tracked_text(text);
  ImGui::PopTextWrapPos();
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

bool toggle_button(const char* label, bool on, const ImVec2& size) {
  if (on) {
    ImGui::PushStyleColor(ImGuiCol_Button, kAccent);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, kAccent);
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  }
  const bool pressed = ImGui::Button(label, size);
  if (on) ImGui::PopStyleColor(3);
  return pressed;
}

namespace {

bool filled_button(const char* label, const ImVec2& size, const ImVec4& fill, const ImVec4& hovered,
                   const ImVec4& active) {
  ImGui::PushStyleColor(ImGuiCol_Button, fill);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, hovered);
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, active);
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  const bool pressed = ImGui::Button(label, size);
  ImGui::PopStyleColor(4);
  return pressed;
}

}  // namespace

bool primary_button(const char* label, const ImVec2& size) {
  return filled_button(label, size, kAccent, ImVec4(0.18f, 0.44f, 0.80f, 1.0f), ImVec4(0.10f, 0.30f, 0.60f, 1.0f));
}

bool action_button(const char* label, const ImVec2& size) {
  return filled_button(label, size, kGood, ImVec4(0.14f, 0.58f, 0.27f, 1.0f), ImVec4(0.07f, 0.40f, 0.17f, 1.0f));
}

int choice_buttons(const std::vector<const char*>& labels, int selected, float width, const char* id_suffix) {
  int tapped = -1;
  float x = 0;
  const ImGuiStyle& style = ImGui::GetStyle();
  for (int i = 0; i < (int)labels.size(); ++i) {
    const float w = std::max(px(96), ImGui::CalcTextSize(labels[i]).x + style.FramePadding.x * 2 + px(16));
    if (i > 0) {
      if (x + style.ItemSpacing.x + w <= width)
        ImGui::SameLine();
      else
        x = 0;
    }
    if (x > 0) x += style.ItemSpacing.x;
    x += w;
    if (id_suffix) ImGui::PushID(id_suffix);
    if (toggle_button(labels[i], i == selected, ImVec2(w, px(48)))) tapped = i;
    if (id_suffix) ImGui::PopID();
  }
  return tapped;
}

bool begin_dialog(const char* id, float width, const char* title) {
  if (!ImGui::IsPopupOpen(id)) ImGui::OpenPopup(id);
  ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(width, 0));
  if (!ImGui::BeginPopupModal(id, nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_AlwaysAutoResize)) return false;
  if (title) {
    ImGui::PushFont(heading_font());
    tracked_text(title);
    ImGui::PopFont();
  }
  return true;
}

void period_steps(int& back, const char* earlier, const char* later, const char* current, float step_width,
                  float current_width) {
  const float height = px(48);
  if (ImGui::Button(earlier, ImVec2(step_width, height))) ++back;
  ImGui::SameLine();
  ImGui::BeginDisabled(back == 0);
  if (ImGui::Button(later, ImVec2(step_width, height))) --back;
  ImGui::SameLine();
  if (ImGui::Button(current, ImVec2(current_width, height))) back = 0;
  ImGui::EndDisabled();
}

bool end_dialog(const char* dismiss_label, bool close) {
  if (ImGui::Button(dismiss_label, ImVec2(px(150), px(52)))) close = true;
  if (close) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
  return close;
}

}  // namespace steward::ui
