// Saving, reading, conflicts, persistence and segment rolling.
#include <doctest/doctest.h>

#include <filesystem>

#include "store/doc_store.hpp"
#include "support.hpp"
#include "sync/revision.hpp"

using namespace steward::store;
using namespace steward::store::testing;
using nlohmann::json;

namespace {

}  // namespace

TEST_CASE("put, get, update, delete") {
  TempDir dir;
  DocStore store = DocStore::open(dir.path());
  CHECK(store.update_seq() == 0);
  CHECK_FALSE(store.get("visit:1"));

  const std::string rev1 = store.put({{"_id", "visit:1"}, {"name", "张三"}, {"party_size", 2}});
  CHECK(rev1.starts_with("1-"));
  CHECK(steward::sync::parse_rev(rev1));
  const auto got = store.get("visit:1");
  REQUIRE(got);
  CHECK((*got)["_id"] == "visit:1");
  CHECK((*got)["_rev"] == rev1);
  CHECK((*got)["name"] == "张三");
  CHECK((*got)["party_size"] == 2);
  CHECK(store.update_seq() == 1);

  json doc = *got;
  doc["party_size"] = 3;
  const std::string rev2 = store.put(doc);
  CHECK(rev2.starts_with("2-"));
  CHECK((*store.get("visit:1"))["party_size"] == 3);
  CHECK((*store.get("visit:1"))["_rev"] == rev2);

  SUBCASE("conflicts leave the store as it was") {
    CHECK(kind_of([&] { store.put(doc); }) == StoreError::Kind::Conflict);  // stale rev1
    CHECK(kind_of([&] { store.put({{"_id", "visit:1"}, {"name", "x"}}); }) == StoreError::Kind::Conflict);
    CHECK(kind_of([&] { store.put({{"_id", "visit:2"}, {"_rev", rev1}}); }) == StoreError::Kind::Conflict);
    CHECK(store.update_seq() == 2);
    CHECK((*store.get("visit:1"))["_rev"] == rev2);
    CHECK_FALSE(store.get("visit:2"));
  }

  SUBCASE("delete, then recreate from the tombstone") {
    const std::string rev3 = store.put({{"_id", "visit:1"}, {"_rev", rev2}, {"_deleted", true}});
    CHECK(rev3.starts_with("3-"));
    CHECK_FALSE(store.get("visit:1"));
    CHECK(contents(store).empty());
    CHECK(store.stats().documents == 1);  // the tombstone
    CHECK(kind_of([&] { store.put({{"_id", "visit:1"}, {"_rev", rev2}}); }) == StoreError::Kind::Conflict);

    const std::string rev4 = store.put({{"_id", "visit:1"}, {"name", "李四"}});
    CHECK(rev4.starts_with("4-"));
    CHECK((*store.get("visit:1"))["name"] == "李四");
  }
}

TEST_CASE("the same edit from the same parent gives the same revision on two replicas") {
  TempDir a, b;
  DocStore sa = DocStore::open(a.path());
  DocStore sb = DocStore::open(b.path());
  const json doc = visit_doc(1);
  CHECK(sa.put(doc) == sb.put(doc));
}

