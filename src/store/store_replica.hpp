// The tablet store as the replicator's local replica.
#pragma once

#include "store/doc_store.hpp"
#include "sync/local_replica.hpp"

namespace steward::store {

class StoreReplica : public sync::LocalReplica {
 public:
  explicit StoreReplica(DocStore& store) : store_(store) {}

  std::optional<sync::RevTree> rev_tree(std::string_view id) const override { return store_.rev_tree(id); }
  std::vector<sync::Leaf> leaves(std::string_view id) const override { return store_.leaves(id); }
  std::optional<nlohmann::json> revision(std::string_view id, const sync::RevId& rev) const override {
    return store_.get_rev(id, rev, true);
  }
  sync::StoredLeaves store_replicated(const std::vector<sync::ReplicatedRevision>& revisions) override {
    return store_.put_replicated(revisions);
  }
  sync::RevId store_local_edit(std::string_view id, const sync::RevId& parent, const nlohmann::json& body,
                               bool deleted) override;
  std::vector<sync::ReplicaChange> changes_since(uint64_t since, size_t limit) const override {
    return store_.changes_since(since, limit);
  }
  size_t count_changes_since(uint64_t since) const override { return store_.count_changes_since(since); }
  uint64_t update_seq() const override { return store_.update_seq(); }
  std::optional<nlohmann::json> get_local(std::string_view id) const override { return store_.get_local(id); }
  void put_local(std::string_view id, const nlohmann::json& body) override { store_.put_local(id, body); }

 private:
  DocStore& store_;
};

}  // namespace steward::store
