#include "store/visit_repository.hpp"

#include <deque>
#include <stdexcept>

namespace steward::store {

VisitRepository::VisitRepository(DocStore& store, std::function<sync::Hlc()> stamp)
    : store_(store), stamp_(std::move(stamp)) {}

void VisitRepository::load() {
  visits_.clear();
  index_.clear();
  skipped_ = 0;
  store_.for_each_with_prefix("visit:", [&](const nlohmann::json& doc) {
    try {
      core::Visit v = core::visit_from_json(doc);
      index_[v.id] = visits_.size();
      visits_.push_back(std::move(v));
    } catch (const std::invalid_argument&) {
      ++skipped_;
    }
  });
  ++version_;
}

const core::Visit* VisitRepository::find(const std::string& id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &visits_[it->second];
}

const core::Visit& VisitRepository::save(core::Visit visit) {
  nlohmann::json doc = core::to_json(visit);
  if (stamp_) {
    const std::optional<nlohmann::json> before = visit.rev.empty() ? std::nullopt : store_.get(visit.id);
    if (before && before->contains("stamps")) doc["stamps"] = (*before)["stamps"];
    sync::stamp_changes(before ? *before : nlohmann::json(nullptr), doc, stamp_());
  }
  visit.rev = store_.put(std::move(doc));
  visit.merged_from.clear();
  visit.merge_detail.clear();
  ++version_;
  auto it = index_.find(visit.id);
  if (it != index_.end()) {
    visits_[it->second] = std::move(visit);
    return visits_[it->second];
  }
  index_[visit.id] = visits_.size();
  visits_.push_back(std::move(visit));
  return visits_.back();
}

void VisitRepository::reload(const std::vector<sync::ChangedDoc>& changed) {
  std::deque<std::optional<nlohmann::json>> read_back;  // stable addresses
  for (const sync::ChangedDoc& c : changed) {
    const std::string& id = c.id;
    if (!id.starts_with("visit:")) continue;
    const std::optional<nlohmann::json>& doc = c.winner ? c.winner : read_back.emplace_back(store_.get(id));
    if (!doc) {
      remove_from_list(id);
      continue;
    }
    try {
      core::Visit v = core::visit_from_json(*doc);
      auto it = index_.find(id);
      if (it != index_.end()) {
        visits_[it->second] = std::move(v);
      } else {
        index_[id] = visits_.size();
        visits_.push_back(std::move(v));
      }
    } catch (const std::invalid_argument&) {
      remove_from_list(id);
      ++skipped_;
    }
  }
  ++version_;
}

void VisitRepository::remove_from_list(const std::string& id) {
  auto it = index_.find(id);
  if (it == index_.end()) return;
  const size_t at = it->second;
  index_.erase(it);
  visits_.erase(visits_.begin() + at);
  for (auto& [other, position] : index_)
    if (position > at) --position;
}

std::optional<core::Site> VisitRepository::site(const std::string& site_id) const {
  auto doc = store_.get(core::site_doc_id(site_id));
  if (!doc) return std::nullopt;
  try {
    return core::site_from_json(*doc);
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
}

void VisitRepository::save_site(const core::Site& site) {
  nlohmann::json doc = core::to_json(site);
  if (auto current = store_.get(core::site_doc_id(site.id))) doc["_rev"] = (*current)["_rev"];
  store_.put(std::move(doc));
}

}  // namespace steward::store
