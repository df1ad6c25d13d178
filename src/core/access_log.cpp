#include "core/access_log.hpp"

#include <stdexcept>

#include "core/json_read.hpp"

namespace steward::core {

AccessLogEntry make_access_log(std::string_view uuid, std::string who, int64_t now_ms, std::string_view action,
                               std::string site, std::string record_id, std::string device) {
  AccessLogEntry e;
  e.id = std::string(kAccessLogPrefix) + std::string(uuid);
  e.who = std::move(who);
  e.at_ms = now_ms;
  e.action = std::string(action);
  e.site = std::move(site);
  e.record_id = std::move(record_id);
  e.device = std::move(device);
  return e;
}

nlohmann::json to_json(const AccessLogEntry& e) {
  return {{"_id", e.id},         {"type", "access_log"}, {"who", e.who},       {"at", e.at_ms},
          {"action", e.action}, {"site", e.site},       {"record_id", e.record_id}, {"device", e.device}};
}

AccessLogEntry access_log_from_json(const nlohmann::json& doc) {
  json_read::DocReader r(doc, "access_log");
  r.expect_type("access_log");
  AccessLogEntry e;
  e.id = r.string("_id", true);
  if (!e.id.starts_with(kAccessLogPrefix)) r.malformed("\"_id\" is not access_log:<uuid>");
  e.who = r.string("who", true);
  e.at_ms = r.int64("at", true, 0);
  e.action = r.string("action", true);
  e.site = r.string("site", true);
  e.record_id = r.string("record_id", true);
  e.device = r.string("device", false);
  return e;
}

}  // namespace steward::core
