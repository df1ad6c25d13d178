#include "store/visit_repository.hpp"

#include <stdexcept>

namespace steward::store {

VisitRepository::VisitRepository(DocStore& store) : store_(store) {}

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
  visit.rev = store_.put(core::to_json(visit));
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
