#include "server/couch_doc_reads.hpp"

#include "server/couch_error.hpp"

namespace steward::server::couch {

using nlohmann::json;
using sync::RevId;
using sync::RevTree;

namespace {

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

RevId parse_or_throw(const std::string& rev) {
  auto parsed = sync::parse_rev(rev);
  if (!parsed) throw invalid_rev();
  return *parsed;
}

// The leaves that descend from `rev` (itself, when it is a leaf), winner first. Empty when unknown.
std::vector<RevId> leaf_descendants(const RevTree& tree, const RevId& rev) {
  std::vector<RevId> out;
  for (const auto& leaf : tree.leaves()) {
    if (leaf.rev.generation < rev.generation) continue;
    auto path = tree.path_to(leaf.rev);
    const uint64_t back = leaf.rev.generation - rev.generation;
    if (path && back < path->ids.size() && path->ids[back] == rev.hash) out.push_back(leaf.rev);
  }
  return out;
}

// Needs the tree only for some options; parsed at most once.
class Doc {
 public:
  Doc(CouchTables& tables, const DbInfo& db, DocRow row) : tables_(tables), db_(db), row_(std::move(row)) {}
  const DocRow& row() const { return row_; }
  const RevTree& tree() {
    if (!tree_) tree_ = parse_tree(row_);
    return *tree_;
  }
  // The revision rendered, or nullopt when its body is not held (unknown, or no longer a leaf).
  std::optional<std::string> render(const std::string& rev, const RenderOptions& options) {
    auto body = tables_.find_rev(row_, rev);
    if (!body) return std::nullopt;
    const bool needs_tree = options.revs || options.conflicts || options.deleted_conflicts;
    return render_doc(tables_, db_.id, row_.id, rev, *body, options, needs_tree ? &tree() : nullptr);
  }
  std::vector<std::string> expand_latest(const std::string& rev) {
    std::vector<std::string> out;
    for (const auto& leaf : leaf_descendants(tree(), parse_or_throw(rev))) out.push_back(leaf.str());
    if (out.empty()) out.push_back(rev);  // unknown: reported as missing
    return out;
  }

 private:
  CouchTables& tables_;
  const DbInfo& db_;
  DocRow row_;
  std::optional<RevTree> tree_;
};

std::string error_entry(const std::string& id, const std::optional<std::string>& rev, const std::string& reason) {
  json e = {{"id", id}, {"error", "not_found"}, {"reason", reason}};
  if (rev) e["rev"] = *rev;
  return "{\"error\":" + dump(e) + "}";
}

}  // namespace

std::string get_doc(CouchTables& tables, const DbInfo& db, const std::string& id, const DocQuery& query) {
  auto row = tables.find_doc(db.id, id);
  if (!row && query.open_revs) {  // as CouchDB: each asked revision is reported missing
    std::string out = "[";
    for (const auto& rev : *query.open_revs) {
      parse_or_throw(rev);
      out += (out.size() > 1 ? ",{\"missing\":" : "{\"missing\":") + dump(rev) + "}";
    }
    return out + "]";
  }
  if (!row) throw not_found("missing");
  Doc doc(tables, db, std::move(*row));

  if (query.open_revs || query.all_open_revs) {
    std::vector<std::string> revs;
    if (query.all_open_revs) {
      revs = doc.row().leaf_revs();
    } else {
      for (const auto& rev : *query.open_revs) {
        parse_or_throw(rev);
        if (!query.latest) {
          revs.push_back(rev);
        } else {
          for (auto& leaf : doc.expand_latest(rev)) revs.push_back(std::move(leaf));
        }
      }
    }
    std::string out = "[";
    for (const auto& rev : revs) {
      if (out.size() > 1) out += ',';
      auto rendered = doc.render(rev, query.render);
      out += rendered ? "{\"ok\":" + *rendered + "}" : "{\"missing\":" + dump(rev) + "}";
    }
    return out + "]";
  }

  if (query.rev) {
    std::string rev = *query.rev;
    parse_or_throw(rev);
    if (query.latest) rev = doc.expand_latest(rev).front();
    auto rendered = doc.render(rev, query.render);
    if (!rendered) throw not_found("missing");
    return *rendered;
  }

  if (doc.row().deleted) throw not_found("deleted");
  auto rendered = doc.render(doc.row().winner(), query.render);
  if (!rendered) throw CouchError(500, "internal_error", "the winning revision's body is missing for " + id);
  return *rendered;
}

std::string bulk_get(CouchTables& tables, const DbInfo& db, const json& request, const RenderOptions& render,
                     bool latest) {
  auto docs = request.find("docs");
  if (!request.is_object() || docs == request.end() || !docs->is_array()) {
    throw bad_request("Request body must be a JSON object with a \"docs\" array");
  }
  std::string out = "{\"results\":[";
  bool first = true;
  for (const auto& entry : *docs) {
    if (!first) out += ',';
    first = false;
    if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_string()) {
      out += R"({"id":null,"docs":[{"error":{"id":null,"error":"bad_request","reason":"every entry needs a string id"}}]})";
      continue;
    }
    const std::string id = entry["id"].get<std::string>();
    std::optional<std::string> rev;
    if (auto r = entry.find("rev"); r != entry.end() && r->is_string()) rev = r->get<std::string>();
    if (rev && !sync::parse_rev(*rev)) throw invalid_rev();

    std::string results;
    auto add = [&](const std::string& item) { results += (results.empty() ? "" : ",") + item; };
    auto row = tables.find_doc(db.id, id);
    if (!row) {
      add(error_entry(id, rev, "missing"));
    } else {
      Doc doc(tables, db, std::move(*row));
      if (rev) {
        for (const auto& r : latest ? doc.expand_latest(*rev) : std::vector<std::string>{*rev}) {
          auto rendered = doc.render(r, render);
          add(rendered ? "{\"ok\":" + *rendered + "}" : error_entry(id, r, "missing"));
        }
      } else if (doc.row().deleted) {
        add(error_entry(id, doc.row().winner(), "deleted"));
      } else {
        auto rendered = doc.render(doc.row().winner(), render);
        add(rendered ? "{\"ok\":" + *rendered + "}" : error_entry(id, doc.row().winner(), "missing"));
      }
    }
    out += "{\"id\":" + dump(id) + ",\"docs\":[" + results + "]}";
  }
  return out + "]}";
}

