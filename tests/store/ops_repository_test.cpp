// The operations repository: tickets with their photos, patrol templates and rounds kept in a DocStore, stamped
// so two tablets' edits merge, and brought up to date by what sync changed.
#include <doctest/doctest.h>

#include "../core/ticket_support.hpp"
#include "core/patrol.hpp"
#include "store/ops_repository.hpp"
#include "support.hpp"

using namespace steward;
using namespace steward::store;
using namespace ticket_test;  // kMorning, kMinute, repair_draft(), take(), step()
using steward::store::testing::TempDir;
using nlohmann::json;

namespace {

struct Tablet {
  TempDir dir;
  DocStore store = DocStore::open((dir.path() / "ops").string());
  sync::HlcClock clock{"tablet-a"};
  int64_t now = kMorning;
  OpsRepository repo{store, [this] { return clock.now(now); }};
};

core::PatrolRound demo_round(const std::string& id = "patrol_round:r1") {
  return core::start_round(core::demo_patrol_templates("demo")[0], id, "王管家", kMorning, id + ":start");
}

}  // namespace

TEST_CASE("ops repository: a ticket with photos is stored, stamped, and read back with its photos") {
  Tablet t;
  core::TicketDraft d = repair_draft();
  d.photos = {"photo-1.jpg"};
  core::Ticket ticket = core::make_ticket(d, "ticket:a1", "demo", kButler, kMorning, "c1", {});
  const core::Ticket& saved = t.repo.save_ticket(ticket, {{"photo-1.jpg", "image/jpeg", "/9j/AAEC"}});
  CHECK_FALSE(saved.rev.empty());
  CHECK(t.repo.tickets().size() == 1);

  const json doc = t.store.get("ticket:a1").value();
  CHECK(doc["stamps"].contains("timeline"));
  CHECK(doc["_attachments"]["photo-1.jpg"]["data"] == "/9j/AAEC");
  const auto photo = t.repo.photo("ticket:a1", "photo-1.jpg");
  REQUIRE(photo);
  CHECK(photo->base64 == "/9j/AAEC");
  CHECK(photo->content_type == "image/jpeg");
  CHECK_FALSE(t.repo.photo("ticket:a1", "photo-2.jpg"));
  CHECK_FALSE(t.repo.photo("ticket:none", "photo-1.jpg"));

  // A later step keeps the photo (the ticket type does not carry attachments) and stamps only the timeline.
  core::Ticket next = *t.repo.find_ticket("ticket:a1");
  take(next, kButler, dispatch(kMorning + kMinute, "d1", "工程部"));
  const std::string old_description_stamp = doc["stamps"]["description"];
  t.now += kMinute;
  t.repo.save_ticket(next);
  const json after = t.store.get("ticket:a1").value();
  CHECK(after["_attachments"].contains("photo-1.jpg"));
  CHECK(after["stamps"]["description"] == old_description_stamp);
  CHECK(after["stamps"]["timeline"] != doc["stamps"]["timeline"]);

  // Reopened (the tablet restarted): the same ticket and state.
  OpsRepository reopened(t.store);
  reopened.load();
  REQUIRE(reopened.find_ticket("ticket:a1"));
  CHECK(core::derive_state(*reopened.find_ticket("ticket:a1")).status == core::TicketStatus::Dispatched);
  CHECK(reopened.find_ticket("ticket:a1")->photos == std::vector<std::string>{"photo-1.jpg"});
}

TEST_CASE("ops repository: a photo the ticket does not name, or without data, is refused and nothing is written") {
  Tablet t;
  core::Ticket ticket = core::make_ticket(repair_draft(), "ticket:a1", "demo", kButler, kMorning, "c1", {});
  CHECK_THROWS_AS(t.repo.save_ticket(ticket, {{"stray.jpg", "image/jpeg", "/9j/AAEC"}}), std::invalid_argument);
  ticket.photos = {"p.jpg"};
  CHECK_THROWS_AS(t.repo.save_ticket(ticket, {{"p.jpg", "image/jpeg", ""}}), std::invalid_argument);
  CHECK(t.repo.tickets().empty());
  CHECK_FALSE(t.store.get("ticket:a1"));
}

TEST_CASE("ops repository: templates and rounds are kept apart from tickets and survive a reopen mid-round") {
  Tablet t;
  for (const core::PatrolTemplate& tpl : core::demo_patrol_templates("demo")) t.repo.save_template(tpl);
  core::PatrolRound round = demo_round();
  core::RoundEvent pass;
  pass.id = "e1";
  pass.at_ms = kMorning + kMinute;
  pass.kind = core::RoundEventKind::Result;
  pass.checkpoint = round.route[0].checkpoints[0].key;
  REQUIRE_FALSE(core::append_event(round, "王管家", pass));
  t.repo.save_round(round);
  CHECK(t.repo.templates().size() == 2);
  CHECK(t.repo.rounds().size() == 1);
  CHECK(t.repo.tickets().empty());

  // A stored document of a kind the list cannot read is skipped, not fatal.
  t.store.put(json{{"_id", "ticket:broken"}, {"type", "ticket"}, {"site", "demo"}});

  OpsRepository reopened(t.store);
  reopened.load();
  CHECK(reopened.skipped_documents() == 1);
  CHECK(reopened.templates().size() == 2);
  REQUIRE(reopened.find_round("patrol_round:r1"));
  const core::RoundState s = core::derive_round(*reopened.find_round("patrol_round:r1"));
  CHECK(s.checked == 1);
  CHECK(s.status == core::RoundStatus::Walking);
  CHECK(core::unfinished_rounds(reopened.rounds(), "王管家").size() == 1);
}

