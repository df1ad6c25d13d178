// Revision ids in CouchDB's shape ("<generation>-<hash>"), shared by the tablet store and the server.
// Revisions made here have a 32-lowercase-hex hash (next_rev); revisions replicated in from other CouchDB peers
// (new_edits=false) may carry other hash forms, so parsing accepts any alphanumeric hash.
// The hash is deterministic over the parent revision and the body, so two replicas that make the same edit
// from the same parent produce the same revision (the property the conflict merge of the sync issue needs).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace steward::sync {

struct RevId {
  uint64_t generation = 0;
  std::string hash;  // see is_rev_hash; 32 lowercase hex digits when made by next_rev
  std::string str() const { return std::to_string(generation) + "-" + hash; }
  friend bool operator==(const RevId&, const RevId&) = default;
};

// A revision hash as accepted from any peer: one or more of [0-9a-zA-Z] (so never a '-').
bool is_rev_hash(std::string_view hash);

// "3-abcd..." -> {3, "abcd..."}: a generation of at least 1 without leading zeros or sign, a '-', and a hash
// (is_rev_hash). nullopt when malformed.
std::optional<RevId> parse_rev(std::string_view rev);

// The body's fields other than the underscore-prefixed metadata (_id, _rev, _revisions, ...) are hashed in
// nlohmann's canonical (sorted-key) dump, together with the parent revision and the deleted flag.
RevId next_rev(const std::optional<RevId>& parent, const nlohmann::json& body, bool deleted);
// The same, for a body already dumped by nlohmann (body.dump() of an object without underscore members), so a
// writer that stores the dump anyway does not serialize the body twice.
RevId next_rev_of_dump(const std::optional<RevId>& parent, std::string_view body_dump, bool deleted);

// Removes the members that travel beside a revision's body (_id, _rev, _deleted, _revisions, and what a read
// adds: _conflicts, _deleted_conflicts, _revs_info, _local_seq). CouchDB ignores them in a body the same way.
void strip_revision_metadata(nlohmann::json& doc);

// 128-bit XXH3 of bytes as 32 lowercase hex digits.
std::string hash128_hex(std::string_view bytes);

}  // namespace steward::sync
