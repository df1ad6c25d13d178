#include <doctest/doctest.h>

#include <algorithm>

#include "core/patrol.hpp"
#include "patrol_support.hpp"
#include "ticket_support.hpp"

using namespace steward::core;
using nlohmann::json;
using ticket_test::kMinute;
using ticket_test::kMorning;

using patrol_test::small_template;

namespace {

RoundEvent result(std::string id, int64_t at, std::string checkpoint, CheckResult r, std::string ticket = {}) {
  RoundEvent e;
  e.id = std::move(id);
  e.at_ms = at;
  e.kind = RoundEventKind::Result;
  e.checkpoint = std::move(checkpoint);
  e.result = r;
  e.ticket = std::move(ticket);
  return e;
}

RoundEvent event(RoundEventKind kind, std::string id, int64_t at) {
  RoundEvent e;
  e.id = std::move(id);
  e.at_ms = at;
  e.kind = kind;
  return e;
}

void take(PatrolRound& r, RoundEvent e, const std::string& by = "王管家") {
  const auto refused = append_event(r, by, std::move(e));
  REQUIRE_FALSE(refused.has_value());
}

PatrolRound started() { return start_round(small_template(), "patrol_round:r1", "王管家", kMorning, "ev-start"); }

bool has_error(const std::vector<TemplateError>& errors, TemplatePart part, TemplateProblem problem) {
  return std::any_of(errors.begin(), errors.end(),
                     [&](const TemplateError& e) { return e.part == part && e.problem == problem; });
}

}  // namespace

TEST_CASE("patrol: the demo templates validate and cover the usual areas and checks") {
  const auto templates = demo_patrol_templates("demo");
  REQUIRE(templates.size() == 2);
  for (const PatrolTemplate& t : templates) {
    INFO(t.name);
    CHECK(validate(t).empty());
    CHECK(t.site == "demo");
    CHECK(t.id.starts_with(kPatrolTemplateIdPrefix));
  }
  std::vector<std::string> areas;
  for (const PatrolArea& a : templates[0].areas) areas.push_back(a.name);
  for (const char* expected : {"大堂", "电梯厅", "消防通道", "地下车库", "设备房", "绿化"})
    CHECK(std::find(areas.begin(), areas.end(), expected) != areas.end());
  // Fire doors closed is the check every route has (domain.md).
  bool fire_doors = false;
  for (const PatrolArea& a : templates[0].areas)
    for (const Checkpoint& c : a.checkpoints)
      fire_doors |= std::find(c.checks.begin(), c.checks.end(), "防火门常闭") != c.checks.end();
  CHECK(fire_doors);
  // The vacant-floor route runs top-down.
  CHECK(templates[1].areas.front().name == "30F");
}

TEST_CASE("patrol: template validation names the part and the problem") {
  PatrolTemplate t = small_template();
  CHECK(validate(t).empty());

  SUBCASE("no name") {
    t.name = "　 ";
    CHECK(has_error(validate(t), TemplatePart::Name, TemplateProblem::Required));
  }
  SUBCASE("no areas") {
    t.areas.clear();
    CHECK(has_error(validate(t), TemplatePart::Area, TemplateProblem::Empty));
  }
  SUBCASE("an area without checkpoints") {
    t.areas[1].checkpoints.clear();
    const auto errors = validate(t);
    REQUIRE(has_error(errors, TemplatePart::Checkpoint, TemplateProblem::Empty));
    CHECK(errors[0].area == 1);
  }
  SUBCASE("checkpoint keys are unique across areas") {
    t.areas[1].checkpoints[0].key = "lobby-door";
    const auto errors = validate(t);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].part == TemplatePart::Key);
    CHECK(errors[0].problem == TemplateProblem::Duplicate);
    CHECK(errors[0].area == 1);
    CHECK(errors[0].checkpoint == 0);
  }
  SUBCASE("two areas with one name") {
    t.areas[1].name = "大堂";
    CHECK(has_error(validate(t), TemplatePart::Area, TemplateProblem::Duplicate));
  }
  SUBCASE("an area name long enough to overflow a ticket's place") {
    t.areas[0].name.clear();
    for (int i = 0; i < 17; ++i) t.areas[0].name += "楼";
    CHECK(has_error(validate(t), TemplatePart::Area, TemplateProblem::TooLong));
  }
  SUBCASE("an empty check and a control character") {
    t.areas[0].checkpoints[0].checks = {"门禁正常", " "};
    t.areas[0].checkpoints[1].name = "前\x01厅";
    const auto errors = validate(t);
    CHECK(has_error(errors, TemplatePart::Check, TemplateProblem::Required));
    CHECK(has_error(errors, TemplatePart::Checkpoint, TemplateProblem::ControlCharacters));
  }
  SUBCASE("too many checks") {
    t.areas[0].checkpoints[0].checks.assign(kMaxChecksPerCheckpoint + 1, "看一看");
    CHECK(has_error(validate(t), TemplatePart::Check, TemplateProblem::TooMany));
  }
}

