#include "core/site.hpp"

#include <array>
#include <stdexcept>
#include <string_view>

namespace steward::core {

namespace {

using nlohmann::json;

constexpr std::string_view kIdPrefix = "site:";
constexpr std::array<std::string_view, 3> kKindKeys = {"residential", "office", "sales_centre"};

// UTC-12:00 .. UTC+14:00: the offsets in use anywhere.
constexpr int kMinOffset = -12 * 60;
constexpr int kMaxOffset = 14 * 60;

[[noreturn]] void malformed(const std::string& why) { throw std::invalid_argument("site document: " + why); }

}  // namespace

std::string site_doc_id(const std::string& site_id) { return std::string(kIdPrefix) + site_id; }

json to_json(const Site& s) {
  return {
      {"_id", site_doc_id(s.id)},
      {"type", "site"},
      {"name", s.name},
      {"kind", kKindKeys.at(static_cast<size_t>(s.kind))},
      {"consultants", s.consultants},
      {"utc_offset_minutes", s.utc_offset_minutes},
  };
}

Site site_from_json(const json& doc) {
  if (!doc.is_object()) malformed("not an object");
  const auto id = doc.find("_id");
  if (id == doc.end() || !id->is_string()) malformed("missing \"_id\"");
  const auto& id_text = id->get_ref<const std::string&>();
  if (!id_text.starts_with(kIdPrefix) || id_text.size() == kIdPrefix.size()) malformed("\"_id\" is not site:<id>");
  if (const auto type = doc.find("type"); type != doc.end() && *type != "site") malformed("\"type\" is not \"site\"");

  Site s;
  s.id = id_text.substr(kIdPrefix.size());

  const auto name = doc.find("name");
  if (name == doc.end() || !name->is_string()) malformed("missing \"name\"");
  s.name = name->get<std::string>();

  if (const auto kind = doc.find("kind"); kind != doc.end() && !kind->is_null()) {
    if (!kind->is_string()) malformed("\"kind\" is not a string");
    bool known = false;
    for (size_t i = 0; i < kKindKeys.size(); ++i) {
      if (kKindKeys[i] == kind->get_ref<const std::string&>()) s.kind = static_cast<SiteKind>(i), known = true;
    }
    if (!known) malformed("unknown kind");
  }

  if (const auto list = doc.find("consultants"); list != doc.end() && !list->is_null()) {
    if (!list->is_array()) malformed("\"consultants\" is not an array");
    for (const json& c : *list) {
      if (!c.is_string()) malformed("a consultant is not a string");
      s.consultants.push_back(c.get<std::string>());
    }
  }

  if (const auto off = doc.find("utc_offset_minutes"); off != doc.end() && !off->is_null()) {
    if (!off->is_number_integer()) malformed("\"utc_offset_minutes\" is not an integer");
    const auto minutes = off->get<int64_t>();
    if (minutes < kMinOffset || minutes > kMaxOffset) malformed("\"utc_offset_minutes\" is out of range");
    s.utc_offset_minutes = static_cast<int>(minutes);
  }
  return s;
}

Site demo_site() {
  Site s;
  s.id = "demo";
  s.name = "滨江壹号售楼处";
  s.kind = SiteKind::SalesCentre;
  s.consultants = {"王丽娜", "陈浩", "李思雨", "张伟", "刘晓燕", "赵子轩"};
  s.utc_offset_minutes = 480;
  return s;
}

}  // namespace steward::core
