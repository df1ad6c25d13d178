#include "platform/text_field.hpp"

#include <algorithm>

#include "ui/test_hook.hpp"

namespace steward::platform {
namespace {

int applied_seq = 0;
int composition_start = -1, composition_end = -1;

ImGuiInputTextState* active_state() {
  ImGuiContext& g = *GImGui;
  return g.ActiveId ? ImGui::GetInputTextState(g.ActiveId) : nullptr;
}

}  // namespace

TextFieldAction text_field_apply(const InputEvent& e) {
  applied_seq = e.seq;
  ImGuiInputTextState* state = active_state();
  if (!state) return TextFieldAction::None;
  const int length = state->CurLenW;
  const int start = std::clamp(std::min(e.start, e.end), 0, length);
  const int end = std::clamp(std::max(e.start, e.end), 0, length);
  state->Stb.select_start = e.start <= e.end ? start : end;
  state->Stb.select_end = e.start <= e.end ? end : start;
  state->Stb.cursor = state->Stb.select_end;
  state->Stb.has_preferred_x = 0;
  state->CursorFollow = true;
  state->CursorAnimReset();
  if (e.kind == InputEvent::Kind::TextSelect) return TextFieldAction::None;
  if (!e.text.empty()) {
    // Typed characters replace the selection when the field runs next frame.
    ImGui::GetIO().AddInputCharactersUTF8(e.text.c_str());
    return TextFieldAction::None;
  }
  return start < end ? TextFieldAction::PressBackspace : TextFieldAction::None;
}

void text_field_set_composition(int start, int end) {
  composition_start = start;
  composition_end = end;
}

TextFieldState text_field_after_draw() {
  ImGuiContext& g = *GImGui;
  TextFieldState out;
  out.applied_seq = applied_seq;
  out.active = g.IO.WantTextInput;
  ImGuiInputTextState* state = active_state();
  if (!out.active || !state) {
    composition_start = composition_end = -1;
    return out;
  }
  const ImWchar* text = state->TextW.Data;
  const int length = state->CurLenW;
  out.text.resize((size_t)length * 3 + 1);
  const int bytes = ImTextStrToUtf8(out.text.data(), (int)out.text.size(), text, text + length);
  out.text.resize((size_t)bytes);
  out.sel_start = std::min(state->Stb.select_start, state->Stb.select_end);
  out.sel_end = std::max(state->Stb.select_start, state->Stb.select_end);
  if (out.sel_start == out.sel_end) out.sel_start = out.sel_end = state->Stb.cursor;
  out.caret = g.PlatformImePos;
  out.field = ui::active_text_field_rect();

  // The composing text is underlined where it stands, as input methods do in native fields. The caret is in
  // or at the end of it, on one line (composition never holds a line break).
  const int comp_start = std::clamp(composition_start, 0, length);
  const int comp_end = std::clamp(composition_end, 0, length);
  const int caret = std::clamp(state->Stb.cursor, 0, length);
  if (composition_start >= 0 && comp_start < comp_end && comp_start <= caret) {
    ImFont* font = ImGui::GetFont();
    const float size = ImGui::GetFontSize();
    char buf[512];
    auto width = [&](int from, int to) {
      to = std::min(to, from + (int)sizeof buf / 3 - 1);
      ImTextStrToUtf8(buf, (int)sizeof buf, text + from, text + to);
      return font->CalcTextSizeA(size, FLT_MAX, 0.0f, buf).x;
    };
    const float caret_x = out.caret.x + 1.0f;  // PlatformImePos sits one pixel left of the caret
    const float x0 = caret_x - width(comp_start, caret);
    const float x1 = x0 + width(comp_start, comp_end);
    const float y = out.caret.y + size + 1.0f;
    ImDrawList* draw = ImGui::GetForegroundDrawList();
    draw->PushClipRect(out.field.Min, out.field.Max, false);
    draw->AddLine(ImVec2(x0, y), ImVec2(x1, y), ImGui::GetColorU32(ImGuiCol_Text), std::max(1.0f, size / 14.0f));
    draw->PopClipRect();
  }
  return out;
}

}  // namespace steward::platform
