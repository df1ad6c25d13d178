// The changes feed: one row per document changed after `since`, at the seq of its latest change (seqs are
// plain integers, which PouchDB and CouchDB's replicator treat as opaque), and the wake-up of longpoll
// requests when a write to their database commits.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "server/couch_db.hpp"
#include "server/couch_documents.hpp"

namespace steward::server::couch {

struct ChangesQuery {
  int64_t since = 0;
  int64_t limit = -1;          // < 0: no limit
  bool descending = false;
  bool all_leaves = false;     // style=all_docs: every leaf revision, not just the winner
  bool include_docs = false;   // the winning revision's document
  RenderOptions render;        // for include_docs (conflicts, attachments)
  std::optional<std::set<std::string>> doc_ids;  // filter=_doc_ids
};

struct ChangesPage {
  std::string rows;   // the rows' JSON objects, comma-separated
  size_t count = 0;
  int64_t last_seq = 0;
  int64_t pending = 0;  // changes after last_seq not in this page (limit)

  std::string json() const;  // {"results":[..],"last_seq":..,"pending":..}
};

ChangesPage read_changes(CouchTables& tables, const DbInfo& db, const ChangesQuery& query);

// Longpoll waiters sleep on a condition variable; every commit that changed a database bumps its version and
// wakes them. Versions, not seqs: a database deleted and created again starts its seqs over.
class ChangeNotifier {
 public:
  using Clock = std::chrono::steady_clock;

  uint64_t version(const std::string& db);
  void notify(const std::string& db);
  // Waits until db's version differs from `seen`, or `until`, or shutdown. True when it changed.
  bool wait(const std::string& db, uint64_t seen, Clock::time_point until);
  // Wakes every waiter for good: the server is stopping and must not wait out their timeouts.
  void shutdown();
  bool stopping();

 private:
  uint64_t current(const std::string& db) const;  // with mutex_ held

  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, uint64_t> versions_;
  bool stopping_ = false;
};

}  // namespace steward::server::couch
