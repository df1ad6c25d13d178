#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "sync/merge.hpp"

using namespace steward::sync;
using nlohmann::json;

namespace {

// A leaf made by an edit on a tablet: `after` stamped against `before` and given the revision next_rev makes.
LeafDoc edit(const RevId& parent, const json& before, json after, const Hlc& stamp) {
  stamp_changes(before, after, stamp);
  return LeafDoc{next_rev(parent, after, false), after};
}

json timeline_entry(const std::string& id, int64_t at, const std::string& text) {
  return {{"id", id}, {"at", at}, {"text", text}};
}

// A ticket created on tablet "a", then replicated: the common ancestor of the conflicts below.
struct Base {
  HlcClock clock_a{"tablet-a"};
  HlcClock clock_b{"tablet-b"};
  HlcClock clock_c{"tablet-c"};
  json body;
  RevId rev;
  Base() {
    body = {{"type", "ticket"},
            {"status", "open"},
            {"notes", ""},
            {"timeline", json::array({timeline_entry("e1", 1000, "opened")})}};
    stamp_changes(nullptr, body, clock_a.now(1000));
    rev = next_rev(std::nullopt, body, false);
  }
};

}  // namespace

TEST_CASE("HLC text form: fixed width, sorts like the stamp, parses back") {
  const Hlc stamp{1732345678901, 7, "tablet-a"};
  CHECK(stamp.str() == "0001732345678901-0007-tablet-a");
  CHECK(Hlc::parse(stamp.str()) == stamp);
  CHECK(Hlc::parse("0000000000000000-0000-x") == Hlc{0, 0, "x"});
  CHECK(Hlc::parse("9999999999999999-9999-node-with-dashes") == Hlc{9999999999999999, 9999, "node-with-dashes"});

  // Text order is stamp order: milliseconds, then counter, then node.
  std::vector<Hlc> stamps = {{2, 0, "a"}, {1, 9999, "z"}, {1, 10, "a"}, {1, 9, "b"},
                             {1, 9, "a"}, {100000, 0, "a"}, {0, 0, "b"}};
  std::vector<std::string> texts;
  for (const Hlc& s : stamps) texts.push_back(s.str());
  std::sort(stamps.begin(), stamps.end());
  std::sort(texts.begin(), texts.end());
  for (size_t i = 0; i < stamps.size(); ++i) CHECK(texts[i] == stamps[i].str());

  for (const char* bad : {"", "0001732345678901-0007-", "0001732345678901-0007", "001732345678901-0007-a",
                          "00001732345678901-0007-a", "0001732345678901-007-a", "0001732345678901-00007-a",
                          "0001732345678901_0007-a", "0001732345678901-0007_a", "+001732345678901-0007-a",
                          "-001732345678901-0007-a", "0001732345678901-+007-a", "000173234567890x-0007-a",
                          "0001732345678901-0007-a b", "0001732345678901-0007-a\n"}) {
    CAPTURE(bad);
    CHECK_FALSE(Hlc::parse(bad));
  }
}

TEST_CASE("HLC clock is monotonic") {
  HlcClock clock("tablet-a");
  const Hlc first = clock.now(5000);
  CHECK(first == Hlc{5000, 0, "tablet-a"});

  SUBCASE("within one millisecond, and when the wall clock goes backwards") {
    const Hlc same_ms = clock.now(5000);
    CHECK(same_ms > first);
    const Hlc backwards = clock.now(4000);  // clock set back
    CHECK(backwards > same_ms);
    CHECK(backwards.ms == 5000);
    CHECK(clock.now(6000) == Hlc{6000, 0, "tablet-a"});  // wall time catching up takes over again
  }
  SUBCASE("after a stamp from a replica whose clock runs ahead") {
    const Hlc future{9'000'000, 3, "tablet-z"};  // a greater node, too
    clock.observe(future);
    const Hlc next = clock.now(5001);
    CHECK(next > future);
    CHECK(next == Hlc{9'000'000, 4, "tablet-a"});
    clock.observe(Hlc{10, 0, "tablet-b"});  // an old stamp changes nothing
    CHECK(clock.now(5002) > next);
  }
  SUBCASE("a full counter borrows the next millisecond, keeping the fixed width") {
    clock.observe(Hlc{5000, 9999, "tablet-b"});
    const Hlc next = clock.now(5000);
    CHECK(next == Hlc{5001, 0, "tablet-a"});
    CHECK(next.str().size() == first.str().size());
  }
  SUBCASE("a wall clock before 1970 still gives a valid stamp") {
    HlcClock broken("tablet-b");
    CHECK(Hlc::parse(broken.now(-5).str()));
  }
  SUBCASE("many stamps in a row, with a wall clock that jitters back and forth") {
    Hlc last = first;
    int out_of_order = 0;
    for (int i = 0; i < 20000; ++i) {  // past 9999 stamps in one millisecond, so the counter fills up
      const Hlc next = clock.now(5000 + (i % 7) - 3);
      if (!(next > last) || !(next.str() > last.str()) || Hlc::parse(next.str()) != next) ++out_of_order;
      last = next;
    }
    CHECK(out_of_order == 0);
  }
}

