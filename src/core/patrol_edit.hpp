// The supervisor's route editor (巡查路线): adding, reordering and removing the areas, checkpoints and checks of
// a patrol template. Renaming is a plain change of the name (or check) string; validate() judges the result
// before it is saved as the template document's next revision. Rounds already started are unaffected: each
// carries the route it is walking (patrol.hpp).
//
// Positions are indices. Every edit returns false and leaves the template unchanged when a position is out of
// range: the screen's indices may be stale after sync replaced the template under it.
#pragma once

#include <string>

#include "core/patrol.hpp"

namespace steward::core {

// Appended at the end of their list. Keys must be new in the template (validate() reports a duplicate).
bool add_area(PatrolTemplate& t, std::string key, std::string name);
bool add_checkpoint(PatrolTemplate& t, int area, std::string key, std::string name);
bool add_check(PatrolTemplate& t, int area, int checkpoint, std::string check);

// Moved to position `to` of the same list; the others shift to make room.
bool move_area(PatrolTemplate& t, int area, int to);
bool move_checkpoint(PatrolTemplate& t, int area, int checkpoint, int to);
bool move_check(PatrolTemplate& t, int area, int checkpoint, int check, int to);
// To the end of another area's checkpoints (a checkpoint filed under the wrong floor); false for the same area.
bool move_checkpoint_to_area(PatrolTemplate& t, int area, int checkpoint, int to_area);

bool remove_area(PatrolTemplate& t, int area);
bool remove_checkpoint(PatrolTemplate& t, int area, int checkpoint);
bool remove_check(PatrolTemplate& t, int area, int checkpoint, int check);

// The route as it is saved: every name and check trimmed (what validate() judges).
void trim_names(PatrolTemplate& t);

// A new route of a site with one area holding one checkpoint (a template must have both to be valid).
PatrolTemplate new_patrol_template(std::string id, std::string site, std::string name, std::string area_key,
                                   std::string area_name, std::string checkpoint_key, std::string checkpoint_name);

}  // namespace steward::core
