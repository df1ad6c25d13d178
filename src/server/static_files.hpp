// The built web app (index.html, the .js/.wasm bundle, manifest, fonts), served from a folder with each
// file's bytes, ETag and gzip form kept in memory until the file changes on disk.
//
// Nothing here knows HTTP servers: http_routes.cpp turns a lookup into a response.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace steward::server {

struct ContentType {
  std::string_view mime;
  bool compressible;  // false for formats that are compressed already (png, woff2)
};
ContentType content_type_for(const std::filesystem::path& file);

// A request path (already percent-decoded) as a path relative to the web folder: "/" -> "", "/a/./b.js" ->
// "a/b.js". nullopt for anything that could name a file outside the folder ("..", a backslash, a NUL byte).
std::optional<std::string> safe_relative_path(std::string_view url_path);

// Whether an Accept-Encoding header value admits gzip (honours q=0 and "*").
bool accepts_gzip(std::string_view accept_encoding);

// Whether an If-None-Match header value names `etag` (weak comparison, as RFC 9110 asks for this header).
bool etag_matches(std::string_view if_none_match, std::string_view etag);

// One encoding of one file: the bytes to send and their strong ETag.
struct Representation {
  std::shared_ptr<const std::string> body;
  std::string etag;  // quoted, e.g. "\"3f2a...\""
};

// One version of one file. Shared with responses still being sent, so a newer version can replace it in the
// cache meanwhile.
class StaticFile {
 public:
  StaticFile(std::string bytes, ContentType type, std::optional<std::filesystem::path> precompressed);

  const Representation& identity() const { return identity_; }
  const ContentType& type() const { return type_; }
  // The gzip encoding: FILE.gz when the folder has an up-to-date one, else compressed here on first use.
  // nullptr when the type is not compressible or gzip would not be smaller.
  const Representation* gzip() const;

 private:
  Representation identity_;
  ContentType type_;
  std::optional<std::filesystem::path> precompressed_;
  mutable std::once_flag gzip_once_;
  mutable std::optional<Representation> gzip_;
};

struct StaticLookup {
  enum class Outcome { Found, NotFound, BadPath, NoWebFolder, ReadError };
  Outcome outcome = Outcome::NotFound;
  std::shared_ptr<const StaticFile> file;  // set when Found
  std::string detail;                      // for ReadError: what failed
};

class StaticFiles {
 public:
  // root unset: no web app was found at start; every lookup answers NoWebFolder.
  explicit StaticFiles(std::optional<std::filesystem::path> root) : root_(std::move(root)) {}

  const std::optional<std::filesystem::path>& root() const { return root_; }

  // A directory (and "/") means its index.html. Symlinks are followed: the folder is our own build output.
  StaticLookup find(std::string_view url_path);

 private:
  // What identifies one version of a file without reading it.
  struct Stamp {
    int64_t mtime_ns = 0;
    uint64_t size = 0;
    uint64_t inode = 0;
    friend bool operator==(const Stamp&, const Stamp&) = default;
  };
  struct Entry {
    Stamp file;
    std::optional<Stamp> precompressed;
    std::shared_ptr<const StaticFile> contents;
  };
  static std::optional<Stamp> stamp_of(const std::filesystem::path& p, int* error, bool* is_dir = nullptr);

  std::optional<std::filesystem::path> root_;
  std::mutex mutex_;
  std::map<std::string, Entry> cache_;  // key: full path
};

}  // namespace steward::server
