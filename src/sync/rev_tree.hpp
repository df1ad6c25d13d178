// A document's revision tree, as CouchDB keeps it: every revision path a replica has seen, merged; leaves
// (current revisions, possibly conflicting, possibly deleted); stemming to a revs_limit; and CouchDB's
// deterministic choice of the winning revision. Shared by the tablet store and the server, so both sides pick
// the same winner and agree on what a replica is missing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sync/revision.hpp"

namespace steward::sync {

// A revision and its ancestors, newest first, as CouchDB's "_revisions": {"start": 3, "ids": ["c", "b", "a"]}
// is revisions 3-c, 2-b, 1-a. A stemmed path simply starts above generation 1.
struct RevPath {
  uint64_t start = 0;
  std::vector<std::string> ids;

  RevId leaf() const { return {start, ids.front()}; }
  nlohmann::json to_json() const;                     // {"start":..,"ids":[..]}
  static std::optional<RevPath> from_json(const nlohmann::json& revisions);  // nullopt when malformed
};

struct Leaf {
  RevId rev;
  bool deleted = false;
};

class RevTree {
 public:
  enum class MergeResult {
    NewLeaf,        // the path extended a branch or made a new one: something changed
    AlreadyKnown,   // every revision on the path was known already, and so was how they link: nothing changed
  };

  // Adds a path whose newest revision is a leaf with the given deleted flag (new_edits=false semantics).
  // Paths that share no revision with the tree become a new root (as after stemming on another replica); a
  // path that reaches above a root gives that root its ancestors. Throws std::invalid_argument for a malformed
  // path (no ids, a hash is_rev_hash rejects, or start < ids.size()).
  MergeResult merge(const RevPath& path, bool deleted);

  // An edit made here (new_edits=true semantics): `parent` must be a current leaf (deleted or not: re-creating
  // a deleted document is a child of its deleted winner, as CouchDB does it), or nullopt for a new document
  // only when the tree is empty; `child` must be new and one generation above its parent. Returns false,
  // changing nothing, otherwise (the caller reports a conflict).
  bool add_child(const std::optional<RevId>& parent, const RevId& child, bool deleted);

  // Keeps at most `revs_limit` revisions on every path from a leaf towards its root (CouchDB's stemming: a
  // revision stays while some leaf is fewer than revs_limit generations below it). revs_limit must be >= 1
  // (throws std::invalid_argument otherwise).
  void stem(size_t revs_limit);

  bool empty() const;
  bool contains(const RevId& rev) const;
  std::vector<Leaf> leaves() const;  // sorted winner first (see winner())
  // CouchDB's rule: a non-deleted leaf beats a deleted one; then the higher generation; then the greater hash
  // (plain byte comparison). nullopt for an empty tree.
  std::optional<Leaf> winner() const;
  // Non-deleted leaves other than the winner ("_conflicts").
  std::vector<RevId> conflicts() const;
  // The path from a revision in the tree back to its root, newest first; nullopt if unknown.
  std::optional<RevPath> path_to(const RevId& rev) const;

  // For storage: a compact JSON form (any shape you like, stable), and back. from_json throws
  // std::invalid_argument when malformed.
  nlohmann::json to_json() const;
  static RevTree from_json(const nlohmann::json& j);

  friend bool operator==(const RevTree&, const RevTree&) = default;

 private:
  struct Node {
    RevId rev;
    int parent = -1;  // index into nodes_, -1 for a root
    bool deleted = false;  // meaningful for leaves (always false on inner nodes, so equal trees compare equal)
    friend bool operator==(const Node&, const Node&) = default;
  };
  // Canonical form, so that replicas holding the same revisions and links hold equal trees (operator==, to_json):
  // sorted by (generation, hash), which also puts every parent before its children.
  std::vector<Node> nodes_;

  int find(const RevId& rev, size_t among) const;  // index among the first `among` (sorted) nodes, or -1
  int find(const RevId& rev) const { return find(rev, nodes_.size()); }
  std::vector<bool> inner_nodes() const;           // true for nodes that are some node's parent
  void canonicalize();                             // restores the canonical form after nodes were appended
};

// Which of `revs` a replica that holds `tree` is missing (the answer to _revs_diff), and for each missing one the
// known revisions that could be its ancestors ("possible_ancestors": as CouchDB, the leaves, deleted or not,
// whose generation is lower than that of some missing revision; winner first). `missing` keeps the order of
// `revs`, without repeats; a string parse_rev rejects is reported missing (no tree can hold it).
struct Missing {
  std::vector<std::string> missing;
  std::vector<std::string> possible_ancestors;
};
Missing revs_missing(const RevTree& tree, const std::vector<std::string>& revs);

}  // namespace steward::sync
