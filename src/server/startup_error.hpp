// A problem that keeps the server from starting. main() prints its message as one line and exits non-zero:
// the person at the terminal needs to know what to fix, not where in the code it was noticed.
#pragma once

#include <stdexcept>

namespace steward::server {

struct StartupError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace steward::server
