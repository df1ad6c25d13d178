// Strict reading of stored documents, shared by the record types: a missing required field or a field of the
// wrong type makes the document malformed (std::invalid_argument naming the document kind and the field).
// Internal to core; not part of its public API.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

namespace steward::core::json_read {

class DocReader {
 public:
  // `kind` opens every error message: "ticket document: missing \"site\"".
  DocReader(const nlohmann::json& doc, std::string kind);

  [[noreturn]] void malformed(const std::string& why) const;

  // Optional fields may be missing or null (a later version may null out what it no longer uses); present
  // with another type they make the document malformed.
  const nlohmann::json* field(const char* key) const;
  std::string string(const char* key, bool required) const;
  int64_t int64(const char* key, bool required, int64_t fallback) const;
  int integer(const char* key, int fallback) const;
  // Throws unless "type" is missing, null or equal to `type`.
  void expect_type(const char* type) const;

 private:
  const nlohmann::json& doc_;
  std::string kind_;
  // The members, listed once when they are few: each field is looked up by name, and nlohmann's map compares the
  // name as a C string at every step of its search. In WASM a record's ~20 members are searched faster as a list
  // by length and bytes (visit_from_json over 10,000 visits: 15.5 -> 9.0 ms); a larger object uses the map.
  static constexpr size_t kListedMembers = 32;
  std::array<std::pair<std::string_view, const nlohmann::json*>, kListedMembers> members_;
  size_t listed_ = 0;  // 0: not listed (more members than kListedMembers, or none)
};

}  // namespace steward::core::json_read
