// The store as a CouchDB replica: revisions received with their ancestry, conflicts and CouchDB's winner, edits on
// any leaf, the changes feed, and local (never replicated) documents.
#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <functional>

#include "store/doc_store.hpp"
#include "support.hpp"
#include "sync/revision.hpp"

using namespace steward::store;
using namespace steward::store::testing;
using steward::sync::Leaf;
using steward::sync::RevId;
using steward::sync::RevPath;
using nlohmann::json;

namespace {

RevId rev(const std::string& s) { return *steward::sync::parse_rev(s); }

// A hash that sorts after (or before) every hash next_rev makes, to decide winners on purpose.
const std::string kHighest(32, 'f');
const std::string kLowest(32, '0');

std::vector<std::string> ids_of(const std::vector<DocStore::Change>& changes) {
  std::vector<std::string> out;
  for (const auto& c : changes) out.push_back(c.id);
  return out;
}

// A document edited here (rev 1, then 2-local) and, from another replica, a sibling 2-fff… of the same parent:
// two leaves, the remote one winning on its hash.
struct Conflicted {
  TempDir dir;
  DocStore store = DocStore::open(dir.path());
  std::string id = "visit:conflicted";
  RevId first, local, remote;

  Conflicted() {
    first = rev(store.put({{"_id", id}, {"name", "张三"}, {"party_size", 1}}));
    local = rev(store.put({{"_id", id}, {"_rev", first.str()}, {"name", "张三"}, {"party_size", 2}}));
    remote = {2, kHighest};
    REQUIRE(store.put_replicated(id, RevPath{2, {kHighest, first.hash}}, false, {{"name", "张三"}, {"party_size", 3}}));
  }
};

}  // namespace

TEST_CASE("a replicated sibling makes a conflict: CouchDB's winner, _conflicts, every leaf readable") {
  Conflicted c;
  DocStore& store = c.store;
  CHECK(store.update_seq() == 3);

  const auto tree = store.rev_tree(c.id);
  REQUIRE(tree);
  CHECK(leaf_strs(tree->leaves()) == std::vector<std::string>{c.remote.str(), c.local.str()});
  CHECK(tree->contains(c.first));

  const auto got = store.get(c.id);
  REQUIRE(got);
  CHECK((*got)["_rev"] == c.remote.str());
  CHECK((*got)["party_size"] == 3);
  CHECK((*got)["_conflicts"] == json::array({c.local.str()}));

  const auto loser = store.get_rev(c.id, c.local);
  REQUIRE(loser);
  CHECK((*loser)["party_size"] == 2);
  CHECK((*loser)["_rev"] == c.local.str());
  CHECK_FALSE(loser->contains("_revisions"));
  const auto with_revisions = store.get_rev(c.id, c.local, true);
  CHECK((*with_revisions)["_revisions"] == json({{"start", 2}, {"ids", {c.local.hash, c.first.hash}}}));
  CHECK_FALSE(store.get_rev(c.id, c.first));  // superseded: its body is gone, as in CouchDB
  CHECK_FALSE(store.get_rev("nope", c.first));
  CHECK_FALSE(store.rev_tree("nope"));

  // for_each shows the winner, once.
  const json all = contents(store);
  REQUIRE(all.size() == 1);
  CHECK(all[0]["_rev"] == c.remote.str());
  CHECK_FALSE(all[0].contains("_conflicts"));
}

