// The POSIX file calls the store needs, with errors turned into StoreError. Plain open/pread/pwrite so the
// same code runs natively and on Emscripten's FS.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/doc_store.hpp"

namespace steward::store::files {

// "seg-000042.log"; numbers past 999999 simply get more digits.
std::string segment_name(uint32_t number);
std::optional<uint32_t> parse_segment_name(std::string_view name);

// Segment numbers present in dir, ascending; empty if dir does not exist.
std::vector<uint32_t> list_segments(const std::string& dir);
bool directory_exists(const std::string& dir);
void create_directories(const std::string& dir);
// Makes renames/creations/unlinks in dir durable where the platform supports it; failures are ignored.
void sync_directory(const std::string& dir);
// Best effort: a failure leaves a file that replay handles (duplicates resolve by seq).
void remove_file(const std::string& path);

// An open file descriptor, closed on destruction.
class File {
 public:
  enum class Mode { ReadOnly, ReadWrite, Create };  // Create: read-write, created or emptied
  static File open(const std::string& path, Mode mode);

  File() = default;
  File(File&& o) noexcept;
  File& operator=(File&& o) noexcept;
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  ~File();

  uint64_t size() const;
  // Replaces `out` with the whole file.
  void read_all(std::string& out) const;
  void read_at(uint64_t offset, size_t length, std::string& out) const;
  // Writes all bytes at offset (one pwrite unless the kernel writes less). Throws StoreError: NoSpace for
  // ENOSPC, EDQUOT and EFBIG; Io otherwise (including a write that makes no progress).
  void write_at(uint64_t offset, std::string_view bytes);
  void truncate(uint64_t size);
  void sync();
  void close();
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

}  // namespace steward::store::files
