// The route editor's edits: bounds-checked list operations on a template's areas, checkpoints and checks.
#include "core/patrol_edit.hpp"

#include "core/text.hpp"

#include <utility>
#include <vector>

namespace steward::core {

namespace {

template <class T>
bool in_range(const std::vector<T>& v, int i) {
  return i >= 0 && static_cast<size_t>(i) < v.size();
}

template <class T>
bool move_within(std::vector<T>& v, int from, int to) {
  if (!in_range(v, from) || !in_range(v, to)) return false;
  T item = std::move(v[from]);
  v.erase(v.begin() + from);
  v.insert(v.begin() + to, std::move(item));
  return true;
}

template <class T>
bool remove_at(std::vector<T>& v, int i) {
  if (!in_range(v, i)) return false;
  v.erase(v.begin() + i);
  return true;
}

PatrolArea* area_at(PatrolTemplate& t, int area) { return in_range(t.areas, area) ? &t.areas[area] : nullptr; }

Checkpoint* checkpoint_at(PatrolTemplate& t, int area, int checkpoint) {
  PatrolArea* a = area_at(t, area);
  return a && in_range(a->checkpoints, checkpoint) ? &a->checkpoints[checkpoint] : nullptr;
}

}  // namespace

bool add_area(PatrolTemplate& t, std::string key, std::string name) {
  t.areas.push_back({std::move(key), std::move(name), {}});
  return true;
}

bool add_checkpoint(PatrolTemplate& t, int area, std::string key, std::string name) {
  PatrolArea* a = area_at(t, area);
  if (!a) return false;
  a->checkpoints.push_back({std::move(key), std::move(name), {}});
  return true;
}

bool add_check(PatrolTemplate& t, int area, int checkpoint, std::string check) {
  Checkpoint* c = checkpoint_at(t, area, checkpoint);
  if (!c) return false;
  c->checks.push_back(std::move(check));
  return true;
}

bool move_area(PatrolTemplate& t, int area, int to) { return move_within(t.areas, area, to); }

bool move_checkpoint(PatrolTemplate& t, int area, int checkpoint, int to) {
  PatrolArea* a = area_at(t, area);
  return a && move_within(a->checkpoints, checkpoint, to);
}

bool move_check(PatrolTemplate& t, int area, int checkpoint, int check, int to) {
  Checkpoint* c = checkpoint_at(t, area, checkpoint);
  return c && move_within(c->checks, check, to);
}

bool move_checkpoint_to_area(PatrolTemplate& t, int area, int checkpoint, int to_area) {
  if (!checkpoint_at(t, area, checkpoint) || !area_at(t, to_area) || area == to_area) return false;
  std::vector<Checkpoint>& from = t.areas[area].checkpoints;
  t.areas[to_area].checkpoints.push_back(std::move(from[checkpoint]));
  from.erase(from.begin() + checkpoint);
  return true;
}

bool remove_area(PatrolTemplate& t, int area) { return remove_at(t.areas, area); }

bool remove_checkpoint(PatrolTemplate& t, int area, int checkpoint) {
  PatrolArea* a = area_at(t, area);
  return a && remove_at(a->checkpoints, checkpoint);
}

bool remove_check(PatrolTemplate& t, int area, int checkpoint, int check) {
  Checkpoint* c = checkpoint_at(t, area, checkpoint);
  return c && remove_at(c->checks, check);
}

void trim_names(PatrolTemplate& t) {
  t.name = text::trim(t.name);
  for (PatrolArea& a : t.areas) {
    a.name = text::trim(a.name);
    for (Checkpoint& c : a.checkpoints) {
      c.name = text::trim(c.name);
      for (std::string& check : c.checks) check = text::trim(check);
    }
  }
}

PatrolTemplate new_patrol_template(std::string id, std::string site, std::string name, std::string area_key,
                                   std::string area_name, std::string checkpoint_key, std::string checkpoint_name) {
  PatrolTemplate t;
  t.id = std::move(id);
  t.site = std::move(site);
  t.name = std::move(name);
  t.areas.push_back({std::move(area_key), std::move(area_name), {{std::move(checkpoint_key), std::move(checkpoint_name), {}}}});
  return t;
}

}  // namespace steward::core
