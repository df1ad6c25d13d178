// The server's data folder, held exclusively for as long as this object lives.
//
// Two servers writing one SQLite file would each believe they own the data (and a sync peer would see two
// diverging histories), so the folder is claimed with flock() on DATA/steward.lock. The kernel drops the lock
// when the process ends however it ends (even SIGKILL), so a crash never leaves a stale lock behind; the pid
// written into the file is only there for the error message of the second server.
#pragma once

#include <filesystem>
#include <string_view>

namespace steward::server {

class DataFolder {
 public:
  // Creates the folder if needed, checks it is writable and takes the lock. Throws StartupError.
  static DataFolder open(const std::filesystem::path& dir);

  DataFolder(DataFolder&& other) noexcept;
  DataFolder& operator=(DataFolder&&) = delete;
  DataFolder(const DataFolder&) = delete;
  ~DataFolder();

  const std::filesystem::path& path() const { return dir_; }
  std::filesystem::path file(std::string_view name) const { return dir_ / name; }

 private:
  DataFolder(std::filesystem::path dir, int lock_fd) : dir_(std::move(dir)), lock_fd_(lock_fd) {}
  std::filesystem::path dir_;
  int lock_fd_ = -1;
};

}  // namespace steward::server