TEST_CASE("patrol: a template document round-trips, and a malformed one is refused") {
  const PatrolTemplate t = demo_patrol_templates("demo")[0];
  const json doc = to_json(t);
  CHECK(is_patrol_template_doc(doc));
  CHECK_FALSE(is_patrol_round_doc(doc));
  // Keys, not ids: the merge must not treat the route as an append-only list (sync/merge.hpp).
  CHECK_FALSE(doc["areas"][0].contains("id"));
  const PatrolTemplate back = patrol_template_from_json(doc);
  CHECK(back.name == t.name);
  REQUIRE(back.areas.size() == t.areas.size());
  CHECK(back.areas[2].checkpoints[0].checks == t.areas[2].checkpoints[0].checks);
  CHECK(to_json(back) == doc);

  json bad = doc;
  bad["areas"][0]["checkpoints"][0].erase("key");
  CHECK_THROWS_AS(patrol_template_from_json(bad), std::invalid_argument);
  bad = doc;
  bad["areas"] = "大堂";
  CHECK_THROWS_AS(patrol_template_from_json(bad), std::invalid_argument);
  bad = doc;
  bad["_id"] = "ticket:1";
  CHECK_THROWS_AS(patrol_template_from_json(bad), std::invalid_argument);
  bad = doc;
  bad["type"] = "ticket";
  CHECK_THROWS_AS(patrol_template_from_json(bad), std::invalid_argument);
}

TEST_CASE("patrol: a round goes checkpoint by checkpoint, shows progress, and finishes once every one has a result") {
  PatrolRound r = started();
  RoundState s = derive_round(r);
  CHECK(s.status == RoundStatus::Walking);
  CHECK(s.total == 3);
  CHECK(s.checked == 0);
  CHECK(s.progress() == doctest::Approx(0.0));
  CHECK(s.next.area == 0);
  CHECK(s.next.checkpoint == 0);
  CHECK(checkpoint_at(r, s.next)->key == "lobby-door");

  take(r, result("e1", kMorning + kMinute, "lobby-door", CheckResult::Pass));
  s = derive_round(r);
  CHECK(s.checked == 1);
  CHECK(checkpoint_at(r, s.next)->key == "lobby-hall");

  // Finishing with checkpoints left is refused: "not accessible" is how a skipped checkpoint is recorded.
  CHECK(append_event(r, "王管家", event(RoundEventKind::Finish, "f0", kMorning + 2 * kMinute)) ==
        RoundRefusal::CheckpointsLeft);

  // Out of route order is fine: the garage was open first.
  RoundEvent locked = result("e2", kMorning + 3 * kMinute, "garage-b1", CheckResult::NotAccessible);
  locked.note = "卷帘门未开";
  take(r, locked);
  s = derive_round(r);
  CHECK(checkpoint_at(r, s.next)->key == "lobby-hall");
  CHECK(s.progress() == doctest::Approx(2.0 / 3));

  CHECK(append_event(r, "王管家", result("e3", kMorning + 4 * kMinute, "lobby-hall", CheckResult::Finding)) ==
        RoundRefusal::FindingNeedsTicket);
  CHECK(append_event(r, "王管家", result("e3", kMorning + 4 * kMinute, "nowhere", CheckResult::Pass)) ==
        RoundRefusal::UnknownCheckpoint);
  take(r, result("e3", kMorning + 4 * kMinute, "lobby-hall", CheckResult::Finding, "ticket:f1"));
  s = derive_round(r);
  CHECK(s.checked == 3);
  CHECK_FALSE(s.next.valid());
  CHECK(s.passed == 1);
  CHECK(s.findings == 1);
  CHECK(s.not_accessible == 1);
  CHECK(s.tickets == std::vector<std::string>{"ticket:f1"});
  REQUIRE(s.results[1][0].has_value());
  CHECK(s.results[1][0]->note == "卷帘门未开");

  take(r, event(RoundEventKind::Finish, "f1", kMorning + 5 * kMinute));
  s = derive_round(r);
  CHECK(s.status == RoundStatus::Finished);
  CHECK(s.finished_ms == kMorning + 5 * kMinute);
  CHECK(append_event(r, "王管家", result("e4", kMorning + 6 * kMinute, "lobby-door", CheckResult::Pass)) ==
        RoundRefusal::Finished);
  CHECK(append_event(r, "王管家", event(RoundEventKind::Finish, "f1", kMorning + 6 * kMinute)) ==
        RoundRefusal::DuplicateEventId);
}

