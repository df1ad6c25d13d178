#include "platform/web_transport.hpp"

#include <emscripten.h>
#include <emscripten/eventloop.h>
#include <emscripten/html5.h>  // emscripten_date_now

#include <random>

#include "platform/web_bridge.hpp"
#include "sync/gzip.hpp"

namespace steward::platform {
namespace {

// Shared by every transport: the page answers by id alone (steward_on_http), so ids never repeat across them.
int next_request_id = 0;

struct TimerContext {
  WebTransport* transport;
  uint64_t timer;
};

void on_timeout(void* user) {
  auto* ctx = static_cast<TimerContext*>(user);
  WebTransport* transport = ctx->transport;
  const uint64_t timer = ctx->timer;
  delete ctx;
  transport->timer_fired(timer);
}

}  // namespace

int next_http_request_id() { return ++next_request_id; }

WebTransport::~WebTransport() {
  for (const auto& [timer, entry] : timers_) emscripten_clear_timeout(entry.first);
}

WebTransport::WebTransport(std::string base_url)
    : base_url_(std::move(base_url)), gzip_bodies_(base_url_.find("://") == std::string::npos) {}

void WebTransport::send(const sync::HttpRequest& request, std::function<void(sync::HttpResponse)> done) {
  if (!gzip_bodies_ || request.body.size() <= kGzipFromBytes) return fetch(request, request.body, "", std::move(done));
  // Level 1: within 5% of the best for these bodies, in a fraction of the time (it runs between frames).
  fetch(request, sync::gzip_compress(request.body, 1), "gzip",
        [this, request, done = std::move(done)](sync::HttpResponse response) mutable {
          if (response.status != 415) return done(std::move(response));
          gzip_bodies_ = false;
          fetch(request, request.body, "", std::move(done));
        });
}

void WebTransport::fetch(const sync::HttpRequest& request, const std::string& body, const char* content_encoding,
                         std::function<void(sync::HttpResponse)> done) {
  const int id = next_http_request_id();
  waiting_[id] = std::move(done);
  const std::string url = base_url_ + request.path;
  steward_js_http(id, request.method.c_str(), url.c_str(), body.data(), body.size(), content_encoding,
                  request.timeout_ms);
}

bool WebTransport::answered(int request_id, int status, std::string body) {
  auto it = waiting_.find(request_id);
  if (it == waiting_.end()) return false;
  auto done = std::move(it->second);
  waiting_.erase(it);
  sync::HttpResponse response;
  // No answer comes as status 0, or -1 when the time limit ran out (web_bridge.js).
  response.status = status > 0 ? status : 0;
  response.timed_out = status < 0;
  (status > 0 ? response.body : response.error) = std::move(body);
  done(std::move(response));
  return true;
}

uint64_t WebTransport::after(int delay_ms, std::function<void()> fn) {
  const uint64_t timer = ++next_timer_;
  const long browser_id = emscripten_set_timeout(on_timeout, delay_ms, new TimerContext{this, timer});
  timers_[timer] = {browser_id, std::move(fn)};
  return timer;
}

void WebTransport::cancel(uint64_t timer) {
  auto it = timers_.find(timer);
  if (it == timers_.end()) return;
  // The context of a cleared timeout is never freed by on_timeout; it is a few bytes per cancelled retry.
  emscripten_clear_timeout(it->second.first);
  timers_.erase(it);
}

void WebTransport::timer_fired(uint64_t timer) {
  auto it = timers_.find(timer);
  if (it == timers_.end()) return;
  auto fn = std::move(it->second.second);
  timers_.erase(it);
  fn();
}

int64_t WebTransport::now_ms() { return (int64_t)emscripten_date_now(); }

double WebTransport::random() {
  static std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

}  // namespace steward::platform
