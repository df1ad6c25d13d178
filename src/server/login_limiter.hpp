// Login rate limiting: failed password checks (a _session login or HTTP Basic credentials) are counted per
// client address and per login name over a sliding window; past either limit further attempts are refused
// (429 with Retry-After) until the oldest counted failure leaves the window. Successes reset nothing: an attacker
// holding one valid account must not be able to clear the count between guesses at another.
//
// The per-address limit is the lower one, so guessing from one machine stops there, and a single machine cannot
// lock a person out by trying their name; the per-name limit stops guessing at one account from many machines.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace steward::server {

struct LoginLimits {
  size_t per_address = 10;
  size_t per_name = 30;
  std::chrono::seconds window{15 * 60};
};

class LoginLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  using Limits = LoginLimits;

  explicit LoginLimiter(Limits limits) : limits_(limits) {}

  // Whole seconds (at least 1) before `address` may try `name` again; 0: it may now.
  int64_t wait_seconds(std::string_view address, std::string_view name, Clock::time_point now = Clock::now());
  void record_failure(std::string_view address, std::string_view name, Clock::time_point now = Clock::now());

 private:
  using Failures = std::deque<Clock::time_point>;
  int64_t wait_for(const Failures& failures, size_t limit, Clock::time_point now) const;
  void count(std::unordered_map<std::string, Failures>& map, std::string key, size_t limit, Clock::time_point now);

  Limits limits_;
  std::mutex mutex_;
  std::unordered_map<std::string, Failures> by_address_;
  std::unordered_map<std::string, Failures> by_name_;
};

}  // namespace steward::server
