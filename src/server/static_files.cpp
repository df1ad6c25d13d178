#include "server/static_files.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "core/text.hpp"
#include "sync/gzip.hpp"

namespace steward::server {

namespace fs = std::filesystem;

namespace {

// Calls fn for each comma-separated element of a header value, trimmed, skipping empty ones.
template <class Fn>
void for_each_list_element(std::string_view value, Fn&& fn) {
  while (!value.empty()) {
    const size_t comma = value.find(',');
    std::string_view element = core::text::trim_spaces_and_tabs(value.substr(0, comma));
    if (!element.empty()) fn(element);
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
}

std::string strong_etag(std::string_view bytes, std::string_view suffix = {}) {
  const XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size());
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  std::string etag = "\"";
  etag.append(hex).append(suffix).push_back('"');
  return etag;
}

std::optional<std::string> read_whole_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return bytes;
}

}  // namespace

ContentType content_type_for(const fs::path& file) {
  const std::string ext = core::text::ascii_lower(file.extension().string());
  if (ext == ".html" || ext == ".htm") return {"text/html; charset=utf-8", true};
  if (ext == ".js" || ext == ".mjs") return {"text/javascript; charset=utf-8", true};
  if (ext == ".wasm") return {"application/wasm", true};
  if (ext == ".json" || ext == ".map") return {"application/json", true};
  if (ext == ".webmanifest") return {"application/manifest+json", true};
  if (ext == ".css") return {"text/css; charset=utf-8", true};
  if (ext == ".svg") return {"image/svg+xml", true};
  if (ext == ".png") return {"image/png", false};
  if (ext == ".ico") return {"image/x-icon", true};
  if (ext == ".otf") return {"font/otf", true};
  if (ext == ".ttf") return {"font/ttf", true};
  if (ext == ".woff2") return {"font/woff2", false};
  if (ext == ".txt") return {"text/plain; charset=utf-8", true};
  if (ext == ".gz") return {"application/gzip", false};
  // Emscripten's preloaded file packages (.data) and anything else we did not plan for.
  return {"application/octet-stream", true};
}

std::optional<std::string> safe_relative_path(std::string_view url_path) {
  if (url_path.empty() || url_path.front() != '/') return std::nullopt;
  if (url_path.find('\0') != std::string_view::npos || url_path.find('\\') != std::string_view::npos) {
    return std::nullopt;
  }
  std::string out;
  std::string_view rest = url_path;
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment == "..") return std::nullopt;
    if (!segment.empty() && segment != ".") {
      if (!out.empty()) out += '/';
      out += segment;
    }
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return out;
}

bool accepts_gzip(std::string_view accept_encoding) {
  std::optional<bool> gzip, any;
  for_each_list_element(accept_encoding, [&](std::string_view element) {
    const size_t semi = element.find(';');
    const std::string coding = core::text::ascii_lower(core::text::trim_spaces_and_tabs(element.substr(0, semi)));
    bool wanted = true;
    if (semi != std::string_view::npos) {
      std::string params = core::text::ascii_lower(element.substr(semi + 1));
      params.erase(std::remove_if(params.begin(), params.end(), [](char c) { return c == ' ' || c == '\t'; }),
                   params.end());
      if (params.rfind("q=", 0) == 0) wanted = std::strtod(params.c_str() + 2, nullptr) > 0;
    }
    if (coding == "gzip" || coding == "x-gzip") gzip = wanted;
    if (coding == "*") any = wanted;
  });
  return gzip.value_or(any.value_or(false));
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  bool match = false;
  for_each_list_element(if_none_match, [&](std::string_view tag) {
    if (tag == "*") match = true;
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == etag) match = true;
  });
  return match;
}

// --- StaticFile -------------------------------------------------------------------------------------------

StaticFile::StaticFile(std::string bytes, ContentType type, std::optional<fs::path> precompressed)
    : type_(type), precompressed_(std::move(precompressed)) {
  identity_.etag = strong_etag(bytes);
  identity_.body = std::make_shared<const std::string>(std::move(bytes));
}

