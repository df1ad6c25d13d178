#include "ui/text_field_menu.hpp"

#include <algorithm>

#include "ui/strings.hpp"
#include "ui/test_hook.hpp"
#include "ui/widgets.hpp"

namespace steward::ui {
namespace {

constexpr int64_t kNoticeMs = 5000;

// A Tooltip window is drawn above everything and never takes the focus: the text field stays active under it.
constexpr ImGuiWindowFlags kOverlayFlags = ImGuiWindowFlags_Tooltip | ImGuiWindowFlags_NoInputs |
                                           ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                                           ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                                           ImGuiWindowFlags_NoNav;

// Above the field, centred on the finger (which would hide it below), or under the field when there is no room.
ImVec2 place_above(const ImRect& field, float at_x, ImVec2 size) {
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const float margin = px(8);
  ImVec2 pos(at_x - size.x / 2, field.Min.y - margin - size.y);
  if (pos.y < margin) pos.y = field.Max.y + margin;
  pos.x = std::clamp(pos.x, margin, std::max(margin, display.x - size.x - margin));
  return pos;
}

}  // namespace

void close_text_field_menu(TextFieldMenu& menu) {
  menu.open = false;
  menu.items.clear();
}

void draw_text_field_menu(TextFieldMenu& menu, int64_t now_ms) {
  ImGuiContext& g = *GImGui;
  const ImGuiIO& io = ImGui::GetIO();
  const ImRect field = active_text_field_rect();  // this frame's: the screens have been drawn
  const bool field_active = g.ActiveId != 0 && field.GetWidth() > 0;
  if (field_active && ImGui::IsMouseClicked(ImGuiMouseButton_Right) && field.Contains(io.MousePos)) {
    menu.open = true;
    menu.field = g.ActiveId;
    menu.at = io.MousePos;
    menu.notice.clear();
  } else if (menu.open && (!field_active || g.ActiveId != menu.field || ImGui::IsMouseClicked(ImGuiMouseButton_Left) ||
                           ImGui::IsMouseClicked(ImGuiMouseButton_Right))) {
    close_text_field_menu(menu);  // a tap elsewhere (also on the field: it places the caret there)
  }

  menu.items.clear();
  if (menu.open) {
    const ImGuiInputTextState* state = ImGui::GetInputTextState(menu.field);
    const bool has_text = state && state->CurLenW > 0;
    const bool has_selection = state && state->HasSelection();
    struct Entry {
      TextCommand command;
      S label;
      bool enabled;
    };
    const Entry entries[] = {{TextCommand::SelectAll, S::SelectAll, has_text},
                             {TextCommand::Cut, S::Cut, has_selection},
                             {TextCommand::Copy, S::Copy, has_selection},
                             {TextCommand::Paste, S::Paste, true}};
    // Finger-sized: 52 CSS px tall, at least 72 wide.
    const ImVec2 padding(px(6), px(6));
    const float spacing = px(4), item_h = px(52);
    float item_w[4], width = padding.x * 2 - spacing;
    for (int i = 0; i < 4; ++i) {
      item_w[i] = std::max(px(72), ImGui::CalcTextSize(tr(entries[i].label)).x + px(32));
      width += item_w[i] + spacing;
    }
    ImGui::SetNextWindowPos(place_above(field, menu.at.x, ImVec2(width, item_h + padding.y * 2)));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, padding);
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(spacing, 0));
    ImGui::Begin("##text-field-menu", nullptr, kOverlayFlags);
    for (int i = 0; i < 4; ++i) {
      if (i > 0) ImGui::SameLine();
      ImGui::BeginDisabled(!entries[i].enabled);
      ImGui::Button(tr(entries[i].label), ImVec2(item_w[i], item_h));
      ImGui::EndDisabled();
      if (entries[i].enabled) menu.items.push_back({entries[i].command, g.LastItemData.Rect});
    }
    ImGui::End();
    ImGui::PopStyleVar(2);
  }

  if (menu.notice.empty()) return;
  if (now_ms >= menu.notice_until_ms) {
    menu.notice.clear();
    return;
  }
  const ImRect near = field_active ? field : ImRect(menu.at, menu.at);
  const float wrap = px(560);
  const ImVec2 text = ImGui::CalcTextSize(menu.notice.c_str(), nullptr, false, wrap);
  const ImVec2 padding = ImGui::GetStyle().WindowPadding;
  const ImVec2 size(text.x + padding.x * 2, text.y + padding.y * 2);
  ImGui::SetNextWindowPos(place_above(near, near.GetCenter().x, size));
  ImGui::Begin("##text-field-notice", nullptr, kOverlayFlags);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
  colored_text(kDanger, menu.notice.c_str());
  ImGui::PopTextWrapPos();
  ImGui::End();
}

const TextFieldMenu::Item* text_field_menu_item_at(const TextFieldMenu& menu, ImVec2 pos) {
  if (!menu.open) return nullptr;
  for (const TextFieldMenu::Item& item : menu.items)
    if (item.rect.Contains(pos)) return &item;
  return nullptr;
}

void show_clipboard_problem(TextFieldMenu& menu, ClipboardProblem problem, int64_t now_ms) {
  switch (problem) {
    case ClipboardProblem::WriteFailed: menu.notice = tr(S::ClipboardWriteFailed); break;
    case ClipboardProblem::ReadRefused: menu.notice = tr(S::ClipboardReadRefused); break;
    case ClipboardProblem::Unavailable: menu.notice = tr(S::ClipboardUnavailable); break;
    case ClipboardProblem::Empty: menu.notice = tr(S::ClipboardEmpty); break;
  }
  menu.notice_until_ms = now_ms + kNoticeMs;
}

}  // namespace steward::ui