TEST_CASE("winner: a live leaf beats a deleted one of a higher generation; then generation; then hash") {
  Conflicted c;
  DocStore& store = c.store;
  // The remote branch is deleted further up: the local leaf (generation 2, live) wins.
  REQUIRE(store.put_replicated(c.id, RevPath{3, {kLowest, kHighest, c.first.hash}}, true, json::object()));
  CHECK(leaf_strs(store.rev_tree(c.id)->leaves()) ==
        std::vector<std::string>{c.local.str(), "3-" + kLowest + " deleted"});
  auto got = store.get(c.id);
  REQUIRE(got);
  CHECK((*got)["_rev"] == c.local.str());
  CHECK_FALSE(got->contains("_conflicts"));  // a deleted leaf is not a conflict
  const auto tombstone = store.get_rev(c.id, rev("3-" + kLowest));
  REQUIRE(tombstone);
  CHECK((*tombstone)["_deleted"] == true);

  // A live generation-3 leaf beats generation 2 whatever its hash.
  REQUIRE(store.put_replicated(c.id, RevPath{3, {kLowest.substr(1) + "1", c.local.hash, c.first.hash}}, false,
                               {{"party_size", 9}}));
  got = store.get(c.id);
  CHECK((*got)["_rev"] == "3-" + kLowest.substr(1) + "1");
  CHECK(!got->contains("_conflicts"));
}

TEST_CASE("put on a losing leaf; deleting the winner exposes the other leaf") {
  Conflicted c;
  DocStore& store = c.store;

  SUBCASE("an edit of the losing leaf extends that branch (and here makes it win)") {
    const std::string r3 = store.put({{"_id", c.id}, {"_rev", c.local.str()}, {"party_size", 4}});
    CHECK(r3.starts_with("3-"));
    const auto got = store.get(c.id);
    CHECK((*got)["_rev"] == r3);
    CHECK((*got)["_conflicts"] == json::array({c.remote.str()}));
    CHECK(store.rev_tree(c.id)->path_to(rev(r3))->ids ==
          std::vector<std::string>{rev(r3).hash, c.local.hash, c.first.hash});
  }
  SUBCASE("deleting the winner: the other leaf becomes the document") {
    const std::string gone = store.put({{"_id", c.id}, {"_rev", c.remote.str()}, {"_deleted", true}});
    CHECK(gone.starts_with("3-"));
    const auto got = store.get(c.id);
    REQUIRE(got);
    CHECK((*got)["_rev"] == c.local.str());
    CHECK((*got)["party_size"] == 2);
    CHECK_FALSE(got->contains("_conflicts"));
    CHECK(contents(store).size() == 1);
    // Deleting that one too deletes the document; then it can be recreated without a _rev, from the winning
    // tombstone (the higher generation).
    store.put({{"_id", c.id}, {"_rev", c.local.str()}, {"_deleted", true}});
    CHECK_FALSE(store.get(c.id));
    CHECK(contents(store).empty());
    CHECK(store.stats().documents == 1);
    const std::string again = store.put({{"_id", c.id}, {"name", "回来了"}});
    CHECK(again.starts_with("4-"));
    CHECK(store.rev_tree(c.id)->path_to(rev(again))->ids[1] == rev(gone).hash);
  }
  SUBCASE("edits that are not of a current leaf are conflicts and change nothing") {
    const uint64_t seq = store.update_seq();
    CHECK(kind_of([&] { store.put({{"_id", c.id}, {"_rev", c.first.str()}}); }) == StoreError::Kind::Conflict);
    CHECK(kind_of([&] { store.put({{"_id", c.id}}); }) == StoreError::Kind::Conflict);
    CHECK(kind_of([&] { store.put({{"_id", c.id}, {"_rev", "2-notahash"}}); }) == StoreError::Kind::Conflict);
    CHECK(kind_of([&] { store.put({{"_id", c.id}, {"_rev", "garbage"}}); }) == StoreError::Kind::Conflict);
    CHECK(store.update_seq() == seq);
  }
  SUBCASE("metadata sent back with a document is not stored in it") {
    json doc = *store.get(c.id);
    REQUIRE(doc.contains("_conflicts"));
    doc["_revisions"] = {{"start", 2}, {"ids", {c.remote.hash, c.first.hash}}};
    const std::string r3 = store.put(doc);
    const auto got = store.get_rev(c.id, rev(r3));
    CHECK_FALSE(got->contains("_revisions"));
    CHECK((*store.get(c.id))["_conflicts"] == json::array({c.local.str()}));  // computed, not the stale copy
  }
}

