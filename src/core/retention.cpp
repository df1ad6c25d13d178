#include "core/retention.hpp"

#include "core/access_log.hpp"

namespace steward::core {

int64_t retention_cutoff_ms(int64_t now_ms, int retention_days) {
  if (retention_days <= 0) return 0;
  return now_ms - int64_t(retention_days) * 24 * 60 * 60 * 1000;
}

bool past_retention(std::string_view id, const nlohmann::json& doc, int64_t cutoff_ms) {
  if (cutoff_ms <= 0 || !doc.is_object()) return false;
  const auto type = doc.find("type");
  if (type == doc.end() || !type->is_string()) return false;
  const std::string& kind = type->get_ref<const std::string&>();
  const char* time_field = nullptr;
  if (kind == "visit" && id.starts_with("visit:")) time_field = "arrived_ms";
  else if (kind == "access_log" && id.starts_with(kAccessLogPrefix)) time_field = "at";
  else return false;
  const auto at = doc.find(time_field);
  if (at == doc.end() || !at->is_number_integer()) return false;  // a record without a time is kept
  return at->get<int64_t>() < cutoff_ms;
}

}  // namespace steward::core
