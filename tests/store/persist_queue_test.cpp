#include <doctest/doctest.h>

#include "store/persist_queue.hpp"

using steward::store::FileChanges;
using steward::store::PersistQueue;

TEST_CASE("a batch carries every file changed before it started, once each") {
  PersistQueue q;
  CHECK(q.request({{"seg-000001.log"}, {}}) == 1);
  CHECK(q.request({{"seg-000001.log", "seg-000002.log"}, {}}) == 2);
  auto batch = q.start();
  REQUIRE(batch);
  CHECK(batch->generation == 2);
  CHECK(batch->files.written == std::vector<std::string>{"seg-000001.log", "seg-000002.log"});
  CHECK(q.done() == 0);
  q.finished(2, true);
  CHECK(q.done() == 2);
  CHECK_FALSE(q.in_flight());
}

TEST_CASE("one batch in flight; saves made meanwhile wait for the next batch") {
  PersistQueue q;
  q.request({{"seg-000001.log"}, {}});
  auto first = q.start();
  REQUIRE(first);
  q.request({{"seg-000001.log"}, {}});
  CHECK_FALSE(q.start());  // still in flight
  q.finished(first->generation, true);
  CHECK(q.done() == 1);
  auto second = q.start();
  REQUIRE(second);
  CHECK(second->generation == 2);
  q.finished(2, true);
  CHECK(q.done() == 2);
}

TEST_CASE("a failed batch's files go into the next batch, and done waits for it") {
  PersistQueue q;
  q.request({{"seg-000001.log"}, {"seg-000000.log"}});
  auto first = q.start();
  q.finished(first->generation, false);
  CHECK(q.failed() == 1);
  CHECK(q.done() == 0);
  const uint64_t retry = q.request({});
  auto again = q.start();
  REQUIRE(again);
  CHECK(again->generation == retry);
  CHECK(again->files.written == std::vector<std::string>{"seg-000001.log"});
  CHECK(again->files.removed == std::vector<std::string>{"seg-000000.log"});
  q.finished(again->generation, true);
  CHECK(q.done() == retry);
}

TEST_CASE("a newer operation on a file supersedes the failed batch's") {
  PersistQueue q;
  q.request({{"seg-000003.log"}, {}});
  auto first = q.start();
  q.request({{}, {"seg-000003.log"}});  // compacted away while the write was in flight
  q.finished(first->generation, false);
  auto next = q.start();
  REQUIRE(next);
  CHECK(next->files.written.empty());
  CHECK(next->files.removed == std::vector<std::string>{"seg-000003.log"});
}

TEST_CASE("with nothing to write, a request is durable at once") {
  PersistQueue q;
  q.request({});
  CHECK_FALSE(q.start());
  CHECK(q.done() == 1);
}

TEST_CASE("an unknown or stale generation is ignored") {
  PersistQueue q;
  q.request({{"a"}, {}});
  auto b = q.start();
  q.finished(b->generation + 5, true);
  CHECK(q.in_flight());
  CHECK(q.done() == 0);
}