std::string revs_diff(CouchTables& tables, const DbInfo& db, const json& request) {
  if (!request.is_object()) throw bad_request("Request body must be a JSON object");
  json out = json::object();
  for (const auto& [id, revs] : request.items()) {
    if (!revs.is_array()) throw bad_request("revs_diff: each document needs an array of revisions");
    std::vector<std::string> list;
    for (const auto& rev : revs) {
      if (!rev.is_string()) throw invalid_rev();
      list.push_back(rev.get<std::string>());
    }
    auto row = tables.find_doc(db.id, id);
    const RevTree tree = row ? parse_tree(*row) : RevTree{};
    const sync::Missing missing = sync::revs_missing(tree, list);
    if (missing.missing.empty()) continue;
    json entry = {{"missing", missing.missing}};
    if (!missing.possible_ancestors.empty()) entry["possible_ancestors"] = missing.possible_ancestors;
    out[id] = std::move(entry);
  }
  return dump(out);
}

std::string all_docs(CouchTables& tables, const DbInfo& db, const AllDocsQuery& query) {
  std::string rows;
  auto add = [&](const std::string& row) { rows += (rows.empty() ? "" : ",") + row; };
  auto render_winner = [&](const DocRow& row) -> std::string {
    const bool needs_tree = query.render.conflicts || query.render.deleted_conflicts || query.render.revs;
    std::optional<DocRow> full;
    if (needs_tree && row.tree.empty()) full = tables.find_doc(db.id, row.id);
    Doc doc(tables, db, full ? *full : row);
    auto rendered = doc.render(row.winner(), query.render);
    return rendered ? *rendered : "null";
  };
  auto value = [&](const DocRow& row) {
    std::string v = "{\"rev\":" + dump(row.winner());
    if (row.deleted) v += ",\"deleted\":true";
    return v + "}";
  };

  int64_t offset = query.range.skip;
  if (query.keys) {
    offset = 0;
    for (const auto& key : *query.keys) {
      auto row = tables.find_doc(db.id, key);
      if (!row) {
        add("{\"key\":" + dump(key) + ",\"error\":\"not_found\"}");
        continue;
      }
      std::string item = "{\"id\":" + dump(key) + ",\"key\":" + dump(key) + ",\"value\":" + value(*row);
      if (query.include_docs) item += ",\"doc\":" + (row->deleted ? std::string("null") : render_winner(*row));
      add(item + "}");
    }
  } else {
    if (query.range.start) offset += tables.count_live_before(db.id, *query.range.start, query.range.descending);
    tables.all_docs(db.id, query.range, [&](const DocRow& row) {
      std::string item = "{\"id\":" + dump(row.id) + ",\"key\":" + dump(row.id) + ",\"value\":" + value(row);
      if (query.include_docs) item += ",\"doc\":" + render_winner(row);
      add(item + "}");
    });
  }
  std::string out = "{\"total_rows\":" + std::to_string(db.doc_count) + ",\"offset\":" + std::to_string(offset);
  if (query.update_seq) out += ",\"update_seq\":" + std::to_string(db.update_seq);
  return out + ",\"rows\":[" + rows + "]}";
}

}  // namespace steward::server::couch
