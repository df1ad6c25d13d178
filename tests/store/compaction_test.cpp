// Compaction: live records (and tombstones) rewritten into fresh segments, old ones removed.
#include <doctest/doctest.h>

#include <filesystem>

#include "store/doc_store.hpp"
#include "support.hpp"

using namespace steward::store;
using namespace steward::store::testing;
using nlohmann::json;

namespace {

Options small_segments() {
  Options o;
  o.segment_bytes = 4096;
  o.compact_min_dead_bytes = 10 * 1024;
  o.compact_dead_ratio = 0.5;
  return o;
}

// 100 visits, each updated four times, a tenth of them deleted: mostly dead bytes.
void churn(DocStore& store) {
  for (int i = 0; i < 100; ++i) store.put(visit_doc(i));
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < 100; ++i) {
      json d = *store.get(visit_doc(i)["_id"].get<std::string>());
      d["updated_ms"] = d["updated_ms"].get<int64_t>() + 1;
      store.put(d);
    }
  }
  for (int i = 0; i < 100; i += 10) {
    const std::string id = visit_doc(i)["_id"];
    store.put({{"_id", id}, {"_rev", (*store.get(id))["_rev"]}, {"_deleted", true}});
  }
}

}  // namespace

TEST_CASE("compaction keeps the contents and drops the dead bytes") {
  TempDir dir;
  const Options opts = small_segments();
  DocStore store = DocStore::open(dir.path(), opts);
  CHECK_FALSE(store.compaction_worthwhile());
  churn(store);
  const json before = contents(store);
  const Stats s0 = store.stats();
  const auto old_files = store.segment_files();
  CHECK(store.compaction_worthwhile());
  CHECK(s0.live_bytes * 4 < s0.total_bytes);

  store.compact();
  const Stats s1 = store.stats();
  CHECK(contents(store) == before);
  CHECK(s1.update_seq == s0.update_seq);
  CHECK(s1.documents == 100);  // tombstones kept
  CHECK(s1.live_bytes == s0.live_bytes);
  CHECK(s1.total_bytes == s1.live_bytes);
  CHECK_FALSE(store.compaction_worthwhile());

  // New segments are numbered after the old ones, and the old ones are gone.
  const auto new_files = store.segment_files();
  CHECK(new_files.front() > old_files.back());
  for (const auto& f : old_files) CHECK_FALSE(std::filesystem::exists(dir / f));
  for (const auto& f : new_files) CHECK(file_size(dir / f) <= opts.segment_bytes);

  // Saving goes on; tombstones still give deleted documents their history.
  const std::string deleted_id = visit_doc(0)["_id"];
  CHECK(store.put({{"_id", deleted_id}, {"name", "回来了"}}).starts_with("7-"));
  json after = contents(store);

  DocStore reopened = DocStore::open(dir.path(), opts);
  CHECK(contents(reopened) == after);
  CHECK(reopened.update_seq() == s0.update_seq + 1);
  CHECK(reopened.open_report().warnings.empty());
  CHECK(reopened.segment_files() == store.segment_files());
}

TEST_CASE("compacting an empty store, and a store of only tombstones") {
  TempDir dir;
  DocStore store = DocStore::open(dir.path());
  store.compact();
  CHECK(store.segment_files().empty());
  const std::string rev = store.put({{"_id", "x"}});
  store.put({{"_id", "x"}, {"_rev", rev}, {"_deleted", true}});
  store.compact();
  CHECK(store.stats().documents == 1);
  CHECK(contents(store).empty());
  DocStore reopened = DocStore::open(dir.path());
  CHECK(reopened.put({{"_id", "x"}}).starts_with("3-"));
}

