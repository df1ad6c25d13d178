// The visit record: its document form, how it is made from the form, and its state changes.
#include "core/visit.hpp"

#include <stdexcept>

#include "core/json_read.hpp"
#include "core/text.hpp"

namespace steward::core {

namespace {

using nlohmann::json;

constexpr std::array<std::string_view, kAllChannels.size()> kChannelKeys = {"walk_in", "online", "referral",
                                                                            "advertisement", "owner_referral"};

}  // namespace

std::string_view channel_key(Channel c) { return kChannelKeys.at(static_cast<size_t>(c)); }

std::optional<Channel> channel_from_key(std::string_view key) {
  for (size_t i = 0; i < kChannelKeys.size(); ++i) {
    if (kChannelKeys[i] == key) return kAllChannels[i];
  }
  return std::nullopt;
}

VisitStatus Visit::status() const {
  if (left_ms != 0) return VisitStatus::Left;
  if (!received_by.empty()) return VisitStatus::WithConsultant;
  return VisitStatus::Waiting;
}

json to_json(const Visit& v) {
  json doc = {
      {"_id", v.id},
      {"type", "visit"},
      {"site", v.site},
      {"name", v.name},
      {"phone", v.phone},
      {"party_size", v.party_size},
      {"channel", channel_key(v.channel)},
      {"appointed_consultant", v.appointed_consultant},
      {"received_by", v.received_by},
      {"car_plate", v.car_plate},
      {"notes", v.notes},
      {"visit_number", v.visit_number},
      {"arrived_ms", v.arrived_ms},
      {"received_ms", v.received_ms},
      {"left_ms", v.left_ms},
      {"created_ms", v.created_ms},
      {"updated_ms", v.updated_ms},
  };
  if (!v.rev.empty()) doc["_rev"] = v.rev;
  return doc;
}

bool is_visit_doc(const json& doc) {
  if (!doc.is_object()) return false;
  const auto it = doc.find("type");
  return it != doc.end() && it->is_string() && it->get_ref<const std::string&>() == "visit";
}

Visit visit_from_json(const json& doc) {
  const json_read::DocReader r(doc, "visit");
  r.expect_type("visit");
  Visit v;
  v.id = r.string("_id", true);
  if (v.id.empty()) r.malformed("empty \"_id\"");
  v.rev = r.string("_rev", false);
  v.site = r.string("site", false);
  v.name = r.string("name", true);
  v.phone = r.string("phone", true);
  v.party_size = r.integer("party_size", 1);
  if (const json* ch = r.field("channel")) {
    if (!ch->is_string()) r.malformed("\"channel\" is not a string");
    // An unknown channel is refused rather than guessed: showing a referral as a walk-in would skew the
    // channel statistics that the sales manager reads.
    const auto c = channel_from_key(ch->get_ref<const std::string&>());
    if (!c) r.malformed("unknown channel \"" + ch->get<std::string>() + "\"");
    v.channel = *c;
  }
  v.appointed_consultant = r.string("appointed_consultant", false);
  v.received_by = r.string("received_by", false);
  v.car_plate = r.string("car_plate", false);
  v.notes = r.string("notes", false);
  v.visit_number = r.integer("visit_number", 1);
  v.arrived_ms = r.int64("arrived_ms", true, 0);
  v.received_ms = r.int64("received_ms", false, 0);
  v.left_ms = r.int64("left_ms", false, 0);
  v.created_ms = r.int64("created_ms", false, v.arrived_ms);
  v.updated_ms = r.int64("updated_ms", false, v.created_ms);
  if (const json* merged = r.field("merged_from")) {
    if (!merged->is_array()) r.malformed("\"merged_from\" is not a list");
    for (const json& rev : *merged) {
      if (!rev.is_string()) r.malformed("\"merged_from\" holds a non-string");
      v.merged_from.push_back(rev.get<std::string>());
    }
  }
  // Only shown to people: an entry that cannot be read is left out rather than making the visit unreadable.
  if (const json* detail = r.field("merge_detail"); detail && detail->is_array()) {
    for (const json& e : *detail) {
      if (!e.is_object()) continue;
      MergedEdit edit;
      edit.rev = e.value("rev", json()).is_string() ? e["rev"].get<std::string>() : "";
      edit.by = e.value("by", json()).is_string() ? e["by"].get<std::string>() : "";
      edit.at_ms = e.value("at", json()).is_number_integer() ? e["at"].get<int64_t>() : 0;
      if (const auto f = e.find("fields"); f != e.end() && f->is_array())
        for (const json& name : *f)
          if (name.is_string()) edit.fields.push_back(name.get<std::string>());
      v.merge_detail.push_back(std::move(edit));
    }
  }
  return v;
}

Visit make_visit(const VisitDraft& d, std::string id, std::string site, int64_t now_ms,
                 const std::vector<Visit>& earlier) {
  if (!validate(d).empty()) throw std::invalid_argument("make_visit: the draft does not validate");
  Visit v;
  v.id = std::move(id);
  v.site = std::move(site);
  v.name = text::trim(d.name);
  v.phone = normalize_phone(text::trim(d.phone));
  v.party_size = d.party_size;
  v.channel = *d.channel;
  v.appointed_consultant = text::trim(d.appointed_consultant);
  const std::string plate = text::trim(d.car_plate);
  v.car_plate = plate.empty() ? std::string() : *normalize_plate(plate);
  v.notes = text::trim(d.notes);
  v.visit_number = history_for_phone(earlier, v.phone).next_visit_number;
  v.arrived_ms = v.created_ms = v.updated_ms = now_ms;
  return v;
}

bool mark_received(Visit& v, std::string consultant, int64_t now_ms) {
  consultant = text::trim(consultant);
  // The consultant who first received a client keeps them: a second reception never reassigns.
  if (v.status() != VisitStatus::Waiting || !v.received_by.empty() || consultant.empty()) return false;
  v.received_by = std::move(consultant);
  v.received_ms = now_ms;
  v.updated_ms = now_ms;
  return true;
}

bool mark_left(Visit& v, int64_t now_ms) {
  if (v.status() == VisitStatus::Left) return false;
  v.left_ms = now_ms;
  v.updated_ms = now_ms;
  return true;
}

}  // namespace steward::core
