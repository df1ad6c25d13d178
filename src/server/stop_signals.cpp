#include "server/stop_signals.hpp"

#include <httplib.h>
#include <signal.h>

#include <cstring>
#include <string>

#include "server/log.hpp"

namespace steward::server {

namespace {

sigset_t stop_signal_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void block_stop_signals() {
  sigset_t set = stop_signal_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // A tablet closing its connection mid-response must not kill the server.
  signal(SIGPIPE, SIG_IGN);
}

StopSignals::StopSignals(httplib::Server& http, std::function<void()> before_stop)
    : http_(http), before_stop_(std::move(before_stop)) {
  // A signal that came while the server was starting is pending now: take it here, so requested() tells.
  const sigset_t set = stop_signal_set();
  timespec now{0, 0};
  if (const int sig = sigtimedwait(&set, nullptr, &now); sig > 0) {
    requested_ = true;
    log_line(std::string("received SIG") + sigabbrev_np(sig) + " while starting");
  }
  thread_ = std::thread([this] { watch(); });
}

StopSignals::~StopSignals() {
  finished_ = true;
  thread_.join();
}

void StopSignals::watch() {
  const sigset_t set = stop_signal_set();
  bool stop_sent = false;
  while (!finished_) {
    // Polling (not a plain sigwait) so the destructor can end this thread without sending it a signal.
    timespec tick{0, 50'000'000};
    const int sig = sigtimedwait(&set, nullptr, &tick);
    if (sig > 0 && !requested_) {
      requested_ = true;
      log_line(std::string("received SIG") + sigabbrev_np(sig) + ", stopping");
    }
    // stop() does nothing until listening has begun, so a signal during startup waits for that moment.
    if (requested_ && !stop_sent && http_.is_running()) {
      if (before_stop_) before_stop_();
      http_.stop();
      stop_sent = true;
    }
  }
}

}  // namespace steward::server
