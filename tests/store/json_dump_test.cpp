// sync::dump_json must give nlohmann's dump() byte for byte, and fail where it fails: revision ids hash a dump, so a
// different byte would give a tablet and a server different ids for the same edit.
#include <doctest/doctest.h>

#include <limits>
#include <random>
#include <string>

#include "sync/json_dump.hpp"
#include "support.hpp"

using steward::sync::dump_json;
using nlohmann::json;
using steward::store::testing::kJsonStringPieces;
using steward::store::testing::random_json;

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
    const json v = random_json(rng, 0, true);
    CAPTURE(nlohmann_dump(v));
    CHECK(our_dump(v) == nlohmann_dump(v));
  }
}

TEST_CASE("dump_json refuses what nlohmann's dump refuses, with the same error") {
  for (const std::string& piece : kJsonStringPieces) {
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
    const json v = random_json(rng, 0, false);
    const std::string expected = nlohmann_dump(v);
    refused += expected.starts_with("error: ");
    CHECK(our_dump(v) == expected);
  }
  CHECK(refused > 100);  // the random values did include strings nlohmann refuses
}
