#include "platform/input_queue.hpp"

#include <cfloat>

#include "imgui.h"
#include "platform/text_field.hpp"

namespace steward::platform {

void map_imgui_keys() {
  ImGuiIO& io = ImGui::GetIO();
  io.KeyMap[ImGuiKey_Tab] = 9;
  io.KeyMap[ImGuiKey_LeftArrow] = 37;
  io.KeyMap[ImGuiKey_RightArrow] = 39;
  io.KeyMap[ImGuiKey_UpArrow] = 38;
  io.KeyMap[ImGuiKey_DownArrow] = 40;
  io.KeyMap[ImGuiKey_PageUp] = 33;
  io.KeyMap[ImGuiKey_PageDown] = 34;
  io.KeyMap[ImGuiKey_Home] = 36;
  io.KeyMap[ImGuiKey_End] = 35;
  io.KeyMap[ImGuiKey_Insert] = 45;
  io.KeyMap[ImGuiKey_Delete] = 46;
  io.KeyMap[ImGuiKey_Backspace] = kBackspaceKey;
  io.KeyMap[ImGuiKey_Space] = 32;
  io.KeyMap[ImGuiKey_Enter] = 13;
  io.KeyMap[ImGuiKey_Escape] = 27;
  io.KeyMap[ImGuiKey_KeyPadEnter] = 13;
  io.KeyMap[ImGuiKey_A] = 65;
  io.KeyMap[ImGuiKey_C] = 67;
  io.KeyMap[ImGuiKey_V] = 86;
  io.KeyMap[ImGuiKey_X] = 88;
  io.KeyMap[ImGuiKey_Y] = 89;
  io.KeyMap[ImGuiKey_Z] = 90;
}

void InputQueue::apply_to_imgui() {
  ImGuiIO& io = ImGui::GetIO();
  bool mouse_flipped[5] = {};
  bool any_mouse_flipped = false;
  bool key_flipped[512] = {};
  bool moved = false;
  bool text_changed = false;
  size_t used = 0;
  for (; used < events_.size(); ++used) {
    const InputEvent& e = events_[used];
    switch (e.kind) {
      case InputEvent::Kind::PointerMove:
        // A move after a press or release waits a frame: ImGui must see the button change where it happened
        // (a finger lifting and the hover leaving with it would otherwise cancel the tap).
        if (any_mouse_flipped) goto next_frame;
        io.MousePos = ImVec2(e.x, e.y);
        moved = true;
        break;
      case InputEvent::Kind::PointerButton:
        if (e.code < 0 || e.code >= 5) break;
        if (mouse_flipped[e.code] && io.MouseDown[e.code] != e.down) goto next_frame;
        // A press lands where the pointer already was for a frame: ImGui 1.86 decides some hovering (popups,
        // overlapping items) from the previous frame, and a finger has no hover before it touches.
        if (e.down && moved) goto next_frame;
        io.MousePos = ImVec2(e.x, e.y);
        if (io.MouseDown[e.code] != e.down) mouse_flipped[e.code] = any_mouse_flipped = true;
        io.MouseDown[e.code] = e.down;
        break;
      case InputEvent::Kind::Wheel:
        io.MouseWheelH -= e.x / 100.0f;
        io.MouseWheel -= e.y / 100.0f;
        break;
      case InputEvent::Kind::Key:
        if (e.code < 0 || e.code >= 512) break;
        if (key_flipped[e.code] && io.KeysDown[e.code] != e.down) goto next_frame;
        if (io.KeysDown[e.code] != e.down) key_flipped[e.code] = true;
        io.KeysDown[e.code] = e.down;
        if (e.seq) text_field_note_applied(e.seq);
        io.KeyCtrl = e.ctrl;
        io.KeyShift = e.shift;
        io.KeyAlt = e.alt;
        io.KeySuper = e.super;
        break;
      case InputEvent::Kind::TextEdit:
      case InputEvent::Kind::TextSelect: {
        // One edit per frame: it moves the selection, and ImGui applies typed characters at the selection
        // only when the field runs in the next NewFrame().
        if (text_changed || key_flipped[kBackspaceKey]) goto next_frame;
        text_changed = true;
        // Text the page already took in (a paste with Ctrl+V held, an input method's commit) goes in whatever
        // modifiers are down: ImGui drops typed characters while it believes Ctrl is held, taking them for a shortcut.
        if (e.kind == InputEvent::Kind::TextEdit && !e.text.empty()) io.KeyCtrl = io.KeySuper = false;
        if (text_field_apply(e) == TextFieldAction::PressBackspace) {
          // A deletion without replacement: Backspace removes the selection; it is released next frame.
          io.KeysDown[kBackspaceKey] = true;
          key_flipped[kBackspaceKey] = true;
          InputEvent release{};
          release.kind = InputEvent::Kind::Key;
          release.code = kBackspaceKey;
          events_.insert(events_.begin() + (long)used + 1, release);
        }
        break;
      }
      case InputEvent::Kind::FocusLost:
        for (bool& k : io.KeysDown) k = false;
        io.KeyCtrl = io.KeyShift = io.KeyAlt = io.KeySuper = false;
        break;
    }
  }
next_frame:
  events_.erase(events_.begin(), events_.begin() + used);
}

void InputQueue::retry_edit(InputEvent e) {
  // After the release of the Backspace that the dropped edit pressed, if it is still queued: a deletion is
  // carried out on the press, and a key held down since the dropped frame would not be pressed again.
  auto at = events_.begin();
  if (at != events_.end() && at->kind == InputEvent::Kind::Key && at->code == kBackspaceKey && !at->down) ++at;
  events_.insert(at, std::move(e));
}

}  // namespace steward::platform
