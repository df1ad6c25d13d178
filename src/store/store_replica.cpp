#include "store/store_replica.hpp"

namespace steward::store {

sync::RevId StoreReplica::store_local_edit(std::string_view id, const sync::RevId& parent, const nlohmann::json& body,
                                           bool deleted) {
  nlohmann::json doc = body;
  doc["_id"] = std::string(id);
  doc["_rev"] = parent.str();
  if (deleted) doc["_deleted"] = true;
  const std::string rev = store_.put(std::move(doc));
  return *sync::parse_rev(rev);
}

}  // namespace steward::store
