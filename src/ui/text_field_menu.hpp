// The active text field's edit menu (全选 / 剪切 / 复制 / 粘贴) for tablets without a hardware keyboard: a long
// press (or a right click) inside the field opens it next to the finger.
//
// It is drawn as an overlay that takes no input, so the field stays active (keyboard open, selection kept) while
// it shows. Its taps never reach ImGui: the platform layer hit-tests them against `items` and has the page run
// the command on the mirrored text field inside the touch's own event handler, where browsers allow reading the
// clipboard.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "imgui.h"
#include "imgui_internal.h"  // ImRect

namespace steward::ui {

// The numbers cross to the page (web_bridge.js): keep them.
enum class TextCommand { SelectAll = 0, Cut = 1, Copy = 2, Paste = 3 };

enum class ClipboardProblem { WriteFailed, ReadRefused, Unavailable, Empty };

struct TextFieldMenu {
  bool open = false;
  ImGuiID field = 0;  // the field it was opened on: it closes when that field is no longer active
  ImVec2 at;          // where the finger was, framebuffer pixels
  struct Item {
    TextCommand command;
    ImRect rect;      // framebuffer pixels, as last drawn
  };
  std::vector<Item> items;  // the enabled items of the last frame
  std::string notice;       // why the last command failed; shown near the field for a while
  int64_t notice_until_ms = 0;
};

// Opens the menu on a right click (a long press) inside the active field, closes it on any other click or when
// the field is no longer active, and draws it. Call after the screens, before ImGui::Render().
void draw_text_field_menu(TextFieldMenu& menu, int64_t now_ms);
// The enabled item under a point (framebuffer pixels), or null.
const TextFieldMenu::Item* text_field_menu_item_at(const TextFieldMenu& menu, ImVec2 pos);
void close_text_field_menu(TextFieldMenu& menu);
// A command could not be carried out: says so in plain words next to the field. The field's text is untouched.
void show_clipboard_problem(TextFieldMenu& menu, ClipboardProblem problem, int64_t now_ms);

}  // namespace steward::ui