TEST_CASE("merge: stamp_changes stamps only changed fields") {
  const Hlc first{1000, 0, "tablet-a"};
  const Hlc second{2000, 0, "tablet-a"};

  json created = {{"type", "ticket"}, {"status", "open"}, {"_id", "ticket:1"}};
  stamp_changes(nullptr, created, first);
  CHECK(created["stamps"] == json{{"type", first.str()}, {"status", first.str()}});  // no _id stamp

  json edited = created;
  edited["status"] = "closed";
  edited["assignee"] = "李四";
  edited["merged_from"] = json::array({"2-x"});
  edited["_rev"] = "1-0123456789abcdef0123456789abcdef";
  stamp_changes(created, edited, second);
  CHECK(edited["stamps"] == json{{"type", first.str()}, {"status", second.str()}, {"assignee", second.str()}});
  CHECK_FALSE(edited.contains("merged_from"));

  SUBCASE("a removed field becomes a stamped null") {
    json removed = edited;
    removed.erase("assignee");
    stamp_changes(edited, removed, Hlc{3000, 0, "tablet-a"});
    CHECK(removed["assignee"].is_null());
    CHECK(removed["stamps"]["assignee"] == "0000000000003000-0000-tablet-a");
    CHECK(removed["stamps"]["status"] == second.str());
  }
  SUBCASE("stamps carry over when the edited copy was built without them") {
    json rebuilt = {{"type", "ticket"}, {"status", "closed"}, {"assignee", "王五"}};
    stamp_changes(edited, rebuilt, Hlc{3000, 0, "tablet-a"});
    CHECK(rebuilt["stamps"]["type"] == first.str());
    CHECK(rebuilt["stamps"]["status"] == second.str());
    CHECK(rebuilt["stamps"]["assignee"] == "0000000000003000-0000-tablet-a");
  }
  SUBCASE("no change, no new stamp") {
    json same = edited;
    stamp_changes(edited, same, Hlc{3000, 0, "tablet-a"});
    CHECK(same == edited);
  }
}

TEST_CASE("merge: concurrent edits to different fields are both kept") {
  Base base;
  json on_a = base.body;
  on_a["status"] = "closed";
  json on_b = base.body;
  on_b["notes"] = "called back";
  const LeafDoc a = edit(base.rev, base.body, on_a, base.clock_a.now(2000));
  const LeafDoc b = edit(base.rev, base.body, on_b, base.clock_b.now(1500));

  LeafDoc a_merged_before = a;  // a leaf that was itself a merge: only the direct leaves are listed
  a_merged_before.body["merged_from"] = json::array({"1-0123456789abcdef0123456789abcdef"});
  a_merged_before.body["_id"] = "ticket:1";
  const json merged = merge_leaves({a_merged_before, b});
  CHECK_FALSE(merged.contains("_id"));
  CHECK(merged["status"] == "closed");
  CHECK(merged["notes"] == "called back");
  CHECK(merged["type"] == "ticket");
  CHECK(merged["stamps"]["status"] == a.body["stamps"]["status"]);
  CHECK(merged["stamps"]["notes"] == b.body["stamps"]["notes"]);
  CHECK(merged["stamps"]["type"] == base.body["stamps"]["type"]);
  std::vector<std::string> from = {a.rev.str(), b.rev.str()};
  std::sort(from.begin(), from.end());  // same generation: revision order is string order
  CHECK(merged["merged_from"] == json(from));
}

