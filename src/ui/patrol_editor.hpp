// The supervisor's route editor (巡查路线): a site's patrol routes with their areas, checkpoints and checks, each
// added, renamed, moved up or down (a checkpoint also to another area), or removed on a working copy, then saved as the route document's next
// revision, which syncs to every tablet. Rounds already under way keep the route they started with.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/patrol.hpp"

namespace steward::ui {

struct AppState;

struct RouteEditor {
  std::string template_id;  // the route being edited; empty: none chosen
  core::PatrolTemplate draft;  // the working copy
  core::PatrolTemplate base;   // the stored revision it was made from
  bool is_new = false;         // not stored yet
  int area = 0;                // the area whose checkpoints are shown
  int checkpoint = 0;          // the checkpoint whose checks are shown
  std::vector<core::TemplateError> errors;  // from the last save
  std::string message;
  bool message_is_error = false;
  bool confirm_delete = false;  // the "delete this route?" dialog is open
  bool choose_area = false;     // the "move the checkpoint to which area?" dialog is open
};

void draw_patrol_editor(AppState& app);

}  // namespace steward::ui
