// The butler's screens: tickets (工单: the lists, a new ticket, one ticket with its timeline and the steps this
// user may take) and patrols (巡查: choose a route, walk a round checkpoint by checkpoint, record findings).
#pragma once

#include "ui/app.hpp"

namespace steward::ui {

void draw_tickets(AppState& app);
void draw_patrol(AppState& app);

}  // namespace steward::ui
