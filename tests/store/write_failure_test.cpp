// A full disk or a failed write: the save fails with StoreError, memory and files stay as they were.
//
// Real failures, not mocks: RLIMIT_FSIZE makes the kernel cut a write short and then refuse it (EFBIG, with
// SIGXFSZ ignored), exactly the shape of a disk filling up mid-record. The limit is set in a forked child so
// it cannot touch the test runner's own output. /dev/full gives a genuine ENOSPC.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <functional>

#include "store/doc_store.hpp"
#include "support.hpp"
#include "sync/revision.hpp"

using namespace steward::store;
using namespace steward::store::testing;
using nlohmann::json;

namespace {

// Runs body in a child process; returns its result (0 = all its checks held, else the number of the first
// check that failed).
int in_child(const std::function<int()>& body) {
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int code = 90;
    try {
      code = body();
    } catch (const std::exception&) {
      code = 91;
    }
    ::_exit(code);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

class FileSizeLimit {
 public:
  explicit FileSizeLimit(uint64_t bytes) {
    ::signal(SIGXFSZ, SIG_IGN);
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    rlimit lower = saved_;
    lower.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &lower);
  }
  ~FileSizeLimit() { ::setrlimit(RLIMIT_FSIZE, &saved_); }

 private:
  rlimit saved_{};
};

// Returns the kind of StoreError that f throws, or nullopt.
std::optional<StoreError::Kind> error_kind(const std::function<void()>& f) {
  try {
    f();
  } catch (const StoreError& e) {
    return e.kind;
  }
  return std::nullopt;
}

#define CHILD_CHECK(n, cond) \
  if (!(cond)) return n

}  // namespace

TEST_CASE("a write cut short in the active segment is rolled back") {
  TempDir dir;
  {
    DocStore store = DocStore::open(dir.path());
    for (int i = 0; i < 5; ++i) store.put(visit_doc(i));
  }
  const std::string seg = dir / "seg-000001.log";
  const uint64_t size = file_size(seg);

  const int result = in_child([&] {
    DocStore store = DocStore::open(dir.path());
    const json before = contents(store);
    const Stats stats = store.stats();
    {
      FileSizeLimit limit(size + 100);  // room for part of the next record only
      CHILD_CHECK(1, error_kind([&] { store.put(visit_doc(50)); }) == StoreError::Kind::NoSpace);
      CHILD_CHECK(2, file_size(seg) == size);
      CHILD_CHECK(3, contents(store) == before);
      CHILD_CHECK(4, store.update_seq() == stats.update_seq);
      CHILD_CHECK(5, store.stats().total_bytes == stats.total_bytes);
      CHILD_CHECK(6, !store.get(visit_doc(50)["_id"].get<std::string>()));
      // An update fails the same way and keeps the old revision.
      json d = *store.get(visit_doc(1)["_id"].get<std::string>());
      d["notes"] = std::string(500, 'x');
      CHILD_CHECK(7, error_kind([&] { store.put(d); }) == StoreError::Kind::NoSpace);
      CHILD_CHECK(8, (*store.get(visit_doc(1)["_id"].get<std::string>()))["_rev"] == d["_rev"]);
    }
    // Space again: the same save succeeds and lands where the failed one would have.
    store.put(visit_doc(50));
    CHILD_CHECK(9, file_size(seg) > size);
    CHILD_CHECK(10, store.update_seq() == stats.update_seq + 1);
    return 0;
  });
  CHECK(result == 0);

  DocStore reopened = DocStore::open(dir.path());
  CHECK(reopened.open_report().warnings.empty());
  CHECK(reopened.open_report().torn_bytes_dropped == 0);
  CHECK(contents(reopened).size() == 6);
  CHECK(reopened.update_seq() == 6);
}

TEST_CASE("a failed write into a new segment removes that segment") {
  TempDir dir;
  Options opts;
  opts.segment_bytes = 1500;
  {
    DocStore store = DocStore::open(dir.path(), opts);
    store.put(visit_doc(0));
    store.put(visit_doc(1));
  }
  const int result = in_child([&] {
    DocStore store = DocStore::open(dir.path(), opts);
    const auto files = store.segment_files();
    const json before = contents(store);
    {
      FileSizeLimit limit(64);  // the next record needs a new segment, and only 64 bytes of it fit
      CHILD_CHECK(1, error_kind([&] { store.put(visit_doc(2)); }) == StoreError::Kind::NoSpace);
    }
    CHILD_CHECK(2, store.segment_files() == files);
    for (int n = 1; n < 10; ++n) {
      const std::string name = "seg-00000" + std::to_string(n) + ".log";
      const bool listed = std::find(files.begin(), files.end(), name) != files.end();
      CHILD_CHECK(3, std::filesystem::exists(dir / name) == listed);
    }
    CHILD_CHECK(4, contents(store) == before);
    store.put(visit_doc(2));
    CHILD_CHECK(5, store.segment_files().size() == files.size() + 1);
    return 0;
  });
  CHECK(result == 0);
  DocStore reopened = DocStore::open(dir.path(), opts);
  CHECK(contents(reopened).size() == 3);
  CHECK(reopened.open_report().warnings.empty());
}

