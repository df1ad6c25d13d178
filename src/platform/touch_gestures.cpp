#include "platform/touch_gestures.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "imgui_internal.h"  // windows and their scrolling

namespace steward::platform {
namespace {

constexpr float kTapSlopCssPx = 10.0f;      // a finger wobbles this much during a tap
constexpr double kLongPressMs = 500.0;
constexpr double kVelocityWindowMs = 100.0;  // the flick speed is the finger's over its last 100 ms
constexpr float kGlideTimeConstantS = 0.35f; // velocity halves about every 0.25 s, as on Android
constexpr float kMinGlideCssPxPerS = 40.0f;
constexpr float kMaxGlideCssPxPerS = 6000.0f;  // a hard flick on a 10-inch screen

float length(ImVec2 v) { return std::sqrt(v.x * v.x + v.y * v.y); }

// The innermost window under the point that can scroll, as the mouse wheel would choose it.
ImGuiWindow* scrollable_window_at(ImVec2 pos) {
  ImGuiContext& g = *GImGui;
  ImGuiWindow* hit = nullptr;
  // g.Windows is in display order (children after their parents, popups last): the last hit is on top.
  for (ImGuiWindow* w : g.Windows) {
    if (!w->Active || w->Hidden || (w->Flags & ImGuiWindowFlags_NoMouseInputs)) continue;
    ImRect r = w->OuterRectClipped;
    if (r.Contains(pos)) hit = w;
  }
  // A modal popup blocks what is under it.
  if (ImGuiWindow* modal = ImGui::GetTopMostPopupModal()) {
    if (!hit || !ImGui::IsWindowChildOf(hit, modal, true)) hit = modal;
  }
  for (ImGuiWindow* w = hit; w; w = w->ParentWindow) {
    if (w->Flags & ImGuiWindowFlags_NoScrollWithMouse) continue;
    if (w->ScrollMax.x > 0 || w->ScrollMax.y > 0) return w;
  }
  return nullptr;
}

}  // namespace

void TouchGestures::hover_nothing(InputQueue& out) {
  InputEvent away{};
  away.kind = InputEvent::Kind::PointerMove;
  away.x = away.y = -FLT_MAX;
  out.push(away);
}

void TouchGestures::click(int button, ImVec2 at, InputQueue& out) {
  InputEvent e{};
  e.kind = InputEvent::Kind::PointerMove;
  e.x = at.x;
  e.y = at.y;
  out.push(e);
  e.kind = InputEvent::Kind::PointerButton;
  e.code = button;
  e.down = true;
  out.push(e);
  e.down = false;
  out.push(e);
  hover_nothing(out);
}

void TouchGestures::down(float x, float y, double now_ms, float scale, bool on_active_text_field) {
  stopped_fling_ = gliding_;
  gliding_ = false;
  velocity_ = ImVec2(0, 0);
  pending_scroll_ = ImVec2(0, 0);
  target_ = 0;
  scale_ = scale;
  down_pos_ = last_pos_ = ImVec2(x, y);
  down_ms_ = now_ms;
  samples_[0] = {now_ms, down_pos_};
  sample_count_ = 1;
  // Nothing is pressed yet, also on the text field: a press there would move the caret and drop the selection
  // that a long press (the edit menu: copy, cut) is about to act on.
  on_text_field_ = on_active_text_field;
  phase_ = Phase::Pending;
}

void TouchGestures::move(float x, float y, double now_ms, InputQueue& out) {
  const ImVec2 pos(x, y);
  if (sample_count_ == (int)(sizeof samples_ / sizeof samples_[0])) {
    for (int i = 1; i < sample_count_; ++i) samples_[i - 1] = samples_[i];
    --sample_count_;
  }
  samples_[sample_count_++] = {now_ms, pos};
  switch (phase_) {
    case Phase::Pending: {
      const ImVec2 moved(pos.x - down_pos_.x, pos.y - down_pos_.y);
      if (length(moved) < kTapSlopCssPx * scale_) break;
      if (on_text_field_) {
        // A drag on the field selects, from where the finger came down (the queue gives the press its frame).
        phase_ = Phase::Direct;
        InputEvent e{};
        e.kind = InputEvent::Kind::PointerMove;
        e.x = down_pos_.x;
        e.y = down_pos_.y;
        out.push(e);
        e.kind = InputEvent::Kind::PointerButton;
        e.down = true;
        out.push(e);
        e.kind = InputEvent::Kind::PointerMove;
        e.x = x;
        e.y = y;
        out.push(e);
        break;
      }
      // A drag: scroll by the movement beyond the slop, so the content does not jump by the slop. (All of a
      // fast flick's moves can arrive in one event, coalesced by the browser: that move is the whole drag.)
      phase_ = Phase::Scrolling;
      target_ = 0;
      if (ImGuiWindow* w = scrollable_window_at(down_pos_)) target_ = w->ID;
      const float beyond_slop = 1.0f - kTapSlopCssPx * scale_ / length(moved);
      pending_scroll_.x -= moved.x * beyond_slop;
      pending_scroll_.y -= moved.y * beyond_slop;
      hover_nothing(out);
      break;
    }
    case Phase::Scrolling:
      pending_scroll_.x += last_pos_.x - pos.x;
      pending_scroll_.y += last_pos_.y - pos.y;
      break;
    case Phase::Direct: {
      InputEvent e{};
      e.kind = InputEvent::Kind::PointerMove;
      e.x = x;
      e.y = y;
      out.push(e);
      break;
    }
    case Phase::Idle:
    case Phase::LongPressed: break;
  }
  last_pos_ = pos;
}

void TouchGestures::up(float x, float y, double now_ms, InputQueue& out) {
  move(x, y, now_ms, out);
  switch (phase_) {
    case Phase::Pending:
      if (!stopped_fling_) click(0, down_pos_, out);
      else hover_nothing(out);
      break;
    case Phase::Scrolling: start_glide(); break;
    case Phase::Direct: {
      InputEvent e{};
      e.kind = InputEvent::Kind::PointerButton;
      e.x = x;
      e.y = y;
      e.down = false;
      out.push(e);
      hover_nothing(out);
      break;
    }
    case Phase::Idle:
    case Phase::LongPressed: break;
  }
  phase_ = Phase::Idle;
}

void TouchGestures::cancel(InputQueue& out) {
  if (phase_ == Phase::Direct) {
    InputEvent e{};
    e.kind = InputEvent::Kind::PointerButton;
    e.x = e.y = -FLT_MAX;
    e.down = false;
    out.push(e);
  }
  hover_nothing(out);
  phase_ = Phase::Idle;
}

void TouchGestures::start_glide() {
  // Speed over the last few samples: the finger's flick, not its whole drag.
  const Sample& last = samples_[sample_count_ - 1];
  int first = sample_count_ - 1;
  while (first > 0 && last.ms - samples_[first - 1].ms <= kVelocityWindowMs) --first;
  if (first == sample_count_ - 1) return;
  // A flick whose events came faster than 4 ms apart (coalesced, or from a fast digitizer) is a fast one: its
  // speed is capped below rather than dropped.
  const double dt_ms = std::max(4.0, last.ms - samples_[first].ms);
  velocity_ = ImVec2((float)((samples_[first].pos.x - last.pos.x) * 1000.0 / dt_ms),
                     (float)((samples_[first].pos.y - last.pos.y) * 1000.0 / dt_ms));
  const float speed = length(velocity_), max_speed = kMaxGlideCssPxPerS * scale_;
  if (speed > max_speed) velocity_ = ImVec2(velocity_.x * max_speed / speed, velocity_.y * max_speed / speed);
  gliding_ = length(velocity_) >= kMinGlideCssPxPerS * scale_ && target_ != 0;
}

bool TouchGestures::apply_scroll(ImVec2 delta) {
  ImGuiWindow* w = target_ ? ImGui::FindWindowByID(target_) : nullptr;
  if (!w) return false;
  // From a target not yet reached (no frame drawn since the last step) rather than the current position.
  const ImVec2 from(w->ScrollTarget.x < FLT_MAX ? w->ScrollTarget.x : w->Scroll.x,
                    w->ScrollTarget.y < FLT_MAX ? w->ScrollTarget.y : w->Scroll.y);
  bool moved = false;
  if (delta.x != 0 && w->ScrollMax.x > 0) {
    const float x = ImClamp(from.x + delta.x, 0.0f, w->ScrollMax.x);
    moved |= x != from.x;
    ImGui::SetScrollX(w, x);
  }
  if (delta.y != 0 && w->ScrollMax.y > 0) {
    const float y = ImClamp(from.y + delta.y, 0.0f, w->ScrollMax.y);
    moved |= y != from.y;
    ImGui::SetScrollY(w, y);
  }
  return moved;
}

bool TouchGestures::update(double now_ms, InputQueue& out) {
  const double dt_s = last_update_ms_ > 0 ? std::min(0.1, (now_ms - last_update_ms_) / 1000.0) : 0.0;
  last_update_ms_ = now_ms;
  // Also after the finger lifted: a drag that began and ended between two frames still scrolls.
  if (pending_scroll_.x != 0 || pending_scroll_.y != 0) {
    apply_scroll(pending_scroll_);
    pending_scroll_ = ImVec2(0, 0);
  }
  switch (phase_) {
    case Phase::Pending:
      if (now_ms - down_ms_ >= kLongPressMs) {
        phase_ = Phase::LongPressed;
        if (!stopped_fling_) click(1, down_pos_, out);
      }
      return true;
    case Phase::Scrolling:
    case Phase::Direct:
    case Phase::LongPressed: return true;
    case Phase::Idle: break;
  }
  if (!gliding_) return false;
  const ImVec2 step(velocity_.x * (float)dt_s, velocity_.y * (float)dt_s);
  const float decay = std::exp(-(float)dt_s / kGlideTimeConstantS);
  velocity_ = ImVec2(velocity_.x * decay, velocity_.y * decay);
  // Stops at the end of the list, or when slow enough to look still.
  if (!apply_scroll(step) && dt_s > 0) gliding_ = false;
  if (length(velocity_) < kMinGlideCssPxPerS * scale_) gliding_ = false;
  return gliding_;
}

}  // namespace steward::platform
