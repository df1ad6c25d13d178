// _bulk_docs bodies read with simdjson (couch_bulk_body.hpp) against the same bodies read with nlohmann only:
// the same documents (id, revision, canonical body, attachments, _local ones) and the same errors, on awkward
// documents written by hand and on thousands of generated ones.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "../support/bulk_body_outcome.hpp"
#include "server/couch_bulk_body.hpp"
#include "server/couch_error.hpp"
#include "sync/json_limits.hpp"

using namespace steward::server::couch;

namespace {

using steward::testing::bulk_body_outcome;

void check_same(const std::string& body) {
  INFO("body: " << body);
  CHECK(bulk_body_outcome(parse_bulk_docs, body) == bulk_body_outcome(parse_bulk_docs_nlohmann, body));
}

// Random JSON text, with what nlohmann and simdjson might read differently: escapes of every kind, non-ASCII
// and 4-byte UTF-8, numbers at the edges of their types, floats, repeated members, _-members.
class JsonGenerator {
 public:
  explicit JsonGenerator(unsigned seed) : rng_(seed) {}

  std::string document(int index) {
    std::vector<std::string> members;
    members.push_back("\"_id\":\"visit:" + std::to_string(index) + "\"");
    const int n = pick(0, 8);
    for (int i = 0; i < n; ++i) members.push_back(key() + ":" + value(0));
    if (chance(10)) members.push_back("\"_rev\":" + pick_of({"\"1-abc\"", "\"2-0123456789abcdef\"", "\"x\"", "3", "\"0-1\""}));
    if (chance(10)) members.push_back("\"_deleted\":" + pick_of({"true", "false", "1", "\"yes\""}));
    if (chance(8)) members.push_back("\"_revisions\":" + pick_of({"{\"start\":2,\"ids\":[\"bb\",\"aa\"]}", "{\"start\":1}",
                                                                  "{\"start\":2,\"ids\":[\"b-b\",\"aa\"]}", "[]"}));
    if (chance(8)) members.push_back("\"_attachments\":{\"a.txt\":{\"content_type\":\"text/plain\",\"data\":\"aGk=\"}}");
    if (chance(15)) members.push_back("\"_conflicts\":[]");
    if (chance(40)) members.push_back("\"_unknown\":1");
    if (chance(30)) members.push_back(members[pick(0, int(members.size()) - 1)]);  // a repeated member
    std::shuffle(members.begin(), members.end(), rng_);
    std::string out = "{";
    for (size_t i = 0; i < members.size(); ++i) {
      if (i) out += ',';
      out += space();
      out += members[i];
      out += space();
    }
    return out + "}";
  }

 private:
  std::mt19937 rng_;

  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(int one_in) { return pick(1, one_in) == 1; }
  std::string pick_of(std::initializer_list<const char*> options) { return *(options.begin() + pick(0, int(options.size()) - 1)); }
  std::string space() { return chance(6) ? pick_of({" ", "\n", "\t ", "\r\n"}) : ""; }

  std::string key() {
    return pick_of({"\"name\"", "\"phone\"", "\"a\"", "\"b\"", "\"B\"", "\"\"", "\"名字\"", "\"ä\"", "\"a\\u0000b\"", "\"\\u00e4\"",
                    "\"a b\"", "\"x_\"", "\"Z\"", "\"~\"", "\"\\\"q\"", "\"😀\""});
  }

  std::string string_value() {
    return pick_of({"\"\"", "\"plain\"", "\"王伟\"", "\"粤B12345\"", "\"\\\"quoted\\\"\"", "\"back\\\\slash\"", "\"a\\/b\"",
                    "\"\\b\\f\\n\\r\\t\"", "\"\\u0001\\u001f\"", "\"\\u007f\"", "\"del\x7f\"", "\"\\u4e2d\\u6587\"",
                    "\"\\ud83d\\ude00\"", "\"😀𠮷\"", "\"\\u00e9t\\u00e9\"", "\"line\\u2028sep\"", "\"nul\\u0000x\""});
  }

