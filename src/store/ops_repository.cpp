#include "store/ops_repository.hpp"

#include <algorithm>
#include <stdexcept>

namespace steward::store {

std::string ops_db_name(const std::string& site_id) { return site_id + "-ops"; }

OpsRepository::OpsRepository(DocStore& store, std::function<sync::Hlc()> stamp)
    : store_(store),
      stamp_(std::move(stamp)),
      tickets_(std::string(core::kTicketIdPrefix), &core::ticket_from_json),
      templates_(std::string(core::kPatrolTemplateIdPrefix), &core::patrol_template_from_json),
      rounds_(std::string(core::kPatrolRoundIdPrefix), &core::patrol_round_from_json) {}

void OpsRepository::load() {
  tickets_.load(store_);
  templates_.load(store_);
  rounds_.load(store_);
  ++version_;
}

size_t OpsRepository::skipped_documents() const {
  return tickets_.skipped() + templates_.skipped() + rounds_.skipped();
}

const core::Ticket& OpsRepository::save_ticket(core::Ticket ticket, const std::vector<Photo>& new_photos) {
  nlohmann::json attachments = nlohmann::json::object();
  for (const Photo& p : new_photos) {
    // A photo stored but not listed would be invisible; one listed but never stored would be a broken promise.
    if (std::find(ticket.photos.begin(), ticket.photos.end(), p.name) == ticket.photos.end())
      throw std::invalid_argument("save_ticket: photo " + p.name + " is not one of the ticket's photos");
    if (p.base64.empty()) throw std::invalid_argument("save_ticket: photo " + p.name + " has no data");
    attachments[p.name] = {{"content_type", p.content_type}, {"data", p.base64}};
  }
  ticket.rev = put_edit(store_, core::to_json(ticket), stamp_, attachments);
  ++version_;
  return tickets_.upsert(std::move(ticket));
}

const core::PatrolTemplate& OpsRepository::save_template(core::PatrolTemplate tpl) {
  tpl.rev = put_edit(store_, core::to_json(tpl), stamp_);
  ++version_;
  return templates_.upsert(std::move(tpl));
}

const core::PatrolRound& OpsRepository::save_round(core::PatrolRound round) {
  round.rev = put_edit(store_, core::to_json(round), stamp_);
  ++version_;
  return rounds_.upsert(std::move(round));
}

void OpsRepository::delete_template(const std::string& id, const std::string& rev) {
  store_.put({{"_id", id}, {"_rev", rev}, {"_deleted", true}});
  ++version_;
  templates_.remove(id);
}

std::optional<Photo> OpsRepository::photo(const std::string& ticket_id, const std::string& name) const {
  const std::optional<nlohmann::json> doc = store_.get(ticket_id);
  if (!doc) return std::nullopt;
  const auto atts = doc->find("_attachments");
  if (atts == doc->end() || !atts->is_object()) return std::nullopt;
  const auto att = atts->find(name);
  if (att == atts->end() || !att->is_object()) return std::nullopt;
  const auto data = att->find("data");
  if (data == att->end() || !data->is_string()) return std::nullopt;  // a stub: the bytes are not here
  Photo p;
  p.name = name;
  if (const auto type = att->find("content_type"); type != att->end() && type->is_string())
    p.content_type = type->get<std::string>();
  p.base64 = data->get<std::string>();
  return p;
}

void OpsRepository::reload(const std::vector<sync::ChangedDoc>& changed) {
  const bool a = tickets_.reload(store_, changed);
  const bool b = templates_.reload(store_, changed);
  const bool c = rounds_.reload(store_, changed);
  if (a || b || c) ++version_;
}

void OpsRepository::log_access(const core::AccessLogEntry& entry) { store_.put(core::to_json(entry)); }

}  // namespace steward::store
