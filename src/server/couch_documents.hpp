// Documents as CouchDB's JSON shows them, both ways: an incoming document split into its _-members and its
// content, and a stored revision rendered back (with _id, _rev, _deleted, _attachments, _conflicts, _revisions
// as asked). Shared by the reads, the writes and the changes feed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "server/couch_db.hpp"
#include "sync/rev_tree.hpp"

namespace steward::server::couch {

// A document from a request body. Throws CouchError 400 for anything CouchDB refuses as a whole request.
struct IncomingDoc {
  std::optional<std::string> id;
  std::optional<sync::RevId> rev;
  std::optional<sync::RevPath> revisions;  // "_revisions", for new_edits=false
  bool deleted = false;
  // The members without a leading underscore as canonical JSON text (nlohmann's dump: keys sorted, no
  // spaces): what is stored, and what the revision id hashes, as a tablet hashes it (sync::next_rev).
  std::string body = "{}";
  std::optional<nlohmann::json> attachments;

  static IncomingDoc parse(nlohmann::json&& doc);  // takes the members over rather than copying them
  static IncomingDoc parse(const nlohmann::json& doc) { return parse(nlohmann::json(doc)); }

  // One _-member of the document (both parsers, couch_bulk_body.cpp's too, hand them over in key order).
  void take_special(const std::string& key, nlohmann::json&& value);
  // The checks between members, once all are taken.
  void check_members();
};

// CouchDB's document id rules: not empty, and only _design/ (and _local/, handled apart) may start with "_".
// Throws CouchError 400 illegal_docid.
void check_doc_id(std::string_view id);

// A random 32-hex-digit id, as CouchDB's _uuids and POST /db without an _id give.
std::string random_uuid();

sync::RevTree parse_tree(const DocRow& row);

// What to add when rendering a stored revision.
struct RenderOptions {
  bool revs = false;               // _revisions: the revision's ancestry
  bool conflicts = false;          // _conflicts
  bool deleted_conflicts = false;  // _deleted_conflicts
  bool attachments = false;        // attachment bytes inline rather than stubs
};

// The JSON text of one revision of a document. `tree` is needed for revs, conflicts and deleted_conflicts.
std::string render_doc(CouchTables& tables, int64_t db, const std::string& id, const std::string& rev,
                       const RevBody& body, const RenderOptions& options, const sync::RevTree* tree);

// `text` as a JSON string literal, quotes included (invalid UTF-8 replaced, as every answer does), exactly as
// nlohmann's dump writes it. Most text needs no escape: that is copied as it is, without building a JSON value.
std::string json_string(std::string_view text);
// The same appended to `out`; `valid_utf8` when the text is known to be (simdjson checked it), which saves
// checking it again.
void append_json_string(std::string& out, std::string_view text, bool valid_utf8 = false);

// {"ok":true,"id":..,"rev":..}: the answer to a write, once per document of a _bulk_docs.
std::string ok_id_rev(std::string_view id, std::string_view rev);

// A _local document: {"_id":"_local/<id>","_rev":"0-N", ...}.
std::string render_local(const std::string& id, const LocalDoc& doc);

}  // namespace steward::server::couch
