#include "store/owner_repository.hpp"

namespace steward::store {

void OwnerRepository::load() {
  files_.load(store_);
  ++version_;
}

void OwnerRepository::log_access(const core::AccessLogEntry& entry) { store_.put(core::to_json(entry)); }

void OwnerRepository::reload(const std::vector<sync::ChangedDoc>& changed) {
  if (files_.reload(store_, changed)) ++version_;
}

}  // namespace steward::store