TEST_CASE("a replicated revision already known changes nothing: no record, no seq") {
  Conflicted c;
  DocStore& store = c.store;
  const uint64_t seq = store.update_seq();
  const uint64_t bytes = store.stats().total_bytes;
  const auto changes = store.changes_since(0, 100);

  CHECK_FALSE(store.put_replicated(c.id, RevPath{2, {kHighest, c.first.hash}}, false, {{"party_size", 3}}));
  CHECK_FALSE(store.put_replicated(c.id, RevPath{2, {c.local.hash, c.first.hash}}, false, {{"x", 1}}));
  CHECK_FALSE(store.put_replicated(c.id, RevPath{1, {c.first.hash}}, false, json::object()));  // an inner revision
  CHECK_FALSE(store.put_replicated(c.id, RevPath{2, {kHighest}}, false, {{"party_size", 3}}));  // stemmed form
  CHECK(store.update_seq() == seq);
  CHECK(store.stats().total_bytes == bytes);
  CHECK(store.changes_since(0, 100).size() == changes.size());
  CHECK(store.changes_since(0, 100).back().seq == seq);
  CHECK((*store.get_rev(c.id, c.local))["party_size"] == 2);  // the stored body stands
}

TEST_CASE("replicated paths: a new document with history, an extension, a stemmed path that shares nothing") {
  TempDir dir;
  DocStore store = DocStore::open(dir.path());
  CHECK(store.put_replicated("doc", RevPath{3, {"c3", "b2", "a1"}}, false, {{"v", 3}}));
  CHECK(store.update_seq() == 1);
  CHECK((*store.get("doc"))["_rev"] == "3-c3");
  CHECK((*store.get_rev("doc", rev("3-c3"), true))["_revisions"] == json({{"start", 3}, {"ids", {"c3", "b2", "a1"}}}));

  CHECK(store.put_replicated("doc", RevPath{4, {"d4", "c3"}}, false, {{"v", 4}}));
  CHECK(leaf_strs(store.rev_tree("doc")->leaves()) == std::vector<std::string>{"4-d4"});
  CHECK(store.rev_tree("doc")->path_to(rev("4-d4"))->ids == std::vector<std::string>{"d4", "c3", "b2", "a1"});

  // Revisions of the (single-branch) history are known: nothing stored.
  const uint64_t seq = store.update_seq();
  CHECK_FALSE(store.put_replicated("doc", RevPath{2, {"b2", "a1"}}, false, {{"v", 2}}));
  CHECK_FALSE(store.put_replicated("doc", RevPath{3, {"c3"}}, false, {{"v", 3}}));
  CHECK_FALSE(store.put_replicated("doc", RevPath{4, {"d4"}}, false, {{"v", 4}}));
  CHECK(store.update_seq() == seq);

  // Another replica stemmed it to two revisions we do not have: a separate branch (a conflict).
  CHECK(store.put_replicated("doc", RevPath{9, {"i9", "h8"}}, false, {{"v", 9}}));
  CHECK(leaf_strs(store.rev_tree("doc")->leaves()) == std::vector<std::string>{"9-i9", "4-d4"});
  CHECK((*store.get("doc"))["_conflicts"] == json::array({"4-d4"}));

  // Local edits can continue any leaf, and the body given to put_replicated is stored without metadata.
  CHECK(store.put({{"_id", "doc"}, {"_rev", "4-d4"}, {"v", 5}}).starts_with("5-"));
  CHECK(store.put_replicated("other", RevPath{1, {"x"}}, false, {{"_id", "other"}, {"_rev", "1-x"}, {"v", 1}}));
  CHECK(*store.get("other") == json({{"_id", "other"}, {"_rev", "1-x"}, {"v", 1}}));

  // A deleted revision of an unknown document: stored (replicas must learn of it), but not visible.
  CHECK(store.put_replicated("gone", RevPath{2, {"b", "a"}}, true, json::object()));
  CHECK_FALSE(store.get("gone"));
  CHECK((*store.get_rev("gone", rev("2-b")))["_deleted"] == true);
  CHECK(store.stats().documents == 3);
  CHECK(contents(store).size() == 2);
}

