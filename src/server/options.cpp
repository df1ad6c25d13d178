#include "server/options.hpp"

#include <cctype>
#include <charconv>
#include <limits>

namespace steward::server {

namespace {

std::optional<int> parse_port(const std::string& text) {
  int port = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || port < 0 || port > 65535) {
    return std::nullopt;
  }
  return port;
}

}  // namespace

std::optional<size_t> parse_byte_size(const std::string& text) {
  if (text.empty()) return std::nullopt;
  size_t multiplier = 1;
  std::string digits = text;
  switch (text.back()) {
    case 'K': case 'k': multiplier = size_t{1} << 10; digits.pop_back(); break;
    case 'M': case 'm': multiplier = size_t{1} << 20; digits.pop_back(); break;
    case 'G': case 'g': multiplier = size_t{1} << 30; digits.pop_back(); break;
    default: break;
  }
  size_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || value == 0) return std::nullopt;
  if (value > std::numeric_limits<size_t>::max() / multiplier) return std::nullopt;
  return value * multiplier;
}

// "https://Couch.Example:6984/db" -> "https://couch.example:6984": what a Content-Security-Policy source names.
std::optional<std::string> parse_origin(const std::string& url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return std::nullopt;
  std::string scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::string host = url.substr(scheme_end + 3);
  host = host.substr(0, host.find('/'));
  if (host.empty()) return std::nullopt;
  for (char& c : host) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return std::nullopt;  // no spaces, quotes or ';' that would change the policy
  }
  return scheme + "://" + host;
}

std::string usage_text() {
  return "Usage: steward-server [options]\n"
         "\n"
         "Serves the Steward tablet app and its data to the tablets on this network.\n"
         "\n"
         "Options:\n"
         "  --port N          TCP port to listen on (default 8080; 0 picks a free port)\n"
         "  --host H          address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)\n"
         "  --data DIR        data folder: the database and its lock (default ./data)\n"
         "  --web DIR         the built web app (default <executable dir>/../wasm/web)\n"
         "  --max-body BYTES  largest request body accepted, e.g. 1048576 or 64M (default 64M)\n"
         "  --sync-origin URL another server tablets may sync with, e.g. https://couch.example:6984 (repeatable)\n"
         "  --tls-cert FILE   serve HTTPS with this certificate chain (PEM); needs --tls-key\n"
         "  --tls-key FILE    the certificate's private key (PEM, unencrypted)\n"
         "  --no-demo         a new data folder starts without the demo site, its data and its accounts\n"
         "  --audit-days N    keep audit log entries N days (default 365, at least 180)\n"
         "  --help            show this help\n"
         "\n"
         "Accounts: steward-server admin --help\n";
}

ParsedOptions parse_options(const std::vector<std::string>& args) {
  ParsedOptions parsed;
  auto fail = [&](std::string message) {
    parsed.error = std::move(message);
    return parsed;
  };

  for (size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    std::optional<std::string> value;
    if (auto eq = name.find('='); name.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (name == "--help" || name == "-h") {
      parsed.show_help = true;
      continue;
    }
    if (name == "--no-demo") {
      if (value) return fail("option " + name + " takes no value");
      parsed.options.demo = false;
      continue;
    }
    const bool takes_value = name == "--port" || name == "--host" || name == "--data" || name == "--web" ||
                             name == "--max-body" || name == "--sync-origin" || name == "--tls-cert" ||
                             name == "--tls-key" || name == "--audit-days";
    if (!takes_value) return fail("unknown option " + name + " (see --help)");
    if (!value) {
      if (i + 1 >= args.size()) return fail("option " + name + " needs a value (see --help)");
      value = args[++i];
    }

    if (name == "--port") {
      auto port = parse_port(*value);
      if (!port) return fail("invalid port \"" + *value + "\": expected a number from 0 to 65535 (0 picks a free port)");
      parsed.options.port = *port;
    } else if (name == "--host") {
      if (value->empty()) return fail("option --host needs a non-empty address");
      parsed.options.host = *value;
    } else if (name == "--data") {
      if (value->empty()) return fail("option --data needs a non-empty folder");
      parsed.options.data_dir = *value;
    } else if (name == "--web") {
      if (value->empty()) return fail("option --web needs a non-empty folder");
      parsed.options.web_dir = *value;
    } else if (name == "--max-body") {
      auto bytes = parse_byte_size(*value);
      if (!bytes) return fail("invalid --max-body \"" + *value + "\": expected a positive byte count such as 1048576 or 64M");
      parsed.options.max_body_bytes = *bytes;
    } else if (name == "--tls-cert" || name == "--tls-key") {
      if (value->empty()) return fail("option " + name + " needs a non-empty file name");
      (name == "--tls-cert" ? parsed.options.tls_cert : parsed.options.tls_key) = *value;
    } else if (name == "--audit-days") {
      int days = 0;
      const auto [end, err] = std::from_chars(value->data(), value->data() + value->size(), days);
      if (err != std::errc() || end != value->data() + value->size() || days < kMinAuditDays || days > 36500) {
        return fail("invalid --audit-days \"" + *value + "\": expected a number of days from " +
                    std::to_string(kMinAuditDays) + " (six months, the least China's Cybersecurity Law allows) to 36500");
      }
      parsed.options.audit_days = days;
    } else if (name == "--sync-origin") {
      auto origin = parse_origin(*value);
      if (!origin) return fail("invalid --sync-origin \"" + *value + "\": expected http(s)://host[:port]");
      parsed.options.sync_origins.push_back(*origin);
    }
  }
  if (parsed.options.tls_cert.has_value() != parsed.options.tls_key.has_value()) {
    return fail(std::string("HTTPS needs both --tls-cert and --tls-key (only ") +
                (parsed.options.tls_cert ? "--tls-cert" : "--tls-key") + " was given)");
  }
  return parsed;
}

}  // namespace steward::server
