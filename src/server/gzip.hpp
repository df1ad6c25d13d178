// gzip (RFC 1952) in memory, for the web app's files: each is compressed once and the result cached.
#pragma once

#include <string>
#include <string_view>

namespace steward::server {

// Throws std::runtime_error if zlib fails (out of memory).
std::string gzip_compress(std::string_view data);

}  // namespace steward::server
