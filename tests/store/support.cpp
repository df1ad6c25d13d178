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

const std::vector<std::string> kJsonStringPieces = {
    "a", "visit:0f3c", " ", "abcdefgh", "0123456789abcdef", "王芳", "粤B12345", "周末再来", "𠮷", "😀", "\x7f", "\"", "\\",
    "\n", "\t", std::string(1, '\0'), "\x01", "\x1f", "/", "\xc2\xa0", "\xdf\xbf", "\xe0\xa0\x80", "\xef\xbf\xbf",
    "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf", "\x80", "\xbf", "\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf", "\xe0\x9f\xbf",
    "\xed\xa0\x80", "\xed\xbf\xbf", "\xf0\x80\x80\xaf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff", "\xfe",
    "\xe4\xb8", "\xf0\x9f\x98", "\xc3"};

namespace {

bool nlohmann_writes(const std::string& s) {
  try {
    (void)nlohmann::json(s).dump();
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

std::string random_string(std::mt19937& rng, bool valid_only) {
  std::string s;
  const size_t pieces = rng() % 6;
  for (size_t i = 0; i < pieces; ++i) {
    const std::string& p = kJsonStringPieces[rng() % kJsonStringPieces.size()];
    if (valid_only && !nlohmann_writes(p)) continue;
    s += p;
  }
  return s;
}

}  // namespace

nlohmann::json random_json(std::mt19937& rng, int depth, bool valid_only) {
  using nlohmann::json;
  switch (rng() % (depth > 3 ? 6 : 8)) {
    case 0: return random_string(rng, valid_only);
    case 1: return static_cast<int64_t>(rng()) - static_cast<int64_t>(rng()) * 4096;
    case 2: return static_cast<uint64_t>(rng()) << (rng() % 33);
    case 3: return (rng() % 2) == 0;
    case 4: return nullptr;
    case 5: return static_cast<double>(static_cast<int32_t>(rng())) / 1000.0;
    case 6: {
      json a = json::array();
      for (size_t i = rng() % 5; i > 0; --i) a.push_back(random_json(rng, depth + 1, valid_only));
      return a;
    }
    default: {
      json o = json::object();
      for (size_t i = rng() % 6; i > 0; --i) {
        o[random_string(rng, valid_only)] = random_json(rng, depth + 1, valid_only);
      }
      return o;
    }
  }
}

}  // namespace steward::store::testing