TEST_CASE("merge: the same field edited on both sides, the later stamp wins") {
  Base base;
  json on_a = base.body;
  on_a["status"] = "closed";
  json on_b = base.body;
  on_b["status"] = "waiting";
  LeafDoc a = edit(base.rev, base.body, on_a, base.clock_a.now(2000));
  LeafDoc b = edit(base.rev, base.body, on_b, base.clock_b.now(3000));
  CHECK(merge_leaves({a, b})["status"] == "waiting");

  SUBCASE("whatever the revision order: a later edit on a shorter branch still wins") {
    json again = on_a;
    again["notes"] = "x";
    const LeafDoc a2 = edit(a.rev, a.body, again, base.clock_a.now(2500));  // generation 3, older status stamp
    const json merged = merge_leaves({a2, b});
    CHECK(merged["status"] == "waiting");
    CHECK(merged["notes"] == "x");
  }
  SUBCASE("a stamped value beats an unstamped one") {
    LeafDoc unstamped = a;
    unstamped.body["stamps"].erase("status");
    unstamped.rev.generation = 9;  // even from a greater revision
    CHECK(merge_leaves({unstamped, b})["status"] == "waiting");
    b.body["stamps"]["status"] = "garbage";  // an unreadable stamp counts as none
    CHECK(merge_leaves({unstamped, b})["status"] == "closed");
  }
  SUBCASE("equal stamps: CouchDB's revision order decides") {
    b.body["stamps"]["status"] = a.body["stamps"]["status"];
    const json merged = merge_leaves({a, b});
    const bool a_wins = a.rev.hash > b.rev.hash;
    CHECK(merged["status"] == (a_wins ? "closed" : "waiting"));
  }
  SUBCASE("a stamped deletion beats an older value") {
    json removed = base.body;
    removed.erase("notes");
    const LeafDoc deleter = edit(base.rev, base.body, removed, base.clock_a.now(4000));
    json on_c = base.body;
    on_c["notes"] = "older";
    const LeafDoc older = edit(base.rev, base.body, on_c, base.clock_c.now(3500));
    const json merged = merge_leaves({deleter, older});
    REQUIRE(merged.contains("notes"));
    CHECK(merged["notes"].is_null());
    CHECK(merged["stamps"]["notes"] == deleter.body["stamps"]["notes"]);
  }
  SUBCASE("a field missing and unstamped on one side loses") {
    LeafDoc without = a;
    without.body.erase("notes");
    without.body["stamps"].erase("notes");
    without.rev.generation = 9;
    b.body["stamps"].erase("notes");
    CHECK(merge_leaves({without, b})["notes"] == "");
  }
}

TEST_CASE("merge: append-only lists are merged by entry id") {
  Base base;
  json on_a = base.body;
  on_a["timeline"].push_back(timeline_entry("a1", 2000, "called the customer"));
  on_a["timeline"].push_back(timeline_entry("a2", 4000, "parts ordered"));
  json on_b = base.body;
  on_b["timeline"].push_back(timeline_entry("b1", 3000, "visited on site"));
  on_b["timeline"][0]["text"] = "opened (by phone)";  // a correction to a shared entry: the later list edit wins
  const LeafDoc a = edit(base.rev, base.body, on_a, base.clock_a.now(4000));
  const LeafDoc b = edit(base.rev, base.body, on_b, base.clock_b.now(5000));

  const json merged = merge_leaves({a, b});
  const json& timeline = merged["timeline"];
  REQUIRE(timeline.size() == 4);  // none lost, none twice
  std::vector<std::string> ids;
  for (const json& entry : timeline) ids.push_back(entry["id"]);
  CHECK(ids == std::vector<std::string>{"e1", "a1", "b1", "a2"});  // by "at"
  CHECK(timeline[0]["text"] == "opened (by phone)");
  CHECK(merged["stamps"]["timeline"] == b.body["stamps"]["timeline"]);

  SUBCASE("ordering: by at (numbers, or strings), then id; entries without at first") {
    LeafDoc x{RevId{2, std::string(32, 'a')}, {{"log", json::array({{{"id", "z"}}, {{"id", "b"}, {"at", 5}}})}}};
    LeafDoc y{RevId{2, std::string(32, 'b')},
              {{"log", json::array({{{"id", "a"}, {"at", 5.0}}, {{"id", "c"}, {"at", 1}}, {{"id", "y"}}})}}};
    const json log = merge_leaves({x, y})["log"];
    std::vector<std::string> order;
    for (const json& entry : log) order.push_back(entry["id"]);
    CHECK(order == std::vector<std::string>{"y", "z", "c", "a", "b"});

    LeafDoc s{RevId{2, std::string(32, 'c')},
              {{"log", json::array({{{"id", "2"}, {"at", "2024-05-02T10:00"}}, {{"id", "1"}, {"at", "2024-05-01T09:00"}}})}}};
    LeafDoc t{RevId{2, std::string(32, 'd')}, {{"log", json::array({{{"id", "3"}, {"at", "2024-05-01T12:00"}}})}}};
    const json by_time_log = merge_leaves({s, t})["log"];
    std::vector<std::string> by_time;
    for (const json& entry : by_time_log) by_time.push_back(entry["id"]);
    CHECK(by_time == std::vector<std::string>{"1", "3", "2"});
  }
  SUBCASE("an array that is not a list of entries is one value") {
    LeafDoc x{RevId{2, std::string(32, 'a')}, {{"tags", json::array({"x"})}}};
    LeafDoc y{RevId{2, std::string(32, 'b')}, {{"tags", json::array({"y", "z"})}}};
    CHECK(merge_leaves({x, y})["tags"] == json::array({"y", "z"}));
    LeafDoc mixed{RevId{2, std::string(32, 'c')}, {{"log", json::array({{{"id", "a"}}})}}};
    LeafDoc other{RevId{2, std::string(32, 'd')}, {{"log", json::array({{{"id", "b"}}, 3})}}};
    CHECK(merge_leaves({mixed, other})["log"] == other.body["log"]);
  }
}

