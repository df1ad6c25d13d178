// Conflicts are merged, never lost: field by field, by hybrid logical clock stamps kept in the document, with
// append-only lists merged by entry id. The result is deterministic (independent of which replica merges and of
// the order the leaves arrive in), and so are the revision ids it is written under: two tablets that resolve
// the same conflict at the same time produce the same revisions and converge without a new conflict.
//
// Document convention (every record type the app edits):
//   "stamps": {"<field>": "<hlc>"}   the stamp of the edit that last set each top-level field
//   "merged_from": ["2-ab…", "2-cd…"] set on a merged revision: the leaves it was merged from
//   "merge_detail": [{"rev": "2-ab…", "by": "<node>", "at": <ms>, "fields": ["party_size"]}, …]
//                                     the same leaves, for people: each one's latest edit (node and wall time of its
//                                     greatest stamp; absent when unstamped) and the disputed fields taken from it
// "_attachments" are kept from every leaf, by name (a photo added on one tablet is never lost to a merge).
// A top-level field whose value is an array of objects that all carry a string "id" is an append-only list:
// merged as the union by "id" (for the same id, the entry from the leaf with the greater stamp for the list),
// ordered by (entry "at" if present, then "id").
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sync/rev_tree.hpp"
#include "sync/revision.hpp"

namespace steward::sync {

// Hybrid logical clock: wall milliseconds, a counter for events within the same millisecond (or when the wall
// clock runs behind a stamp seen from another replica), and the replica's id to break ties.
struct Hlc {
  int64_t ms = 0;
  uint32_t counter = 0;  // 0..9999: the clock moves to the next millisecond rather than past it
  std::string node;
  // Fixed-width text that sorts like the stamp: "0001732345678901-0000-<node>".
  std::string str() const;
  static std::optional<Hlc> parse(std::string_view s);
  friend bool operator==(const Hlc&, const Hlc&) = default;
  // Written out: Emscripten's libc++ has no operator<=> for std::string, so a defaulted one is deleted there.
  friend std::strong_ordering operator<=>(const Hlc& a, const Hlc& b) {
    if (auto c = a.ms <=> b.ms; c != 0) return c;
    if (auto c = a.counter <=> b.counter; c != 0) return c;
    return a.node.compare(b.node) <=> 0;
  }
};

class HlcClock {
 public:
  explicit HlcClock(std::string node) : node_(std::move(node)) {}
  // A stamp for an edit made now; always greater than every stamp issued or observed before.
  Hlc now(int64_t wall_ms);
  // A stamp seen in a document from another replica.
  void observe(const Hlc& seen);

 private:
  std::string node_;
  Hlc last_;
};

// For an edit made here: stamps every top-level field (except _-fields, "stamps", "merged_from") whose value
// differs between `before` (null for a new document) and `after`; a field removed by the edit becomes null with a
// stamp (so the removal wins over older values in a merge). Removes "merged_from" and "merge_detail" (the edit
// supersedes the merge).
// `after` is changed in place; throws std::invalid_argument when it is not an object.
void stamp_changes(const nlohmann::json& before, nlohmann::json& after, const Hlc& stamp);

// A document's conflicting leaves, as stored.
struct LeafDoc {
  RevId rev;
  nlohmann::json body;  // without _id/_rev/_revisions/_conflicts
};

// The merged body of non-deleted leaves (at least two). Fields without a stamp lose to stamped ones; equal stamps
// are decided by the greater revision (CouchDB's winner order). "merged_from" lists the leaves in revision order
// (generation, then hash). A null or missing append-only list adds no entries: it never deletes another leaf's.
nlohmann::json merge_leaves(std::vector<LeafDoc> leaves);

// What a replica writes to resolve a conflict: `merged` as a child of the winning leaf, and a tombstone as a
// child of every other non-deleted leaf. Revision ids come from next_rev, so they are the same everywhere.
struct Resolution {
  RevId parent;                 // the winning leaf
  RevId merged_rev;             // next_rev(parent, merged, false)
  nlohmann::json merged;
  std::vector<RevId> losers;    // each gets next_rev(loser, {}, true)
  std::vector<RevId> tombstones;
};
// nullopt when the tree has fewer than two non-deleted leaves. `bodies` holds the body of every non-deleted leaf
// (std::invalid_argument when one is missing).
std::optional<Resolution> resolve_conflict(const RevTree& tree, const std::vector<LeafDoc>& bodies);

}  // namespace steward::sync
