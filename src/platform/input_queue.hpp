// Browser input, queued and fed to Dear ImGui 1.86 at most one transition per button or key per frame.
// ImGui 1.86 samples state once per frame, so a press and release arriving between two frames (a quick tap,
// or a test's click) would otherwise never be seen as a click.
#pragma once

#include <string>
#include <vector>

namespace steward::platform {

struct InputEvent {
  enum class Kind { PointerMove, PointerButton, Wheel, Key, TextEdit, TextSelect, FocusLost } kind;
  float x = 0, y = 0;  // framebuffer pixels (PointerMove, PointerButton), or wheel deltas in CSS pixels
  int code = 0;        // mouse button, or DOM keyCode
  bool down = false;
  bool ctrl = false, shift = false, alt = false, super = false;
  // TextEdit: replace [start, end) of the focused field with `text` (start < 0: insert it at ImGui's caret);
  // TextSelect: select [start, end). Positions count UTF-16 code units, as the page does; text_field converts
  // them to ImGui's code points.
  int start = 0, end = 0;
  int seq = 0;         // the page's number for this edit, selection or key (see text_field.hpp); 0: none
  std::string text;    // UTF-8 (TextEdit)
};

class InputQueue {
 public:
  void push(InputEvent e) { events_.push_back(std::move(e)); }
  bool empty() const { return events_.empty(); }
  // Applies queued events to ImGui's IO until one would flip a button or key a second time in this frame.
  void apply_to_imgui();
  // Queues an edit again, first: ImGui dropped it (see text_field_take_dropped_edit).
  void retry_edit(InputEvent e);

 private:
  std::vector<InputEvent> events_;
};

inline constexpr int kBackspaceKey = 8;  // DOM keyCode

// The ImGui key map: DOM keyCodes for the keys ImGui needs.
void map_imgui_keys();

}  // namespace steward::platform
