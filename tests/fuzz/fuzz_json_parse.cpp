// libFuzzer target: sync::parse_json against nlohmann's json::parse on any text. Both must give the same value, each
// number of the same type (unsigned, signed, float), or both the same error; anything else stops the fuzzer.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "sync/json_parse.hpp"

using nlohmann::json;

namespace {

bool same(const json& a, const json& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case json::value_t::object: {
      if (a.size() != b.size()) return false;
      for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j)
        if (i.key() != j.key() || !same(*i, *j)) return false;
      return true;
    }
    case json::value_t::array: {
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i)
        if (!same(a[i], b[i])) return false;
      return true;
    }
    default:
      return a == b;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  json expected, ours;
  std::string expected_error, our_error;
  try {
    expected = json::parse(text);
  } catch (const json::exception& e) {  // parse_error, or out_of_range for a number too large
    expected_error = e.what();
  }
  try {
    ours = steward::sync::parse_json(text);
  } catch (const json::exception& e) {
    our_error = e.what();
  }
  if (expected_error != our_error || !same(expected, ours)) {
    std::fprintf(stderr, "parse_json differs from nlohmann: [%s] vs [%s]\n", our_error.c_str(), expected_error.c_str());
    std::abort();
  }
  return 0;
}
