// Opening a store that a crash, a killed tab or a bad disk left damaged; and read-only opening.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "store/doc_store.hpp"
#include "store/record.hpp"
#include "support.hpp"

using namespace steward::store;
using namespace steward::store::testing;
using nlohmann::json;

namespace {

bool has_warning(const OpenReport& r, const std::string& part) {
  for (const auto& w : r.warnings) {
    if (w.find(part) != std::string::npos) return true;
  }
  return false;
}

// A store of a few documents whose last record updates "visit:…0002". Returns the byte range of that record.
struct TornFixture {
  TempDir dir;
  std::string segment;
  uint64_t last_start = 0;
  uint64_t last_end = 0;
  json before_last;  // contents without the last record
  json after_last;   // contents with it

  TornFixture() {
    DocStore store = DocStore::open(dir.path());
    for (int i = 0; i < 5; ++i) store.put(visit_doc(i));
    before_last = contents(store);
    segment = dir / store.segment_files().back();
    last_start = file_size(segment);
    json d = *store.get(visit_doc(2)["_id"].get<std::string>());
    d["received_by"] = "张伟";
    store.put(d);
    last_end = file_size(segment);
    after_last = contents(store);
  }
};

}  // namespace

TEST_CASE("a torn last record is cut off, at every possible cut point") {
  TornFixture f;
  REQUIRE(f.last_end - f.last_start > 300);
  for (uint64_t cut = f.last_start; cut < f.last_end; ++cut) {
    CAPTURE(cut);
    TempDir copy;
    copy_folder(f.dir.path(), copy.path());
    const std::string seg = copy / std::filesystem::path(f.segment).filename().string();
    truncate_file(seg, cut);

    {
      DocStore store = DocStore::open(copy.path());
      const OpenReport& r = store.open_report();
      CHECK(r.torn_bytes_dropped == cut - f.last_start);
      CHECK(r.warnings.size() == (cut > f.last_start ? 1u : 0u));
      CHECK(r.records == 5);
      CHECK(contents(store) == f.before_last);
      CHECK(file_size(seg) == f.last_start);  // repaired on disk
      CHECK(store.update_seq() == 5);

      // The same edit can be made again.
      json d = *store.get(visit_doc(2)["_id"].get<std::string>());
      d["received_by"] = "张伟";
      store.put(d);
      CHECK(contents(store) == f.after_last);
    }
    DocStore reopened = DocStore::open(copy.path());
    CHECK(reopened.open_report().warnings.empty());
    CHECK(contents(reopened) == f.after_last);
  }
}

TEST_CASE("garbage after the last record is dropped") {
  TornFixture f;
  // "STW2" is the current magic, "STW1" the format before revision trees.
  for (const std::string& garbage : {std::string(1, '\0'), std::string(100, '\0'), std::string("STW2"),
                                     std::string("STW2") + std::string(40, '\x7f'), std::string("STW1"),
                                     std::string("STW1") + std::string(40, '\x7f'), std::string("{\"a\":1}")}) {
    TempDir copy;
    copy_folder(f.dir.path(), copy.path());
    const std::string seg = copy / std::filesystem::path(f.segment).filename().string();
    append_bytes(seg, garbage);
    DocStore store = DocStore::open(copy.path());
    CHECK(store.open_report().torn_bytes_dropped == garbage.size());
    CHECK(contents(store) == f.after_last);
    CHECK(file_size(seg) == f.last_end);
  }
}

TEST_CASE("read-only: a torn tail is ignored in memory and nothing is written") {
  TornFixture f;
  truncate_file(f.segment, f.last_end - 10);
  DocStore store = DocStore::open(f.dir.path(), {.read_only = true});
  CHECK(store.open_report().torn_bytes_dropped == f.last_end - 10 - f.last_start);
  CHECK(has_warning(store.open_report(), "read-only"));
  CHECK(contents(store) == f.before_last);
  CHECK(file_size(f.segment) == f.last_end - 10);

  auto kind = [&](auto&& fn) {
    try {
      fn();
    } catch (const StoreError& e) {
      return e.kind;
    }
    return StoreError::Kind::Io;
  };
  CHECK(kind([&] { store.put({{"_id", "new"}}); }) == StoreError::Kind::ReadOnly);
  CHECK(kind([&] { store.compact(); }) == StoreError::Kind::ReadOnly);
  CHECK(file_size(f.segment) == f.last_end - 10);
}

TEST_CASE("read-only on a folder that does not exist: an empty store, nothing created") {
  TempDir dir;
  DocStore store = DocStore::open(dir / "nope", {.read_only = true});
  CHECK(contents(store).empty());
  CHECK_FALSE(std::filesystem::exists(dir / "nope"));
}

