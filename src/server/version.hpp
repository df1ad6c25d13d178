// The server's version, reported by GET /health so a tablet (and a person) can tell which build answers.
#pragma once

namespace steward::server {

inline constexpr const char* kVersion = "0.1.0";

}  // namespace steward::server
