// How the replicator reaches the other side and waits: asynchronous HTTP against one database URL, and timers.
// In the browser this is fetch() and setTimeout (src/platform); in native tests an HTTP client and a run loop.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace steward::sync {

struct HttpRequest {
  std::string method;  // GET, POST, PUT
  std::string path;    // relative to the database URL: "_changes?since=3", "_local/abc", "" for the db itself
  std::string body;    // JSON, empty for none
  int timeout_ms = 30000;
};

struct HttpResponse {
  int status = 0;        // 0: no answer (network down, connection dropped, timed out)
  std::string body;
  std::string error;     // why there was no answer
  bool timed_out = false;  // no answer within the request's time limit
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Calls `done` exactly once, later (never from inside send()).
  virtual void send(const HttpRequest& request, std::function<void(HttpResponse)> done) = 0;
  // Calls `fn` once after about `delay_ms`; returns an id for cancel().
  virtual uint64_t after(int delay_ms, std::function<void()> fn) = 0;
  virtual void cancel(uint64_t timer) = 0;
  virtual int64_t now_ms() = 0;
  // A number in [0, 1) for backoff jitter.
  virtual double random() = 0;
};

}  // namespace steward::sync
