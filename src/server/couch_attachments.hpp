// Inline attachments, as CouchDB's JSON API carries them: a document's "_attachments" maps names to either
//   {"content_type": "...", "data": "<base64>"}                           new bytes, or
//   {"stub": true, "digest": "md5-<base64>", "length": N, "revpos": G, "content_type": "..."}
//                                                                          bytes the receiver already has.
// The bytes are stored once per database by digest (couch_attachments); a revision keeps only its stubs. A
// replicator writing with new_edits=false sends stubs for attachments it knows we hold (from an ancestor
// revision); they are resolved by digest, or by name from the parent revision when a stub has no digest.
// (No multipart/related bodies and no standalone attachment PUT: the JSON forms are what PouchDB uses.)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/couch_db.hpp"

namespace steward::server::couch {

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);  // nullopt when malformed
// CouchDB's digest form: "md5-" and the base64 of the 16-byte MD5 (the same as PouchDB computes).
std::string md5_digest(std::string_view bytes);

// Turns a document's incoming "_attachments" object into the stubs stored with its revision, saving new bytes.
// `revpos`: the generation of the revision being written (the revpos of new data). `parents`: the stored
// stubs of the revisions this one may descend from (for stubs without a digest). `replicated`: the revision
// comes from another replica (new_edits=false), so the revpos it gives new data is kept (that is where the
// attachment was added, and every replica must show the same stub). Throws CouchError 400 for malformed
// entries and DocError 412 missing_stub for a stub whose bytes this database does not have.
nlohmann::json absorb_attachments(CouchTables& tables, int64_t db, const std::string& doc_id,
                                  const nlohmann::json& incoming, uint64_t revpos,
                                  const std::vector<nlohmann::json>& parents, bool replicated);

// The stored stubs as a response shows them: stubs, or with the bytes inline (attachments=true).
nlohmann::json attachments_for_output(CouchTables& tables, int64_t db, const nlohmann::json& stubs, bool with_data);

}  // namespace steward::server::couch
