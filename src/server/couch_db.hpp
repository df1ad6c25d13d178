// SQLite data access for the CouchDB-shaped databases (migrations 2, 5 and 6 in sqlite_store.cpp). Only rows in
// and out: what a revision tree or a conflict means is decided by the callers (couch_doc_writes.cpp, ...).
//
//   couch_dbs          one row per database: its update_seq (the last change's seq; seqs are plain integers),
//                      live and deleted document counts, and revs_limit
//   couch_docs         one row per document, under a key of its own (the rowid, given in creation order): its
//                      revision tree (RevTree::to_json), its leaf revisions (winner first, so _changes needs no
//                      tree parsing), whether the winner is deleted, and the seq of its latest change; a document
//                      is in the changes feed once, at that seq. Found by (db, id) and by (db, seq) through
//                      unique indexes
//   couch_revs         the bodies of the leaf revisions only (CouchDB keeps older bodies until compaction; we
//                      drop a body when its revision stops being a leaf), with their attachment stubs; in
//                      arrival order, found through a unique index on (document key, rev)
//   couch_local        _local documents: not replicated, no revision tree, a counter as revision ("0-N")
//   couch_attachments  attachment bytes by MD5 digest, shared by every revision that carries them
//
// Documents are keyed by number rather than by (db, id) so that a batch of new documents, whose ids are random
// UUIDs, appends to the end of the tables instead of writing at random places all over them.
//
// A CouchTables lives inside one transaction (SqliteStore::read/write) and keeps its prepared statements
// for that transaction, so a _bulk_docs of a thousand documents prepares each statement once.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/sqlite_store.hpp"

namespace steward::server::couch {

struct DbInfo {
  int64_t id = 0;
  std::string name;
  int64_t update_seq = 0;
  int64_t doc_count = 0;
  int64_t doc_del_count = 0;
  int64_t revs_limit = 1000;
};

struct DocRow {
  int64_t key = 0;        // the couch_docs row's own key, which its revisions refer to; 0 until first saved
  std::string id;
  int64_t seq = 0;
  bool deleted = false;   // the winning revision is a tombstone
  std::string leaves;     // leaf revisions, winner first, separated by single spaces
  std::string tree;       // RevTree::to_json() text; empty when the query left it out

  std::string winner() const { return leaves.substr(0, leaves.find(' ')); }
  std::vector<std::string> leaf_revs() const;
  // Each leaf revision, winner first, as a view into `leaves` (no copies: a _changes row of every document).
  template <typename Fn>
  void for_each_leaf(Fn&& fn) const {
    const std::string_view all(leaves);
    size_t from = 0;
    while (from < all.size()) {
      const size_t to = std::min(all.find(' ', from), all.size());
      if (to > from) fn(all.substr(from, to - from));
      from = to + 1;
    }
  }
};

// A leaf revision's stored content.
struct RevBody {
  bool deleted = false;
  std::string body = "{}";                 // a JSON object without any _-prefixed member
  std::optional<std::string> attachments;  // a JSON object of stubs (couch_attachments.hpp), if any
};

struct LocalDoc {
  int64_t rev = 0;   // shown as "0-<rev>", as CouchDB does
  std::string body;  // a JSON object without _id/_rev
};

class CouchTables {
 public:
  explicit CouchTables(StoreTransaction& tx) : db_(tx.connection()) {}

  // --- databases
  std::optional<DbInfo> find_db(std::string_view name);
  std::vector<std::string> db_names();
  bool create_db(std::string_view name);  // false when it exists
  void delete_db(int64_t db);             // with everything in it
  void save_db_counters(const DbInfo& info);  // update_seq, doc_count, doc_del_count
  void set_revs_limit(int64_t db, int64_t revs_limit);

  // --- documents
  std::optional<DocRow> find_doc(int64_t db, std::string_view id);
  // Inserts a new document (row.key 0), giving row its key, or updates the one with row.key.
  void save_doc(int64_t db, DocRow& row);
  // Inserts a new document, giving row its key, unless the id is taken (then false, and nothing is written).
  bool create_doc(int64_t db, DocRow& row);
  // A revision of the document `doc` (a row find_doc or save_doc returned).
  std::optional<RevBody> find_rev(const DocRow& doc, std::string_view rev);
  void save_rev(const DocRow& doc, std::string_view rev, const RevBody& body);  // inserts or replaces
  void delete_rev(const DocRow& doc, std::string_view rev);

  // Documents changed after `since`, in seq order (descending: newest first and `since` ignored), at most
  // `limit` (< 0: no limit); fn returns false to stop early. with_tree: fill DocRow::tree.
  void changes(int64_t db, int64_t since, bool descending, int64_t limit, bool with_tree,
               const std::function<bool(const DocRow&)>& fn);
  int64_t count_changes_after(int64_t db, int64_t seq);

  // Live documents by id (binary order of UTF-8 = code point order, which is CouchDB's raw collation for
  // _all_docs), within the optional bounds.
  struct IdRange {
    std::optional<std::string> start, end;
    bool inclusive_end = true;
    bool descending = false;
    int64_t skip = 0;
    int64_t limit = -1;
  };
  void all_docs(int64_t db, const IdRange& range, const std::function<void(const DocRow&)>& fn);
  int64_t count_live_before(int64_t db, const std::string& id, bool descending);

  // --- _local documents
  std::optional<LocalDoc> find_local(int64_t db, std::string_view id);
  void save_local(int64_t db, std::string_view id, const LocalDoc& doc);
  void delete_local(int64_t db, std::string_view id);

  // --- attachment bytes
  bool has_attachment(int64_t db, std::string_view digest);
  std::optional<std::string> attachment(int64_t db, std::string_view digest);
  void save_attachment(int64_t db, std::string_view digest, std::string_view bytes);

 private:
  // The statement for this SQL text, prepared on first use in this transaction and reset for each later use.
  // Keyed by the literal's address: every caller passes a string literal.
  Statement& cached(const char* sql);

  sqlite3* db_;
  std::unordered_map<const char*, std::unique_ptr<Statement>> statements_;
};

}  // namespace steward::server::couch
