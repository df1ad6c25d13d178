// The tablet's side of the CouchDB replication protocol, against one remote database:
//   pull: _local checkpoint -> _changes (style=all_docs: a batch's worth, then the rest of the round's while
//         those are fetched) -> which revisions are missing here -> _bulk_get (revs=true; a live document with
//         one leaf by id alone) in batches, a few in flight at once, each stored with its ancestry as it arrives
//         -> checkpoint on both sides; then a longpoll _changes waits for the next change. Listing ids and
//         revisions first and fetching them with parallel _bulk_gets is what made CHT's first sync ~10× faster;
//         it is still the plain protocol, so any CouchDB serves it.
//   push: local changes since the push checkpoint -> _revs_diff -> _bulk_docs (new_edits=false, with
//         _revisions) -> checkpoint on both sides; started by every local write.
// Each loop resumes from its checkpoint after an interruption at any point (a batch is idempotent: revisions
// already held are skipped by _revs_diff and by the revision trees), and retries with exponential backoff and
// jitter. Conflicts that a pull brings are merged at once (sync/merge) and the merge pushed like any edit.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sync/local_replica.hpp"
#include "sync/transport.hpp"

namespace steward::sync {

// A document a pull or a merge changed here. `winner` is its winning revision as pulled (with _id and _rev) when
// the pull knows it, so the app need not read back what it was just given; otherwise read it from the replica.
struct ChangedDoc {
  std::string id;
  std::optional<nlohmann::json> winner;
};

struct ReplicatorOptions {
  // Stable for this replica and remote database: checkpoints live at _local/<id>-pull and _local/<id>-push.
  std::string replication_id;
  size_t batch_size = 1000;           // documents per _bulk_get and per _bulk_docs
  size_t changes_batch_size = 10000;  // changes per pull round (one checkpoint each), listed in two _changes
  int parallel_fetches = 2;           // _bulk_get requests in flight at once
  int longpoll_timeout_ms = 25000;
  int request_timeout_ms = 30000;
  int min_backoff_ms = 1000;
  int max_backoff_ms = 60000;
  bool continuous = true;  // keep listening (longpoll) after catching up
  // false: pull only (a database this person may read but not change): nothing is pushed and nothing counts as
  // waiting to upload.
  bool push = true;
  // A pulled document this replica does not hold yet is stored only when this says yes (unset: every one is). The
  // tablet refuses visitor records past the site's retention, so a purge is not undone by the next pull. A document
  // already held is always brought up to date (its id and body without metadata members are given).
  std::function<bool(std::string_view id, const nlohmann::json& body)> accept_new_doc;
};

// What went wrong, by kind, so the app can say it in plain words (last_error keeps the technical text for logs).
enum class SyncProblem {
  None,
  NoConnection,  // no answer: offline, server down, connection dropped
  TimedOut,      // asked, but no answer in time
  ServerError,   // the server answered 5xx
  NotSignedIn,   // 401: the server does not know who this is (no session, or it ended): sign in again
  NotAllowed,    // 403: the person signed in may not sync this database
  NoDatabase,    // 404: the database is not on the server
  TooLarge,      // 413: a request was over the server's limit
  BadAnswer,     // an answer that is not what the protocol says
  Rejected,      // the server refused some documents (e.g. its rules); the others went through
  Other,         // any other refusal
};

struct ReplicatorStatus {
  bool online = false;          // the last request got an answer
  bool pulling = false;         // a pull batch is being fetched (not the longpoll wait)
  bool pushing = false;
  int64_t last_success_ms = 0;  // a loop last caught up at this time (kept across restarts)
  uint64_t pulled = 0;          // revisions stored by the current pull run
  uint64_t pulled_total = 0;    // revisions stored by pulls since start
  int64_t pull_caught_up_ms = 0;  // when a pull last caught up with the remote
  uint64_t pull_total = 0;      // its estimated size (what _changes reported pending), for a progress bar
  uint64_t pending_upload = 0;  // local documents changed here since the push checkpoint (pulled ones excluded)
  uint64_t merged = 0;          // conflicts merged since start
  SyncProblem problem = SyncProblem::None;  // None after a success
  std::string last_error;       // technical details of `problem`, for logs; empty after a success
  uint64_t rejected = 0;        // documents the server refused in the last push
  int consecutive_failures = 0;
  int64_t next_retry_ms = 0;    // when a failed loop tries again (0: not waiting)
};

// The transport must not call back after the replicator is destroyed (the app keeps one for its lifetime).
class Replicator {
 public:
  Replicator(LocalReplica& local, Transport& transport, ReplicatorOptions options);
  ~Replicator();
  Replicator(const Replicator&) = delete;
  Replicator& operator=(const Replicator&) = delete;

  // Starts both loops (or, when waiting out a backoff, tries again now: connectivity came back).
  void start();
  void stop();
  // A local write: push it soon.
  void local_changed();

  const ReplicatorStatus& status() const { return status_; }
  // The local seq the push checkpoint is at: every change up to it is on the remote (or was refused by it).
  uint64_t pushed_seq() const;
  // Documents that pulls or merges changed here, so the app can refresh what it shows.
  std::function<void(const std::vector<ChangedDoc>& changed)> on_docs_changed;
  // Called whenever status() changes.
  std::function<void()> on_status;

 private:
  struct Loop;
  void pull_start();
  void pull_batch(const nlohmann::json& since);
  void pull_list(const nlohmann::json& since, size_t limit);
  void pull_fetch(const nlohmann::json& results, const nlohmann::json& last_seq, std::optional<uint64_t> pending,
                  size_t limit);
  void pull_fetch_next();
  void pull_store(nlohmann::json& bulk_get);
  void pull_maybe_round_done();
  void pull_round_done();
  void pull_listen(const nlohmann::json& since);
  void push_start();
  void push_batch(uint64_t since);
  void push_send(const nlohmann::json& diff, uint64_t last_seq);
  void save_checkpoint(Loop& loop, const nlohmann::json& last_seq, std::function<void()> then);
  void put_remote_checkpoint(Loop& loop, const nlohmann::json& doc, std::function<void()> then, bool retried);
  void read_checkpoint(Loop& loop, std::function<void(nlohmann::json since)> then);
  void merge_conflicts(std::vector<ChangedDoc>& changed);
  // `recheck`: first drop the pulled documents that something changed here since they came (a local edit); false
  // where the caller kept that list exact itself.
  void update_pending_upload(bool recheck = true);
  void save_state();
  // The document's only leaf is `rev` (nothing changed it here since a pull brought it).
  bool still_as_pulled(const std::string& id, const RevId& rev) const;

  // Sends a request; on no answer or an error status, reports it and schedules the loop's restart.
  void request(Loop& loop, HttpRequest req, std::function<void(nlohmann::json& body)> on_ok,
               std::vector<int> accepted = {200, 201});
  void fail(Loop& loop, SyncProblem problem, const std::string& why);
  void succeeded(Loop& loop);
  void notify();

  LocalReplica& local_;
  Transport& transport_;
  ReplicatorOptions options_;
  ReplicatorStatus status_;
  struct Loops;
  Loops* loops_;
  struct PullRound;
  PullRound* round_;
  uint64_t epoch_ = 0;  // bumped by stop(): answers to requests from before are ignored
};

// The query string value for a since/last_seq: CouchDB's are opaque strings, ours are numbers.
std::string seq_param(const nlohmann::json& seq);

}  // namespace steward::sync
