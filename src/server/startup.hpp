// The server's life: claim the data folder, open the database, find the web app, listen, and stop cleanly on
// SIGINT/SIGTERM.
#pragma once

#include "server/options.hpp"

namespace steward::server {

// Returns the exit status after a clean stop. Throws StartupError (or SqliteError) when it cannot start.
int run_server(const ServerOptions& options);

}  // namespace steward::server
