// Command-line options of steward-server.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace steward::server {

// China's Cybersecurity Law (art. 21) asks for network logs to be kept at least six months.
inline constexpr int kMinAuditDays = 180;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (the line on stdout tells which)
  std::filesystem::path data_dir = "data";
  std::optional<std::filesystem::path> web_dir;  // unset: the default next to the executable, if it exists
  size_t max_body_bytes = 64ull * 1024 * 1024;
  // Other places the app may sync with (an Apache CouchDB cluster, as "https://couch.example:6984"): the page's
  // Content-Security-Policy lets it connect only to its own origin and these.
  std::vector<std::string> sync_origins;
  // A new data folder gets the demo site, its data and its accounts (demo_seed.hpp); --no-demo starts empty.
  bool demo = true;
  // How long audit entries are kept (audit_log.hpp); at least kMinAuditDays.
  int audit_days = 365;
  // HTTPS: the certificate chain and private key (PEM). Both or neither.
  std::optional<std::filesystem::path> tls_cert;
  std::optional<std::filesystem::path> tls_key;
};


struct ParsedOptions {
  ServerOptions options;
  bool show_help = false;
  std::string error;  // non-empty: the arguments were wrong; say this and exit 2
};

// args excludes the program name. Accepts "--name value" and "--name=value".
ParsedOptions parse_options(const std::vector<std::string>& args);

std::string usage_text();

// "64M" -> 67108864; plain digits are bytes; K/M/G are binary multiples. nullopt when malformed or zero.
std::optional<size_t> parse_byte_size(const std::string& text);

}  // namespace steward::server
