#include "platform/text_field.hpp"

#include <algorithm>
#include <optional>

#include "ui/test_hook.hpp"
#include "ui/widgets.hpp"

namespace steward::platform {
namespace {

int applied_seq = 0;
int highest_seq = 0;  // applied_seq but for a dropped edit, which holds it back until the edit is applied again
int composition_start = -1, composition_end = -1;
bool field_drawn = false;  // the active field's widget ran in the last frame
ImVec2 last_caret;         // where its caret was when it last did
// An edit that ImGui carries out only when the field runs in this frame (typed characters, a Backspace), and the
// edit before it: if the field does not run, the edit is handed back to be applied again (take_dropped_edit).
std::optional<InputEvent> edit_this_frame;
int seq_before_edit = 0;
std::optional<InputEvent> dropped_edit;
int drops_in_a_row = 0;
constexpr int kMaxDropsInARow = 10;  // a field that stays out of sight for this many frames loses the edit

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

void text_field_note_applied(int seq) { applied_seq = highest_seq = std::max(highest_seq, seq); }

TextFieldAction text_field_apply(const InputEvent& e) {
  const int seq_before = applied_seq;
  text_field_note_applied(e.seq);
  ImGuiInputTextState* state = active_state();
  if (!state) return TextFieldAction::None;
  bool removes_text = false;
  if (e.start >= 0) {
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
    removes_text = start != end;
  }
  if (e.kind == InputEvent::Kind::TextSelect || (e.text.empty() && !removes_text)) return TextFieldAction::None;
  edit_this_frame = e;
  seq_before_edit = seq_before;
  if (!e.text.empty()) {
    // Typed characters replace the selection when the field runs in this frame.
    ImGui::GetIO().AddInputCharactersUTF8(e.text.c_str());
    return TextFieldAction::None;
  }
  return TextFieldAction::PressBackspace;
}

std::optional<InputEvent> text_field_take_dropped_edit() {
  std::optional<InputEvent> out;
  out.swap(dropped_edit);
  return out;
}

bool text_field_active() { return active_state() != nullptr; }

bool text_field_scroll_into_view() {
  ImGuiContext& g = *GImGui;
  ImRect rect = ui::active_text_field_rect();
  if (!active_state() || !g.ActiveIdWindow || rect.GetWidth() <= 0) return false;
  rect.Expand(ImVec2(0, ui::px(16)));
  ImGui::ScrollToBringRectIntoView(g.ActiveIdWindow, rect);
  return true;
}

void text_field_set_composition(int start, int end) {
  composition_start = start;
  composition_end = end;
}

TextFieldState text_field_after_draw() {
  ImGuiContext& g = *GImGui;
  TextFieldState out;
  out.applied_seq = applied_seq;
  ImGuiInputTextState* state = active_state();
  out.active = state != nullptr;
  // InputText() asks for text input in the frame it runs active: a field out of sight did not run.
  field_drawn = out.active && g.WantTextInputNextFrame == 1;
  if (edit_this_frame && out.active && !field_drawn && drops_in_a_row < kMaxDropsInARow) {
    // The field was out of sight (see text_field_active): ImGui dropped the edit. The page must not take the
    // field's text back before the edit has been applied for good.
    dropped_edit = std::move(edit_this_frame);
    applied_seq = out.applied_seq = seq_before_edit;
    ++drops_in_a_row;
  } else if (edit_this_frame) {
    drops_in_a_row = 0;
  }
  edit_this_frame.reset();
  if (!out.active) {
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
  // NewFrame() puts PlatformImePos at the screen's corner; only a field that ran moved it to its caret.
  if (field_drawn) last_caret = g.PlatformImePos;
  out.caret = last_caret;
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