TEST_CASE("merge: the result depends only on the set of leaves") {
  Base base;
  json on_a = base.body;
  on_a["status"] = "closed";
  on_a["timeline"].push_back(timeline_entry("a1", 2000, "a"));
  json on_b = base.body;
  on_b["status"] = "waiting";
  on_b["notes"] = "b";
  on_b["timeline"].push_back(timeline_entry("b1", 2000, "b"));
  json on_c = base.body;
  on_c["notes"] = "c";
  on_c["priority"] = 2;
  on_c["timeline"].push_back(timeline_entry("c1", 1500, "c"));
  // Stamps that tie, so the revision order has to break them too.
  const Hlc same{7000, 0, "tablet-x"};
  std::vector<LeafDoc> leaves = {edit(base.rev, base.body, on_a, same), edit(base.rev, base.body, on_b, same),
                                 edit(base.rev, base.body, on_c, base.clock_c.now(6000))};
  const json expected = merge_leaves(leaves);
  CHECK(expected["timeline"].size() == 4);
  CHECK(expected["priority"] == 2);
  CHECK(expected["merged_from"].size() == 3);

  std::sort(leaves.begin(), leaves.end(), [](const LeafDoc& x, const LeafDoc& y) { return x.rev.hash < y.rev.hash; });
  do {
    CHECK(merge_leaves(leaves) == expected);
  } while (std::next_permutation(leaves.begin(), leaves.end(),
                                 [](const LeafDoc& x, const LeafDoc& y) { return x.rev.hash < y.rev.hash; }));
  std::vector<LeafDoc> repeated = leaves;
  repeated.push_back(leaves[1]);  // the same leaf twice is still the same set
  std::mt19937 shuffle_seed(42);
  std::shuffle(repeated.begin(), repeated.end(), shuffle_seed);
  CHECK(merge_leaves(repeated) == expected);
}

namespace {

RevPath path_of(const std::vector<RevId>& newest_first) {
  RevPath path;
  path.start = newest_first.front().generation;
  for (const RevId& rev : newest_first) path.ids.push_back(rev.hash);
  return path;
}

void check_same(const Resolution& x, const Resolution& y) {
  CHECK(x.parent == y.parent);
  CHECK(x.merged_rev == y.merged_rev);
  CHECK(x.merged == y.merged);
  CHECK(x.losers == y.losers);
  CHECK(x.tombstones == y.tombstones);
}

// Writes a resolution into a replica's tree as the store would.
void apply(RevTree& tree, const Resolution& r) {
  REQUIRE(tree.add_child(r.parent, r.merged_rev, false));
  for (size_t i = 0; i < r.losers.size(); ++i) REQUIRE(tree.add_child(r.losers[i], r.tombstones[i], true));
}

}  // namespace

