// What the replicator needs from a local replica. The tablet's store implements it (src/store/store_replica);
// keeping it abstract keeps src/sync free of storage code and lets tests use any replica.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sync/rev_tree.hpp"

namespace steward::sync {

// A revision received from another replica, to store (new_edits=false). Points into what the caller holds.
struct ReplicatedRevision {
  std::string_view id;
  const RevPath* path = nullptr;
  bool deleted = false;
  const nlohmann::json* body = nullptr;
};

// For each revision stored, the document's leaves after it (winner first); nullopt for one known already.
using StoredLeaves = std::vector<std::optional<std::vector<Leaf>>>;

struct ReplicaChange {
  uint64_t seq = 0;
  std::string id;
  std::vector<Leaf> leaves;  // winner first
};

class LocalReplica {
 public:
  virtual ~LocalReplica() = default;
  virtual std::optional<RevTree> rev_tree(std::string_view id) const = 0;
  // The document's leaf revisions, winner first (as RevTree::leaves()); empty if the id is unknown. Cheaper than
  // the whole tree, which a pull would otherwise build for every document it stores.
  virtual std::vector<Leaf> leaves(std::string_view id) const = 0;
  // A revision with _id, _rev, _revisions (and _deleted for a tombstone); nullopt if its body is not held.
  virtual std::optional<nlohmann::json> revision(std::string_view id, const RevId& rev) const = 0;
  // Stores revisions received from elsewhere (new_edits=false), in order, as one batch of a pull. For each, when it
  // was new, the document's leaves after it (winner first); nullopt when it was known already. Metadata members in
  // the bodies (_id, _rev, _revisions, ...: see strip_revision_metadata) are left out. On an error (thrown), the
  // revisions before the failing one may have been stored.
  virtual StoredLeaves store_replicated(const std::vector<ReplicatedRevision>& revisions) = 0;
  // A new revision made here, as a child of `parent` (a current leaf); returns its revision id.
  virtual RevId store_local_edit(std::string_view id, const RevId& parent, const nlohmann::json& body, bool deleted) = 0;
  virtual std::vector<ReplicaChange> changes_since(uint64_t since, size_t limit) const = 0;
  virtual size_t count_changes_since(uint64_t since) const = 0;
  virtual uint64_t update_seq() const = 0;
  virtual std::optional<nlohmann::json> get_local(std::string_view id) const = 0;
  virtual void put_local(std::string_view id, const nlohmann::json& body) = 0;
};

}  // namespace steward::sync
