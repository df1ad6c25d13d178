#include "core/owner_file.hpp"

#include <stdexcept>

#include "core/text.hpp"
#include "core/visit.hpp"

namespace steward::core {

namespace {

using nlohmann::json;

std::string text_of(const json& doc, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    const auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) continue;
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number()) return it->dump();
    if (it->is_array()) {  // several phones, say
      std::string joined;
      for (const json& part : *it)
        if (part.is_string()) joined += (joined.empty() ? "" : " / ") + part.get<std::string>();
      return joined;
    }
  }
  return {};
}

}  // namespace

OwnerFile owner_file_from_json(const json& doc) {
  if (!doc.is_object()) throw std::invalid_argument("owner_file document: not an object");
  const std::string type = text_of(doc, {"type"});
  if (type != "owner_file") throw std::invalid_argument("owner_file document: \"type\" is not \"owner_file\"");
  OwnerFile f;
  f.id = text_of(doc, {"_id"});
  if (f.id.empty()) throw std::invalid_argument("owner_file document: missing \"_id\"");
  f.site = text_of(doc, {"site"});
  f.building = text_of(doc, {"building"});
  f.unit = text_of(doc, {"unit", "room"});
  f.notes = text_of(doc, {"notes"});
  if (const auto m = doc.find("move_in_ms"); m != doc.end() && m->is_number_integer()) {
    f.move_in = local_day(m->get<int64_t>(), 480);
  } else {
    f.move_in = text_of(doc, {"move_in", "move_in_date"});
  }
  for (const char* key : {"people", "residents", "owners"}) {
    const auto list = doc.find(key);
    if (list == doc.end() || !list->is_array()) continue;
    for (const json& p : *list) {
      if (p.is_string()) {
        f.people.push_back({p.get<std::string>(), "", ""});
      } else if (p.is_object()) {
        f.people.push_back({text_of(p, {"name"}), text_of(p, {"relation", "role"}), text_of(p, {"phone", "phones", "mobile"})});
      }
    }
  }
  if (const auto list = doc.find("vehicles"); list != doc.end() && list->is_array()) {
    for (const json& v : *list) {
      if (v.is_string()) {
        f.vehicles.push_back({v.get<std::string>(), ""});
      } else if (v.is_object()) {
        std::string description;
        for (const char* key : {"make", "brand", "model", "colour", "color", "parking_space"}) {
          const std::string part = text_of(v, {key});
          if (!part.empty()) description += (description.empty() ? "" : " ") + part;
        }
        f.vehicles.push_back({text_of(v, {"plate", "car_plate"}), description});
      }
    }
  }
  return f;
}

std::string owner_file_title(const OwnerFile& f) {
  if (f.building.empty() || f.unit.find(f.building) != std::string::npos) return f.unit;
  return f.building + " " + f.unit;
}

bool owner_file_matches(const OwnerFile& f, const std::string& query) {
  const std::string q = text::trim(query);
  if (q.empty()) return true;
  return owner_file_title(f).find(q) != std::string::npos;
}

}  // namespace steward::core