TEST_CASE("merge: resolve_conflict, two replicas resolve the same conflict identically") {
  Base base;
  json on_a = base.body;
  on_a["status"] = "closed";
  on_a["timeline"].push_back(timeline_entry("a1", 2000, "fixed"));
  json on_b = base.body;
  on_b["notes"] = "customer away until Monday";
  on_b["timeline"].push_back(timeline_entry("b1", 2500, "no answer"));
  const LeafDoc a = edit(base.rev, base.body, on_a, base.clock_a.now(2000));
  const LeafDoc b = edit(base.rev, base.body, on_b, base.clock_b.now(2500));

  // Each tablet learned the revisions in a different order.
  RevTree on_tablet_a, on_tablet_b;
  on_tablet_a.merge(path_of({a.rev, base.rev}), false);
  on_tablet_a.merge(path_of({b.rev, base.rev}), false);
  on_tablet_b.merge(path_of({b.rev, base.rev}), false);
  on_tablet_b.merge(path_of({a.rev, base.rev}), false);

  const auto ra = resolve_conflict(on_tablet_a, {a, b});
  const auto rb = resolve_conflict(on_tablet_b, {b, a});
  REQUIRE(ra);
  REQUIRE(rb);
  check_same(*ra, *rb);

  CHECK(ra->parent == on_tablet_a.winner()->rev);
  CHECK(ra->merged_rev == next_rev(ra->parent, ra->merged, false));
  REQUIRE(ra->losers.size() == 1);
  CHECK(ra->losers[0] == (ra->parent == a.rev ? b.rev : a.rev));
  CHECK(ra->tombstones[0] == next_rev(ra->losers[0], json::object(), true));
  CHECK(ra->merged["status"] == "closed");
  CHECK(ra->merged["notes"] == "customer away until Monday");
  CHECK(ra->merged["timeline"].size() == 3);

  // Both write it; once they replicate, each holds the other's revisions already and no conflict remains.
  apply(on_tablet_a, *ra);
  apply(on_tablet_b, *rb);
  CHECK(on_tablet_a == on_tablet_b);
  CHECK(on_tablet_a.conflicts().empty());
  CHECK(on_tablet_a.winner()->rev == ra->merged_rev);
  CHECK_FALSE(resolve_conflict(on_tablet_a, {}));
}

TEST_CASE("merge: resolve_conflict, a 3-way conflict, with a deleted leaf left alone") {
  Base base;
  json on_a = base.body;
  on_a["status"] = "closed";
  json on_b = base.body;
  on_b["status"] = "waiting";
  on_b["timeline"].push_back(timeline_entry("b1", 2000, "b"));
  json on_c = base.body;
  on_c["notes"] = "c";
  on_c["timeline"].push_back(timeline_entry("c1", 2100, "c"));
  const LeafDoc a = edit(base.rev, base.body, on_a, base.clock_a.now(3000));
  const LeafDoc b = edit(base.rev, base.body, on_b, base.clock_b.now(2000));
  const LeafDoc c = edit(base.rev, base.body, on_c, base.clock_c.now(2100));
  const LeafDoc c2 = edit(c.rev, c.body, c.body, base.clock_c.now(2200));  // c's branch is one edit longer
  const RevId deleted_branch = next_rev(base.rev, json::object(), true);

  RevTree tree;
  for (const LeafDoc* leaf : {&a, &b}) tree.merge(path_of({leaf->rev, base.rev}), false);
  tree.merge(path_of({c2.rev, c.rev, base.rev}), false);
  tree.merge(path_of({deleted_branch, base.rev}), true);

  const auto r = resolve_conflict(tree, {a, b, c2});
  REQUIRE(r);
  CHECK(r->parent == c2.rev);  // the highest generation
  CHECK(r->merged_rev.generation == 4);
  REQUIRE(r->losers.size() == 2);
  CHECK(r->losers[0].hash > r->losers[1].hash);  // winner order
  CHECK(r->merged["status"] == "closed");        // a's stamp is the latest
  CHECK(r->merged["notes"] == "c");
  CHECK(r->merged["timeline"].size() == 3);
  CHECK(r->merged["merged_from"] == json::array({std::min(a.rev.str(), b.rev.str()),
                                                 std::max(a.rev.str(), b.rev.str()), c2.rev.str()}));

  RevTree other;  // another replica, which learned the branches in the opposite order
  other.merge(path_of({deleted_branch, base.rev}), true);
  other.merge(path_of({c2.rev, c.rev, base.rev}), false);
  for (const LeafDoc* leaf : {&b, &a}) other.merge(path_of({leaf->rev, base.rev}), false);
  const auto r2 = resolve_conflict(other, {c2, b, a, c});  // a superseded body in the list changes nothing
  REQUIRE(r2);
  check_same(*r, *r2);

  apply(tree, *r);
  CHECK(tree.conflicts().empty());
  CHECK_THROWS_AS(resolve_conflict(other, {a, b}), std::invalid_argument);  // c2's body missing
}

