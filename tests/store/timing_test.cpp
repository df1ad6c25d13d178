// 20,000 visit documents: how long opening and reading everything take. Printed, not asserted: the
// budget that matters (start-up <= 1.5 s, p95 save <= 50 ms) is measured in the browser build.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>

#include "store/doc_store.hpp"
#include "support.hpp"
#include "sync/revision.hpp"

using namespace steward::store;
using namespace steward::store::testing;
using nlohmann::json;

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

}  // namespace

TEST_CASE("timing: 20k visit documents") {
  constexpr int kDocs = 20'000;
  TempDir dir;
  std::vector<double> save_ms;
  save_ms.reserve(kDocs);
  size_t body_bytes = 0;
  {
    DocStore store = DocStore::open(dir.path());
    for (int i = 0; i < kDocs; ++i) {
      const json doc = visit_doc(i);
      if (i == 0) body_bytes = doc.dump().size();
      const auto t = Clock::now();
      store.put(doc);
      save_ms.push_back(ms_since(t));
    }
  }
  std::sort(save_ms.begin(), save_ms.end());

  auto t = Clock::now();
  DocStore store = DocStore::open(dir.path());
  const double open_ms = ms_since(t);
  REQUIRE(store.open_report().documents == kDocs);

  t = Clock::now();
  size_t seen = 0;
  store.for_each([&](const json&) { ++seen; });
  const double for_each_ms = ms_since(t);
  CHECK(seen == kDocs);

  t = Clock::now();
  size_t visits = 0;
  store.for_each_with_prefix("visit:0001", [&](const json&) { ++visits; });
  const double prefix_ms = ms_since(t);
  CHECK(visits == 10'000);

  t = Clock::now();
  for (int i = 0; i < 1000; ++i) REQUIRE(store.get(visit_doc((i * 7919) % kDocs)["_id"].get<std::string>()));
  const double get_ms = ms_since(t) / 1000;

  char line[400];
  std::snprintf(line, sizeof line,
                "20k docs (~%zu B each), %zu segments, %.1f MB: open %.1f ms, for_each %.1f ms, "
                "prefix (10k) %.1f ms, get %.3f ms, save p50 %.3f ms p95 %.3f ms max %.3f ms",
                body_bytes, store.stats().segments, store.stats().total_bytes / 1e6, open_ms, for_each_ms, prefix_ms,
                get_ms, save_ms[kDocs / 2], save_ms[kDocs * 95 / 100], save_ms.back());
  MESSAGE(line);
}

TEST_CASE("timing: 20k replicated visit documents, a tenth of them in conflict") {
  constexpr int kDocs = 20'000;
  TempDir dir;
  {
    DocStore store = DocStore::open(dir.path());
    for (int i = 0; i < kDocs; ++i) {
      // Pulled from the server with a three-revision history, as a tablet's first sync leaves them.
      json body = visit_doc(i);
      const std::string id = body["_id"];
      body.erase("_id");
      const std::string h = steward::sync::hash128_hex(id);
      store.put_replicated(id, {3, {h, steward::sync::hash128_hex(h), steward::sync::hash128_hex(h + h)}}, false,
                           body);
      if (i % 10 == 0) {  // edited here too: a second leaf
        json mine = *store.get(id);
        mine["notes"] = "本地修改";
        store.put(mine);
        store.put_replicated(id, {4, {steward::sync::hash128_hex("remote" + id), h}}, false, body);
      }
    }
    store.put_local("pull", {{"last_seq", kDocs}});
  }

  auto t = Clock::now();
  DocStore store = DocStore::open(dir.path());
  const double open_ms = ms_since(t);
  REQUIRE(store.open_report().documents == kDocs);

  t = Clock::now();
  const auto changes = store.changes_since(0, SIZE_MAX);
  const double changes_ms = ms_since(t);
  CHECK(changes.size() == kDocs);

  t = Clock::now();
  size_t seen = 0, conflicted = 0;
  store.for_each([&](const json&) { ++seen; });
  for (const auto& c : changes) conflicted += c.leaves.size() > 1;
  const double for_each_ms = ms_since(t);
  CHECK(seen == kDocs);
  CHECK(conflicted == kDocs / 10);

  const double megabytes = store.stats().total_bytes / 1e6;
  t = Clock::now();
  store.compact();
  const double compact_ms = ms_since(t);
  t = Clock::now();
  DocStore compacted = DocStore::open(dir.path());
  const double reopen_ms = ms_since(t);
  CHECK(compacted.open_report().records == kDocs + kDocs / 10 + 1);

  char line[400];
  std::snprintf(line, sizeof line,
                "20k replicated docs, 2k conflicts, %.1f MB: open %.1f ms, changes_since(0) %.1f ms, for_each %.1f ms, "
                "compact %.1f ms, open after compaction %.1f ms",
                megabytes, open_ms, changes_ms, for_each_ms, compact_ms, reopen_ms);
  MESSAGE(line);
}
