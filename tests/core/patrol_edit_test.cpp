// The supervisor's route editor: add, rename, reorder and remove areas, checkpoints and checks; the edited route
// is the template's next revision, and rounds already under way keep walking the route they started on.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/patrol_edit.hpp"
#include "patrol_support.hpp"
#include "ticket_support.hpp"

using namespace steward::core;
using ticket_test::kMinute;
using ticket_test::kMorning;

namespace {

// The small route as stored (a revision of its own).
PatrolTemplate route() {
  PatrolTemplate t = patrol_test::small_template();
  t.rev = "3-abc";
  return t;
}

std::vector<std::string> area_names(const PatrolTemplate& t) {
  std::vector<std::string> out;
  for (const PatrolArea& a : t.areas) out.push_back(a.name);
  return out;
}

std::vector<std::string> checkpoint_keys(const PatrolArea& a) {
  std::vector<std::string> out;
  for (const Checkpoint& c : a.checkpoints) out.push_back(c.key);
  return out;
}

}  // namespace

TEST_SUITE("patrol editor") {
  TEST_CASE("areas are added at the end, moved and removed") {
    PatrolTemplate t = route();
    CHECK(add_area(t, "roof", "天台"));
    CHECK(area_names(t) == std::vector<std::string>{"大堂", "地下车库", "天台"});
    CHECK(move_area(t, 2, 0));  // the roof first: the route runs top-down
    CHECK(area_names(t) == std::vector<std::string>{"天台", "大堂", "地下车库"});
    CHECK(move_area(t, 0, 1));
    CHECK(area_names(t) == std::vector<std::string>{"大堂", "天台", "地下车库"});
    // A new area needs a checkpoint before the route validates.
    const std::vector<TemplateError> errors = validate(t);
    CHECK(std::any_of(errors.begin(), errors.end(), [](const TemplateError& e) {
      return e.part == TemplatePart::Checkpoint && e.problem == TemplateProblem::Empty && e.area == 1;
    }));
    CHECK(add_checkpoint(t, 1, "roof-door", "天台门"));
    CHECK(validate(t).empty());
    CHECK(remove_area(t, 1));
    CHECK(area_names(t) == std::vector<std::string>{"大堂", "地下车库"});
  }

  TEST_CASE("checkpoints are reordered within their area and removed") {
    PatrolTemplate t = route();
    CHECK(move_checkpoint(t, 0, 1, 0));
    CHECK(checkpoint_keys(t.areas[0]) == std::vector<std::string>{"lobby-hall", "lobby-door"});
    CHECK(remove_checkpoint(t, 0, 0));
    CHECK(checkpoint_keys(t.areas[0]) == std::vector<std::string>{"lobby-door"});
    CHECK(validate(t).empty());
    // The last checkpoint of an area removed: the area is empty, and validation says so.
    CHECK(remove_checkpoint(t, 1, 0));
    CHECK(t.areas[1].checkpoints.empty());
    CHECK_FALSE(validate(t).empty());
  }

  TEST_CASE("a checkpoint moves to the end of another area, checks and key with it") {
    PatrolTemplate t = route();
    const Checkpoint moved = t.areas[0].checkpoints[1];
    CHECK(move_checkpoint_to_area(t, 0, 1, 1));
    CHECK(checkpoint_keys(t.areas[0]) == std::vector<std::string>{"lobby-door"});
    REQUIRE(t.areas[1].checkpoints.size() == 2);
    CHECK(t.areas[1].checkpoints.back().key == moved.key);
    CHECK(t.areas[1].checkpoints.back().name == moved.name);
    CHECK(t.areas[1].checkpoints.back().checks == moved.checks);
    CHECK(validate(t).empty());
    // Its area's last checkpoint moved away: the area is empty, and validation says so.
    CHECK(move_checkpoint_to_area(t, 0, 0, 1));
    CHECK(t.areas[0].checkpoints.empty());
    CHECK_FALSE(validate(t).empty());
    // Nowhere to go: the same area, or positions that are stale.
    const PatrolTemplate before = t;
    CHECK_FALSE(move_checkpoint_to_area(t, 1, 0, 1));
    CHECK_FALSE(move_checkpoint_to_area(t, 1, 5, 0));
    CHECK_FALSE(move_checkpoint_to_area(t, 1, 0, 2));
    CHECK_FALSE(move_checkpoint_to_area(t, -1, 0, 0));
    CHECK(to_json(t) == to_json(before));
  }

  TEST_CASE("checks are added, reordered, renamed and removed") {
    PatrolTemplate t = route();
    CHECK(add_check(t, 0, 0, "闭门器正常"));
    CHECK(add_check(t, 0, 0, "无杂物"));
    CHECK(t.areas[0].checkpoints[0].checks == std::vector<std::string>{"门禁正常", "闭门器正常", "无杂物"});
    CHECK(move_check(t, 0, 0, 2, 0));
    CHECK(t.areas[0].checkpoints[0].checks == std::vector<std::string>{"无杂物", "门禁正常", "闭门器正常"});
    t.areas[0].checkpoints[0].checks[0] = "地面无杂物";  // a rename is a plain edit of the string
    CHECK(remove_check(t, 0, 0, 1));
    CHECK(t.areas[0].checkpoints[0].checks == std::vector<std::string>{"地面无杂物", "闭门器正常"});
    // An empty check is refused by validation, naming where it is.
    CHECK(add_check(t, 0, 1, "  "));
    const std::vector<TemplateError> errors = validate(t);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].part == TemplatePart::Check);
    CHECK(errors[0].problem == TemplateProblem::Required);
    CHECK(errors[0].area == 0);
    CHECK(errors[0].checkpoint == 1);
    CHECK(errors[0].check == 1);
  }

  TEST_CASE("a stale position changes nothing") {
    const PatrolTemplate before = route();
    PatrolTemplate t = before;
    CHECK_FALSE(move_area(t, 2, 0));
    CHECK_FALSE(move_area(t, 0, 2));
    CHECK_FALSE(move_area(t, -1, 0));
    CHECK_FALSE(add_checkpoint(t, 5, "x", "x"));
    CHECK_FALSE(add_check(t, 1, 1, "x"));
    CHECK_FALSE(move_checkpoint(t, 1, 0, 1));
    CHECK_FALSE(move_check(t, 0, 1, 0, 1));
    CHECK_FALSE(remove_area(t, 2));
    CHECK_FALSE(remove_checkpoint(t, 0, 2));
    CHECK_FALSE(remove_check(t, 1, 0, 2));
    CHECK(to_json(t) == to_json(before));
  }

  TEST_CASE("the edited route is the same document's next revision, with who changed it") {
    PatrolTemplate t = route();
    t.name = "夜间巡查（含天台）";
    add_area(t, "roof", "天台");
    add_checkpoint(t, 2, "roof-door", "天台门");
    t.edited_by = "周主管";
    t.edited_ms = kMorning;
    const nlohmann::json doc = to_json(t);
    CHECK(doc["_id"] == "patrol_template:t1");
    CHECK(doc["_rev"] == "3-abc");  // stored as a child of the revision it was edited from
    const PatrolTemplate back = patrol_template_from_json(doc);
    CHECK(back.name == "夜间巡查（含天台）");
    CHECK(back.areas.size() == 3);
    CHECK(back.edited_by == "周主管");
    CHECK(back.edited_ms == kMorning);
    // A seeded route has no editor.
    CHECK_FALSE(to_json(route()).contains("edited_by"));
  }

  TEST_CASE("a round started before the edit keeps working on the route it walks") {
    PatrolTemplate t = route();
    PatrolRound r = start_round(t, "patrol_round:r1", "王管家", kMorning, "s");
    // The supervisor removes the checkpoint the butler is about to check, and adds another.
    remove_checkpoint(t, 0, 1);
    add_checkpoint(t, 1, "garage-b2", "B2 车库");
    REQUIRE(validate(t).empty());
    RoundEvent e;
    e.id = "e1";
    e.at_ms = kMorning + kMinute;
    e.kind = RoundEventKind::Result;
    e.checkpoint = "lobby-hall";
    CHECK_FALSE(append_event(r, "王管家", e).has_value());
    e.id = "e2";
    e.checkpoint = "garage-b2";  // not on the route this round walks
    CHECK(append_event(r, "王管家", e) == RoundRefusal::UnknownCheckpoint);
    const RoundState st = derive_round(r);
    CHECK(st.total == 3);
    CHECK(st.checked == 1);
    // A round started after the edit walks the new route.
    const PatrolRound later = start_round(t, "patrol_round:r2", "王管家", kMorning + 60 * kMinute, "s2");
    CHECK(derive_round(later).total == 3);
    CHECK(find_checkpoint(later, "garage-b2").valid());
    CHECK_FALSE(find_checkpoint(later, "lobby-hall").valid());
  }

  TEST_CASE("names and checks are saved trimmed (the ideographic space too)") {
    PatrolTemplate t = route();
    t.name = "  夜间巡查\u3000";
    t.areas[0].name = " 大堂 ";
    t.areas[0].checkpoints[0].name = "正门\t";
    t.areas[0].checkpoints[0].checks[0] = "\u3000门禁正常";
    trim_names(t);
    CHECK(t.name == "夜间巡查");
    CHECK(t.areas[0].name == "大堂");
    CHECK(t.areas[0].checkpoints[0].name == "正门");
    CHECK(t.areas[0].checkpoints[0].checks[0] == "门禁正常");
  }

  TEST_CASE("a new route starts with one area and one checkpoint, and validates") {
    const PatrolTemplate t = new_patrol_template("patrol_template:n1", "demo", "消防专项巡查", "a1", "A座", "c1", "A座 消防楼梯");
    CHECK(validate(t).empty());
    CHECK(t.checkpoint_count() == 1);
  }
}
