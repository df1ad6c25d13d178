// Owner files (业主档案) for the roles that read them: a list by unit, and one file at a time, opened only once the
// opening is logged (调阅记录); its phone numbers stay masked until revealed, which is logged too.
#pragma once

#include "ui/app.hpp"

namespace steward::ui {

void draw_owner_files(AppState& app);

}  // namespace steward::ui
