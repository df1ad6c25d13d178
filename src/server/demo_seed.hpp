// What a server with the demo site gets on first start, so a fresh install shows something real: the accounts
// (one per role and a server admin, all with the password kDemoPassword; README lists them) and a handful of owner
// files in demo-owners. Each is written once: an account or file an admin has since changed or removed is left as
// it is.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/access.hpp"
#include "server/passwords.hpp"

namespace steward::server {

class SqliteStore;

struct DemoAccount {
  std::string name;
  std::string display_name;
  core::Grant grant;
};
const std::vector<DemoAccount>& demo_accounts();

// The demo site's owner files (type "owner_file": unit, people with phones and employers, move-in date, vehicles).
std::vector<nlohmann::json> demo_owner_files();

// Creates the demo accounts when the demo site exists and the server has no accounts at all (a new install, or
// one from before accounts existed). Returns whether it did.
bool seed_demo_accounts(SqliteStore& store, HashCost cost);
// Writes each demo owner file that demo-owners has never held (if that database exists).
void seed_demo_owner_files(SqliteStore& store);

}  // namespace steward::server
