// A site (小区 / 写字楼 / 案场) and the people the tablet needs to know by name there.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace steward::core {

enum class SiteKind { Residential, Office, SalesCentre };

struct Site {
  std::string id;  // e.g. "demo"
  std::string name;
  SiteKind kind = SiteKind::SalesCentre;
  std::vector<std::string> consultants;  // 置业顾问 on the day's roster
  int utc_offset_minutes = 480;          // the site's local time (China Standard Time)
};

// Stored as document "site:<id>" of type "site". site_from_json throws std::invalid_argument when malformed.
nlohmann::json to_json(const Site& s);
Site site_from_json(const nlohmann::json& doc);
std::string site_doc_id(const std::string& site_id);

// The demo sales centre that `scripts/run` seeds, so a fresh install shows something real.
Site demo_site();

}  // namespace steward::core
