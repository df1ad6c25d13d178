#include "support.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace fs = std::filesystem;

namespace steward::store::testing {

StoreError::Kind kind_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const StoreError& e) {
    return e.kind;
  }
  FAIL("expected a StoreError");
  return StoreError::Kind::Io;
}

nlohmann::json contents(const DocStore& store) {
  nlohmann::json all = nlohmann::json::array();
  store.for_each([&](const nlohmann::json& doc) { all.push_back(doc); });
  return all;
}

uint64_t file_size(const std::string& path) { return fs::file_size(path); }

void truncate_file(const std::string& path, uint64_t size) { fs::resize_file(path, size); }

void flip_byte(const std::string& path, uint64_t offset) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(offset));
  char c = 0;
  f.read(&c, 1);
  c = static_cast<char>(c ^ 0x5A);
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(&c, 1);
  if (!f) throw std::runtime_error("flip_byte failed on " + path);
}

void append_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::app);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!f) throw std::runtime_error("append failed on " + path);
}

void copy_file(const std::string& from, const std::string& to) {
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

void copy_folder(const std::string& from, const std::string& to) {
  fs::create_directories(to);
  for (const auto& e : fs::directory_iterator(from)) {
    if (e.is_regular_file()) copy_file(e.path().string(), (fs::path(to) / e.path().filename()).string());
  }
}

nlohmann::json visit_doc(int n) {
  static const char* const kNames[] = {"张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄丽"};
  static const char* const kChannels[] = {"walk_in", "online", "referral", "advertisement", "owner_referral"};
  const int64_t arrived = 1710464400000 + int64_t{n} * 97'000;
  char phone[16];
  std::snprintf(phone, sizeof phone, "138%08d", n);
  char id[48];
  std::snprintf(id, sizeof id, "visit:%08d-7c1e-4b2a-9f3d-5e8a1c2b3d4e", n);
  return {
      {"_id", id},
      {"type", "visit"},
      {"site", "demo"},
      {"name", kNames[n % 8]},
      {"phone", phone},
      {"party_size", 1 + n % 4},
      {"channel", kChannels[n % 5]},
      {"appointed_consultant", n % 3 == 0 ? "王丽娜" : ""},
      {"received_by", n % 2 == 0 ? "陈浩" : ""},
      {"car_plate", n % 4 == 0 ? "粤B12345" : ""},
      {"notes", "首次到访，关注三房户型，预算三百万左右，周末再来看样板房"},
      {"visit_number", 1 + n % 3},
      {"arrived_ms", arrived},
      {"received_ms", arrived + 300'000},
      {"left_ms", 0},
      {"created_ms", arrived},
      {"updated_ms", arrived + 300'000},
  };
}

std::vector<std::string> leaf_strs(const std::vector<sync::Leaf>& leaves) {
  std::vector<std::string> out;
  for (const sync::Leaf& l : leaves) out.push_back(l.rev.str() + (l.deleted ? " deleted" : ""));
  return out;
}

}  // namespace steward::store::testing
