// Strict reading of stored documents, shared by the record types: a missing required field or a field of the
// wrong type makes the document malformed (std::invalid_argument naming the document kind and the field).
// Internal to core; not part of its public API.
#pragma once

#include <cstdint>
#include <string>

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
};

}  // namespace steward::core::json_read
