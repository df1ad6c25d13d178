#include "server/couch_changes.hpp"

#include <algorithm>
#include <vector>

#include <nlohmann/json.hpp>

namespace steward::server::couch {

namespace {

// Appended to `out` in place: a first pull lists every document, and a row's worth of temporary strings each was
// a good part of answering it.
void append_change_row(std::string& out, CouchTables& tables, const DbInfo& db, const DocRow& row,
                       const ChangesQuery& query) {
  out += "{\"seq\":";
  out += std::to_string(row.seq);
  out += ",\"id\":";
  append_json_string(out, row.id);
  out += ",\"changes\":[";
  bool first = true;
  row.for_each_leaf([&](std::string_view rev) {
    if (!first && !query.all_leaves) return;  // the winner only
    if (!first) out += ',';
    out += "{\"rev\":\"";
    out += rev;  // revisions are hex and digits: no escaping
    out += "\"}";
    first = false;
  });
  out += ']';
  if (row.deleted) out += ",\"deleted\":true";
  if (query.include_docs) {
    const std::string winner = row.winner();
    auto body = tables.find_rev(row, winner);
    std::optional<sync::RevTree> tree;
    if (query.render.conflicts || query.render.deleted_conflicts) tree = parse_tree(row);
    out += ",\"doc\":";
    out += body ? render_doc(tables, db.id, row.id, winner, *body, query.render, tree ? &*tree : nullptr) : "null";
  }
  out += '}';
}

}  // namespace

std::string ChangesPage::json() const {
  return "{\"results\":[" + rows + "],\"last_seq\":" + std::to_string(last_seq) +
         ",\"pending\":" + std::to_string(pending) + "}";
}

ChangesPage read_changes(CouchTables& tables, const DbInfo& db, const ChangesQuery& query) {
  ChangesPage page;
  const bool with_tree = query.include_docs && (query.render.conflicts || query.render.deleted_conflicts);
  auto add = [&](const DocRow& row) {
    if (page.count++) page.rows += ',';
    append_change_row(page.rows, tables, db, row, query);
    page.last_seq = row.seq;
  };
  const bool limited = query.limit >= 0;

  if (query.doc_ids) {
    // Few ids (a client asks for specific documents): look each up, then order by seq.
    std::vector<DocRow> rows;
    for (const auto& id : *query.doc_ids) {
      auto row = tables.find_doc(db.id, id);
      if (row && (query.descending || row->seq > query.since)) rows.push_back(std::move(*row));
    }
    std::sort(rows.begin(), rows.end(), [&](const DocRow& a, const DocRow& b) {
      return query.descending ? a.seq > b.seq : a.seq < b.seq;
    });
    const size_t take = limited ? std::min(rows.size(), size_t(query.limit)) : rows.size();
    for (size_t i = 0; i < take; ++i) add(rows[i]);
    page.pending = int64_t(rows.size() - take);
    if (take == rows.size() && !query.descending) page.last_seq = db.update_seq;
    return page;
  }

  tables.changes(db.id, query.since, query.descending, query.limit, with_tree, [&](const DocRow& row) {
    add(row);
    return true;
  });
  if (query.descending) {
    page.pending = 0;
    if (page.count == 0) page.last_seq = 0;
  } else if (limited && int64_t(page.count) == query.limit && page.count > 0) {
    page.pending = tables.count_changes_after(db.id, page.last_seq);
    if (page.pending == 0) page.last_seq = db.update_seq;
  } else {
    // Read to the end: the feed is caught up with the database (also when `since` was ahead of it).
    page.last_seq = page.count ? page.last_seq : std::max(query.since, db.update_seq);
    page.pending = 0;
  }
  return page;
}

uint64_t ChangeNotifier::current(const std::string& db) const {
  auto it = versions_.find(db);  // not operator[]: asking about a name must not add it
  return it == versions_.end() ? 0 : it->second;
}

uint64_t ChangeNotifier::version(const std::string& db) {
  std::lock_guard lock(mutex_);
  return current(db);
}

void ChangeNotifier::notify(const std::string& db) {
  {
    std::lock_guard lock(mutex_);
    ++versions_[db];
  }
  changed_.notify_all();
}

bool ChangeNotifier::wait(const std::string& db, uint64_t seen, Clock::time_point until) {
  std::unique_lock lock(mutex_);
  return changed_.wait_until(lock, until, [&] { return stopping_ || current(db) != seen; }) && !stopping_;
}

void ChangeNotifier::shutdown() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
}

bool ChangeNotifier::stopping() {
  std::lock_guard lock(mutex_);
  return stopping_;
}

}  // namespace steward::server::couch
