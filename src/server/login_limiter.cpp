#include "server/login_limiter.hpp"

#include <algorithm>

namespace steward::server {

namespace {

// Names as counted: any text a client sends, so bounded in size (the limit still applies to its prefix).
std::string name_key(std::string_view name) { return std::string(name.substr(0, 128)); }

// Above this many keys a map drops those whose failures have all left the window: memory stays bounded by the
// failures of the last window, which the per-address limit bounds in turn.
constexpr size_t kTidyAbove = 4096;

}  // namespace

int64_t LoginLimiter::wait_for(const Failures& failures, size_t limit, Clock::time_point now) const {
  if (failures.size() < limit) return 0;
  // The oldest of the last `limit` failures must leave the window first.
  const auto free_at = failures[failures.size() - limit] + limits_.window;
  if (free_at <= now) return 0;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(free_at - now).count();
  return std::max<int64_t>(1, (ms + 999) / 1000);
}

int64_t LoginLimiter::wait_seconds(std::string_view address, std::string_view name, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  int64_t wait = 0;
  if (auto it = by_address_.find(std::string(address)); it != by_address_.end()) {
    wait = std::max(wait, wait_for(it->second, limits_.per_address, now));
  }
  if (auto it = by_name_.find(name_key(name)); it != by_name_.end()) {
    wait = std::max(wait, wait_for(it->second, limits_.per_name, now));
  }
  return wait;
}

void LoginLimiter::count(std::unordered_map<std::string, Failures>& map, std::string key, size_t limit,
                         Clock::time_point now) {
  if (map.size() > kTidyAbove) {
    std::erase_if(map, [&](const auto& entry) { return entry.second.back() + limits_.window <= now; });
  }
  Failures& failures = map[std::move(key)];
  failures.push_back(now);
  while (failures.size() > limit) failures.pop_front();  // only the last `limit` decide the wait
}

void LoginLimiter::record_failure(std::string_view address, std::string_view name, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  count(by_address_, std::string(address), limits_.per_address, now);
  count(by_name_, name_key(name), limits_.per_name, now);
}

}  // namespace steward::server
