#include "server/couch_doc_writes.hpp"

#include <algorithm>
#include <stdexcept>

#include "server/couch_attachments.hpp"

namespace steward::server::couch {

using nlohmann::json;
using sync::RevId;
using sync::RevTree;

namespace {

std::string join_leaves(const std::vector<sync::Leaf>& leaves) {
  std::string out;
  for (const auto& leaf : leaves) {
    if (!out.empty()) out += ' ';
    out += leaf.rev.str();
  }
  return out;
}

bool has_leaf(const std::vector<sync::Leaf>& leaves, const RevId& rev) {
  return std::any_of(leaves.begin(), leaves.end(), [&](const sync::Leaf& l) { return l.rev == rev; });
}

std::optional<json> stored_stubs(CouchTables& tables, const DocRow& doc, const RevId& rev) {
  auto body = tables.find_rev(doc, rev.str());
  if (!body || !body->attachments) return std::nullopt;
  return json::parse(*body->attachments);
}

}  // namespace

DocWriter::Stored DocWriter::load(const std::string& id) {
  Stored s;
  s.row = tables_.find_doc(db_.id, id);
  if (s.row) s.tree = parse_tree(*s.row);
  return s;
}

RevId DocWriter::rev_for(const std::optional<RevId>& parent, const IncomingDoc& doc,
                         const std::optional<json>& attachments) {
  // Without attachments exactly what a tablet computes for the same edit (sync::next_rev over the body), so
  // the same edit made on both sides is the same revision. With attachments their digests count too, so two
  // edits that differ only in an attachment are different revisions.
  if (!attachments || attachments->empty()) return sync::next_rev_of_dump(parent, doc.body, doc.deleted);
  json digests = json::object();
  for (const auto& [name, stub] : attachments->items()) digests[name] = stub.value("digest", "");
  return sync::next_rev(parent, json{{"body", json::parse(doc.body)}, {"attachments", digests}}, doc.deleted);
}

bool DocWriter::create(const std::string& id, const IncomingDoc& doc, const RevTree& tree, const RevId& rev) {
  DocRow row = next_row(id, tree);
  if (!tables_.create_doc(db_.id, row)) return false;
  count_saved(row);
  tables_.save_rev(row, rev.str(), RevBody{doc.deleted, doc.body, std::nullopt});
  note_access_log(id, doc);
  return true;
}

std::string DocWriter::edit(const std::string& id, const IncomingDoc& doc) {
  // A document named without a revision is most often a new one (a _bulk_docs of new records): it is inserted
  // at once, the insert telling whether the id is taken, so each new id is looked up once rather than twice.
  if (!doc.rev && !doc.attachments) {
    const RevId rev = rev_for(std::nullopt, doc, std::nullopt);
    RevTree tree;
    tree.add_child(std::nullopt, rev, doc.deleted);
    if (create(id, doc, tree, rev)) return rev.str();
  }
  Stored before = load(id);
  std::optional<RevId> parent;
  if (doc.rev) {
    if (!before.row || !has_leaf(before.tree.leaves(), *doc.rev)) throw conflict();
    parent = doc.rev;
  } else if (before.row) {
    // No revision named: only allowed over a deleted document, which the new revision then continues (as
    // CouchDB does, so the tombstone is not left as a separate branch).
    const auto winner = before.tree.winner();
    if (winner && !winner->deleted) throw conflict();
    if (winner) parent = winner->rev;
  }

  std::optional<json> attachments;
  if (doc.attachments) {
    std::vector<json> parents;
    if (parent) {
      if (auto stubs = stored_stubs(tables_, *before.row, *parent)) parents.push_back(std::move(*stubs));
    }
    attachments =
        absorb_attachments(tables_, db_.id, id, *doc.attachments, parent ? parent->generation + 1 : 1, parents, false);
  }

  RevBody body{doc.deleted, doc.body, std::nullopt};
  const RevId rev = rev_for(parent, doc, attachments);
  RevTree tree = before.tree;
  if (!tree.add_child(parent, rev, doc.deleted)) {
    throw conflict();
  }
  if (attachments && !attachments->empty()) body.attachments = attachments->dump();
  std::string rev_text = rev.str();
  tables_.save_rev(save(id, before, tree), rev_text, body);
  note_access_log(id, doc);
  return rev_text;
}

bool DocWriter::replicate(const std::string& id, const IncomingDoc& doc) {
  if (!doc.rev) throw bad_request("new_edits=false needs a _rev on every document");
  const sync::RevPath path = doc.revisions ? *doc.revisions : sync::RevPath{doc.rev->generation, {doc.rev->hash}};
  const auto merged = [&](RevTree tree) {
    try {
      return tree.merge(path, doc.deleted) == RevTree::MergeResult::AlreadyKnown ? std::nullopt : std::optional(tree);
    } catch (const std::invalid_argument& e) {
      throw bad_request(std::string("Invalid _revisions: ") + e.what());
    }
  };
  // As in edit(): a replicator's push is mostly documents the server has never seen, inserted at once.
  if (!doc.attachments) {
    if (create(id, doc, *merged(RevTree{}), *doc.rev)) return true;
  }
  Stored before = load(id);
  std::optional<RevTree> changed = merged(before.tree);
  if (!changed) return false;
  RevTree& tree = *changed;

  std::optional<json> attachments;
  if (doc.attachments) {
    // Stubs refer to attachments of an ancestor; of those we still hold the bodies of the current leaves.
    std::vector<json> parents;
    for (const auto& leaf : before.tree.leaves()) {
      const bool ancestor = leaf.rev.generation < path.start && path.start - leaf.rev.generation < path.ids.size() &&
                            path.ids[path.start - leaf.rev.generation] == leaf.rev.hash;
      if (!ancestor) continue;
      if (auto stubs = stored_stubs(tables_, *before.row, leaf.rev)) parents.push_back(std::move(*stubs));
    }
    attachments = absorb_attachments(tables_, db_.id, id, *doc.attachments, path.start, parents, true);
  }

  const DocRow saved = save(id, before, tree);
  if (has_leaf(tree.leaves(), *doc.rev)) {  // not when the path only added ancestors to a known branch
    RevBody body{doc.deleted, doc.body, std::nullopt};
    if (attachments && !attachments->empty()) body.attachments = attachments->dump();
    tables_.save_rev(saved, doc.rev->str(), body);
    note_access_log(id, doc);
  }
  return true;
}

void DocWriter::note_access_log(const std::string& id, const IncomingDoc& doc) {
  if (doc.deleted || !id.starts_with("access_log:")) return;
  json body = json::parse(doc.body);
  if (body.value("type", json()) != "access_log") return;
  access_logs_.emplace_back(id, std::move(body));
}

DocRow DocWriter::save(const std::string& id, const Stored& before, const RevTree& changed_tree) {
  DocRow row = next_row(id, changed_tree);
  if (before.row) {
    const std::vector<std::string> kept = row.leaf_revs();
    for (const auto& old : before.tree.leaves()) {
      const std::string rev = old.rev.str();
      if (std::find(kept.begin(), kept.end(), rev) == kept.end()) tables_.delete_rev(*before.row, rev);
    }
    (before.row->deleted ? db_.doc_del_count : db_.doc_count) -= 1;
    row.key = before.row->key;
  }
  tables_.save_doc(db_.id, row);
  count_saved(row);
  return row;
}

DocRow DocWriter::next_row(const std::string& id, RevTree tree) const {
  tree.stem(size_t(std::max<int64_t>(db_.revs_limit, 1)));
  const auto leaves = tree.leaves();
  DocRow row;
  row.id = id;
  row.seq = db_.update_seq + 1;
  row.deleted = leaves.front().deleted;
  row.leaves = join_leaves(leaves);
  row.tree = tree.to_json().dump();
  return row;
}

void DocWriter::count_saved(const DocRow& row) {
  db_.update_seq = row.seq;
  (row.deleted ? db_.doc_del_count : db_.doc_count) += 1;
  changed_ = true;
}

void DocWriter::finish() {
  if (changed_) tables_.save_db_counters(db_);
}

// --- _local ----------------------------------------------------------------------------------------------

namespace {

// "0-N" -> N; nullopt when it is not that shape.
std::optional<int64_t> parse_local_rev(const std::string& rev) {
  if (!rev.starts_with("0-") || rev.size() < 3 || rev.size() > 20) return std::nullopt;
  int64_t n = 0;
  for (char c : rev.substr(2)) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

void check_local_rev(const std::optional<LocalDoc>& current, const std::optional<std::string>& rev) {
  if (!current) return;  // like CouchDB: a missing _local doc may be written with any (or no) revision
  if (!rev || parse_local_rev(*rev) != current->rev) throw conflict();
}

}  // namespace

std::string put_local(CouchTables& tables, int64_t db, const std::string& id, const json& body,
                      const std::optional<std::string>& rev) {
  if (id.empty()) throw CouchError(400, "illegal_docid", "Document id must not be empty");
  if (!body.is_object()) throw bad_request("Document must be a JSON object");
  if (body.value("_deleted", false)) return delete_local(tables, db, id, rev);
  const auto current = tables.find_local(db, id);
  check_local_rev(current, rev);
  json content = json::object();
  for (const auto& [key, value] : body.items()) {
    if (!key.starts_with('_')) content[key] = value;
  }
  LocalDoc doc{current ? current->rev + 1 : 1, content.dump()};
  tables.save_local(db, id, doc);
  return "0-" + std::to_string(doc.rev);
}

std::string delete_local(CouchTables& tables, int64_t db, const std::string& id, const std::optional<std::string>& rev) {
  const auto current = tables.find_local(db, id);
  if (!current) throw not_found("missing");
  check_local_rev(current, rev);
  tables.delete_local(db, id);
  return "0-0";
}

}  // namespace steward::server::couch
