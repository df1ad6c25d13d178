#include "server/data_folder.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "server/startup_error.hpp"

namespace steward::server {

namespace fs = std::filesystem;

namespace {

std::string errno_text(int err) { return std::strerror(err); }

// Creating and removing a file is the only honest test: access(W_OK) says yes to root on a read-only mount.
void check_writable(const fs::path& dir) {
  const fs::path probe = dir / (".steward-write-test-" + std::to_string(::getpid()));
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw StartupError("data folder " + dir.string() + " is not writable: " + errno_text(errno));
  }
  ::close(fd);
  ::unlink(probe.c_str());
}

std::string read_pid(int fd) {
  char buf[32] = {};
  ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return {};
  std::string text(buf, static_cast<size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return {};
  return text;
}

}  // namespace

DataFolder DataFolder::open(const fs::path& dir) {
  std::error_code ec;
  const bool exists = fs::exists(dir, ec);
  if (exists && !fs::is_directory(dir, ec)) {
    throw StartupError("data folder " + dir.string() + " is not a folder");
  }
  if (!exists) {
    fs::create_directories(dir, ec);
    if (ec) throw StartupError("data folder " + dir.string() + " cannot be created: " + ec.message());
  }
  check_writable(dir);

  const fs::path lock_path = dir / "steward.lock";
  // No O_TRUNC: the file may hold the pid of the server that owns the lock, which the error message needs.
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw StartupError("data folder " + dir.string() + " is not writable: " + errno_text(errno));

  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    const std::string pid = read_pid(fd);
    ::close(fd);
    if (err == EWOULDBLOCK) {
      throw StartupError("another Steward server" + (pid.empty() ? std::string() : " (pid " + pid + ")") +
                         " is already using data folder " + dir.string());
    }
    throw StartupError("cannot lock data folder " + dir.string() + ": " + errno_text(err));
  }

  const std::string pid_line = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid_line.data(), pid_line.size(), 0) != ssize_t(pid_line.size())) {
    const int err = errno;
    ::close(fd);
    throw StartupError("data folder " + dir.string() + " is not writable: " + errno_text(err));
  }
  return DataFolder(dir, fd);
}

DataFolder::DataFolder(DataFolder&& other) noexcept : dir_(std::move(other.dir_)), lock_fd_(other.lock_fd_) {
  other.lock_fd_ = -1;
}

// The lock file stays: deleting it would let a third server lock a fresh inode while a second one still
// holds the old, and both would think they own the folder.
DataFolder::~DataFolder() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

}  // namespace steward::server
