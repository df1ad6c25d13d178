#include <doctest/doctest.h>

#include "sync/json_limits.hpp"
#include "sync/revision.hpp"

using namespace steward::sync;
using nlohmann::json;

TEST_CASE("hash128_hex") {
  // Published XXH3-128 of the empty input, in canonical (big-endian) order.
  CHECK(hash128_hex("") == "99aa06d3014798d86001c324468d497f");
  const std::string h = hash128_hex("来访登记");
  CHECK(h.size() == 32);
  CHECK(h.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(h != hash128_hex("来访登记 "));
}

TEST_CASE("parse_rev") {
  const auto r = parse_rev("3-0123456789abcdef0123456789abcdef");
  REQUIRE(r);
  CHECK(r->generation == 3);
  CHECK(r->hash == "0123456789abcdef0123456789abcdef");
  CHECK(r->str() == "3-0123456789abcdef0123456789abcdef");
  CHECK(parse_rev("18446744073709551615-0123456789abcdef0123456789abcdef"));

  // Peers replicating with new_edits=false may send other hash forms: any non-empty run of [0-9a-zA-Z].
  for (const char* good : {"1-a", "2-Z", "7-0", "3-0123456789ABCDEF0123456789abcdef", "3-0123456789abcdef0123456789abcde",
                           "3-0123456789abcdef0123456789abcdef0", "12-xyzXYZ0189", "1-0000"}) {
    CAPTURE(good);
    const auto id = parse_rev(good);
    REQUIRE(id);
    CHECK(id->str() == good);  // kept as sent, case included
    CHECK(is_rev_hash(id->hash));
  }
  CHECK(parse_rev("4-AbC")->hash == "AbC");
  CHECK(parse_rev("4-AbC")->generation == 4);

  for (const char* bad : {"", "3", "3-", "-", "-0123456789abcdef0123456789abcdef", "0-0123456789abcdef0123456789abcdef",
                          "0-a", "03-0123456789abcdef0123456789abcdef", "03-a", "x-0123456789abcdef0123456789abcdef",
                          "+3-0123456789abcdef0123456789abcdef", "+3-a", " 3-a", "3 -a", "3- a", "3-a ", "3-a\n",
                          "3-ab-cd", "3--ab", "3-a_b", "3-a.b", "3-a/b", "3-a+b", "3-\xc3\xa9", "1.5-a", "0x3-a",
                          "18446744073709551616-0123456789abcdef0123456789abcdef"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_rev(bad));
  }
  // A NUL inside the hash is not alphanumeric either.
  CHECK_FALSE(parse_rev(std::string_view("3-a\0b", 5)));

  CHECK_FALSE(is_rev_hash(""));
  CHECK_FALSE(is_rev_hash("a-b"));
}

TEST_CASE("next_rev") {
  const json body = {{"type", "visit"}, {"name", "张三"}, {"party_size", 2}};
  const RevId first = next_rev(std::nullopt, body, false);
  CHECK(first.generation == 1);
  CHECK(parse_rev(first.str()) == first);

  SUBCASE("deterministic, and blind to key order and underscore metadata") {
    CHECK(next_rev(std::nullopt, body, false) == first);
    CHECK(next_rev(std::nullopt, json::parse(R"({"party_size":2,"name":"张三","type":"visit"})"), false) == first);
    json with_meta = body;
    with_meta["_id"] = "visit:1";
    with_meta["_rev"] = "9-0123456789abcdef0123456789abcdef";
    with_meta["_revisions"] = {{"start", 9}};
    CHECK(next_rev(std::nullopt, with_meta, false) == first);
  }
  SUBCASE("parent, content and the deleted flag all change it") {
    const RevId second = next_rev(first, body, false);
    CHECK(second.generation == 2);
    CHECK(second.hash != first.hash);
    json changed = body;
    changed["party_size"] = 3;
    CHECK(next_rev(std::nullopt, changed, false).hash != first.hash);
    CHECK(next_rev(std::nullopt, body, true).hash != first.hash);
    CHECK(next_rev(second, body, false).generation == 3);
  }
}

TEST_CASE("strip_revision_metadata removes what travels beside a body, and only that") {
  json doc = {{"_id", "visit:1"},      {"_rev", "2-ab"},       {"_deleted", false},    {"_revisions", {{"start", 2}}},
              {"_conflicts", {"1-x"}}, {"_deleted_conflicts", {}}, {"_revs_info", {}}, {"_local_seq", 7},
              {"_attachments", {{"photo.jpg", {{"stub", true}}}}}, {"_later", 1}, {"A_upper", 1},
              {"name", "张三"},        {"z", 1}};
  strip_revision_metadata(doc);
  CHECK(doc == json{{"_attachments", {{"photo.jpg", {{"stub", true}}}}}, {"_later", 1}, {"A_upper", 1},
                    {"name", "张三"}, {"z", 1}});
  json plain = {{"name", "李四"}};
  strip_revision_metadata(plain);
  CHECK(plain == json{{"name", "李四"}});
  json not_object = json::array();
  CHECK_THROWS(strip_revision_metadata(not_object));
}

TEST_CASE("JSON depth: arrays and objects are counted, strings are not") {
  using steward::sync::json_depth_within;
  CHECK(json_depth_within(R"({"a":[1,{"b":2}]})", 3));
  CHECK_FALSE(json_depth_within(R"({"a":[1,{"b":2}]})", 2));
  CHECK(json_depth_within(R"({"a":"[[[[{{{{"})", 1));         // brackets inside a string
  CHECK(json_depth_within(R"({"a":"\"[[[[ \\"})", 1));        // escaped quotes and backslashes
  CHECK(json_depth_within(std::string(5000, ']'), 1));       // stray closers do not go below zero
  CHECK_FALSE(json_depth_within(std::string(101, '['), steward::sync::kMaxJsonDepth));
  CHECK(json_depth_within(std::string(100, '['), steward::sync::kMaxJsonDepth));
}