TEST_CASE("a compaction that runs out of space leaves the store as it was") {
  TempDir dir;
  Options opts;
  opts.segment_bytes = 4096;
  {
    DocStore store = DocStore::open(dir.path(), opts);
    for (int i = 0; i < 30; ++i) store.put(visit_doc(i));
    for (int i = 0; i < 30; ++i) {
      json d = *store.get(visit_doc(i)["_id"].get<std::string>());
      d["left_ms"] = 1;
      store.put(d);
    }
  }
  const int result = in_child([&] {
    DocStore store = DocStore::open(dir.path(), opts);
    const auto files = store.segment_files();
    const json before = contents(store);
    {
      FileSizeLimit limit(1000);
      CHILD_CHECK(1, error_kind([&] { store.compact(); }) == StoreError::Kind::NoSpace);
    }
    CHILD_CHECK(2, store.segment_files() == files);
    size_t on_disk = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) on_disk += e.is_regular_file();
    CHILD_CHECK(3, on_disk == files.size());
    CHILD_CHECK(4, contents(store) == before);
    store.put(visit_doc(99));
    store.compact();
    CHILD_CHECK(5, contents(store).size() == before.size() + 1);
    return 0;
  });
  CHECK(result == 0);
  DocStore reopened = DocStore::open(dir.path(), opts);
  CHECK(contents(reopened).size() == 31);
  CHECK(reopened.open_report().warnings.empty());
}

TEST_CASE("ENOSPC from a full device") {
  if (!std::filesystem::exists("/dev/full")) {
    MESSAGE("no /dev/full here: skipped");
    return;
  }
  TempDir dir;
  {
    DocStore store = DocStore::open(dir.path());
    store.put(visit_doc(0));
  }
  // The active segment is a device that accepts no byte.
  std::filesystem::create_symlink("/dev/full", dir / "seg-000002.log");
  DocStore store = DocStore::open(dir.path());
  const json before = contents(store);
  CHECK(error_kind([&] { store.put(visit_doc(1)); }) == StoreError::Kind::NoSpace);
  CHECK(contents(store) == before);
  CHECK(store.update_seq() == 1);
  CHECK_FALSE(store.get(visit_doc(1)["_id"].get<std::string>()));
}

TEST_CASE("a replicated revision or a local document that cannot be written changes nothing") {
  if (!std::filesystem::exists("/dev/full")) {
    MESSAGE("no /dev/full here: skipped");
    return;
  }
  TempDir dir;
  steward::sync::RevId first;
  {
    DocStore store = DocStore::open(dir.path());
    first = *steward::sync::parse_rev(store.put({{"_id", "doc"}, {"v", 1}}));
    store.put_local("pull", {{"last_seq", 1}});
  }
  std::filesystem::create_symlink("/dev/full", dir / "seg-000002.log");
  DocStore store = DocStore::open(dir.path());
  const auto tree = store.rev_tree("doc");
  const auto changes = store.changes_since(0, 100);
  CHECK(error_kind([&] {
          store.put_replicated("doc", {2, {"b", first.hash}}, false, {{"v", 2}});
        }) == StoreError::Kind::NoSpace);
  CHECK(error_kind([&] { store.put_replicated("new", {1, {"a"}}, false, {{"v", 1}}); }) ==
        StoreError::Kind::NoSpace);
  CHECK(error_kind([&] { store.put_local("pull", {{"last_seq", 2}}); }) == StoreError::Kind::NoSpace);
  CHECK(*store.rev_tree("doc") == *tree);
  CHECK_FALSE(store.rev_tree("new"));
  CHECK(store.changes_since(0, 100).size() == changes.size());
  CHECK(store.update_seq() == 1);
  CHECK(*store.get_local("pull") == nlohmann::json({{"_id", "_local/pull"}, {"_rev", "0-1"}, {"last_seq", 1}}));
  // Once there is room again, the same revision is new and is stored.
  std::filesystem::remove(dir / "seg-000002.log");
  DocStore again = DocStore::open(dir.path());
  CHECK(again.put_replicated("doc", {2, {"b", first.hash}}, false, {{"v", 2}}));
}

TEST_CASE("a pull's batch whose records cannot be written leaves the store as it was") {
  TempDir dir;
  {
    DocStore store = DocStore::open(dir.path());
    for (int i = 0; i < 5; ++i) store.put(visit_doc(i));
  }
  const std::string seg = dir / "seg-000001.log";
  const uint64_t size = file_size(seg);
  std::vector<std::string> ids;
  std::vector<steward::sync::RevPath> paths;
  std::vector<json> bodies;
  for (int i = 10; i < 30; ++i) {
    json doc = visit_doc(i);
    ids.push_back(doc["_id"]);
    steward::sync::strip_revision_metadata(doc);
    bodies.push_back(doc);
    paths.push_back({1, {std::string(31, 'a') + char('a' + i - 10)}});
  }
  std::vector<steward::sync::ReplicatedRevision> batch;
  for (size_t i = 0; i < ids.size(); ++i) batch.push_back({ids[i], &paths[i], false, &bodies[i]});

  const int result = in_child([&] {
    DocStore store = DocStore::open(dir.path());
    const json before = contents(store);
    const Stats stats = store.stats();
    {
      FileSizeLimit limit(size + 1000);  // room for two or three of the twenty records
      CHILD_CHECK(1, error_kind([&] { store.put_replicated(batch); }) == StoreError::Kind::NoSpace);
      CHILD_CHECK(2, file_size(seg) == size);
      CHILD_CHECK(3, contents(store) == before);
      CHILD_CHECK(4, store.update_seq() == stats.update_seq);
      CHILD_CHECK(5, store.stats().total_bytes == stats.total_bytes);
      CHILD_CHECK(6, store.leaves(ids[0]).empty());
    }
    // Room again: the same batch is stored, every revision new.
    const steward::sync::StoredLeaves stored = store.put_replicated(batch);
    for (const auto& leaves : stored) CHILD_CHECK(7, leaves.has_value());
    CHILD_CHECK(8, store.update_seq() == stats.update_seq + 20);
    return 0;
  });
  CHECK(result == 0);

  DocStore reopened = DocStore::open(dir.path());
  CHECK(reopened.open_report().warnings.empty());
  CHECK(reopened.open_report().torn_bytes_dropped == 0);
  CHECK(contents(reopened).size() == 25);
}