TEST_CASE("damage in an earlier segment: a warning, the file untouched, later segments still read") {
  TempDir dir;
  Options opts;
  opts.segment_bytes = 2048;
  json everything;
  std::vector<std::string> files;
  {
    DocStore store = DocStore::open(dir.path(), opts);
    for (int i = 0; i < 40; ++i) store.put(visit_doc(i));
    everything = contents(store);
    files = store.segment_files();
  }
  REQUIRE(files.size() >= 4);
  const std::string second = dir / files[1];
  const uint64_t size = file_size(second);

  auto live_ids = [](const json& all) {
    std::set<std::string> ids;
    for (const auto& d : all) ids.insert(d["_id"]);
    return ids;
  };
  const auto all_ids = live_ids(everything);

  SUBCASE("a flipped body byte in the first record: only that record is lost") {
    flip_byte(second, 200);
    DocStore store = DocStore::open(dir.path(), opts);
    CHECK(has_warning(store.open_report(), files[1] + ": checksum mismatch at offset 0"));
    CHECK(store.open_report().torn_bytes_dropped == 0);
    CHECK(file_size(second) == size);
    CHECK(live_ids(contents(store)).size() == all_ids.size() - 1);
  }
  SUBCASE("a flipped length field: resynchronised at the next record") {
    flip_byte(second, 20);  // body_len of the first record
    DocStore store = DocStore::open(dir.path(), opts);
    CHECK(store.open_report().warnings.size() == 1);
    CHECK(live_ids(contents(store)).size() == all_ids.size() - 1);
    CHECK(file_size(second) == size);
  }
  SUBCASE("an earlier segment cut short: the rest of it is ignored, not truncated") {
    truncate_file(second, size - 50);
    DocStore store = DocStore::open(dir.path(), opts);
    CHECK(has_warning(store.open_report(), "rest of segment ignored"));
    CHECK(store.open_report().torn_bytes_dropped == 0);
    CHECK(file_size(second) == size - 50);
    CHECK(live_ids(contents(store)).size() == all_ids.size() - 1);
    // Segments after it are all there.
    for (int i = 30; i < 40; ++i) CHECK(store.get(visit_doc(i)["_id"].get<std::string>()));
  }
  SUBCASE("an older revision shows through a lost newer one") {
    json older;
    std::vector<std::string> now_files;
    {
      DocStore store = DocStore::open(dir.path(), opts);
      older = *store.get(visit_doc(0)["_id"].get<std::string>());
      json updated = older;
      updated["notes"] = "改";
      store.put(updated);
      store.put(visit_doc(99));  // so the damaged record is not the store's tail
      now_files = store.segment_files();
    }
    // Find the newer record by its content and damage it.
    std::string damaged;
    for (const auto& name : now_files) {
      std::ifstream in(dir / name, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (const size_t at = bytes.find("\"notes\":\"改\""); at != std::string::npos) {
        damaged = dir / name;
        flip_byte(damaged, at);
      }
    }
    REQUIRE_FALSE(damaged.empty());
    const uint64_t damaged_size = file_size(damaged);
    DocStore store = DocStore::open(dir.path(), opts);
    CHECK(store.open_report().warnings.size() == 1);
    CHECK(store.open_report().torn_bytes_dropped == 0);  // not the tail: damage, not a torn write
    CHECK(file_size(damaged) == damaged_size);
    CHECK(*store.get(visit_doc(0)["_id"].get<std::string>()) == older);
    CHECK(store.get("visit:00000099-7c1e-4b2a-9f3d-5e8a1c2b3d4e"));
  }
}

TEST_CASE("damage found after opening is reported as Corrupt, never as another exception") {
  TempDir dir;
  DocStore store = DocStore::open(dir.path());
  for (int i = 0; i < 3; ++i) store.put(visit_doc(i));
  flip_byte(dir / "seg-000001.log", 100);
  int kinds_corrupt = 0;
  try {
    store.get(visit_doc(0)["_id"].get<std::string>());
  } catch (const StoreError& e) {
    kinds_corrupt += e.kind == StoreError::Kind::Corrupt;
  }
  try {
    store.for_each([](const json&) {});
  } catch (const StoreError& e) {
    kinds_corrupt += e.kind == StoreError::Kind::Corrupt;
  }
  CHECK(kinds_corrupt == 2);
  CHECK(store.get(visit_doc(1)["_id"].get<std::string>()));
}

TEST_CASE("a whole record whose body is not a JSON object we can read is Corrupt when read") {
  // Checksums hold (the damage was there when the record was written, by an older or faulty version), so replay
  // keeps the records and only reading the bodies finds them out.
  TempDir dir;
  const std::string hash(32, 'a');
  {
    DocStore store = DocStore::open(dir.path());
    store.put(visit_doc(0));
  }
  std::string bytes;
  uint64_t seq = 2;
  for (const char* body : {R"({"party_size":1e400})", R"({"name":"王)", R"([1,2])", "{\"a\":\"\xff\"}"}) {
    const std::string id = "visit:bad-" + std::to_string(seq);
    record::encode(bytes, {.seq = seq++, .id = id, .rev = "1-" + hash, .ancestry = {}, .body = body});
  }
  append_bytes(dir / "seg-000001.log", bytes);
  DocStore store = DocStore::open(dir.path());
  CHECK(store.open_report().warnings.empty());
  for (uint64_t n = 2; n < seq; ++n) {
    CAPTURE(n);
    CHECK(kind_of([&] { store.get("visit:bad-" + std::to_string(n)); }) == StoreError::Kind::Corrupt);
  }
  CHECK(store.get(visit_doc(0)["_id"].get<std::string>()));
}

TEST_CASE("stray files in the folder are ignored") {
  TempDir dir;
  {
    DocStore store = DocStore::open(dir.path());
    store.put({{"_id", "x"}});
  }
  append_bytes(dir / "seg-1.log", "junk");
  append_bytes(dir / "seg-0000001.log", "junk");
  append_bytes(dir / "seg-000002.log.tmp", "junk");
  append_bytes(dir / "notes.txt", "junk");
  DocStore store = DocStore::open(dir.path());
  CHECK(store.open_report().warnings.empty());
  CHECK(store.segment_files() == std::vector<std::string>{"seg-000001.log"});
}