TEST_CASE("merge: merge_detail says, per merged edit, who made it, when, and which disputed fields came from it") {
  Base base;
  json on_a = base.body;
  on_a["status"] = "closed";
  on_a["timeline"].push_back(timeline_entry("a1", 2000, "closed on site"));
  json on_b = base.body;
  on_b["notes"] = "called back";
  on_b["status"] = "waiting";
  const LeafDoc a = edit(base.rev, base.body, on_a, base.clock_a.now(2000));
  const LeafDoc b = edit(base.rev, base.body, on_b, base.clock_b.now(1500));
  const json merged = merge_leaves({a, b});
  REQUIRE(merged["merge_detail"].is_array());
  REQUIRE(merged["merge_detail"].size() == 2);
  std::map<std::string, json> by_rev;
  for (const json& e : merged["merge_detail"]) by_rev[e["rev"].get<std::string>()] = e;
  // The same order as merged_from.
  CHECK(merged["merge_detail"][0]["rev"] == merged["merged_from"][0]);
  const json& from_a = by_rev.at(a.rev.str());
  const json& from_b = by_rev.at(b.rev.str());
  CHECK(from_a["by"] == "tablet-a");
  CHECK(from_a["at"] == 2000);
  CHECK(from_b["by"] == "tablet-b");
  CHECK(from_b["at"] == 1500);
  // status: disputed, the later stamp (a) won; notes only b changed; the timeline got an entry only a had;
  // type nobody disputed.
  CHECK(from_a["fields"] == json::array({"status", "timeline"}));
  CHECK(from_b["fields"] == json::array({"notes"}));

  // The detail is part of the merged body, so it is the same on every replica (and so is the revision).
  CHECK(merge_leaves({b, a}) == merged);

  SUBCASE("the next edit supersedes the merge and its detail") {
    json edited = merged;
    edited["notes"] = "done";
    stamp_changes(merged, edited, Hlc{9000, 0, "tablet-c"});
    CHECK_FALSE(edited.contains("merge_detail"));
    CHECK_FALSE(edited["stamps"].contains("merge_detail"));
  }
  SUBCASE("leaves without stamps (another CouchDB client) are listed without who and when") {
    LeafDoc plain_a{a.rev, on_a}, plain_b{b.rev, on_b};
    plain_a.body.erase("stamps");
    plain_b.body.erase("stamps");
    const json unstamped = merge_leaves({plain_a, plain_b});
    for (const json& e : unstamped["merge_detail"]) {
      CHECK_FALSE(e.contains("by"));
      CHECK_FALSE(e.contains("at"));
    }
  }
}

TEST_CASE("merge: attachments from every leaf are kept, by name") {
  Base base;
  json on_a = base.body;
  on_a["status"] = "closed";
  on_a["_attachments"] = {{"leak.jpg", {{"content_type", "image/jpeg"}, {"data", "AAEC"}}}};
  json on_b = base.body;
  on_b["_attachments"] = {{"crack.jpg", {{"content_type", "image/jpeg"}, {"data", "AwQF"}}},
                          {"leak.jpg", {{"content_type", "image/jpeg"}, {"data", "BgcI"}}}};
  const LeafDoc a = edit(base.rev, base.body, on_a, base.clock_a.now(2000));
  const LeafDoc b = edit(base.rev, base.body, on_b, base.clock_b.now(1500));
  const json merged = merge_leaves({a, b});
  REQUIRE(merged.contains("_attachments"));
  CHECK(merged["_attachments"].size() == 2);
  CHECK(merged["_attachments"].contains("crack.jpg"));
  // The same name on both: the version of the leaf first in winner order.
  const bool a_first = b.rev.hash < a.rev.hash;
  CHECK(merged["_attachments"]["leak.jpg"]["data"] == (a_first ? "AAEC" : "BgcI"));
  CHECK(merge_leaves({b, a}) == merged);
  // b added a photo a lacks: its part says so.
  for (const json& e : merged["merge_detail"])
    if (e["rev"] == b.rev.str()) CHECK(std::find(e["fields"].begin(), e["fields"].end(), "_attachments") != e["fields"].end());
}