  std::string number_value() {
    return pick_of({"0", "-0", "1", "-1", "42", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
                    "18446744073709551615", "18446744073709551616", "-9223372036854775809", "1.0", "-0.0", "0.1", "1.5",
                    "1e2", "1E+21", "1e-7", "123456789.125", "3.141592653589793", "1e308", "2.5e-308", "100000000000000000000",
                    "0.30000000000000004", "-12.75"});
  }

  std::string value(int depth) {
    const int kind = pick(0, depth > 3 ? 4 : 6);
    switch (kind) {
      case 0:
      case 1: return string_value();
      case 2: return number_value();
      case 3: return pick_of({"true", "false", "null"});
      case 4: return chance(2) ? string_value() : number_value();
      case 5: {
        std::string out = "[";
        const int n = pick(0, 4);
        for (int i = 0; i < n; ++i) {
          if (i) out += ',';
          out += space();
          out += value(depth + 1);
        }
        return out + "]";
      }
      default: {
        std::string out = "{";
        const int n = pick(0, 4);
        std::vector<std::string> members;
        for (int i = 0; i < n; ++i) members.push_back(key() + ":" + value(depth + 1));
        if (n > 0 && chance(8)) members.push_back(members.front());
        for (size_t i = 0; i < members.size(); ++i) {
          if (i) out += ',';
          out += space();
          out += members[i];
        }
        return out + "}";
      }
    }
  }
};

}  // namespace

TEST_CASE("_bulk_docs bodies: simdjson and nlohmann read awkward documents alike") {
  for (const char* body : {
           R"({"docs":[]})",
           R"({"docs":[{"_id":"a","name":"王伟","b":1,"a":[1,2,{"z":null,"y":true}]}]})",
           R"({"docs":[{"_id":"a","x":1,"x":2}]})",                          // repeated member: the last one
           R"({"docs":[{"_id":"a","o":{"k":1,"k":{"deep":[1.0]}}}]})",       // repeated inside
           R"({"docs":[{"_id":"a","_id":"b"}]})",
           R"({"docs":[{"_id":"_local/cp","last_seq":"5"}],"new_edits":false})",
           R"({"docs":[{"_id":"a","_rev":"1-aa"}],"new_edits":false})",
           R"({"docs":[{"_id":"a","_revisions":{"start":3,"ids":["c","b","a"]}}],"new_edits":false})",
           R"({"docs":[{"_id":"a","_rev":"3-c","_revisions":{"start":3,"ids":["x","b"]}}],"new_edits":false})",
           R"({"docs":[{"name":"no id"}],"new_edits":false})",
           R"({"docs":[{"_id":"_design"}]})",
           R"({"docs":[{"_id":""}]})",
           R"({"docs":[{"_id":"_bad"}]})",
           R"({"docs":[{"_id":7}]})",
           R"({"docs":[{"_id":"a","_rev":5}]})",
           R"({"docs":[{"_id":"a","_bogus":5}]})",
           R"({"docs":[{"_id":"a","_conflicts":["1-x"],"_local_seq":1}]})",
           R"({"docs":[{"_id":"a","_deleted":true}]})",
           R"({"docs":[{"_id":"a","_deleted":"true"}]})",
           R"({"docs":[{"_id":"a","_attachments":{"f":{"data":"aGk=","content_type":"text/plain"}},"v":1}]})",
           R"({"docs":[5]})",
           R"({"docs":[[]]})",
           R"({"docs":[null,{"_id":"a"}]})",
           R"({"docs":{}})",
           R"({"doc":[]})",
           R"([])",
           R"("docs")",
           R"({"docs":[],"new_edits":"no"})",
           R"({"docs":[{"_id":"a"}],"new_edits":false,"new_edits":true})",
           R"({"docs":[{"_id":"a","n":18446744073709551616}]})",   // beyond simdjson's integers
           R"({"docs":[{"_id":"a","n":1e400}]})",
           R"({"docs":[{"_id":"a","s":"\ud800"}]})",               // a lone surrogate
           "{\"docs\":[{\"_id\":\"a\",\"s\":\"\xff\"}]}",          // not UTF-8
           "{\"docs\":[{\"_id\":\"a\",\"s\":\"tab\there\"}]}",     // a raw control character
           R"({"docs":[{"_id":"a",}]})",
           R"({"docs":[{"_id":"a"}]} trailing)",
           "",
       }) {
    check_same(body);
  }
}

