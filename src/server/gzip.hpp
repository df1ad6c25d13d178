// gzip (RFC 1952) in memory: the web app's files (compressed once at the best level and cached) and CouchDB
// responses (compressed per request at a fast level).
#pragma once

#include <string>
#include <string_view>

namespace steward::server {

// level: zlib's 1 (fastest) .. 9 (smallest). Throws std::runtime_error if zlib fails (out of memory).
std::string gzip_compress(std::string_view data, int level = 9);

}  // namespace steward::server
