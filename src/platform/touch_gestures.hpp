// Fingers are not a mouse. ImGui 1.86 only knows a mouse, so a touch becomes mouse input only once it is known
// what the finger meant:
//   - a tap (lifted before moving past a few pixels) is a click where it touched: hover there, then press and
//     release; after it, nothing stays hovered;
//   - a drag scrolls the window under the finger (lists, forms, popups) and keeps scrolling with inertia after a
//     flick; it never presses what it passes over;
//   - a long press (held still) is a right click: context actions, as on a desktop;
//   - on the active text field a tap places the caret, a drag selects (a mouse drag from where the finger came
//     down) and a long press is a right click (the field's edit menu) that leaves caret and selection alone;
//     none of them scrolls.
// Mouse and pen keep working as a mouse (pen: a stylus on a tablet scrolls too, so it counts as a finger).
#pragma once

#include "imgui.h"
#include "platform/input_queue.hpp"

namespace steward::platform {

class TouchGestures {
 public:
  // Positions in framebuffer pixels; `scale` framebuffer pixels per CSS pixel; times in ms.
  void down(float x, float y, double now_ms, float scale, bool on_active_text_field);
  void move(float x, float y, double now_ms, InputQueue& out);
  void up(float x, float y, double now_ms, InputQueue& out);
  void cancel(InputQueue& out);
  // Every animation frame, before ImGui::NewFrame(): turns a held finger into a long press, applies drag and
  // fling scrolling. Returns true while frames are needed (a finger is down, or a list is still gliding).
  bool update(double now_ms, InputQueue& out);
  // A finger is down or a list is gliding: the screen is about to change by itself.
  bool busy() const {
    return phase_ != Phase::Idle || gliding_ || pending_scroll_.x != 0 || pending_scroll_.y != 0;
  }

 private:
  enum class Phase { Idle, Pending, Scrolling, Direct, LongPressed } phase_ = Phase::Idle;
  ImVec2 down_pos_, last_pos_;
  bool on_text_field_ = false;  // this touch began on the active text field
  double down_ms_ = 0, last_update_ms_ = 0;
  float scale_ = 1;
  bool stopped_fling_ = false;  // this touch stopped a gliding list: it is not also a tap
  ImGuiID target_ = 0;          // the window being scrolled
  ImVec2 pending_scroll_;       // finger movement not yet applied to the target
  ImVec2 velocity_;             // px/s, while gliding after the finger lifted
  bool gliding_ = false;
  struct Sample {
    double ms;
    ImVec2 pos;
  };
  Sample samples_[8] = {};
  int sample_count_ = 0;

  void hover_nothing(InputQueue& out);
  void click(int button, ImVec2 at, InputQueue& out);
  void start_glide();
  bool apply_scroll(ImVec2 delta);
};

}  // namespace steward::platform
