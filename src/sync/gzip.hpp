// gzip (RFC 1952) in memory, with libdeflate: the server's answers (the web app's files, compressed once at the
// best level and cached, and CouchDB responses per request) and the tablet's request bodies (its WASM build
// compiles libdeflate from Debian's source package, the server links Debian's library). For a 1,000-visit
// _bulk_get, libdeflate's level 1 is 12% smaller and 40% quicker than zlib's, its level 6 24% smaller than zlib's
// level 1 for 1.5 ms more.
#pragma once

#include <string>
#include <string_view>

namespace steward::sync {

// level: 1 (fastest) .. 12 (smallest); 9 is about zlib's best. Throws std::runtime_error when out of memory.
std::string gzip_compress(std::string_view data, int level = 9);

}  // namespace steward::sync