TEST_CASE("bad replicated input is refused and changes nothing") {
  TempDir dir;
  DocStore store = DocStore::open(dir.path());
  store.put({{"_id", "a"}});
  const json body = {{"v", 1}};
  CHECK(kind_of([&] { store.put_replicated("b", RevPath{1, {}}, false, body); }) == StoreError::Kind::BadDocument);
  CHECK(kind_of([&] { store.put_replicated("b", RevPath{1, {"y", "x"}}, false, body); }) ==
        StoreError::Kind::BadDocument);  // the root would be generation 0
  CHECK(kind_of([&] { store.put_replicated("b", RevPath{2, {"y", "x-1"}}, false, body); }) ==
        StoreError::Kind::BadDocument);
  CHECK(kind_of([&] { store.put_replicated("b", RevPath{1, {std::string(300, 'a')}}, false, body); }) ==
        StoreError::Kind::BadDocument);
  CHECK(kind_of([&] { store.put_replicated("", RevPath{1, {"x"}}, false, body); }) == StoreError::Kind::BadDocument);
  CHECK(kind_of([&] { store.put_replicated("_local/x", RevPath{1, {"x"}}, false, body); }) ==
        StoreError::Kind::BadDocument);
  CHECK(kind_of([&] { store.put_replicated("b", RevPath{1, {"x"}}, false, json::array()); }) ==
        StoreError::Kind::BadDocument);
  CHECK(kind_of([&] { store.put({{"_id", "_local/x"}}); }) == StoreError::Kind::BadDocument);
  CHECK(store.update_seq() == 1);
  CHECK_FALSE(store.rev_tree("b"));
}

TEST_CASE("changes_since: seq order, each document once at its latest change, limit") {
  TempDir dir;
  DocStore store = DocStore::open(dir.path());
  const std::string a1 = store.put({{"_id", "a"}});                       // seq 1
  const std::string b1 = store.put({{"_id", "b"}});                       // seq 2
  store.put({{"_id", "c"}});                                              // seq 3
  const std::string a2 = store.put({{"_id", "a"}, {"_rev", a1}, {"n", 2}});  // seq 4
  REQUIRE(store.put_replicated("b", RevPath{1, {kHighest}}, false, json::object()));  // seq 5, a second root
  const std::string c2 = store.put({{"_id", "c"}, {"_rev", (*store.get("c"))["_rev"]}, {"_deleted", true}});  // 6
  store.put_local("checkpoint", {{"last_seq", 6}});  // not a change

  CHECK(store.update_seq() == 6);
  auto all = store.changes_since(0, 100);
  CHECK(ids_of(all) == std::vector<std::string>{"a", "b", "c"});
  REQUIRE(all.size() == 3);
  CHECK(all[0].seq == 4);
  CHECK(all[1].seq == 5);
  CHECK(all[2].seq == 6);
  CHECK(leaf_strs(all[0].leaves) == std::vector<std::string>{a2});
  CHECK(leaf_strs(all[1].leaves) == std::vector<std::string>{"1-" + kHighest, b1});  // winner first
  CHECK(leaf_strs(all[2].leaves) == std::vector<std::string>{c2 + " deleted"});

  CHECK(ids_of(store.changes_since(4, 100)) == std::vector<std::string>{"b", "c"});
  CHECK(ids_of(store.changes_since(3, 100)) == std::vector<std::string>{"a", "b", "c"});
  CHECK(ids_of(store.changes_since(0, 2)) == std::vector<std::string>{"a", "b"});
  CHECK(store.changes_since(6, 100).empty());
  CHECK(store.changes_since(100, 100).empty());
  CHECK(store.changes_since(0, 0).empty());

  // An edit moves the document to the end; the feed survives reopening.
  store.put({{"_id", "a"}, {"_rev", a2}, {"n", 3}});
  CHECK(ids_of(store.changes_since(0, 100)) == std::vector<std::string>{"b", "c", "a"});
  CHECK(store.changes_since(0, 100).back().seq == 7);
  const auto before = store.changes_since(0, 100);
  DocStore reopened = DocStore::open(dir.path(), {.read_only = true});
  const auto after = reopened.changes_since(0, 100);
  REQUIRE(after.size() == before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    CHECK(after[i].seq == before[i].seq);
    CHECK(after[i].id == before[i].id);
    CHECK(leaf_strs(after[i].leaves) == leaf_strs(before[i].leaves));
  }
}

