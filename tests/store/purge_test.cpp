// Purging documents from the tablet's store alone (retention): gone with their history, across a restart and a
// compaction, without a tombstone or a change to replicate; brought back only by a later revision.
#include <doctest/doctest.h>

#include "store/doc_store.hpp"
#include "store/visit_repository.hpp"
#include "support.hpp"

using namespace steward::store;
using namespace steward::store::testing;
using nlohmann::json;

namespace {

std::string id_of(int n) { return visit_doc(n)["_id"].get<std::string>(); }

std::vector<std::string> change_ids(const DocStore& s, uint64_t since = 0) {
  std::vector<std::string> out;
  for (const auto& c : s.changes_since(since, 1000)) out.push_back(c.id);
  return out;
}

}  // namespace

TEST_CASE("a purge removes documents and their history here, and nothing else; it survives a restart") {
  TempDir dir;
  json kept_doc;
  {
    DocStore store = DocStore::open(dir.path());
    for (int n = 0; n < 5; ++n) store.put(visit_doc(n));
    json edited = *store.get(id_of(1));
    edited["notes"] = "改过";
    store.put(edited);
    const uint64_t seq = store.update_seq();
    CHECK(store.purge({id_of(1), id_of(3), "visit:not-here", id_of(1)}) == 2);
    CHECK_FALSE(store.get(id_of(1)));
    CHECK_FALSE(store.rev_tree(id_of(1)));
    CHECK(store.doc_seq(id_of(1)) == 0);
    CHECK(store.doc_seq(id_of(0)) > 0);
    CHECK(change_ids(store) == std::vector<std::string>{id_of(0), id_of(2), id_of(4)});
    CHECK(store.update_seq() == seq);  // nothing new to replicate
    CHECK(store.count_changes_since(seq) == 0);
    CHECK(store.purge({id_of(1)}) == 0);
    kept_doc = contents(store);
    CHECK(kept_doc.size() == 3);
    CHECK(store.stats().live_bytes < store.stats().total_bytes);
    CHECK_THROWS_AS(store.purge({"_local/x"}), StoreError);
  }
  DocStore reopened = DocStore::open(dir.path());
  CHECK(contents(reopened) == kept_doc);
  CHECK(reopened.open_report().warnings.empty());
  CHECK_FALSE(reopened.rev_tree(id_of(3)));
  CHECK(change_ids(reopened) == std::vector<std::string>{id_of(0), id_of(2), id_of(4)});
  reopened.compact();
  DocStore compacted = DocStore::open(dir.path());
  CHECK(contents(compacted) == kept_doc);
  CHECK(compacted.stats().live_bytes == compacted.stats().total_bytes);
}

TEST_CASE("a purged document comes back only with a revision received later, which outlives a restart") {
  TempDir dir;
  DocStore store = DocStore::open(dir.path());
  const std::string rev1 = store.put(visit_doc(7));
  store.purge({id_of(7)});
  json later = visit_doc(7);
  later["notes"] = "服务器上改过";
  const auto r1 = steward::sync::parse_rev(rev1);
  REQUIRE(store.put_replicated(id_of(7), {2, {std::string(32, 'a'), r1->hash}}, false, later));
  CHECK((*store.get(id_of(7)))["notes"] == "服务器上改过");
  DocStore reopened = DocStore::open(dir.path());
  CHECK((*reopened.get(id_of(7)))["notes"] == "服务器上改过");
}

TEST_CASE("a read-only store refuses to purge") {
  TempDir dir;
  { DocStore::open(dir.path()).put(visit_doc(1)); }
  DocStore ro = DocStore::open(dir.path(), {.read_only = true});
  CHECK(kind_of([&] { ro.purge({id_of(1)}); }) == StoreError::Kind::ReadOnly);
}

TEST_CASE("retention purge: synced visits and access logs past the cutoff leave; unsynced ones and the rest stay") {
  TempDir dir;
  DocStore store = DocStore::open(dir.path());
  VisitRepository repo(store);
  // visit_doc(n) arrives at 1710464400000 + n * 97 s: cut between 3 and 4.
  for (int n = 0; n < 8; ++n) store.put(visit_doc(n));
  store.put({{"_id", "access_log:old"}, {"type", "access_log"}, {"who", "host"}, {"at", 1710464400000 - 1}, {"action", "reveal_phone"},
             {"site", "demo"}, {"record_id", id_of(0)}, {"device", "d"}});
  store.put({{"_id", "site:demo"}, {"type", "site"}, {"name", "滨江壹号售楼处"}, {"kind", "sales_centre"}, {"consultants", json::array()},
             {"utc_offset_minutes", 480}});
  const uint64_t pushed = store.update_seq();
  // Edited after the push checkpoint: waits to upload, so it stays even though it is old.
  json edited = *store.get(id_of(2));
  edited["notes"] = "还没上传";
  store.put(edited);
  repo.load();
  REQUIRE(repo.visits().size() == 8);
  const uint64_t version = repo.version();

  const int64_t cutoff = 1710464400000 + 4 * 97'000;
  CHECK(repo.purge_past_retention(cutoff, pushed) == 4);  // visits 0, 1, 3 and the old access log
  CHECK(repo.version() != version);
  CHECK(repo.visits().size() == 5);
  CHECK(repo.find(id_of(2)));
  CHECK_FALSE(repo.find(id_of(0)));
  CHECK(repo.find(id_of(4)));
  CHECK_FALSE(store.get("access_log:old"));
  CHECK(store.get("site:demo"));
  CHECK(repo.purge_past_retention(0, store.update_seq()) == 0);  // retention off

  // Once uploaded, the edited one goes too.
  CHECK(repo.purge_past_retention(cutoff, store.update_seq()) == 1);
  CHECK_FALSE(repo.find(id_of(2)));
  VisitRepository again(store);
  again.load();
  CHECK(again.visits().size() == 4);
}
