// sync::dump_json must give nlohmann's dump() byte for byte, and fail where it fails: revision ids hash a dump, so a
// different byte would give a tablet and a server different ids for the same edit.
#include <doctest/doctest.h>

#include <limits>
#include <random>
#include <string>

#include "sync/json_dump.hpp"

using steward::sync::dump_json;
using nlohmann::json;

namespace {

// What nlohmann's dump gives, or its error message.
std::string nlohmann_dump(const json& v) {
  try {
    return v.dump();
  } catch (const json::exception& e) {
    return std::string("error: ") + e.what();
  }
}

std::string our_dump(const json& v) {
  try {
    return dump_json(v);
  } catch (const json::exception& e) {
    return std::string("error: ") + e.what();
  }
}

// Pieces of strings: plain text, what must be escaped, Chinese and emoji, and byte sequences that are not UTF-8
// (a lone continuation byte, overlong forms, surrogates, beyond U+10FFFF, cut short).
const std::vector<std::string> kPieces = {
    "a", "visit:0f3c", " ", "abcdefgh", "0123456789abcdef", "王芳", "粤B12345", "周末再来", "𠮷", "😀", "\x7f", "\"", "\\",
    "\n", "\t", std::string(1, '\0'), "\x01", "\x1f", "/", "\xc2\xa0", "\xdf\xbf", "\xe0\xa0\x80", "\xef\xbf\xbf",
    "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf", "\x80", "\xbf", "\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf", "\xe0\x9f\xbf",
    "\xed\xa0\x80", "\xed\xbf\xbf", "\xf0\x80\x80\xaf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff", "\xfe",
    "\xe4\xb8", "\xf0\x9f\x98", "\xc3"};

std::string random_string(std::mt19937& rng, bool valid_only) {
  std::string s;
  const size_t pieces = rng() % 6;
  for (size_t i = 0; i < pieces; ++i) {
    const std::string& p = kPieces[rng() % kPieces.size()];
    if (valid_only && nlohmann_dump(json(p)).starts_with("error: ")) continue;
    s += p;
  }
  return s;
}

json random_value(std::mt19937& rng, int depth, bool valid_only) {
  switch (rng() % (depth > 3 ? 6 : 8)) {
    case 0: return random_string(rng, valid_only);
    case 1: return static_cast<int64_t>(rng()) - static_cast<int64_t>(rng()) * 4096;
    case 2: return static_cast<uint64_t>(rng()) << (rng() % 33);
    case 3: return (rng() % 2) == 0;
    case 4: return nullptr;
    case 5: return static_cast<double>(static_cast<int32_t>(rng())) / 1000.0;
    case 6: {
      json a = json::array();
      for (size_t i = rng() % 5; i > 0; --i) a.push_back(random_value(rng, depth + 1, valid_only));
      return a;
    }
    default: {
      json o = json::object();
      for (size_t i = rng() % 6; i > 0; --i) {
        o[random_string(rng, valid_only)] = random_value(rng, depth + 1, valid_only);
      }
      return o;
    }
  }
}

}  // namespace

TEST_CASE("dump_json gives nlohmann's dump, byte for byte, for every kind of value") {
  const json visit = {{"type", "visit"}, {"site", "demo"}, {"name", "王芳"}, {"phone", "13800001234"}, {"party_size", 2},
                      {"notes", "周末再来, \"加急\"\n第二行"}, {"arrived_ms", 1767574800000}, {"left_ms", 0},
                      {"entries", json::array({json{{"id", "e1"}, {"at", -5}}, json::object(), json::array()})}};
  using limits64 = std::numeric_limits<int64_t>;
  using double_limits = std::numeric_limits<double>;
  for (const json& v : {visit, json(), json(true), json(false), json(0), json(-1), json(limits64::min()),
                        json(limits64::max()), json(std::numeric_limits<uint64_t>::max()), json(0.5), json(-1e300),
                        json(1e-7), json(double_limits::quiet_NaN()), json(double_limits::infinity()), json(""),
                        json::object(), json::array(), json::binary({1, 2, 3}),
                        json::parse(R"({"b":[1,{"a":null}],"a":"\u0000\u001f\u007f"})")}) {
    CAPTURE(v.dump());
    CHECK(dump_json(v) == v.dump());
  }
  std::mt19937 rng(20261125);
  for (int i = 0; i < 3000; ++i) {
    const json v = random_value(rng, 0, true);
    CAPTURE(nlohmann_dump(v));
    CHECK(our_dump(v) == nlohmann_dump(v));
  }
}

TEST_CASE("dump_json refuses what nlohmann's dump refuses, with the same error") {
  for (const std::string& piece : kPieces) {
    const std::string padded = std::string(9, 'x') + piece + std::string(9, 'y');
    for (const std::string& s : {piece, "ab" + piece, piece + "cd", padded}) {
      const json v = {{"k", s}, {s, 1}};
      CAPTURE(s);
      CHECK(our_dump(v) == nlohmann_dump(v));
    }
  }
  std::mt19937 rng(7);
  int refused = 0;
  for (int i = 0; i < 3000; ++i) {
    const json v = random_value(rng, 0, false);
    const std::string expected = nlohmann_dump(v);
    refused += expected.starts_with("error: ");
    CHECK(our_dump(v) == expected);
  }
  CHECK(refused > 100);  // the random values did include strings nlohmann refuses
}
