// The showroom host's screens: register a visit, today's visits, the day's summary.
#pragma once

#include "ui/app.hpp"

namespace steward::ui {

void draw_register_form(AppState& app);
void draw_today_list(AppState& app);
void draw_day_summary(AppState& app);

}  // namespace steward::ui
