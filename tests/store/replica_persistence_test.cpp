// Revision trees on disk: a store with conflicts, deletions, stemmed histories and local documents opens again
// (and compacts) to exactly the same trees, winners, conflicts, seqs and local documents; torn replicated records.
#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>

#include "store/doc_store.hpp"
#include "support.hpp"
#include "sync/revision.hpp"

using namespace steward::store;
using namespace steward::store::testing;
using steward::sync::RevId;
using steward::sync::RevPath;
using nlohmann::json;

namespace {

RevId rev(const std::string& s) { return *steward::sync::parse_rev(s); }

// Everything a replica shows of a store, as one value: per document (deleted ones included) its seq, tree,
// leaves and winner with _conflicts, every leaf's body with _revisions; the local documents; the update seq.
json snapshot(const DocStore& store, const std::vector<std::string>& local_ids) {
  json docs = json::object();
  for (const DocStore::Change& c : store.changes_since(0, SIZE_MAX)) {
    const auto tree = store.rev_tree(c.id);
    REQUIRE(tree);
    json leaves = json::array();
    for (const auto& leaf : c.leaves) {
      const auto body = store.get_rev(c.id, leaf.rev, true);
      REQUIRE(body);
      leaves.push_back(*body);
    }
    const auto winner = store.get(c.id);
    docs[c.id] = {{"seq", c.seq}, {"tree", tree->to_json()}, {"leaves", leaves},
                  {"winner", winner ? *winner : json()}};
  }
  json locals = json::object();
  for (const std::string& id : local_ids) {
    const auto doc = store.get_local(id);
    locals[id] = doc ? *doc : json();
  }
  return {{"docs", docs}, {"locals", locals}, {"update_seq", store.update_seq()}, {"live", contents(store)}};
}

const std::vector<std::string> kLocalIds = {"pull", "push", "never"};

// A store with every shape of history: linear edits, replicated conflicts, deletions on either branch, a history
// longer than revs_limit, a replicated path reaching above a stemmed root, and local documents.
void fill(DocStore& store) {
  for (int i = 0; i < 40; ++i) store.put(visit_doc(i));
  for (int i = 0; i < 40; ++i) {
    const std::string id = visit_doc(i)["_id"];
    json d = *store.get(id);
    const RevId parent = rev(d["_rev"]);
    d["notes"] = "复访";
    store.put(d);
    if (i % 3 == 0) {
      // Another tablet edited the same revision: a conflict, won by whichever hash is greater.
      json theirs = visit_doc(i);
      theirs.erase("_id");
      theirs["received_by"] = "远程";
      store.put_replicated(id, RevPath{2, {steward::sync::hash128_hex("remote" + id), parent.hash}}, false, theirs);
    }
    if (i % 5 == 0) {
      const json winner = *store.get(id);
      store.put({{"_id", id}, {"_rev", winner["_rev"]}, {"_deleted", true}});
    }
  }
  // A long history: stemmed to revs_limit in memory and in the records.
  std::string r = store.put({{"_id", "long"}, {"n", 0}});
  for (int n = 1; n < 25; ++n) r = store.put({{"_id", "long"}, {"_rev", r}, {"n", n}});
  // Arrives stemmed, then a path reaching above its root gives it ancestors (and a second leaf).
  store.put_replicated("stemmed", RevPath{6, {"f6", "e5"}}, false, {{"v", 6}});
  store.put_replicated("stemmed", RevPath{6, {"g6", "e5", "d4", "c3"}}, false, {{"v", 7}});
  store.put_replicated("stemmed", RevPath{7, {"h7", "f6", "e5"}}, true, json::object());
  // The same without the last step: the leaf 6-f6's record predates what the tree learnt above 5-e5, so compaction
  // writes it again with its whole path.
  store.put_replicated("reaching", RevPath{6, {"f6", "e5"}}, false, {{"v", 6}});
  store.put_replicated("reaching", RevPath{6, {"g6", "e5", "d4", "c3"}}, false, {{"v", 7}});
  store.put_local("pull", {{"last_seq", 12}});
  store.put_local("push", {{"last_seq", 3}});
  store.put_local("pull", {{"last_seq", 13}});
}

Options small() {
  Options o;
  o.segment_bytes = 4096;
  o.revs_limit = 10;
  return o;
}

}  // namespace

