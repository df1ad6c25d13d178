#include "server/admin_command.hpp"

#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>

#include "server/account_admin.hpp"
#include "server/accounts.hpp"
#include "server/audit_log.hpp"
#include "server/auth.hpp"
#include "server/couch_error.hpp"
#include "server/passwords.hpp"
#include "server/sqlite_store.hpp"

namespace steward::server {

namespace fs = std::filesystem;

namespace {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The command line after "admin": --data DIR anywhere, --name value options, and positional words.
struct CommandLine {
  fs::path data_dir = "data";
  std::vector<std::string> words;
  std::map<std::string, std::string> options;

  const std::string& word(size_t i, const char* what) const {
    if (i >= words.size()) throw UsageError(std::string("missing ") + what);
    return words[i];
  }
  void expect_words(size_t n) const {
    if (words.size() > n) throw UsageError("unexpected \"" + words[n] + "\"");
  }
  std::optional<int> number(const std::string& name) const {
    auto it = options.find(name);
    if (it == options.end()) return std::nullopt;
    int value = 0;
    auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
    if (ec != std::errc() || end != it->second.data() + it->second.size()) {
      throw UsageError("--" + name + " needs a whole number, not \"" + it->second + "\"");
    }
    return value;
  }
  std::optional<std::string> text(const std::string& name) const {
    auto it = options.find(name);
    return it == options.end() ? std::nullopt : std::optional(it->second);
  }
};

CommandLine parse(const std::vector<std::string>& args) {
  static const std::vector<std::string> kValued = {"data", "name", "idle-lock-minutes", "retention-days", "limit"};
  CommandLine line;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (!arg.starts_with("--") || arg == "--") {
      line.words.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (std::find(kValued.begin(), kValued.end(), name) == kValued.end()) throw UsageError("unknown option --" + name);
    if (!value) {
      if (i + 1 >= args.size()) throw UsageError("option --" + name + " needs a value");
      value = args[++i];
    }
    if (name == "data") {
      line.data_dir = *value;
    } else {
      line.options[name] = *value;
    }
  }
  return line;
}

core::Role role_named(const std::string& key) {
  auto role = core::role_from_key(key);
  if (!role) throw UsageError("unknown role \"" + key + "\" (showroom_host, front_desk, butler, supervisor or admin)");
  return *role;
}

// One line from `in`: typed without echo at a terminal, else as piped in.
std::string read_secret(std::istream& in, std::ostream& err, const std::string& prompt) {
  const bool terminal = &in == &std::cin && ::isatty(STDIN_FILENO);
  termios saved{};
  if (terminal) {
    err << prompt << std::flush;
    ::tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~tcflag_t(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(in, line));
  if (terminal) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    err << "\n";
  }
  if (!got) throw std::runtime_error("no password given on standard input");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string new_password(std::istream& in, std::ostream& err, const std::string& user) {
  const std::string password = read_secret(in, err, "New password for " + user + ": ");
  if (&in == &std::cin && ::isatty(STDIN_FILENO) && read_secret(in, err, "Again: ") != password) {
    throw std::runtime_error("the two passwords differ");
  }
  return password;
}

std::string grants_text(const std::vector<core::Grant>& grants) {
  std::string out;
  for (const core::Grant& g : grants) {
    if (!out.empty()) out += ", ";
    out += std::string(core::role_key(g.role)) + "@" + g.site;
  }
  return out.empty() ? "-" : out;
}

int run(const CommandLine& line, std::istream& in, std::ostream& out, std::ostream& err) {
  const std::string& command = line.word(0, "command (see --help)");
  const fs::path file = line.data_dir / "steward.sqlite3";
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    throw std::runtime_error("no Steward data in " + line.data_dir.string() +
                             " (start the server on it once first; --no-demo for a server without the demo site)");
  }
  init_sodium();
  auto store = SqliteStore::open(file);
  AccountAdmin admin(*store, interactive_cost());
  const Principal console = console_principal();

  if (command == "add-site" || command == "set-site") {
    const std::string& id = line.word(1, "site id");
    SiteChange change;
    if (command == "add-site") {
      change.name = line.word(2, "site name");
      line.expect_words(3);
    } else {
      line.expect_words(2);
      change.name = line.text("name");
    }
    change.idle_lock_minutes = line.number("idle-lock-minutes");
    change.retention_days = line.number("retention-days");
    if (command == "add-site") {
      bool exists = false;
      store->read([&](StoreTransaction& tx) { exists = tx.site_doc(id).has_value(); });
      if (exists) throw std::runtime_error("site \"" + id + "\" exists already (change it with set-site)");
    } else {
      bool exists = false;
      store->read([&](StoreTransaction& tx) { exists = tx.site_doc(id).has_value(); });
      if (!exists) throw std::runtime_error("no site \"" + id + "\" (create it with add-site)");
    }
    const auto [settings, created] = admin.put_site(console, id, change);
    out << (created ? "created site " : "changed site ") << settings.id << " \"" << settings.name << "\": idle lock "
        << settings.idle_lock_minutes << " min, retention " << settings.retention_days << " days\n";
    return 0;
  }
  if (command == "add-user") {
    const std::string& name = line.word(1, "login name");
    const std::string& display_name = line.word(2, "display name");
    line.expect_words(3);
    admin.create_user(console, name, display_name, new_password(in, err, name));
    out << "created user " << name << " (" << display_name << ")\n";
    return 0;
  }
  if (command == "grant" || command == "revoke") {
    const std::string& name = line.word(1, "login name");
    const core::Grant grant{line.word(2, "site (or * with admin)"), role_named(line.word(3, "role"))};
    line.expect_words(4);
    if (command == "grant") {
      admin.add_grant(console, name, grant);
      out << name << " is " << core::role_key(grant.role) << " at " << grant.site << "\n";
    } else {
      admin.remove_grant(console, name, grant);
      out << name << " is no longer " << core::role_key(grant.role) << " at " << grant.site << "\n";
    }
    return 0;
  }
  if (command == "reset-password") {
    const std::string& name = line.word(1, "login name");
    line.expect_words(2);
    admin.set_password(console, name, new_password(in, err, name));
    out << "new password for " << name << "; their sessions have ended\n";
    return 0;
  }
  if (command == "disable-user" || command == "enable-user") {
    const std::string& name = line.word(1, "login name");
    line.expect_words(2);
    const bool disable = command == "disable-user";
    admin.set_disabled(console, name, disable);
    out << name << (disable ? " is disabled; their sessions have ended\n" : " is enabled\n");
    return 0;
  }
  if (command == "list-users") {
    std::optional<std::string> site;
    if (line.words.size() > 1) site = line.words[1];
    line.expect_words(2);
    for (const UserSummary& u : admin.users(console, site)) {
      out << u.name << "\t" << u.display_name << "\t" << (u.disabled ? "disabled" : "enabled") << "\t"
          << grants_text(u.grants) << "\n";
    }
    return 0;
  }
  if (command == "audit") {
    std::optional<std::string> site;
    if (line.words.size() > 1) site = line.words[1];
    line.expect_words(2);
    for (const AuditEntry& e : admin.audit(console, site, line.number("limit").value_or(50))) {
      out << e.at_ms << "\t" << e.who << "\t" << e.action << "\t" << e.site.value_or("-") << "\t" << e.detail << "\n";
    }
    return 0;
  }
  throw UsageError("unknown command \"" + command + "\" (see --help)");
}

}  // namespace

std::string admin_usage_text() {
  return "Usage: steward-server admin [--data DIR] COMMAND ...\n"
         "\n"
         "Manages the accounts and sites in a data folder (default ./data), whether the server is running or not.\n"
         "Passwords are read from standard input (asked for twice, without echo, at a terminal); at least 8\n"
         "characters.\n"
         "\n"
         "Commands:\n"
         "  add-site ID NAME [--idle-lock-minutes N] [--retention-days N]\n"
         "                                 a site and its databases ID-visits, ID-ops, ID-owners\n"
         "  set-site ID [--name NAME] [--idle-lock-minutes N] [--retention-days N]\n"
         "  add-user NAME DISPLAY_NAME     a login (a-z, 0-9, '_', '.', '-') and the name people see\n"
         "  grant NAME SITE ROLE           ROLE: showroom_host, front_desk, butler, supervisor, admin;\n"
         "                                 grant NAME '*' admin makes a server admin\n"
         "  revoke NAME SITE ROLE\n"
         "  reset-password NAME            also ends every session of theirs\n"
         "  disable-user NAME              they can no longer log in; their sessions end\n"
         "  enable-user NAME\n"
         "  list-users [SITE]              name, display name, enabled, roles\n"
         "  audit [SITE] [--limit N]       the newest entries of the audit log (default 50)\n";
}

int run_admin_command(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h" || args[0] == "help")) {
    out << admin_usage_text();
    return 0;
  }
  try {
    return run(parse(args), in, out, err);
  } catch (const UsageError& e) {
    err << "steward-server admin: " << e.what() << " (see steward-server admin --help)\n";
    return 2;
  } catch (const couch::CouchError& e) {
    err << "steward-server admin: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    err << "steward-server admin: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace steward::server
