// The replicator's way out of the browser: fetch() to the sync server, setTimeout for waits.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "sync/transport.hpp"

namespace steward::platform {

// An id for a fetch answered through steward_on_http: unique across every transport and the app's own requests.
int next_http_request_id();

class WebTransport : public sync::Transport {
 public:
  // base_url: the remote database, ending in '/', relative to the page ("couch/demo-visits/") or absolute.
  // Request bodies over kGzipFromBytes go gzipped to the page's own server (a relative base_url), which inflates
  // them as CouchDB does: about half the bytes (ids are random hex, visits compress ~3x), and the uplink of a
  // tablet in a basement is the slowest part of its sync. An older server refuses them with 415; they then go
  // plain. Another origin (a CouchDB cluster, by absolute URL) would have to allow the Content-Encoding header in
  // its CORS settings, which CouchDB's defaults do not: its bodies go plain.
  static constexpr size_t kGzipFromBytes = 1024;
  explicit WebTransport(std::string base_url);
  // Cancels its timers (their callbacks would reach a transport that is gone); answers to its requests still on
  // their way find no transport and are dropped.
  ~WebTransport() override;
  WebTransport(const WebTransport&) = delete;
  WebTransport& operator=(const WebTransport&) = delete;

  void send(const sync::HttpRequest& request, std::function<void(sync::HttpResponse)> done) override;
  uint64_t after(int delay_ms, std::function<void()> fn) override;
  void cancel(uint64_t timer) override;
  int64_t now_ms() override;
  double random() override;

  // Whether the request is this transport's (answers go to every transport's owner by id alone).
  bool expects(int request_id) const { return waiting_.count(request_id) > 0; }
  // From web_bridge.js when a fetch ends (false: not this transport's request); from a timeout when it fires.
  bool answered(int request_id, int status, std::string body);
  void timer_fired(uint64_t timer);

 private:
  void fetch(const sync::HttpRequest& request, const std::string& body, const char* content_encoding,
             std::function<void(sync::HttpResponse)> done);

  std::string base_url_;
  bool gzip_bodies_;
  std::map<int, std::function<void(sync::HttpResponse)>> waiting_;
  uint64_t next_timer_ = 0;
  std::map<uint64_t, std::pair<long, std::function<void()>>> timers_;  // id -> (browser timeout id, callback)
};

}  // namespace steward::platform
