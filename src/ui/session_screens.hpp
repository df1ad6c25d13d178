// The screens around signing in on a shared tablet: the login form, the site picker, the lock screen (the same
// person unlocks; another one signs in), and the sign-out dialog that says what stays on the tablet.
#pragma once

#include "ui/app.hpp"

namespace steward::ui {

void draw_login_screen(AppState& app);
void draw_site_picker(AppState& app);
void draw_waiting_screen(AppState& app, S what);
void draw_lock_screen(AppState& app);
void draw_sign_out_dialog(AppState& app);

}  // namespace steward::ui
