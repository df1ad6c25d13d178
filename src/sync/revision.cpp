#include "sync/revision.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "sync/json_dump.hpp"

// Header-only xxHash: the same code in the native and the WASM build, and nothing to link.
#define XXH_INLINE_ALL
#include <xxhash.h>

namespace steward::sync {

namespace {

constexpr size_t kHashHexDigits = 32;

bool is_alphanumeric(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

bool is_rev_hash(std::string_view hash) {
  // CouchDB and PouchDB make 32 hex digits, but a peer replicating with new_edits=false may send revisions of
  // any origin; what matters here is that the hash cannot be confused with the "N-" separator or need escaping.
  return !hash.empty() && std::all_of(hash.begin(), hash.end(), is_alphanumeric);
}

std::optional<RevId> parse_rev(std::string_view rev) {
  const size_t dash = rev.find('-');
  if (dash == std::string_view::npos || dash == 0) return std::nullopt;
  const std::string_view gen = rev.substr(0, dash);
  const std::string_view hash = rev.substr(dash + 1);
  if (gen[0] == '0' || !is_rev_hash(hash)) return std::nullopt;  // no "0-" and no leading zeros

  RevId id;
  const auto [end, err] = std::from_chars(gen.data(), gen.data() + gen.size(), id.generation);
  if (err != std::errc() || end != gen.data() + gen.size()) return std::nullopt;
  id.hash = std::string(hash);
  return id;
}

RevId next_rev(const std::optional<RevId>& parent, const nlohmann::json& body, bool deleted) {
  const auto underscored = [](const nlohmann::json& j) {
    if (!j.is_object()) return false;
    for (auto it = j.begin(); it != j.end(); ++it)
      if (it.key().starts_with('_')) return true;
    return false;
  };
  if (!underscored(body)) return next_rev_of_dump(parent, dump_json(body), deleted);
  nlohmann::json content = body;
  for (auto it = content.begin(); it != content.end();) {
    it = it.key().starts_with('_') ? content.erase(it) : std::next(it);
  }
  return next_rev_of_dump(parent, dump_json(content), deleted);  // nlohmann's objects are key-sorted: canonical
}

RevId next_rev_of_dump(const std::optional<RevId>& parent, std::string_view body_dump, bool deleted) {
  // Parent, deleted flag and content, separated by NULs (which none of them can contain unescaped).
  std::string input = parent ? parent->str() : std::string();
  input += '\0';
  input += deleted ? '1' : '0';
  input += '\0';
  input += body_dump;
  return RevId{parent ? parent->generation + 1 : 1, hash128_hex(input)};
}

void strip_revision_metadata(nlohmann::json& doc) {
  for (const char* key : {"_id", "_rev", "_deleted", "_revisions", "_conflicts", "_deleted_conflicts", "_revs_info",
                          "_local_seq"}) {
    doc.erase(key);
  }
}

std::string hash128_hex(std::string_view bytes) {
  const XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size());
  char buf[kHashHexDigits + 1];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return std::string(buf, kHashHexDigits);
}

}  // namespace steward::sync
