// Access logs made on a tablet (调阅记录): revealing a masked phone number, opening an owner file. Each is a
// document of its own, written into the database of the record's family and replicated like any record, so it is
// kept offline too and reaches the server's audit log when the tablet syncs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace steward::core {

inline constexpr std::string_view kAccessLogPrefix = "access_log:";
inline constexpr std::string_view kActionRevealPhone = "reveal_phone";
inline constexpr std::string_view kActionOpenOwnerFile = "open_owner_file";

struct AccessLogEntry {
  std::string id;         // "access_log:<uuid>"
  std::string who;        // the login name
  int64_t at_ms = 0;      // when, Unix epoch milliseconds
  std::string action;     // kActionRevealPhone, kActionOpenOwnerFile
  std::string site;
  std::string record_id;  // the visit, ticket or owner file consulted
  std::string device;     // the tablet's id
};

AccessLogEntry make_access_log(std::string_view uuid, std::string who, int64_t now_ms, std::string_view action,
                               std::string site, std::string record_id, std::string device);
// {_id, type: "access_log", who, at, action, site, record_id, device}; `at` in epoch milliseconds.
nlohmann::json to_json(const AccessLogEntry& e);
// Throws std::invalid_argument when malformed.
AccessLogEntry access_log_from_json(const nlohmann::json& doc);

}  // namespace steward::core
