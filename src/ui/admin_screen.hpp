// Accounts for supervisors and admins (账号管理), over the server's admin API: the site's people with their roles,
// adding a person, granting and revoking roles, resetting a password, disabling; the site's settings (name, idle
// lock, retention on tablets); the audit log. Online only: the server decides who may change what and says why not.
#pragma once

#include "ui/app.hpp"

namespace steward::ui {

void draw_admin(AppState& app);

}  // namespace steward::ui
