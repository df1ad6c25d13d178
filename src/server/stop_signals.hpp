// Turns SIGINT/SIGTERM into httplib::Server::stop().
//
// A signal handler may not call stop() (it is not async-signal-safe), so the signals are blocked in every
// thread and a watcher thread takes them with sigtimedwait. block_stop_signals() must run before any other
// thread starts, so that httplib's workers inherit the blocked mask.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace httplib {
class Server;
}

namespace steward::server {

void block_stop_signals();

class StopSignals {
 public:
  // before_stop runs on the watcher thread just before http.stop(): for whatever would otherwise keep a worker
  // busy past the stop (a longpoll waiting for changes).
  explicit StopSignals(httplib::Server& http, std::function<void()> before_stop = {});
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // A stop signal has come (checked at construction too, so it covers the time before).
  bool requested() const { return requested_; }

 private:
  void watch();

  httplib::Server& http_;
  std::function<void()> before_stop_;
  std::atomic<bool> requested_{false};
  std::atomic<bool> finished_{false};
  std::thread thread_;
};

}  // namespace steward::server