TEST_CASE("bad documents are refused and change nothing") {
  TempDir dir;
  DocStore store = DocStore::open(dir.path());
  store.put({{"_id", "a"}});
  const json bad[] = {
      json::array(),
      json("visit"),
      {{"name", "no id"}},
      {{"_id", 42}},
      {{"_id", ""}},
      {{"_id", "b"}, {"_rev", 1}},
      {{"_id", "b"}, {"_deleted", "yes"}},
      {{"_id", "b"}, {"name", "\xff\xfe"}},  // not UTF-8
      {{"_id", std::string(70'000, 'x')}},
  };
  for (const json& doc : bad) {
    CAPTURE(doc.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 60));
    CHECK(kind_of([&] { store.put(doc); }) == StoreError::Kind::BadDocument);
  }
  CHECK(store.update_seq() == 1);
  CHECK(contents(store).size() == 1);
}

TEST_CASE("for_each visits live documents in _id order; prefixes select") {
  TempDir dir;
  DocStore store = DocStore::open(dir.path());
  for (const char* id : {"visit:c", "site:demo", "visit:a", "visit:b", "ticket:1", "visit:d"}) {
    store.put({{"_id", id}, {"n", 1}});
  }
  const std::string rev = (*store.get("visit:d"))["_rev"];
  store.put({{"_id", "visit:d"}, {"_rev", rev}, {"_deleted", true}});

  std::vector<std::string> ids;
  store.for_each([&](const json& d) { ids.push_back(d["_id"]); });
  CHECK(ids == std::vector<std::string>{"site:demo", "ticket:1", "visit:a", "visit:b", "visit:c"});

  ids.clear();
  store.for_each_with_prefix("visit:", [&](const json& d) { ids.push_back(d["_id"]); });
  CHECK(ids == std::vector<std::string>{"visit:a", "visit:b", "visit:c"});

  ids.clear();
  store.for_each_with_prefix("zzz", [&](const json& d) { ids.push_back(d["_id"]); });
  CHECK(ids.empty());
}

TEST_CASE("for_each: the callback may save, and its own exceptions pass through") {
  TempDir dir;
  DocStore store = DocStore::open(dir.path());
  for (int i = 0; i < 50; ++i) store.put(visit_doc(i));
  int seen = 0;
  store.for_each([&](const json& d) {
    json updated = d;
    updated["notes"] = "已回访";
    store.put(updated);
    ++seen;
  });
  CHECK(seen == 50);
  store.for_each([](const json& d) { CHECK(d["notes"] == "已回访"); });
  CHECK_THROWS_AS(store.for_each([](const json&) { throw std::logic_error("mine"); }), std::logic_error);
}

TEST_CASE("contents survive reopening") {
  TempDir dir;
  json before;
  uint64_t seq = 0;
  {
    DocStore store = DocStore::open(dir.path());
    for (int i = 0; i < 200; ++i) store.put(visit_doc(i));
    for (int i = 0; i < 200; i += 3) {
      json d = *store.get(visit_doc(i)["_id"].get<std::string>());
      d["left_ms"] = 1;
      store.put(d);
    }
    for (int i = 1; i < 200; i += 7) {
      const std::string id = visit_doc(i)["_id"];
      store.put({{"_id", id}, {"_rev", (*store.get(id))["_rev"]}, {"_deleted", true}});
    }
    before = contents(store);
    seq = store.update_seq();
  }
  DocStore again = DocStore::open(dir.path());
  CHECK(contents(again) == before);
  CHECK(again.update_seq() == seq);
  const OpenReport& r = again.open_report();
  CHECK(r.records == seq);
  CHECK(r.documents == before.size());
  CHECK(r.torn_bytes_dropped == 0);
  CHECK(r.warnings.empty());
  CHECK(again.stats().documents == 200);

  // And saving goes on where it left off.
  json d = before[0];
  d["notes"] = "复访";
  CHECK(again.put(d).starts_with(std::to_string(std::stoi(d["_rev"].get<std::string>()) + 1) + "-"));
  CHECK(again.update_seq() == seq + 1);
}

TEST_CASE("segments roll past segment_bytes") {
  TempDir dir;
  Options opts;
  opts.segment_bytes = 2048;
  json before;
  {
    DocStore store = DocStore::open(dir.path(), opts);
    for (int i = 0; i < 60; ++i) store.put(visit_doc(i));
    json big = {{"_id", "big"}, {"blob", std::string(5000, 'x')}};
    store.put(big);  // larger than a segment: it gets one to itself
    store.put(visit_doc(60));
    before = contents(store);

    const auto files = store.segment_files();
    CHECK(files.size() > 10);
    CHECK(files.front() == "seg-000001.log");
    size_t oversized = 0;
    uint64_t total = 0;
    for (const auto& f : files) {
      const uint64_t size = file_size(dir / f);
      total += size;
      if (size > opts.segment_bytes) ++oversized;
    }
    CHECK(oversized == 1);
    CHECK(store.stats().segments == files.size());
    CHECK(store.stats().total_bytes == total);
    CHECK(store.stats().live_bytes == total);  // nothing overwritten yet
  }
  DocStore again = DocStore::open(dir.path(), opts);
  CHECK(contents(again) == before);
  CHECK(again.open_report().segments == again.segment_files().size());
}

TEST_CASE("a moved store keeps working") {
  TempDir dir;
  DocStore a = DocStore::open(dir.path());
  a.put({{"_id", "x"}});
  DocStore b = std::move(a);
  CHECK(b.get("x"));
  DocStore c = DocStore::open(dir.path(), {.read_only = true});
  c = std::move(b);
  c.put({{"_id", "y"}});
  CHECK(contents(c).size() == 2);
}

TEST_CASE("opening creates the folder; a file in the way is an error") {
  TempDir dir;
  DocStore store = DocStore::open(dir / "a/b/c");
  store.put({{"_id", "x"}});
  CHECK(std::filesystem::exists(dir / "a/b/c/seg-000001.log"));
  append_bytes(dir / "file", "x");
  CHECK(kind_of([&] { DocStore::open(dir / "file"); }) == StoreError::Kind::Io);
}

TEST_CASE("the store reports the files it changed, once") {
  Options opts;
  opts.segment_bytes = 512;
  TempDir dir;
  auto store = DocStore::open(dir.path(), opts);
  CHECK(store.take_file_changes().empty());
  for (int i = 0; i < 10; ++i) store.put({{"_id", "doc:" + std::to_string(i)}, {"n", std::string(100, 'x')}});
  auto changes = store.take_file_changes();
  CHECK(changes.written == store.segment_files());
  CHECK(changes.removed.empty());
  CHECK(store.take_file_changes().empty());

  const auto before = store.segment_files();
  store.compact();
  changes = store.take_file_changes();
  CHECK(changes.written == store.segment_files());
  CHECK(changes.removed == before);
}
