// Two tablets append concurrent steps to one ticket: sync merges the timelines, and the status derived from the
// merge is the same whichever leaf wins and in whichever order the leaves arrive. (Here rather than in the core
// suite because it needs steward_sync.)
#include <doctest/doctest.h>

#include "../core/ticket_support.hpp"
#include "core/ticket.hpp"
#include "sync/merge.hpp"

using namespace steward::core;
using namespace steward::sync;
using namespace ticket_test;  // kMorning, kMinute, repair_draft(), step(): the core suite's ticket helpers
using nlohmann::json;

namespace {

// A tablet's edit of `base`: the steps taken there, stamped and given its revision.
LeafDoc edit_on(const json& base_body, const RevId& base_rev, Ticket ticket, HlcClock& clock, int64_t at,
                const std::vector<std::pair<Actor, TimelineEntry>>& steps) {
  for (const auto& [actor, entry] : steps) REQUIRE_FALSE(append_step(ticket, actor, entry).has_value());
  json body = to_json(ticket);
  body.erase("_id");
  stamp_changes(base_body, body, clock.now(at));
  return LeafDoc{next_rev(base_rev, body, false), body};
}

TicketState state_of(const json& merged) {
  json doc = merged;
  doc["_id"] = "ticket:m1";
  return derive_state(ticket_from_json(doc));
}

}  // namespace

TEST_CASE("concurrent timeline steps merge to the same derived status either way round") {
  const Actor butler{"王管家", Role::Butler};
  const Actor supervisor{"周主管", Role::Supervisor};
  HlcClock clock_a{"tablet-a"}, clock_b{"tablet-b"};

  // Recorded, dispatched, started and done on tablet A; replicated to B.
  Ticket t = make_ticket(repair_draft(), "ticket:m1", "demo", butler, kMorning, "create-1", {});
  REQUIRE_FALSE(append_step(t, butler, [] {
    TimelineEntry e = step(StepKind::Dispatch, kMorning + kMinute, "dispatch-1");
    e.department = "工程部";
    return e;
  }()));
  REQUIRE_FALSE(append_step(t, butler, step(StepKind::Start, kMorning + 10 * kMinute, "start-1")));
  REQUIRE_FALSE(append_step(t, butler, step(StepKind::Done, kMorning + 40 * kMinute, "done-1")));
  json base = to_json(t);
  base.erase("_id");
  stamp_changes(nullptr, base, clock_a.now(kMorning + 40 * kMinute));
  const RevId base_rev = next_rev(std::nullopt, base, false);

  // Offline at the same time: the butler records the return visit on A; the supervisor, not knowing, closes it
  // without a visit on B a minute later.
  TimelineEntry visit = step(StepKind::ReturnVisit, kMorning + 2 * 60 * kMinute, "visit-a");
  visit.return_visit = ReturnVisit{"已修好", 5, "师傅很快"};
  const LeafDoc a = edit_on(base, base_rev, t, clock_a, kMorning + 2 * 60 * kMinute, {{butler, visit}});
  TimelineEntry close = step(StepKind::Close, kMorning + 2 * 60 * kMinute + kMinute, "close-b");
  close.text = "业主电话无人接听";
  const LeafDoc b = edit_on(base, base_rev, t, clock_b, kMorning + 2 * 60 * kMinute + kMinute, {{supervisor, close}});

  const json ab = merge_leaves({a, b});
  const json ba = merge_leaves({b, a});
  CHECK(ab == ba);
  REQUIRE(ab["timeline"].size() == 6);  // nothing lost: both tablets' steps are there

  const TicketState merged = state_of(ab);
  CHECK(merged.status == TicketStatus::Closed);
  REQUIRE(merged.return_visit);
  CHECK(merged.return_visit->satisfaction == 5);
  // The visit came first, so the close is an ordinary close after a return visit.
  CHECK(merged.closed_without_visit_reason.empty());
  CHECK(state_of(ba).status == merged.status);

  // Each side alone derived something else; the merge decides the same for both.
  CHECK(state_of(a.body).status == TicketStatus::ReturnVisited);
  CHECK(state_of(b.body).status == TicketStatus::Closed);
  CHECK(state_of(b.body).closed_without_visit_reason == "业主电话无人接听");
}

TEST_CASE("two concurrent return visits: the earlier one counts, the other is kept and superseded") {
  const Actor butler{"王管家", Role::Butler};
  const Actor supervisor{"周主管", Role::Supervisor};
  HlcClock clock_a{"tablet-a"}, clock_b{"tablet-b"};
  TicketDraft d = repair_draft();
  d.type = TicketType::Inquiry;
  d.priority = Priority::Normal;
  Ticket t = make_ticket(d, "ticket:m1", "demo", butler, kMorning, "create-1", {});
  REQUIRE_FALSE(append_step(t, butler, step(StepKind::Done, kMorning + kMinute, "done-1")));
  json base = to_json(t);
  base.erase("_id");
  stamp_changes(nullptr, base, clock_a.now(kMorning + kMinute));
  const RevId base_rev = next_rev(std::nullopt, base, false);

  TimelineEntry late = step(StepKind::ReturnVisit, kMorning + 30 * kMinute, "visit-late");
  late.return_visit = ReturnVisit{"已答复", 3, ""};
  TimelineEntry early = step(StepKind::ReturnVisit, kMorning + 20 * kMinute, "visit-early");
  early.return_visit = ReturnVisit{"已答复，满意", 4, ""};
  const LeafDoc a = edit_on(base, base_rev, t, clock_a, kMorning + 30 * kMinute, {{butler, late}});
  const LeafDoc b = edit_on(base, base_rev, t, clock_b, kMorning + 20 * kMinute, {{supervisor, early}});

  for (const json& merged : {merge_leaves({a, b}), merge_leaves({b, a})}) {
    const TicketState s = state_of(merged);
    CHECK(s.status == TicketStatus::ReturnVisited);
    REQUIRE(s.return_visit);
    CHECK(s.return_visit->satisfaction == 4);
    CHECK(s.superseded == std::vector<std::string>{"visit-late"});
  }
}
