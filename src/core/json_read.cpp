#include "core/json_read.hpp"

#include <limits>
#include <stdexcept>

namespace steward::core::json_read {

using nlohmann::json;

DocReader::DocReader(const json& doc, std::string kind) : doc_(doc), kind_(std::move(kind)) {
  if (!doc_.is_object()) malformed("not an object");
  if (doc_.size() > kListedMembers) return;
  for (auto it = doc_.begin(); it != doc_.end(); ++it) members_[listed_++] = {it.key(), &it.value()};
}

void DocReader::malformed(const std::string& why) const { throw std::invalid_argument(kind_ + " document: " + why); }

const json* DocReader::field(const char* key) const {
  if (listed_ == 0) {
    const auto it = doc_.find(key);
    return (it == doc_.end() || it->is_null()) ? nullptr : &*it;
  }
  const std::string_view name(key);
  for (size_t i = 0; i < listed_; ++i)
    if (members_[i].first == name) return members_[i].second->is_null() ? nullptr : members_[i].second;
  return nullptr;
}

std::string DocReader::string(const char* key, bool required) const {
  const json* f = field(key);
  if (!f) {
    if (required) malformed(std::string("missing \"") + key + "\"");
    return {};
  }
  if (!f->is_string()) malformed(std::string("\"") + key + "\" is not a string");
  return f->get<std::string>();
}

int64_t DocReader::int64(const char* key, bool required, int64_t fallback) const {
  const json* f = field(key);
  if (!f) {
    if (required) malformed(std::string("missing \"") + key + "\"");
    return fallback;
  }
  if (f->is_number_unsigned()) {
    if (f->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      malformed(std::string("\"") + key + "\" is out of range");
    }
    return static_cast<int64_t>(f->get<uint64_t>());
  }
  if (!f->is_number_integer()) malformed(std::string("\"") + key + "\" is not an integer");
  return f->get<int64_t>();
}

int DocReader::integer(const char* key, int fallback) const {
  const int64_t v = int64(key, false, fallback);
  if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) {
    malformed(std::string("\"") + key + "\" is out of range");
  }
  return static_cast<int>(v);
}

void DocReader::expect_type(const char* type) const {
  if (const json* t = field("type"); t && !(t->is_string() && t->get_ref<const std::string&>() == type)) {
    malformed(std::string("\"type\" is not \"") + type + "\"");
  }
}

}  // namespace steward::core::json_read
