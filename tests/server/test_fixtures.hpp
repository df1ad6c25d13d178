// A small web app on disk and a server running over it, for the HTTP tests.
#pragma once

#include <httplib.h>

#include <memory>
#include <string>
#include <vector>

#include "server_process.hpp"

namespace steward::server::testing {

// TEMP/web/{index.html, app.js, app.wasm, manifest.webmanifest, icon.png, ...} and TEMP/secret.txt beside
// the web folder (what a traversal would try to reach).
struct WebApp {
  TempDir dir;
  std::string index_html = "<!doctype html><title>Steward</title><script src=app.js></script>\n";
  std::string app_js;
  std::string app_wasm;
  std::string manifest = R"({"name":"Steward","start_url":"/","display":"standalone"})";
  std::string png;
  std::string secret = "top secret, outside the web folder\n";

  WebApp();
  std::filesystem::path web() const { return dir.path() / "web"; }
};

// The server over a fresh data folder and the web app, on a free port.
struct RunningServer {
  WebApp app;
  TempDir data;
  std::unique_ptr<ServerProcess> process;

  explicit RunningServer(std::vector<std::string> extra_args = {});
  std::filesystem::path data_dir() const { return data.path() / "data"; }
  // A client sending a demo account's credentials (HTTP Basic) with every request: the server admin unless
  // another is named, none for "".
  httplib::Client client(const std::string& user = "admin") const;
};

// Every demo account's password (demo_seed.hpp).
inline constexpr const char* kDemoPassword = "steward-demo";

// A client of the server on `port`, anonymous or as the named demo account (HTTP Basic).
httplib::Client make_client(int port, const std::string& user = "");

}  // namespace steward::server::testing
