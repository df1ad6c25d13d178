// The tablet's local document store: JSON documents with _id/_rev, kept in append-only segment files.
//
// Why segments: on the tablet the folder is an IDBFS mount, and FS.syncfs writes every *changed file whole*.
// A save therefore appends to a small active segment (rolled at `segment_bytes`), so the cost of persisting
// one save does not grow with the store. Each record carries its length and a checksum; opening the store
// replays the segments in order and, in the last one, truncates a torn tail (a write cut off by a crash or
// a killed tab) while keeping everything before it. Damage inside a file (a valid record still follows it)
// is skipped with a warning and never truncated. Compaction rewrites the live documents into fresh
// segments and then removes the old ones; a crash part-way leaves duplicate copies of the same revisions,
// which replay recognises as such, never a loss.
//
// Plain POSIX file I/O only: the same code runs natively (tests, benchmarks) and under Emscripten's FS.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sync/local_replica.hpp"
#include "sync/rev_tree.hpp"

namespace steward::store {

struct StoreError : std::runtime_error {
  enum class Kind { Io, NoSpace, Corrupt, BadDocument, Conflict, ReadOnly };
  Kind kind;
  StoreError(Kind k, const std::string& what) : std::runtime_error(what), kind(k) {}
};

struct Options {
  size_t segment_bytes = 128 * 1024;  // roll the active segment past this size
  size_t revs_limit = 100;            // revisions kept per path, as CouchDB's _revs_limit
  bool read_only = false;             // a second tab: read, never write (not even a torn-tail repair)
  // Compaction is worthwhile once dead bytes are at least this share of all bytes, and at least min bytes.
  double compact_dead_ratio = 0.5;
  size_t compact_min_dead_bytes = 1 * 1024 * 1024;
};

// What opening found, for the UI and the logs.
struct OpenReport {
  size_t segments = 0;
  size_t records = 0;          // records replayed (all revisions, not just live docs)
  size_t documents = 0;        // live documents (latest revision not deleted)
  size_t torn_bytes_dropped = 0;
  std::vector<std::string> warnings;  // e.g. "seg-000003.log: checksum mismatch at offset 4096; tail dropped"
};

struct Stats {
  size_t segments = 0;
  uint64_t total_bytes = 0;  // on disk
  uint64_t live_bytes = 0;   // bytes of the records still needed: every current leaf, and local documents
  size_t documents = 0;      // including deleted ones (tombstones)
  uint64_t update_seq = 0;
};

// Files the store wrote or removed, by name relative to its folder: what a platform that persists files one by
// one (IDBFS on the tablet) has to carry over. A name is in at most one of the two lists.
struct FileChanges {
  std::vector<std::string> written;
  std::vector<std::string> removed;
  bool empty() const { return written.empty() && removed.empty(); }
};

class DocStore {
 public:
  // Opens (creating the folder if needed) and replays. Throws StoreError.
  static DocStore open(const std::string& dir, Options opts = {});

  DocStore(DocStore&&) noexcept;
  DocStore& operator=(DocStore&&) noexcept;
  ~DocStore();

  // Saves a new revision made here (CouchDB's new_edits=true). `doc` must be an object with a string "_id". If
  // the store holds the id, doc must carry one of its current leaf revisions as "_rev" (else Kind::Conflict),
  // normally the winner; if not, doc must carry no "_rev". A deleted document may
  // also be recreated without "_rev" (its new revision descends from the tombstone). "_deleted": true makes a
  // tombstone. Returns the new rev ("N-hash"). The record is written (write(2) returned) before this returns;
  // making it durable on the tablet (FS.syncfs) is the platform's job. Throws StoreError.
  std::string put(nlohmann::json doc);

  // The winning revision (with _id and _rev, and "_conflicts" when other non-deleted leaves exist), or nullopt
  // if unknown or the winner is deleted.
  std::optional<nlohmann::json> get(std::string_view id) const;

  // ---- replication ---------------------------------------------------------------------------------------
  // A revision received from another replica (CouchDB's new_edits=false): merged into the document's revision
  // tree with its ancestry, never a conflict error; a revision already known changes nothing. Metadata members in
  // `body` (_id, _rev, _revisions, ...: sync::strip_revision_metadata) are left out. Returns true when something was
  // stored, and then gives the document's leaves after it in `leaves_after` (if not null).
  bool put_replicated(std::string_view id, const sync::RevPath& path, bool deleted, const nlohmann::json& body,
                      std::vector<sync::Leaf>* leaves_after = nullptr);
  // Several, in order, each as above; for each, the leaves after it or nullopt when nothing was stored. Their records
  // are written together, in runs (a run ends before a document it has already, and where a segment fills): in a
  // pull one write per record cost more than encoding it. A refused revision (StoreError) or a failed write stops
  // there; those before it are stored, and a failed run leaves the store as it was before that run.
  sync::StoredLeaves put_replicated(const std::vector<sync::ReplicatedRevision>& revisions);
  // The document's revision tree; nullopt if the id is unknown.
  std::optional<sync::RevTree> rev_tree(std::string_view id) const;
  // Its leaves, winner first; empty if the id is unknown.
  std::vector<sync::Leaf> leaves(std::string_view id) const;
  // One revision (a current leaf; bodies of superseded revisions are not kept), with _id, _rev, and
  // "_deleted": true for a tombstone; with "_revisions" when `with_revisions`. nullopt if not held.
  std::optional<nlohmann::json> get_rev(std::string_view id, const sync::RevId& rev, bool with_revisions = false) const;

  using Change = sync::ReplicaChange;  // seq, id, leaves (winner first)
  // Documents whose latest change is after `since`, in seq order, at most `limit` (a document appears once).
  std::vector<Change> changes_since(uint64_t since, size_t limit) const;
  // How many documents changed after `since` (what changes_since would list without a limit), cheaply.
  size_t count_changes_since(uint64_t since) const;

  // Removes documents from this store alone, with their whole history (what CouchDB's _purge does): nothing is
  // replicated, no tombstone is made; a replica that still has them is unaffected. For retention on the tablet.
  // Ids not held are skipped. The removal is one appended record per document, so it survives a restart and costs
  // what an edit costs; the bytes go at the next compaction. Returns how many documents were removed.
  size_t purge(const std::vector<std::string>& ids);
  // The seq of a document's latest change (what changes_since compares with); 0 when not held.
  uint64_t doc_seq(std::string_view id) const;

  // Local documents: never replicated, not in the changes feed (replication checkpoints, device settings).
  // Stored with a "_rev" of "0-N" as CouchDB does; put_local overwrites.
  std::optional<nlohmann::json> get_local(std::string_view id) const;
  void put_local(std::string_view id, const nlohmann::json& body);

  // Every live document, in _id order.
  void for_each(const std::function<void(const nlohmann::json& doc)>& fn) const;
  // Live documents whose _id starts with prefix, in _id order.
  void for_each_with_prefix(std::string_view prefix, const std::function<void(const nlohmann::json& doc)>& fn) const;

  const OpenReport& open_report() const;
  Stats stats() const;
  uint64_t update_seq() const;

  bool compaction_worthwhile() const;
  // Rewrites live records (and tombstones) into new segments, then deletes the old ones. Throws StoreError.
  void compact();

  // What changed on disk since the last call (appends, new segments, a repaired tail, compaction), then forgets it.
  FileChanges take_file_changes();

  // Files of the store, relative to its folder (for diagnostics and tests).
  std::vector<std::string> segment_files() const;

 private:
  struct Impl;
  explicit DocStore(Impl* impl);
  Impl* impl_;
};

}  // namespace steward::store