TEST_CASE("a store with conflicts opens, and compacts, to identical trees, winners, conflicts, seqs and locals") {
  TempDir dir;
  const Options opts = small();
  json expected;
  {
    DocStore store = DocStore::open(dir.path(), opts);
    fill(store);
    expected = snapshot(store, kLocalIds);
  }
  // Sanity of the fixture itself.
  CHECK(expected["docs"].size() == 43);
  CHECK(expected["docs"]["reaching"]["leaves"][1]["_revisions"] ==
        json({{"start", 6}, {"ids", {"f6", "e5", "d4", "c3"}}}));
  CHECK(expected["docs"]["long"]["leaves"][0]["_revisions"]["ids"].size() == 10);
  CHECK(expected["docs"]["long"]["leaves"][0]["_rev"].get<std::string>().starts_with("25-"));
  CHECK(expected["docs"]["stemmed"]["leaves"].size() == 2);
  CHECK(expected["docs"]["stemmed"]["winner"]["_rev"] == "6-g6");
  CHECK(expected["docs"]["stemmed"]["leaves"][0]["_revisions"] == json({{"start", 6}, {"ids", {"g6", "e5", "d4", "c3"}}}));
  CHECK(expected["docs"]["stemmed"]["leaves"][1]["_revisions"] ==
        json({{"start", 7}, {"ids", {"h7", "f6", "e5", "d4", "c3"}}}));
  size_t with_conflicts = 0;
  for (const auto& [id, doc] : expected["docs"].items()) with_conflicts += doc["winner"].contains("_conflicts");
  CHECK(with_conflicts >= 8);
  CHECK(expected["locals"]["pull"]["_rev"] == "0-2");

  DocStore reopened = DocStore::open(dir.path(), opts);
  CHECK(reopened.open_report().warnings.empty());
  CHECK(snapshot(reopened, kLocalIds) == expected);

  // The trees are equal as RevTrees too, not just as JSON.
  DocStore compacted = DocStore::open(dir.path(), opts);
  compacted.compact();
  CHECK(snapshot(compacted, kLocalIds) == expected);
  CHECK(compacted.stats().total_bytes == compacted.stats().live_bytes);
  CHECK(compacted.stats().live_bytes == reopened.stats().live_bytes + 2 * 3);  // 6-f6 gained "d4" and "c3"

  DocStore after = DocStore::open(dir.path(), opts);
  CHECK(after.open_report().warnings.empty());
  CHECK(snapshot(after, kLocalIds) == expected);
  for (const auto& [id, doc] : expected["docs"].items()) {
    CHECK(*after.rev_tree(id) == *reopened.rev_tree(id));
  }
  // Only leaves (tombstones included) and the latest local documents are left.
  size_t leaves = 0;
  for (const auto& [id, doc] : expected["docs"].items()) leaves += doc["leaves"].size();
  CHECK(after.open_report().records == leaves + 2);

  // Both go on the same way.
  const std::string next = after.put({{"_id", "long"}, {"_rev", expected["docs"]["long"]["winner"]["_rev"]}});
  CHECK(next.starts_with("26-"));
  CHECK(after.rev_tree("long")->path_to(rev(next))->ids.size() == 10);
  CHECK(after.update_seq() == expected["update_seq"].get<uint64_t>() + 1);
}

TEST_CASE("a crash in the middle of compacting a conflicted store loses nothing") {
  TempDir dir, before;
  const Options opts = small();
  DocStore store = DocStore::open(dir.path(), opts);
  fill(store);
  const json expected = snapshot(store, kLocalIds);
  copy_folder(dir.path(), before.path());
  store.compact();
  // The new segments written, the old ones not yet deleted.
  for (const auto& f : store.segment_files()) copy_file(dir / f, before / f);
  DocStore crashed = DocStore::open(before.path(), opts);
  CHECK(crashed.open_report().warnings.empty());
  CHECK(snapshot(crashed, kLocalIds) == expected);
}

TEST_CASE("revs_limit: histories are stemmed, also when a store is reopened with a lower limit") {
  TempDir dir;
  std::string r;
  {
    DocStore store = DocStore::open(dir.path());  // the default limit, 100
    r = store.put({{"_id", "doc"}, {"n", 0}});
    for (int n = 1; n < 30; ++n) r = store.put({{"_id", "doc"}, {"_rev", r}, {"n", n}});
    CHECK(store.rev_tree("doc")->path_to(rev(r))->ids.size() == 30);
  }
  Options five;
  five.revs_limit = 5;
  {
    DocStore store = DocStore::open(dir.path(), five);
    CHECK(store.rev_tree("doc")->path_to(rev(r))->ids.size() == 5);
    CHECK((*store.get_rev("doc", rev(r), true))["_revisions"]["ids"].size() == 5);
    store.compact();  // writes the stemmed path
  }
  DocStore store = DocStore::open(dir.path());  // the default limit again: what was stemmed stays gone
  const auto path = store.rev_tree("doc")->path_to(rev(r));
  CHECK(path->ids.size() == 5);
  CHECK(path->start == 30);
  CHECK((*store.get("doc"))["n"] == 29);
}

TEST_CASE("a torn replicated record is cut off at every cut point, and can be received again") {
  TempDir dir;
  const std::string id = "visit:torn";
  std::string segment;
  uint64_t start = 0, end = 0;
  json before, after;
  // The record: a long replicated path (ancestry bytes to cut into) branching off an inner revision.
  std::vector<std::string> ids;
  for (int g = 12; g >= 2; --g) ids.push_back(std::string(1, 'r').append(std::to_string(g)));
  RevId first;
  {
    DocStore store = DocStore::open(dir.path());
    first = rev(store.put({{"_id", id}, {"n", 1}}));
    store.put({{"_id", id}, {"_rev", first.str()}, {"n", 2}});
    before = snapshot(store, kLocalIds);
    segment = dir / store.segment_files().back();
    start = file_size(segment);
    ids.push_back(first.hash);
    REQUIRE(store.put_replicated(id, RevPath{12, ids}, false, visit_doc(1)));
    end = file_size(segment);
    after = snapshot(store, kLocalIds);
  }
  REQUIRE(after["docs"][id]["leaves"].size() == 2);
  REQUIRE(end - start > 200);
  for (uint64_t cut = start; cut < end; ++cut) {
    CAPTURE(cut);
    TempDir copy;
    copy_folder(dir.path(), copy.path());
    const std::string seg = copy / std::filesystem::path(segment).filename().string();
    truncate_file(seg, cut);
    {
      DocStore store = DocStore::open(copy.path());
      CHECK(store.open_report().torn_bytes_dropped == cut - start);
      CHECK(snapshot(store, kLocalIds) == before);
      CHECK(file_size(seg) == start);
      CHECK(store.put_replicated(id, RevPath{12, ids}, false, visit_doc(1)));
      CHECK(snapshot(store, kLocalIds) == after);
    }
    DocStore reopened = DocStore::open(copy.path());
    CHECK(reopened.open_report().warnings.empty());
    CHECK(snapshot(reopened, kLocalIds) == after);
  }
}