TEST_CASE("patrol: pause and resume; the walking time leaves the pause out") {
  PatrolRound r = started();
  take(r, result("e1", kMorning + 2 * kMinute, "lobby-door", CheckResult::Pass));
  take(r, event(RoundEventKind::Pause, "p1", kMorning + 10 * kMinute));
  RoundState s = derive_round(r);
  CHECK(s.status == RoundStatus::Paused);
  CHECK(s.walking_ms == 10 * kMinute);
  CHECK(append_event(r, "王管家", result("e2", kMorning + 20 * kMinute, "lobby-hall", CheckResult::Pass)) ==
        RoundRefusal::Paused);
  CHECK(append_event(r, "王管家", event(RoundEventKind::Pause, "p2", kMorning + 20 * kMinute)) ==
        RoundRefusal::AlreadyPaused);

  take(r, event(RoundEventKind::Resume, "u1", kMorning + 60 * kMinute));
  CHECK(append_event(r, "王管家", event(RoundEventKind::Resume, "u2", kMorning + 61 * kMinute)) ==
        RoundRefusal::NotPaused);
  take(r, result("e2", kMorning + 65 * kMinute, "lobby-hall", CheckResult::Pass));
  take(r, result("e3", kMorning + 70 * kMinute, "garage-b1", CheckResult::Pass));
  take(r, event(RoundEventKind::Finish, "f1", kMorning + 72 * kMinute));
  s = derive_round(r);
  CHECK(s.status == RoundStatus::Finished);
  CHECK(s.walking_ms == 10 * kMinute + 12 * kMinute);
}

TEST_CASE("patrol: a corrected result replaces the earlier one; a tablet clock running behind still orders after") {
  PatrolRound r = started();
  take(r, result("e1", kMorning + 5 * kMinute, "lobby-door", CheckResult::Pass));
  // This tablet's clock says earlier than the last event: the event is moved after it.
  take(r, result("e2", kMorning + kMinute, "lobby-door", CheckResult::Finding, "ticket:f1"));
  CHECK(r.events.back().at_ms == kMorning + 5 * kMinute + 1);
  const RoundState s = derive_round(r);
  CHECK(s.checked == 1);
  REQUIRE(s.results[0][0].has_value());
  CHECK(s.results[0][0]->result == CheckResult::Finding);
  CHECK(s.findings == 1);
  CHECK(s.passed == 0);
}

TEST_CASE("patrol: a round document survives a reload mid-round with the same state") {
  PatrolRound r = started();
  take(r, result("e1", kMorning + kMinute, "lobby-door", CheckResult::Pass));
  take(r, event(RoundEventKind::Pause, "p1", kMorning + 2 * kMinute));
  const json doc = to_json(r);
  CHECK(is_patrol_round_doc(doc));
  const PatrolRound back = patrol_round_from_json(doc);
  CHECK(back.started_ms == kMorning);
  CHECK(back.patroller == "王管家");
  CHECK(back.template_name == "夜间巡查");
  const RoundState a = derive_round(r), b = derive_round(back);
  CHECK(b.status == RoundStatus::Paused);
  CHECK(b.checked == a.checked);
  CHECK(b.walking_ms == a.walking_ms);
  CHECK(to_json(back) == doc);
  // Events are an append-only list of objects with ids: the merge unions them (sync/merge.hpp).
  for (const json& e : doc["events"]) CHECK(e["id"].is_string());
}

TEST_CASE("patrol: the round keeps its route when the template changes") {
  PatrolTemplate t = small_template();
  PatrolRound r = start_round(t, "patrol_round:r1", "王管家", kMorning, "s");
  t.areas.pop_back();
  CHECK(derive_round(r).total == 3);
}