const Representation* StaticFile::gzip() const {
  if (!type_.compressible) return nullptr;
  // call_once: concurrent first requests for one file wait for a single compression instead of each doing it.
  std::call_once(gzip_once_, [this] {
    std::optional<std::string> gz;
    if (precompressed_) gz = read_whole_file(*precompressed_);
    if (!gz) {
      gz = sync::gzip_compress(*identity_.body);
      if (gz->size() >= identity_.body->size()) return;  // tiny or incompressible: identity is better
    }
    // Its own strong ETag: the gzip bytes are a different representation from the identity bytes.
    gzip_ = Representation{nullptr, strong_etag(*gz, "-gz")};
    gzip_->body = std::make_shared<const std::string>(std::move(*gz));
  });
  return gzip_ ? &*gzip_ : nullptr;
}

// --- StaticFiles ------------------------------------------------------------------------------------------

std::optional<StaticFiles::Stamp> StaticFiles::stamp_of(const fs::path& p, int* error, bool* is_dir) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) {
    if (error) *error = errno;
    return std::nullopt;
  }
  if (is_dir) *is_dir = S_ISDIR(st.st_mode);
  if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
    if (error) *error = ENOENT;
    return std::nullopt;
  }
  return Stamp{int64_t(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec, uint64_t(st.st_size),
               uint64_t(st.st_ino)};
}

StaticLookup StaticFiles::find(std::string_view url_path) {
  using Outcome = StaticLookup::Outcome;
  const auto relative = safe_relative_path(url_path);
  if (!relative) return {Outcome::BadPath, nullptr, {}};
  if (!root_) return {Outcome::NoWebFolder, nullptr, {}};

  fs::path full = *root_ / *relative;
  int error = 0;
  bool is_dir = false;
  auto stamp = stamp_of(full, &error, &is_dir);
  if (stamp && is_dir) {
    full /= "index.html";
    stamp = stamp_of(full, &error, &is_dir);
    if (stamp && is_dir) {  // a folder named index.html: nothing to serve
      stamp.reset();
      error = ENOENT;
    }
  }
  const std::string key = full.string();
  if (!stamp) {
    std::lock_guard lock(mutex_);
    cache_.erase(key);
    if (error == ENOENT || error == ENOTDIR || error == ENAMETOOLONG) return {Outcome::NotFound, nullptr, {}};
    return {Outcome::ReadError, nullptr, key + ": " + std::strerror(error)};
  }

  const ContentType type = content_type_for(full);
  // A FILE.gz older than FILE is left over from a previous build: ignore it rather than serve stale code.
  std::optional<Stamp> precompressed;
  const fs::path gz_path = key + ".gz";
  if (type.compressible) {
    bool gz_is_dir = false;
    auto gz = stamp_of(gz_path, nullptr, &gz_is_dir);
    if (gz && !gz_is_dir && gz->mtime_ns >= stamp->mtime_ns) precompressed = gz;
  }

  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.file == *stamp && it->second.precompressed == precompressed) {
      return {Outcome::Found, it->second.contents, {}};
    }
  }

  // Read outside the lock: other files keep being served meanwhile.
  auto bytes = read_whole_file(full);
  if (!bytes) return {Outcome::ReadError, nullptr, key + ": " + std::strerror(errno)};
  auto contents = std::make_shared<const StaticFile>(std::move(*bytes), type,
                                                     precompressed ? std::optional<fs::path>(gz_path) : std::nullopt);
  // A file rewritten while we read it (the web build running now) may be torn: serve it, but don't keep it.
  auto after = stamp_of(full, nullptr);
  if (after && *after == *stamp) {
    std::lock_guard lock(mutex_);
    cache_[key] = Entry{*stamp, precompressed, contents};
  }
  return {Outcome::Found, contents, {}};
}

}  // namespace steward::server
