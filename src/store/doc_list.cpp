#include "store/doc_list.hpp"

namespace steward::store {

std::string put_edit(DocStore& store, nlohmann::json doc, const std::function<sync::Hlc()>& stamp,
                     const nlohmann::json& new_attachments) {
  if (!doc.is_object() || !doc.contains("_id") || !doc["_id"].is_string())
    throw StoreError(StoreError::Kind::BadDocument, "put_edit: the document has no string \"_id\"");
  const std::optional<nlohmann::json> before =
      doc.contains("_rev") ? store.get(doc["_id"].get<std::string>()) : std::nullopt;
  if (before) {
    if (before->contains("stamps")) doc["stamps"] = (*before)["stamps"];
    if (before->contains("_attachments")) doc["_attachments"] = (*before)["_attachments"];
  }
  for (const auto& [name, attachment] : new_attachments.items()) doc["_attachments"][name] = attachment;
  if (stamp) sync::stamp_changes(before ? *before : nlohmann::json(nullptr), doc, stamp());
  return store.put(std::move(doc));
}

}  // namespace steward::store
