#include "server/couch_db.hpp"

#include <sqlite3.h>

#include <stdexcept>

namespace steward::server::couch {

namespace {

DocRow read_doc_row(const Statement& q, bool with_tree) {
  // Column order of every document query below: key, id, seq, deleted, leaves[, tree].
  DocRow row;
  row.key = q.integer(0);
  row.id = q.text(1);
  row.seq = q.integer(2);
  row.deleted = q.integer(3) != 0;
  row.leaves = q.text(4);
  if (with_tree) row.tree = q.text(5);
  return row;
}

}  // namespace

std::vector<std::string> DocRow::leaf_revs() const {
  std::vector<std::string> out;
  for_each_leaf([&](std::string_view rev) { out.emplace_back(rev); });
  return out;
}

Statement& CouchTables::cached(const char* sql) {
  auto& slot = statements_[sql];
  if (!slot) return *(slot = std::make_unique<Statement>(db_, sql));
  return slot->reset();
}

// --- databases -------------------------------------------------------------------------------------------

std::optional<DbInfo> CouchTables::find_db(std::string_view name) {
  auto& q = cached("SELECT id, name, update_seq, doc_count, doc_del_count, revs_limit FROM couch_dbs WHERE name = ?1");
  q.bind(1, name);
  if (!q.step()) return std::nullopt;
  return DbInfo{q.integer(0), q.text(1), q.integer(2), q.integer(3), q.integer(4), q.integer(5)};
}

std::vector<std::string> CouchTables::db_names() {
  auto& q = cached("SELECT name FROM couch_dbs ORDER BY name");
  std::vector<std::string> names;
  while (q.step()) names.push_back(q.text(0));
  return names;
}

bool CouchTables::create_db(std::string_view name) {
  auto& q = cached("INSERT INTO couch_dbs(name) VALUES (?1) ON CONFLICT(name) DO NOTHING RETURNING id");
  q.bind(1, name);
  const bool created = q.step();
  while (q.step()) {
  }
  return created;
}

void CouchTables::delete_db(int64_t db) {
  for (const char* sql : {"DELETE FROM couch_revs WHERE doc IN (SELECT key FROM couch_docs WHERE db = ?1)",
                          "DELETE FROM couch_docs WHERE db = ?1",
                          "DELETE FROM couch_local WHERE db = ?1", "DELETE FROM couch_attachments WHERE db = ?1",
                          "DELETE FROM couch_dbs WHERE id = ?1"}) {
    auto& q = cached(sql);
    q.bind(1, db);
    q.step();
  }
}

void CouchTables::save_db_counters(const DbInfo& info) {
  auto& q = cached("UPDATE couch_dbs SET update_seq = ?2, doc_count = ?3, doc_del_count = ?4 WHERE id = ?1");
  q.bind(1, info.id).bind(2, info.update_seq).bind(3, info.doc_count).bind(4, info.doc_del_count);
  q.step();
}

void CouchTables::set_revs_limit(int64_t db, int64_t revs_limit) {
  auto& q = cached("UPDATE couch_dbs SET revs_limit = ?2 WHERE id = ?1");
  q.bind(1, db).bind(2, revs_limit);
  q.step();
}

// --- documents -------------------------------------------------------------------------------------------

std::optional<DocRow> CouchTables::find_doc(int64_t db, std::string_view id) {
  auto& q = cached("SELECT key, id, seq, deleted, leaves, tree FROM couch_docs WHERE db = ?1 AND id = ?2");
  q.bind(1, db).bind(2, id);
  if (!q.step()) return std::nullopt;
  return read_doc_row(q, true);
}

void CouchTables::save_doc(int64_t db, DocRow& row) {
  if (row.key == 0) {
    if (!create_doc(db, row)) throw std::logic_error("document " + row.id + " exists already");
    return;
  }
  auto& q = cached("UPDATE couch_docs SET seq = ?2, deleted = ?3, leaves = ?4, tree = ?5 WHERE key = ?1");
  q.bind(1, row.key).bind(2, row.seq).bind(3, int64_t(row.deleted)).bind(4, row.leaves).bind(5, row.tree);
  q.step();
}

bool CouchTables::create_doc(int64_t db, DocRow& row) {
  auto& q = cached(
      "INSERT INTO couch_docs(db, id, seq, deleted, leaves, tree) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
      "ON CONFLICT(db, id) DO NOTHING");
  q.bind(1, db).bind(2, row.id).bind(3, row.seq).bind(4, int64_t(row.deleted)).bind(5, row.leaves).bind(6, row.tree);
  q.step();
  if (sqlite3_changes(db_) == 0) return false;
  row.key = sqlite3_last_insert_rowid(db_);
  return true;
}

std::optional<RevBody> CouchTables::find_rev(const DocRow& doc, std::string_view rev) {
  auto& q = cached("SELECT deleted, body, attachments FROM couch_revs WHERE doc = ?1 AND rev = ?2");
  q.bind(1, doc.key).bind(2, rev);
  if (!q.step()) return std::nullopt;
  RevBody out{q.integer(0) != 0, q.text(1), std::nullopt};
  if (!q.is_null(2)) out.attachments = q.text(2);
  return out;
}

void CouchTables::save_rev(const DocRow& doc, std::string_view rev, const RevBody& body) {
  auto& q = cached(
      "INSERT INTO couch_revs(doc, rev, deleted, body, attachments) VALUES (?1, ?2, ?3, ?4, ?5) "
      "ON CONFLICT(doc, rev) DO UPDATE SET deleted = excluded.deleted, body = excluded.body, "
      "attachments = excluded.attachments");
  q.bind(1, doc.key).bind(2, rev).bind(3, int64_t(body.deleted)).bind(4, body.body);
  if (body.attachments) q.bind(5, *body.attachments);  // else NULL (cleared bindings)
  q.step();
}

void CouchTables::delete_rev(const DocRow& doc, std::string_view rev) {
  auto& q = cached("DELETE FROM couch_revs WHERE doc = ?1 AND rev = ?2");
  q.bind(1, doc.key).bind(2, rev);
  q.step();
}

void CouchTables::changes(int64_t db, int64_t since, bool descending, int64_t limit, bool with_tree,
                          const std::function<bool(const DocRow&)>& fn) {
  // Four fixed texts rather than one built at run time, so each stays a cached statement.
  const char* sql =
      descending ? (with_tree ? "SELECT key, id, seq, deleted, leaves, tree FROM couch_docs WHERE db = ?1 "
                                "ORDER BY seq DESC LIMIT ?3"
                              : "SELECT key, id, seq, deleted, leaves FROM couch_docs WHERE db = ?1 "
                                "ORDER BY seq DESC LIMIT ?3")
                 : (with_tree ? "SELECT key, id, seq, deleted, leaves, tree FROM couch_docs WHERE db = ?1 AND seq > ?2 "
                                "ORDER BY seq LIMIT ?3"
                              : "SELECT key, id, seq, deleted, leaves FROM couch_docs WHERE db = ?1 AND seq > ?2 "
                                "ORDER BY seq LIMIT ?3");
  auto& q = cached(sql);
  q.bind(1, db).bind(3, limit);  // SQLite: a negative LIMIT means none
  if (!descending) q.bind(2, since);
  while (q.step()) {
    if (!fn(read_doc_row(q, with_tree))) break;
  }
}

int64_t CouchTables::count_changes_after(int64_t db, int64_t seq) {
  auto& q = cached("SELECT count(*) FROM couch_docs WHERE db = ?1 AND seq > ?2");
  q.bind(1, db).bind(2, seq);
  q.step();
  return q.integer(0);
}

void CouchTables::all_docs(int64_t db, const IdRange& range, const std::function<void(const DocRow&)>& fn) {
  // Built per request (the bounds vary); one statement per request is no cost worth caching.
  std::string sql = "SELECT key, id, seq, deleted, leaves FROM couch_docs WHERE db = ?1 AND deleted = 0";
  const char* lower = range.descending ? " AND id <= ?2" : " AND id >= ?2";
  const char* upper = range.descending ? (range.inclusive_end ? " AND id >= ?3" : " AND id > ?3")
                                       : (range.inclusive_end ? " AND id <= ?3" : " AND id < ?3");
  if (range.start) sql += lower;
  if (range.end) sql += upper;
  sql += range.descending ? " ORDER BY id DESC" : " ORDER BY id";
  sql += " LIMIT ?4 OFFSET ?5";
  Statement q(db_, sql);
  q.bind(1, db).bind(4, range.limit).bind(5, range.skip);
  if (range.start) q.bind(2, *range.start);
  if (range.end) q.bind(3, *range.end);
  while (q.step()) fn(read_doc_row(q, false));
}

int64_t CouchTables::count_live_before(int64_t db, const std::string& id, bool descending) {
  auto& q = cached(descending ? "SELECT count(*) FROM couch_docs WHERE db = ?1 AND deleted = 0 AND id > ?2"
                              : "SELECT count(*) FROM couch_docs WHERE db = ?1 AND deleted = 0 AND id < ?2");
  q.bind(1, db).bind(2, id);
  q.step();
  return q.integer(0);
}

// --- _local documents ------------------------------------------------------------------------------------

std::optional<LocalDoc> CouchTables::find_local(int64_t db, std::string_view id) {
  auto& q = cached("SELECT rev, body FROM couch_local WHERE db = ?1 AND id = ?2");
  q.bind(1, db).bind(2, id);
  if (!q.step()) return std::nullopt;
  return LocalDoc{q.integer(0), q.text(1)};
}

void CouchTables::save_local(int64_t db, std::string_view id, const LocalDoc& doc) {
  auto& q = cached(
      "INSERT INTO couch_local(db, id, rev, body) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT(db, id) DO UPDATE SET rev = excluded.rev, body = excluded.body");
  q.bind(1, db).bind(2, id).bind(3, doc.rev).bind(4, doc.body);
  q.step();
}

void CouchTables::delete_local(int64_t db, std::string_view id) {
  auto& q = cached("DELETE FROM couch_local WHERE db = ?1 AND id = ?2");
  q.bind(1, db).bind(2, id);
  q.step();
}

// --- attachment bytes ------------------------------------------------------------------------------------

bool CouchTables::has_attachment(int64_t db, std::string_view digest) {
  auto& q = cached("SELECT 1 FROM couch_attachments WHERE db = ?1 AND digest = ?2");
  q.bind(1, db).bind(2, digest);
  return q.step();
}

std::optional<std::string> CouchTables::attachment(int64_t db, std::string_view digest) {
  auto& q = cached("SELECT data FROM couch_attachments WHERE db = ?1 AND digest = ?2");
  q.bind(1, db).bind(2, digest);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

void CouchTables::save_attachment(int64_t db, std::string_view digest, std::string_view bytes) {
  auto& q = cached("INSERT INTO couch_attachments(db, digest, data) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING");
  q.bind(1, db).bind(2, digest).bind_blob(3, bytes);
  q.step();
}

}  // namespace steward::server::couch
