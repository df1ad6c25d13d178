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

// The page counts positions in UTF-16 code units, ImGui (32-bit ImWchar) in code points: a character beyond the
// BMP such as 𠮷 is two units there and one ImWchar here.
int units_of(ImWchar c) { return c > 0xFFFF ? 2 : 1; }

// A position inside a surrogate pair counts as after the character.
int index_of_utf16(const ImWchar* text, int length, int utf16_pos) {
  int index = 0;
  for (int units = 0; index < length && units < utf16_pos; ++index) units += units_of(text[index]);
  return index;
}

int utf16_of_index(const ImWchar* text, int length, int index) {
  int units = 0;
  for (int i = 0; i < std::min(index, length); ++i) units += units_of(text[i]);
  return units;
}

}  // namespace

TextFieldAction text_field_apply(const InputEvent& e) {
  applied_seq = e.seq;
  ImGuiInputTextState* state = active_state();
  if (!state) return TextFieldAction::None;
  const int length = state->CurLenW;
  const ImWchar* text = state->TextW.Data;
  const int start = index_of_utf16(text, length, std::max(0, std::min(e.start, e.end)));
  const int end = index_of_utf16(text, length, std::max(0, std::max(e.start, e.end)));
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
  out.text.resize((size_t)length * 4 + 1);
  const int bytes = ImTextStrToUtf8(out.text.data(), (int)out.text.size(), text, text + length);
  out.text.resize((size_t)bytes);
  int sel_start = std::min(state->Stb.select_start, state->Stb.select_end);
  int sel_end = std::max(state->Stb.select_start, state->Stb.select_end);
  if (sel_start == sel_end) sel_start = sel_end = state->Stb.cursor;
  out.sel_start = utf16_of_index(text, length, sel_start);
  out.sel_end = utf16_of_index(text, length, sel_end);
  out.caret = g.PlatformImePos;
  out.field = ui::active_text_field_rect();

  // The composing text is underlined where it stands, as input methods do in native fields. The caret is in
  // or at the end of it, on one line (composition never holds a line break).
  const int comp_start = index_of_utf16(text, length, std::max(0, composition_start));
  const int comp_end = index_of_utf16(text, length, std::max(0, composition_end));
  const int caret = std::clamp(state->Stb.cursor, 0, length);
  if (composition_start >= 0 && comp_start < comp_end && comp_start <= caret) {
    ImFont* font = ImGui::GetFont();
    const float size = ImGui::GetFontSize();
    char buf[512];
    auto width = [&](int from, int to) {
      to = std::min(to, from + (int)sizeof buf / 4 - 1);
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
