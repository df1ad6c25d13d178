// The butler's screens: tickets (工单: the lists, a new ticket, one ticket with its timeline and the steps this
// user may take) and patrols (巡查: choose a route, walk a round checkpoint by checkpoint, record findings).
#pragma once

#include "ui/app.hpp"

namespace steward::ui {

void draw_tickets(AppState& app);
void draw_patrol(AppState& app);

// The camera's answer, for whichever form asked (the finding's or the new ticket's): the photo, already
// downscaled by the page, or why there is none (empty: the person cancelled).
void photo_taken(AppState& app, store::Photo photo);
void photo_not_taken(AppState& app, const std::string& why);
bool photo_awaited(const AppState& app);

}  // namespace steward::ui
