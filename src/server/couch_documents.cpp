#include "server/couch_documents.hpp"

#include <openssl/rand.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>

#include "server/couch_attachments.hpp"
#include "server/couch_error.hpp"
#include "sync/json_parse.hpp"

namespace steward::server::couch {

using nlohmann::json;

namespace {

// Special members CouchDB accepts in a document body and ignores (they are outputs of a read that a client
// may send back unchanged).
bool ignored_special_member(std::string_view key) {
  return key == "_conflicts" || key == "_deleted_conflicts" || key == "_revs_info" || key == "_local_seq";
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

IncomingDoc IncomingDoc::parse(json&& doc) {
  if (!doc.is_object()) throw bad_request("Document must be a JSON object");
  IncomingDoc in;
  // The _-members are taken out one by one; what remains is the body.
  for (auto it = doc.begin(); it != doc.end();) {
    if (!it.key().starts_with('_')) {
      ++it;
      continue;
    }
    in.take_special(it.key(), std::move(it.value()));
    it = doc.erase(it);
  }
  in.body = doc.dump();
  in.check_members();
  return in;
}

void IncomingDoc::take_special(const std::string& key, json&& value) {
  if (key == "_id") {
    if (!value.is_string()) throw CouchError(400, "illegal_docid", "Document id must be a string");
    id = value.get<std::string>();
  } else if (key == "_rev") {
    if (!value.is_string()) throw invalid_rev();
    rev = sync::parse_rev(value.get_ref<const std::string&>());
    if (!rev) throw invalid_rev();
  } else if (key == "_deleted") {
    deleted = value.is_boolean() && value.get<bool>();
  } else if (key == "_revisions") {
    revisions = sync::RevPath::from_json(value);
    if (!revisions) throw bad_request("Invalid _revisions");
    for (const auto& hash : revisions->ids) {
      if (!sync::is_rev_hash(hash)) throw invalid_rev();
    }
  } else if (key == "_attachments") {
    attachments = std::move(value);
  } else if (!ignored_special_member(key)) {
    throw CouchError(400, "doc_validation", "Bad special document member: " + key);
  }
}

void IncomingDoc::check_members() {
  if (revisions && rev && revisions->leaf() != *rev) {
    throw bad_request("_rev does not match the newest revision in _revisions");
  }
  if (revisions && !rev) rev = revisions->leaf();
}

void check_doc_id(std::string_view id) {
  if (id.empty()) throw CouchError(400, "illegal_docid", "Document id must not be empty");
  if (id.starts_with('_') && !(id.starts_with("_design/") && id.size() > 8)) {
    throw CouchError(400, "illegal_docid", "Only reserved document ids may start with underscore.");
  }
}

std::string random_uuid() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), int(bytes.size())) != 1) throw std::runtime_error("no random bytes");
  std::string out;
  char hex[3];
  for (unsigned char b : bytes) {
    std::snprintf(hex, sizeof hex, "%02x", b);
    out += hex;
  }
  return out;
}

sync::RevTree parse_tree(const DocRow& row) {
  try {
    return sync::RevTree::from_json(sync::parse_json(row.tree));
  } catch (const std::exception& e) {
    throw CouchError(500, "internal_error", "stored revision tree of " + row.id + " is unreadable: " + e.what());
  }
}

void append_json_string(std::string& out, std::string_view text, bool valid_utf8) {
  // What nlohmann's dump copies unchanged: anything but control characters, quotes and backslashes, as long
  // as it is valid UTF-8 (which dump would replace).
  const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
                       return static_cast<unsigned char>(c) >= 0x20 && c != '"' && c != '\\';
                     }) &&
                     (valid_utf8 || simdjson::validate_utf8(text.data(), text.size()));
  if (!plain) {
    out += dump(json(std::string(text)));
    return;
  }
  out += '"';
  out += text;
  out += '"';
}

std::string json_string(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  append_json_string(out, text);
  return out;
}

std::string ok_id_rev(std::string_view id, std::string_view rev) {
  std::string out = "{\"ok\":true,\"id\":";
  out += json_string(id);
  out += ",\"rev\":";
  out += json_string(rev);
  out += '}';
  return out;
}

std::string render_doc(CouchTables& tables, int64_t db, const std::string& id, const std::string& rev,
                       const RevBody& body, const RenderOptions& options, const sync::RevTree* tree) {
  // Spliced as text: the stored body is already a JSON object without _-members, so the document is
  // {"_id":..,"_rev":.. , <the body's members>, <the other _-members>}, and a large feed never re-parses it.
  std::string out = "{\"_id\":" + json_string(id) + ",\"_rev\":" + json_string(rev);
  if (body.deleted) out += ",\"_deleted\":true";
  if (body.body.size() > 2) {  // not "{}"
    out += ',';
    out.append(body.body, 1, body.body.size() - 2);
  }
  if (body.attachments) {
    const json stubs = json::parse(*body.attachments);
    out += ",\"_attachments\":" + dump(attachments_for_output(tables, db, stubs, options.attachments));
  }
  if (tree && (options.conflicts || options.deleted_conflicts)) {
    json conflicts = json::array(), deleted = json::array();
    const auto leaves = tree->leaves();
    for (size_t i = 1; i < leaves.size(); ++i) (leaves[i].deleted ? deleted : conflicts).push_back(leaves[i].rev.str());
    if (options.conflicts && !conflicts.empty()) out += ",\"_conflicts\":" + dump(conflicts);
    if (options.deleted_conflicts && !deleted.empty()) out += ",\"_deleted_conflicts\":" + dump(deleted);
  }
  if (tree && options.revs) {
    if (auto parsed = sync::parse_rev(rev)) {
      if (auto path = tree->path_to(*parsed)) out += ",\"_revisions\":" + dump(path->to_json());
    }
  }
  out += '}';
  return out;
}

std::string render_local(const std::string& id, const LocalDoc& doc) {
  std::string out = "{\"_id\":" + json_string("_local/" + id) + ",\"_rev\":\"0-" + std::to_string(doc.rev) + "\"";
  if (doc.body.size() > 2) {
    out += ',';
    out.append(doc.body, 1, doc.body.size() - 2);
  }
  out += '}';
  return out;
}

}  // namespace steward::server::couch
