// The focused ImGui text field, mirrored into the page's hidden textarea so that on-screen keyboards, input
// methods (pinyin, handwriting), autocorrect and the clipboard work on a canvas.
//
// The textarea holds the field's whole text and selection. Whatever the keyboard or input method does to it
// (insert, delete, replace a word, compose), the page diffs the new value against the last one and sends the
// difference as one TextEdit; composing text is applied like any other edit, so it shows in place, and the
// commit replaces it, so it arrives exactly once. After each frame the field's real text and selection go back
// to the page (when every edit sent has been applied), which keeps the two in step after ImGui's own edits
// (Home, End or undo on a hardware keyboard, a full buffer, a form reset).
#pragma once

#include <optional>
#include <string>

#include "imgui.h"
#include "imgui_internal.h"  // ImRect
#include "platform/input_queue.hpp"

namespace steward::platform {

enum class TextFieldAction { None, PressBackspace };
// Applies a TextEdit or TextSelect to the active field, before ImGui::NewFrame().
TextFieldAction text_field_apply(const InputEvent& e);
// An edit, selection or key the page numbered (a key sent while a field was edited) is given to ImGui in this
// frame: once the frame has been drawn, the page may take the field's text and caret back.
void text_field_note_applied(int seq);
// The text being composed, [start, end) in UTF-16 units of the field; start < 0: nothing is composed.
void text_field_set_composition(int start, int end);

struct TextFieldState {
  bool active = false;
  std::string text;       // UTF-8
  int sel_start = 0, sel_end = 0;  // UTF-16 units; sel_end is where the caret is
  int applied_seq = 0;    // the last edit or selection from the page that has been applied
  ImVec2 caret;           // framebuffer pixels, top of the caret's line
  ImRect field;           // the field's frame, framebuffer pixels
};
// Call between ui drawing and ImGui::Render(): reads the active field and underlines the composing text.
TextFieldState text_field_after_draw();

// A text field has the keyboard focus, drawn in the last frame or not. A field scrolled out of sight (by a
// finger, by the keyboard opening, by a rotation) stays focused and the keyboard open, as in a web page.
bool text_field_active();
// ImGui 1.86 skips a multiline field's child window while it is out of sight, and the typing with it. An edit
// applied in such a frame is handed back here, after text_field_after_draw(), to be queued again while the field
// is brought into view (typing into a field out of sight scrolls to it, as in a web page).
std::optional<InputEvent> text_field_take_dropped_edit();
// Scrolls the windows holding the active field so it is in view, with a margin (above the on-screen keyboard).
// Takes effect in the next frame; false when no field is active or it has not been laid out yet.
bool text_field_scroll_into_view();

}  // namespace steward::platform