TEST_CASE("ops repository: a route is deleted only from the revision the person saw; rounds keep their route") {
  Tablet t;
  for (const core::PatrolTemplate& tpl : core::demo_patrol_templates("demo")) t.repo.save_template(tpl);
  t.repo.save_round(demo_round());
  core::PatrolTemplate seen = *t.repo.find_template("patrol_template:demo-daily");
  core::PatrolTemplate renamed = seen;
  renamed.name = "日常巡查（新）";
  t.repo.save_template(renamed);  // another edit since the person looked
  CHECK_THROWS_AS(t.repo.delete_template(seen.id, seen.rev), StoreError);
  CHECK(t.repo.find_template(seen.id));

  const core::PatrolTemplate current = *t.repo.find_template(seen.id);
  t.repo.delete_template(current.id, current.rev);
  CHECK_FALSE(t.repo.find_template(seen.id));
  CHECK(t.repo.templates().size() == 1);
  CHECK_FALSE(t.store.get(seen.id));  // a tombstone, which syncs
  REQUIRE(t.store.rev_tree(seen.id));
  CHECK(t.store.rev_tree(seen.id)->winner()->deleted);
  CHECK(t.repo.rounds().size() == 1);

  OpsRepository reopened(t.store);
  reopened.load();
  CHECK_FALSE(reopened.find_template(seen.id));
  CHECK(reopened.rounds().size() == 1);
}

TEST_CASE("ops repository: what sync changed updates the lists; a deletion removes; other ids are ignored") {
  Tablet t;
  const uint64_t v0 = t.repo.version();
  core::Ticket ticket = core::make_ticket(repair_draft(), "ticket:b1", "demo", kOtherButler, kMorning, "c1", {});
  // As a pull stores it: written to the store behind the repository's back, announced with its winner.
  json doc = core::to_json(ticket);
  t.store.put(doc);
  t.repo.reload({{"ticket:b1", std::nullopt}, {"visit:x", std::nullopt}});
  CHECK(t.repo.version() > v0);
  REQUIRE(t.repo.find_ticket("ticket:b1"));
  CHECK(t.repo.find_ticket("ticket:b1")->owner == "李管家");

  const uint64_t v1 = t.repo.version();
  t.repo.reload({{"visit:x", std::nullopt}});
  CHECK(t.repo.version() == v1);  // nothing of ours changed: screens need not redraw

  json gone = t.store.get("ticket:b1").value();
  gone["_deleted"] = true;
  t.store.put(gone);
  t.repo.reload({{"ticket:b1", std::nullopt}});
  CHECK(t.repo.tickets().empty());
}

TEST_CASE("ops repository: a round edited on two tablets merges its events, and the route stays whole") {
  Tablet a;
  core::PatrolRound round = demo_round();
  a.repo.save_round(round);
  const json base = a.store.get("patrol_round:r1").value();

  // Tablet B has the same revision; each records a different checkpoint offline.
  sync::HlcClock clock_b{"tablet-b"};
  auto result_at = [&](core::PatrolRound r, const std::string& id, int checkpoint, int64_t at) {
    core::RoundEvent e;
    e.id = id;
    e.at_ms = at;
    e.kind = core::RoundEventKind::Result;
    e.checkpoint = r.route[0].checkpoints[checkpoint].key;
    REQUIRE_FALSE(core::append_event(r, "王管家", e));
    return r;
  };
  core::PatrolRound on_a = result_at(*a.repo.find_round("patrol_round:r1"), "ea", 0, kMorning + kMinute);
  a.now += kMinute;
  a.repo.save_round(on_a);
  json on_b = core::to_json(result_at(core::patrol_round_from_json(base), "eb", 1, kMorning + 2 * kMinute));
  on_b.erase("_rev");
  on_b["stamps"] = base["stamps"];
  sync::stamp_changes(base, on_b, clock_b.now(kMorning + 2 * kMinute));

  json leaf_a = a.store.get("patrol_round:r1").value();
  const sync::RevId rev_a = *sync::parse_rev(leaf_a["_rev"].get<std::string>());
  for (const char* k : {"_id", "_rev"}) leaf_a.erase(k);
  const sync::RevId rev_b = sync::next_rev(*sync::parse_rev(base["_rev"].get<std::string>()), on_b, false);
  json merged = sync::merge_leaves({{rev_a, leaf_a}, {rev_b, on_b}});
  merged["_id"] = "patrol_round:r1";
  const core::PatrolRound m = core::patrol_round_from_json(merged);
  CHECK(core::derive_round(m).checked == 2);
  // The route is a plain field (keys, not ids): not a list the merge unions, and the same on both.
  CHECK(m.route.size() == round.route.size());
  CHECK(core::to_json(m)["route"] == base["route"]);
}