TEST_CASE("patrol: malformed round documents are refused, unknown events kept") {
  PatrolRound r = started();
  take(r, result("e1", kMorning + kMinute, "lobby-door", CheckResult::Pass));
  const json doc = to_json(r);

  json bad = doc;
  bad["events"] = json::array();
  CHECK_THROWS_AS(patrol_round_from_json(bad), std::invalid_argument);  // no start
  bad = doc;
  bad["events"].push_back(doc["events"][0]);
  CHECK_THROWS_AS(patrol_round_from_json(bad), std::invalid_argument);  // duplicate id
  bad = doc;
  bad["patroller"] = "李管家";
  CHECK_THROWS_AS(patrol_round_from_json(bad), std::invalid_argument);  // not the starter
  bad = doc;
  bad["events"][1]["result"] = "maybe";
  CHECK_THROWS_AS(patrol_round_from_json(bad), std::invalid_argument);
  bad = doc;
  bad["events"][1]["at"] = "soon";
  CHECK_THROWS_AS(patrol_round_from_json(bad), std::invalid_argument);
  bad = doc;
  bad["route"] = nullptr;
  CHECK_THROWS_AS(patrol_round_from_json(bad), std::invalid_argument);

  // A later version's event kind and extra keys survive a rewrite and change nothing here.
  json later = doc;
  later["events"].push_back({{"id", "x1"}, {"at", kMorning + 2 * kMinute}, {"by", "王管家"}, {"what", "handover"},
                             {"to", "李管家"}});
  const PatrolRound back = patrol_round_from_json(later);
  CHECK(derive_round(back).checked == 1);
  CHECK(derive_round(back).superseded.empty());
  const json again = to_json(back);
  CHECK(again["events"][2]["what"] == "handover");
  CHECK(again["events"][2]["to"] == "李管家");
}

TEST_CASE("patrol: concurrent events on two tablets converge whichever way round they merge") {
  PatrolRound base = started();
  take(base, result("e1", kMorning + kMinute, "lobby-door", CheckResult::Pass));

  // Tablet A finishes the route and the round; tablet B, offline with an older copy, pauses and corrects.
  PatrolRound a = base, b = base;
  take(a, result("a1", kMorning + 3 * kMinute, "lobby-hall", CheckResult::Pass));
  take(a, result("a2", kMorning + 4 * kMinute, "garage-b1", CheckResult::Pass));
  take(a, event(RoundEventKind::Finish, "a3", kMorning + 5 * kMinute));
  take(b, result("b1", kMorning + 2 * kMinute, "lobby-door", CheckResult::Finding, "ticket:f9"), "李管家");
  take(b, event(RoundEventKind::Pause, "b2", kMorning + 6 * kMinute), "李管家");

  // What the merge does to the events list: the union by id, in any order.
  auto union_of = [](const PatrolRound& x, const PatrolRound& y) {
    PatrolRound m = x;
    for (const RoundEvent& e : y.events)
      if (std::none_of(m.events.begin(), m.events.end(), [&](const RoundEvent& k) { return k.id == e.id; }))
        m.events.push_back(e);
    return m;
  };
  const RoundState ab = derive_round(union_of(a, b)), ba = derive_round(union_of(b, a));
  CHECK(ab.status == RoundStatus::Finished);
  CHECK(ba.status == RoundStatus::Finished);
  CHECK(ab.findings == 1);
  CHECK(ba.findings == 1);
  CHECK(ab.tickets == ba.tickets);
  // The pause came after the finish: kept in the list, without effect.
  CHECK(ab.superseded == std::vector<std::string>{"b2"});
  CHECK(ba.superseded == ab.superseded);
  CHECK(to_json(union_of(a, b))["events"] == to_json(union_of(b, a))["events"]);
}

TEST_CASE("patrol: unfinished rounds are the patroller's to resume, newest first") {
  PatrolRound old = started();
  PatrolRound newer = start_round(small_template(), "patrol_round:r2", "王管家", kMorning + 60 * kMinute, "s2");
  PatrolRound other = start_round(small_template(), "patrol_round:r3", "李管家", kMorning + 90 * kMinute, "s3");
  PatrolRound done = start_round(small_template(), "patrol_round:r4", "王管家", kMorning + 120 * kMinute, "s4");
  for (const char* key : {"lobby-door", "lobby-hall", "garage-b1"})
    take(done, result(std::string("d-") + key, kMorning + 121 * kMinute, key, CheckResult::Pass));
  take(done, event(RoundEventKind::Finish, "d-f", kMorning + 130 * kMinute));
  const std::vector<PatrolRound> rounds = {old, newer, other, done};
  const auto mine = unfinished_rounds(rounds, "王管家");
  REQUIRE(mine.size() == 2);
  CHECK(mine[0]->id == "patrol_round:r2");
  CHECK(mine[1]->id == "patrol_round:r1");
}

TEST_CASE("patrol: start_round refuses an invalid template or no patroller") {
  PatrolTemplate t = small_template();
  CHECK_THROWS_AS(start_round(t, "patrol_round:x", " ", kMorning, "s"), std::invalid_argument);
  t.areas.clear();
  CHECK_THROWS_AS(start_round(t, "patrol_round:x", "王管家", kMorning, "s"), std::invalid_argument);
}