TEST_CASE("local documents: overwritten, \"0-N\", never in for_each or changes, kept by reopen and compaction") {
  TempDir dir;
  Options opts;
  opts.segment_bytes = 1024;
  {
    DocStore store = DocStore::open(dir.path(), opts);
    CHECK_FALSE(store.get_local("pull"));
    store.put({{"_id", "visit:1"}, {"n", 1}});
    store.put_local("pull", {{"last_seq", 1}});
    CHECK(*store.get_local("pull") == json({{"_id", "_local/pull"}, {"_rev", "0-1"}, {"last_seq", 1}}));
    CHECK(*store.get_local("_local/pull") == *store.get_local("pull"));  // with or without the prefix
    store.put_local("_local/pull", {{"_id", "_local/pull"}, {"_rev", "0-1"}, {"last_seq", 2}});
    CHECK(*store.get_local("pull") == json({{"_id", "_local/pull"}, {"_rev", "0-2"}, {"last_seq", 2}}));
    for (int i = 0; i < 30; ++i) store.put_local("push", {{"last_seq", i}, {"pad", std::string(100, 'x')}});
    CHECK((*store.get_local("push"))["_rev"] == "0-30");

    CHECK(store.update_seq() == 1);
    CHECK(store.changes_since(0, 100).size() == 1);
    CHECK(contents(store).size() == 1);
    CHECK(store.stats().documents == 1);
    CHECK(store.compaction_worthwhile() == false);  // defaults: far below a megabyte
    CHECK(kind_of([&] { store.put_local("", json::object()); }) == StoreError::Kind::BadDocument);
    CHECK(kind_of([&] { store.put_local("x", json::array()); }) == StoreError::Kind::BadDocument);
  }
  {
    DocStore store = DocStore::open(dir.path(), opts);
    CHECK(store.open_report().warnings.empty());
    CHECK((*store.get_local("pull"))["last_seq"] == 2);
    CHECK((*store.get_local("push"))["_rev"] == "0-30");
    store.put_local("pull", {{"last_seq", 3}});
    CHECK((*store.get_local("pull"))["_rev"] == "0-3");
    CHECK(store.stats().live_bytes < store.stats().total_bytes);
    store.compact();
    CHECK(store.stats().total_bytes == store.stats().live_bytes);
    CHECK((*store.get_local("pull"))["last_seq"] == 3);
    CHECK((*store.get_local("push"))["last_seq"] == 29);
    CHECK(store.update_seq() == 1);
  }
  DocStore store = DocStore::open(dir.path(), opts);
  CHECK(store.open_report().records == 3);  // the document and the latest of each local document
  CHECK(*store.get_local("pull") == json({{"_id", "_local/pull"}, {"_rev", "0-3"}, {"last_seq", 3}}));
  CHECK((*store.get_local("push"))["_rev"] == "0-30");
  store.put_local("push", json::object());
  CHECK((*store.get_local("push"))["_rev"] == "0-31");
  CHECK(contents(store).size() == 1);
  CHECK(store.changes_since(0, 100).size() == 1);

  DocStore read_only = DocStore::open(dir.path(), {.read_only = true});
  CHECK(kind_of([&] { read_only.put_local("pull", json::object()); }) == StoreError::Kind::ReadOnly);
  CHECK(kind_of([&] { read_only.put_replicated("z", RevPath{1, {"z"}}, false, json::object()); }) ==
        StoreError::Kind::ReadOnly);
}
