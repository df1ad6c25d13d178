#include "server/audit_log.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <string_view>

namespace steward::server {

namespace {

// Entries carry text clients chose (a name tried, a tablet's access log): without control characters, no entry can
// pass itself off as several lines of the admin command's listing or a terminal escape.
std::string without_controls(std::string_view text, size_t max_bytes) {
  std::string out;
  for (unsigned char c : text.substr(0, max_bytes)) out += c < 0x20 || c == 0x7f ? '?' : char(c);
  return out;
}

}  // namespace

void append_audit(StoreTransaction& tx, const AuditEntry& entry) {
  Statement q(tx.connection(), "INSERT INTO audit(at, who, action, site, detail) VALUES (?1, ?2, ?3, ?4, ?5)");
  q.bind(1, entry.at_ms).bind(2, without_controls(entry.who, 200)).bind(3, without_controls(entry.action, 100));
  q.bind(5, without_controls(entry.detail, 2000));
  if (entry.site) q.bind(4, without_controls(*entry.site, 100));  // else NULL
  q.step();
}

int64_t prune_audit(StoreTransaction& tx, int64_t before_ms) {
  Statement q(tx.connection(),
              "DELETE FROM audit WHERE id < coalesce((SELECT id FROM audit WHERE at >= ?1 ORDER BY id LIMIT 1),"
              "                                      (SELECT max(id) + 1 FROM audit))");
  q.bind(1, before_ms);
  q.step();
  return sqlite3_changes(tx.connection());
}

std::vector<AuditEntry> read_audit(StoreTransaction& tx, const std::optional<std::string>& site, int64_t limit) {
  limit = std::clamp<int64_t>(limit, 1, 1000);
  Statement q(tx.connection(), site ? "SELECT at, who, action, site, detail FROM audit WHERE site = ?1 "
                                      "ORDER BY id DESC LIMIT ?2"
                                    : "SELECT at, who, action, site, detail FROM audit ORDER BY id DESC LIMIT ?2");
  if (site) q.bind(1, *site);
  q.bind(2, limit);
  std::vector<AuditEntry> out;
  while (q.step()) {
    AuditEntry e{q.integer(0), q.text(1), q.text(2), std::nullopt, q.text(4)};
    if (!q.is_null(3)) e.site = q.text(3);
    out.push_back(std::move(e));
  }
  return out;
}

nlohmann::ordered_json to_json(const AuditEntry& e) {
  return nlohmann::ordered_json{{"at", e.at_ms},
                                {"who", e.who},
                                {"action", e.action},
                                {"site", e.site ? nlohmann::ordered_json(*e.site) : nlohmann::ordered_json(nullptr)},
                                {"detail", e.detail}};
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace steward::server
