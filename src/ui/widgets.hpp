// Small widgets shared by the screens, in Dear ImGui's style: plain functions, sizes in CSS pixels.
#pragma once

#include <vector>

#include "imgui.h"

namespace steward::ui {

inline const ImVec4 kMuted{0.38f, 0.40f, 0.44f, 1.0f};
inline const ImVec4 kGood{0.10f, 0.50f, 0.22f, 1.0f};
inline const ImVec4 kWarning{0.66f, 0.42f, 0.02f, 1.0f};
inline const ImVec4 kDanger{0.76f, 0.13f, 0.13f, 1.0f};
inline const ImVec4 kAccent{0.13f, 0.37f, 0.72f, 1.0f};
inline const ImVec4 kWarningBg{1.00f, 0.95f, 0.80f, 1.0f};
inline const ImVec4 kDangerBg{1.00f, 0.89f, 0.88f, 1.0f};
inline const ImVec4 kGoodBg{0.88f, 0.96f, 0.89f, 1.0f};

// Fonts are built by the platform layer at the screen's pixel density.
void set_fonts(ImFont* body, ImFont* heading);
ImFont* heading_font();

// CSS pixels to framebuffer pixels.
float px(float css);
void set_px_scale(float scale);

// Text in a colour, visible to the test hook.
void colored_text(const ImVec4& color, const char* text);
// A coloured box with wrapped text, as wide as `width` (0: the available width): warnings and errors that must
// not be missed.
void banner(const ImVec4& background, const char* text, float width = 0);
// A button drawn as pressed while `on`; returns true when tapped.
bool toggle_button(const char* label, bool on, const ImVec2& size);
// A primary action: accent-coloured button.
bool primary_button(const char* label, const ImVec2& size);
// An action that starts something new ("＋ 新建工单") beside a row of tabs or choices: green, so it is never taken
// for the selected one of them.
bool action_button(const char* label, const ImVec2& size);
// ‹ earlier · later › · current, on one row: steps `back`, how many periods before the current one are shown (never
// below 0, where the last two are disabled). `step_width` is the width of the first two buttons.
void period_steps(int& back, const char* earlier, const char* later, const char* current, float step_width,
                  float current_width);
// Toggle buttons in rows that wrap at `width`, the selected one pressed; returns the index tapped, or -1.
// `id_suffix` tells apart lists whose labels repeat on one screen ("1".."5" twice, say).
int choice_buttons(const std::vector<const char*>& labels, int selected, float width, const char* id_suffix = nullptr);

// A dialog over the screen, centred, `width` wide and as tall as it needs, open while the caller keeps calling this;
// with a title (in the heading font) unless null. True when it is drawn: end it then with end_dialog(), or with
// ImGui::EndPopup() (and ImGui::CloseCurrentPopup() before it to close it).
bool begin_dialog(const char* id, float width, const char* title = nullptr);
// A dialog's dismissing button (its label, e.g. tr(S::Cancel), finger-sized), then the end of the dialog: closed when
// the button was tapped or `close` is already true. True when it closed: the caller then forgets the dialog's state.
bool end_dialog(const char* dismiss_label, bool close);

}  // namespace steward::ui
