#include "store/visit_repository.hpp"

#include <stdexcept>

#include "core/access_log.hpp"
#include "core/retention.hpp"

namespace steward::store {

VisitRepository::VisitRepository(DocStore& store, std::function<sync::Hlc()> stamp)
    : store_(store), stamp_(std::move(stamp)) {}

void VisitRepository::load() {
  visits_.load(store_);
  ++version_;
}

const core::Visit& VisitRepository::save(core::Visit visit) {
  visit.rev = put_edit(store_, core::to_json(visit), stamp_);
  visit.merged_from.clear();
  visit.merge_detail.clear();
  ++version_;
  return visits_.upsert(std::move(visit));
}

void VisitRepository::reload(const std::vector<sync::ChangedDoc>& changed) {
  visits_.reload(store_, changed);
  ++version_;
}

size_t VisitRepository::purge_past_retention(int64_t cutoff_ms, uint64_t pushed_seq) {
  if (cutoff_ms <= 0) return 0;
  std::vector<std::string> ids;
  const auto consider = [&](const nlohmann::json& doc) {
    const std::string& id = doc["_id"].get_ref<const std::string&>();
    if (core::past_retention(id, doc, cutoff_ms) && store_.doc_seq(id) <= pushed_seq) ids.push_back(id);
  };
  store_.for_each_with_prefix(visits_.prefix(), consider);
  store_.for_each_with_prefix(core::kAccessLogPrefix, consider);
  if (ids.empty()) return 0;
  const size_t purged = store_.purge(ids);
  visits_.remove_many(ids);
  ++version_;
  return purged;
}

// The site (its roster) as the server last gave it, kept as a local document: this tablet's copy, never
// replicated back (the server keeps sites apart from the records).
std::optional<core::Site> VisitRepository::site(const std::string& site_id) const {
  auto doc = store_.get_local(core::site_doc_id(site_id));
  if (!doc) return std::nullopt;
  (*doc)["_id"] = core::site_doc_id(site_id);
  try {
    return core::site_from_json(*doc);
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
}

void VisitRepository::save_site(const core::Site& site) { store_.put_local(core::site_doc_id(site.id), core::to_json(site)); }

void VisitRepository::log_access(const core::AccessLogEntry& entry) { store_.put(core::to_json(entry)); }

}  // namespace steward::store