TEST_CASE("_bulk_docs bodies: nesting up to the limit is read, one level deeper is refused and says why") {
  // The body's object, its docs array and the document are three levels; the value nests the rest.
  auto nested = [](size_t depth) {
    const size_t inner = depth - 3;
    return R"({"docs":[{"_id":"a","v":)" + std::string(inner, '[') + std::string(inner, ']') + "}]}";
  };
  const std::string deepest = nested(steward::sync::kMaxJsonDepth);
  const std::string too_deep = nested(steward::sync::kMaxJsonDepth + 1);
  check_same(deepest);
  check_same(too_deep);
  CHECK(parse_bulk_docs(deepest).items.at(0).doc.body.size() == 6 + 2 * (steward::sync::kMaxJsonDepth - 3));
  try {
    parse_bulk_docs(too_deep);
    FAIL("parsed");
  } catch (const steward::server::couch::CouchError& e) {
    CHECK(std::string(e.what()) == "JSON nested deeper than 100 levels");
  }
  // Brackets inside strings are text, not nesting.
  check_same(R"({"docs":[{"_id":"a","s":")" + std::string(200, '[') + R"("}]})");
}

TEST_CASE("_bulk_docs bodies: simdjson and nlohmann read thousands of generated documents alike") {
  JsonGenerator generate(20261124);
  for (int batch = 0; batch < 400; ++batch) {
    std::string body = "{\"docs\":[";
    for (int i = 0; i < 10; ++i) {
      if (i) body += ',';
      body += generate.document(batch * 10 + i);
    }
    body += batch % 3 == 0 ? "],\"new_edits\":false}" : "]}";
    check_same(body);
  }
  // Bodies of 300, as a push sends; in every other one only documents that are fine alone, so that the whole
  // body is read, not just up to its first error.
  for (int batch = 0; batch < 20; ++batch) {
    const bool replicated = batch % 4 < 2;
    const auto wrap = [&](const std::string& docs) {
      return "{\"docs\":[" + docs + (replicated ? "],\"new_edits\":false}" : "]}");
    };
    std::string docs;
    for (int i = 0; i < 300; ++i) {
      const std::string doc = generate.document(batch * 300 + i);
      if (batch % 2 && bulk_body_outcome(parse_bulk_docs_nlohmann, wrap(doc)).starts_with("CouchError")) continue;
      docs += (docs.empty() ? "" : ",") + doc;
    }
    const std::string body = wrap(docs);
    if (batch % 2) CHECK(!bulk_body_outcome(parse_bulk_docs_nlohmann, body).starts_with("CouchError"));
    check_same(body);
  }
}

TEST_CASE("_bulk_docs bodies: a document without an id gets a random one, a canonical body, and the same revision fields") {
  const auto body = parse_bulk_docs(R"({"docs":[{"b":2,"a":"王","_deleted":true,"c":{"y":1.5,"x":[]}}]})");
  REQUIRE(body.items.size() == 1);
  CHECK(body.items[0].id.size() == 32);
  CHECK(body.items[0].doc.body == R"({"a":"王","b":2,"c":{"x":[],"y":1.5}})");
  CHECK(body.items[0].doc.deleted);
  CHECK(body.new_edits);
}