TEST_CASE("an interrupted compaction loses nothing") {
  TempDir dir, before_dir;
  const Options opts = small_segments();
  DocStore store = DocStore::open(dir.path(), opts);
  churn(store);
  const json expected = contents(store);
  const uint64_t seq = store.update_seq();
  copy_folder(dir.path(), before_dir.path());  // the folder as it was when compaction started
  store.compact();
  const auto new_files = store.segment_files();
  REQUIRE(new_files.size() >= 2);

  SUBCASE("crash after writing the new segments, before deleting the old ones") {
    TempDir crashed;
    copy_folder(before_dir.path(), crashed.path());
    for (const auto& f : new_files) copy_file(dir / f, crashed / f);
    DocStore s = DocStore::open(crashed.path(), opts);
    CHECK(contents(s) == expected);
    CHECK(s.update_seq() == seq);
    CHECK(s.open_report().warnings.empty());
    CHECK(s.compaction_worthwhile());  // the duplicates are dead bytes
    s.compact();
    CHECK(contents(s) == expected);
    DocStore again = DocStore::open(crashed.path(), opts);
    CHECK(contents(again) == expected);
  }
  SUBCASE("crash while writing the new segments (the last one torn)") {
    TempDir crashed;
    copy_folder(before_dir.path(), crashed.path());
    copy_file(dir / new_files[0], crashed / new_files[0]);
    copy_file(dir / new_files[1], crashed / new_files[1]);
    truncate_file(crashed / new_files[1], file_size(crashed / new_files[1]) / 2);
    DocStore s = DocStore::open(crashed.path(), opts);
    CHECK(contents(s) == expected);
    CHECK(s.update_seq() == seq);
    CHECK(s.open_report().torn_bytes_dropped > 0);
    // Saves after the crash land after the copies and win by seq.
    json d = expected[0];
    d["notes"] = "崩溃后修改";
    s.put(d);
    DocStore again = DocStore::open(crashed.path(), opts);
    CHECK((*again.get(d["_id"].get<std::string>()))["notes"] == "崩溃后修改");
  }
  SUBCASE("crash part-way through deleting the old segments") {
    TempDir crashed;
    copy_folder(dir.path(), crashed.path());
    const auto old = DocStore::open(before_dir.path(), {.read_only = true}).segment_files();
    for (size_t i = old.size() / 2; i < old.size(); ++i) copy_file(before_dir / old[i], crashed / old[i]);
    DocStore s = DocStore::open(crashed.path(), opts);
    CHECK(contents(s) == expected);
    CHECK(s.update_seq() == seq);
  }
}

TEST_CASE("compaction_worthwhile follows the options") {
  TempDir dir;
  Options opts = small_segments();
  opts.compact_min_dead_bytes = 1 << 30;
  DocStore store = DocStore::open(dir.path(), opts);
  churn(store);
  CHECK_FALSE(store.compaction_worthwhile());  // plenty of dead share, but not enough bytes

  opts.compact_min_dead_bytes = 0;
  opts.compact_dead_ratio = 0.99;
  DocStore strict = DocStore::open(dir.path(), opts);
  CHECK_FALSE(strict.compaction_worthwhile());  // dead share below 99%
  opts.compact_dead_ratio = 0.5;
  DocStore usual = DocStore::open(dir.path(), opts);
  CHECK(usual.compaction_worthwhile());
}

TEST_CASE("compaction refuses to carry damage forward") {
  TempDir dir;
  const Options opts = small_segments();
  DocStore store = DocStore::open(dir.path(), opts);
  churn(store);
  const auto files = store.segment_files();
  flip_byte(dir / files.back(), file_size(dir / files.back()) - 5);  // inside the newest record, after opening
  try {
    store.compact();
    FAIL("compaction should have failed");
  } catch (const StoreError& e) {
    CHECK(e.kind == StoreError::Kind::Corrupt);
  }
  CHECK(store.segment_files() == files);
  for (const auto& f : files) CHECK(std::filesystem::exists(dir / f));
  size_t on_disk = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) on_disk += e.is_regular_file();
  CHECK(on_disk == files.size());
}