TEST_CASE("patrol: a finding opens a patrol-finding ticket located at the checkpoint and linked to the round") {
  PatrolRound r = started();
  FindingDraft f;
  f.category = "消防";
  f.description = "B1 车库消防通道堆放纸箱";
  f.photos = {"photo-1.jpg"};
  const TicketDraft d = finding_ticket_draft(r, "garage-b1", f);
  CHECK(validate(d, kMorning).empty());
  const Ticket t = make_ticket(d, "ticket:f1", r.site, ticket_test::kButler, kMorning + kMinute, "c1", {});
  CHECK(t.type == TicketType::PatrolFinding);
  CHECK(t.place == "地下车库 B1 车库");
  CHECK(t.patrol_round == "patrol_round:r1");
  CHECK(t.photos == std::vector<std::string>{"photo-1.jpg"});
  CHECK(t.owner == "王管家");
  take(r, result("e1", kMorning + kMinute, "garage-b1", CheckResult::Finding, t.id));
  CHECK(derive_round(r).tickets == std::vector<std::string>{"ticket:f1"});

  // The finding still needs what a ticket needs.
  FindingDraft empty;
  CHECK_FALSE(validate(finding_ticket_draft(r, "garage-b1", empty), kMorning).empty());
  CHECK_THROWS_AS(finding_ticket_draft(r, "nowhere", f), std::invalid_argument);
}

TEST_CASE("patrol: a finished round is reviewed once; reviews made on two tablets offline keep the first") {
  PatrolRound r = started();
  CHECK(append_event(r, "周主管", event(RoundEventKind::Review, "v0", kMorning + kMinute)) ==
        RoundRefusal::NotFinished);
  for (const char* key : {"lobby-door", "lobby-hall", "garage-b1"})
    take(r, result(std::string("e-") + key, kMorning + 2 * kMinute, key, CheckResult::Pass));
  take(r, event(RoundEventKind::Finish, "f1", kMorning + 10 * kMinute));
  CHECK(derive_round(r).reviewed_by.empty());

  PatrolRound a = r, b = r;
  take(a, event(RoundEventKind::Review, "va", kMorning + 7 * 24 * 60 * kMinute), "周主管");
  take(b, event(RoundEventKind::Review, "vb", kMorning + 7 * 24 * 60 * kMinute + kMinute), "吴主管");
  RoundState s = derive_round(a);
  CHECK(s.reviewed_by == "周主管");
  CHECK(s.reviewed_ms == kMorning + 7 * 24 * 60 * kMinute);
  CHECK(append_event(a, "周主管", event(RoundEventKind::Review, "va2", kMorning + 8 * 24 * 60 * kMinute)) ==
        RoundRefusal::AlreadyReviewed);

  // Merged either way: the earlier review counts, the other is kept without effect; the round stays finished.
  PatrolRound merged = a;
  merged.events.push_back(b.events.back());
  s = derive_round(merged);
  CHECK(s.status == RoundStatus::Finished);
  CHECK(s.reviewed_by == "周主管");
  CHECK(s.superseded == std::vector<std::string>{"vb"});

  // The review survives the document, and a version that does not know it reads the round as before.
  const json doc = to_json(merged);
  CHECK(derive_round(patrol_round_from_json(doc)).reviewed_by == "周主管");
  json older = doc;
  for (json& e : older["events"])
    if (e["what"] == "review") e["what"] = "reviewed-by-a-later-version";
  const RoundState old_view = derive_round(patrol_round_from_json(older));
  CHECK(old_view.status == RoundStatus::Finished);
  CHECK(old_view.reviewed_by.empty());
}

TEST_CASE("patrol: the rounds of a week are those started in it, oldest first") {
  const int64_t week = 7 * 24 * 60 * kMinute;
  PatrolRound before = start_round(small_template(), "patrol_round:r0", "王管家", kMorning - kMinute, "s0");
  PatrolRound second = start_round(small_template(), "patrol_round:r2", "李管家", kMorning + 3 * kMinute, "s2");
  PatrolRound first = started();
  PatrolRound next_week = start_round(small_template(), "patrol_round:r3", "王管家", kMorning + week, "s3");
  const std::vector<PatrolRound> rounds = {before, second, first, next_week};
  const auto in_week = rounds_started_between(rounds, kMorning, kMorning + week);
  REQUIRE(in_week.size() == 2);
  CHECK(in_week[0]->id == "patrol_round:r1");
  CHECK(in_week[1]->id == "patrol_round:r2");
}
