// `steward-server admin ...`: accounts and sites from the server's console, on its data folder, whether the
// server is running or not (SQLite lets both at the file; a running server sees each change at its next request).
// The same operations as the admin API (account_admin.hpp), done as the console, a server admin; each is in the
// audit log as "console".
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace steward::server {

// args: what follows "admin" on the command line. Passwords are read from `in`: one line, or asked for without
// echo when `in` is the terminal. Returns the exit status: 0 done, 1 refused or failed (said on `err`), 2 usage.
int run_admin_command(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err);

std::string admin_usage_text();

}  // namespace steward::server
