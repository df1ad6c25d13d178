// sync::parse_json must give what nlohmann's json::parse gives, to each number's type (unsigned, signed, float: a
// document's bytes and so its revision id depend on it), and fail where it fails, with the same error.
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "support.hpp"
#include "sync/json_parse.hpp"

using nlohmann::json;
using steward::store::testing::random_json;
using steward::sync::parse_json;

namespace {

// The value with the type of every number shown (u5, i-5, f0.5), so that 5 and 5u differ.
std::string typed(const json& v) {
  switch (v.type()) {
    case json::value_t::object: {
      std::string out = "{";
      for (const auto& [key, member] : v.items()) out += json(key).dump() + ":" + typed(member) + ",";
      return out + "}";
    }
    case json::value_t::array: {
      std::string out = "[";
      for (const json& element : v) out += typed(element) + ",";
      return out + "]";
    }
    case json::value_t::number_unsigned: return 'u' + v.dump();
    case json::value_t::number_integer: return 'i' + v.dump();
    case json::value_t::number_float: return 'f' + v.dump();
    default: return v.dump();
  }
}

std::string nlohmann_parse(const std::string& text) {
  try {
    return typed(json::parse(text));
  } catch (const json::exception& e) {
    return std::string("error: ") + e.what();
  }
}

std::string our_parse(const std::string& text) {
  try {
    return typed(parse_json(text));
  } catch (const json::exception& e) {
    return std::string("error: ") + e.what();
  }
}

// The same text, mangled the way a cut-off answer, a bad proxy or a careless hand does.
std::string mutate(std::mt19937& rng, std::string text) {
  static const std::string kBytes[] = {"\"", "\\", "{", "}", "[", "]", ",", ":", "0", "-", ".", "e", "+", " ", "\n",
                                       "\x01", "\x80", "\xe4", "\\u", "\\ud83d", "\\udc00", "t", "n", "\xef\xbb\xbf"};
  const size_t at = text.empty() ? 0 : rng() % (text.size() + 1);
  switch (rng() % 4) {
    case 0: return text.substr(0, at);
    case 1: return text.erase(std::min(at, text.size() ? text.size() - 1 : 0), 1);
    case 2: return text.insert(at, kBytes[rng() % std::size(kBytes)]);
    default:
      if (!text.empty()) text[std::min(at, text.size() - 1)] = kBytes[rng() % std::size(kBytes)][0];
      return text;
  }
}

}  // namespace

TEST_CASE("parse_json gives nlohmann's value, to each number's type, for every kind of JSON") {
  const std::string texts[] = {
      R"({"type":"visit","name":"王芳","party_size":2,"arrived_ms":1767574800000,"left_ms":0,"notes":""})",
      R"( { "b" : [ 1 , -1 , 0.5 , -0 , 0 , true , false , null ] , "a" : { } , "c" : [ ] } )",
      "\t[\r\n1,\"x\"\n]\n",
      R"({"z":1,"a":2,"m":3,"a":4})",  // out of order, and a repeated key: the later value, in the first's place
      R"(["\"\\\/\b\f\n\r\t","\u0000\u001f\u007f\u00e9\u4e2d","\ud83d\ude00","\uD842\uDFB7","周末再来\n第二行"])",
      "18446744073709551615", "18446744073709551616", "-9223372036854775808", "-9223372036854775809",
      "1e5", "1E+5", "-1.5e-7", "0.1", "123456789012345678901234567890", "1e308", "1e309", "-1e400", "2.5E-400",
      "\"𠮷😀\"", "\xef\xbb\xbf{\"bom\":1}", "{\"deep\":" + std::string(200, '[') + std::string(200, ']') + "}",
  };
  for (const std::string& text : texts) {
    CAPTURE(text);
    CHECK(our_parse(text) == nlohmann_parse(text));
  }
  std::mt19937 rng(20261125);
  for (int i = 0; i < 3000; ++i) {
    const json v = random_json(rng, 0, true);
    // Compact as our documents are, indented, and with every character beyond ASCII escaped (surrogate pairs).
    for (const std::string& text : {v.dump(), v.dump(1, '\t'), v.dump(-1, ' ', true)}) {
      CAPTURE(text);
      CHECK(our_parse(text) == nlohmann_parse(text));
    }
  }
}

TEST_CASE("parse_json refuses what nlohmann refuses, with the same error") {
  const std::string texts[] = {
      "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{,}", "{\"a\"}", "{\"a\":}", "{1:2}", "01", "-", "1.", ".5", "1e",
      "1e+", "+1", "- 1", "tru", "nul", "falsey", "[1 2]", "\"abc", "\"a\x01\"", "\"\\x\"", "\"\\u12\"",
      "\"\\ud83d\"", "\"\\ud83d\\u0041\"", "\"\\ude00\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"",
      "\"\xe4\xb8\"", "{\"a\":1}x", "[1]]", "1e999", std::string("[1,\0]", 5), "NaN", "Infinity",
  };
  for (const std::string& text : texts) {
    CAPTURE(text);
    const std::string expected = nlohmann_parse(text);
    CHECK(expected.starts_with("error: "));
    CHECK(our_parse(text) == expected);
  }
  std::mt19937 rng(11);
  int refused = 0;
  for (int i = 0; i < 6000; ++i) {
    const json v = random_json(rng, 0, true);
    const std::string text = mutate(rng, rng() % 2 ? v.dump() : v.dump(-1, ' ', true));
    const std::string expected = nlohmann_parse(text);
    refused += expected.starts_with("error: ");
    CAPTURE(text);
    CHECK(our_parse(text) == expected);
  }
  CHECK(refused > 1000);  // the mutations did break most of the texts
}
