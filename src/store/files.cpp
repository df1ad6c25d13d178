#include "store/files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>

namespace steward::store::files {

namespace {

using Kind = StoreError::Kind;

[[noreturn]] void fail(const std::string& what, const std::string& path, int err) {
  const bool full = err == ENOSPC || err == EFBIG
#ifdef EDQUOT
                    || err == EDQUOT
#endif
      ;
  throw StoreError(full ? Kind::NoSpace : Kind::Io, what + " " + path + ": " + std::strerror(err));
}

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

}  // namespace

std::string segment_name(uint32_t number) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "seg-%06u.log", static_cast<unsigned>(number));
  return buf;
}

std::optional<uint32_t> parse_segment_name(std::string_view name) {
  constexpr std::string_view prefix = "seg-", suffix = ".log";
  if (!name.starts_with(prefix) || !name.ends_with(suffix)) return std::nullopt;
  const std::string_view digits = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  if (digits.size() < 6 || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  uint32_t n = 0;
  const auto [end, err] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (err != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  if (segment_name(n) != name) return std::nullopt;  // one spelling per number: no "seg-0000001.log" twins
  return n;
}

std::vector<uint32_t> list_segments(const std::string& dir) {
  std::vector<uint32_t> numbers;
  DIR* d = ::opendir(dir.c_str());
  if (!d) {
    if (errno == ENOENT) return numbers;
    fail("cannot list", dir, errno);
  }
  while (const dirent* e = ::readdir(d)) {
    if (const auto n = parse_segment_name(e->d_name)) numbers.push_back(*n);
  }
  ::closedir(d);
  std::sort(numbers.begin(), numbers.end());
  return numbers;
}

bool directory_exists(const std::string& dir) {
  struct stat st {};
  return ::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

void create_directories(const std::string& dir) {
  // mkdir -p: each prefix ending at a '/', then the whole path.
  for (size_t slash = dir.find('/', 1);; slash = dir.find('/', slash + 1)) {
    const std::string part = dir.substr(0, slash);
    if (!part.empty() && ::mkdir(part.c_str(), 0755) != 0 && errno != EEXIST) fail("cannot create", part, errno);
    if (slash == std::string::npos) break;
  }
  if (!directory_exists(dir)) fail("not a directory:", dir, ENOTDIR);
}

void sync_directory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

void remove_file(const std::string& path) { ::unlink(path.c_str()); }

File File::open(const std::string& path, Mode mode) {
  int flags = O_CLOEXEC;
  switch (mode) {
    case Mode::ReadOnly: flags |= O_RDONLY; break;
    case Mode::ReadWrite: flags |= O_RDWR; break;
    case Mode::Create: flags |= O_RDWR | O_CREAT | O_TRUNC; break;
  }
  File f;
  f.path_ = path;
  f.fd_ = ::open(path.c_str(), flags, 0644);
  if (f.fd_ < 0) fail("cannot open", path, errno);
  return f;
}

File::File(File&& o) noexcept : fd_(o.fd_), path_(std::move(o.path_)) { o.fd_ = -1; }

File& File::operator=(File&& o) noexcept {
  if (this != &o) {
    close();
    fd_ = o.fd_;
    path_ = std::move(o.path_);
    o.fd_ = -1;
  }
  return *this;
}

File::~File() { close(); }

void File::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

uint64_t File::size() const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) fail("cannot stat", path_, errno);
  return static_cast<uint64_t>(st.st_size);
}

void File::read_all(std::string& out) const { read_at(0, static_cast<size_t>(size()), out); }

void File::read_at(uint64_t offset, size_t length, std::string& out) const {
  out.resize(length);
  size_t done = 0;
  while (done < length) {
    const ssize_t n = ::pread(fd_, out.data() + done, length - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("cannot read", path_, errno);
    if (n == 0) break;  // shorter than expected: the caller's decode reports it as truncated
    done += static_cast<size_t>(n);
  }
  out.resize(done);
}

void File::write_at(uint64_t offset, std::string_view bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::pwrite(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("cannot write", path_, errno);
    if (n == 0) fail("cannot write", path_, EIO);
    done += static_cast<size_t>(n);
  }
}

void File::truncate(uint64_t size) {
  if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) fail("cannot truncate", path_, errno);
}

void File::sync() {
  if (::fsync(fd_) != 0 && errno != EINVAL && errno != EROFS) fail("cannot sync", path_, errno);
}

}  // namespace steward::store::files
