// The visit as a document, as made from the form, and its state changes.
#include <doctest/doctest.h>

#include <stdexcept>

#include "core/visit.hpp"

using namespace steward::core;
using nlohmann::json;

namespace {

constexpr int64_t kMorning = 1710464400000;  // 2024-03-15 09:00 in China (01:00 UTC)

VisitDraft draft(std::string name, std::string phone) {
  VisitDraft d;
  d.name = std::move(name);
  d.phone = std::move(phone);
  d.channel = Channel::WalkIn;
  return d;
}

Visit sample_visit() {
  Visit v;
  v.id = "visit:0b6f8a2e-4c1d-4f3a-9e2b-7d5c1a9f0e11";
  v.rev = "2-0123456789abcdef0123456789abcdef";
  v.site = "demo";
  v.name = "李女士";
  v.phone = "13912345678";
  v.party_size = 3;
  v.channel = Channel::OwnerReferral;
  v.appointed_consultant = "陈浩";
  v.received_by = "陈浩";
  v.car_plate = "粤BD12345";
  v.notes = "老业主介绍\n关注学区";
  v.visit_number = 2;
  v.arrived_ms = kMorning;
  v.received_ms = kMorning + 5 * 60'000;
  v.left_ms = kMorning + 90 * 60'000;
  v.created_ms = kMorning;
  v.updated_ms = kMorning + 90 * 60'000;
  return v;
}

}  // namespace

TEST_CASE("channel keys are stable and round-trip") {
  CHECK(channel_key(Channel::WalkIn) == "walk_in");
  CHECK(channel_key(Channel::Online) == "online");
  CHECK(channel_key(Channel::Referral) == "referral");
  CHECK(channel_key(Channel::Advertisement) == "advertisement");
  CHECK(channel_key(Channel::OwnerReferral) == "owner_referral");
  for (Channel c : kAllChannels) CHECK(channel_from_key(channel_key(c)) == c);
  CHECK_FALSE(channel_from_key("Walk_In"));
  CHECK_FALSE(channel_from_key(""));
}

TEST_SUITE("visit document") {
  TEST_CASE("the document shape") {
    const json doc = to_json(sample_visit());
    CHECK(doc["_id"] == "visit:0b6f8a2e-4c1d-4f3a-9e2b-7d5c1a9f0e11");
    CHECK(doc["_rev"] == "2-0123456789abcdef0123456789abcdef");
    CHECK(doc["type"] == "visit");
    CHECK(doc["site"] == "demo");
    CHECK(doc["name"] == "李女士");
    CHECK(doc["phone"] == "13912345678");
    CHECK(doc["party_size"] == 3);
    CHECK(doc["channel"] == "owner_referral");
    CHECK(doc["appointed_consultant"] == "陈浩");
    CHECK(doc["received_by"] == "陈浩");
    CHECK(doc["car_plate"] == "粤BD12345");
    CHECK(doc["notes"] == "老业主介绍\n关注学区");
    CHECK(doc["visit_number"] == 2);
    CHECK(doc["arrived_ms"] == kMorning);
    CHECK(doc["received_ms"] == kMorning + 5 * 60'000);
    CHECK(doc["left_ms"] == kMorning + 90 * 60'000);
    CHECK(doc["created_ms"] == kMorning);
    CHECK(doc["updated_ms"] == kMorning + 90 * 60'000);
    CHECK(doc.size() == 18);
    CHECK(is_visit_doc(doc));
  }

  TEST_CASE("no _rev before the visit is stored") {
    Visit v = sample_visit();
    v.rev.clear();
    CHECK_FALSE(to_json(v).contains("_rev"));
  }

  TEST_CASE("round trip, also through text") {
    const Visit v = sample_visit();
    CHECK(to_json(visit_from_json(to_json(v))) == to_json(v));
    CHECK(to_json(visit_from_json(json::parse(to_json(v).dump()))) == to_json(v));
  }

  TEST_CASE("missing optional fields take their defaults") {
    const json doc = {{"_id", "visit:1"}, {"name", "王先生"}, {"phone", "13812345678"}, {"arrived_ms", kMorning}};
    const Visit v = visit_from_json(doc);
    CHECK(v.id == "visit:1");
    CHECK(v.rev.empty());
    CHECK(v.party_size == 1);
    CHECK(v.channel == Channel::WalkIn);
    CHECK(v.visit_number == 1);
    CHECK(v.received_by.empty());
    CHECK(v.received_ms == 0);
    CHECK(v.left_ms == 0);
    CHECK(v.created_ms == kMorning);
    CHECK(v.updated_ms == kMorning);
    CHECK(v.status() == VisitStatus::Waiting);
  }

  TEST_CASE("unknown fields and nulls are tolerated (forward compatibility)") {
    json doc = to_json(sample_visit());
    doc["_revisions"] = {{"start", 2}, {"ids", {"a", "b"}}};
    doc["_conflicts"] = json::array();
    doc["drink_orders"] = {{{"item", "美式"}, {"count", 2}}};
    doc["sample_flat"] = "A2户型";
    doc["notes"] = nullptr;
    const Visit v = visit_from_json(doc);
    CHECK(v.name == "李女士");
    CHECK(v.notes.empty());
  }

  TEST_CASE("a visit with many more members than it reads (a later version's) reads the same, and is checked the same") {
    // Fields are looked up in a short list of the members; a document with dozens takes the map's own lookup.
    json doc = to_json(sample_visit());
    for (int i = 0; i < 40; ++i) doc["later_field_" + std::to_string(i)] = i;
    CHECK(to_json(visit_from_json(doc)) == to_json(sample_visit()));
    doc["notes"] = nullptr;
    CHECK(visit_from_json(doc).notes.empty());
    doc["party_size"] = "3";
    CHECK_THROWS_AS(visit_from_json(doc), std::invalid_argument);
    doc["party_size"] = 3;
    doc.erase("phone");
    CHECK_THROWS_AS(visit_from_json(doc), std::invalid_argument);
  }

  TEST_CASE("malformed documents are refused") {
    const json good = to_json(sample_visit());
    for (const char* required : {"_id", "name", "phone", "arrived_ms"}) {
      json doc = good;
      doc.erase(required);
      CHECK_THROWS_AS(visit_from_json(doc), std::invalid_argument);
    }
    const std::pair<const char*, json> wrong_types[] = {
        {"_id", 42},           {"_id", ""},           {"name", 1},          {"phone", 13812345678LL},
        {"party_size", "3"},   {"party_size", 2.5},   {"channel", 1},       {"channel", "tv"},
        {"arrived_ms", "now"}, {"arrived_ms", 1.5},   {"received_ms", true}, {"notes", json::array()},
        {"type", "site"},      {"visit_number", 1e30}, {"left_ms", 18446744073709551615ULL},
        {"_rev", 3},
    };
    for (const auto& [field, value] : wrong_types) {
      const char* key = field;  // a plain variable: clang 14 (the WASM build) cannot capture a structured binding
      CAPTURE(key);
      json doc = good;
      doc[key] = value;
      CHECK_THROWS_AS(visit_from_json(doc), std::invalid_argument);
    }
    CHECK_THROWS_AS(visit_from_json(json::array()), std::invalid_argument);
    CHECK_THROWS_AS(visit_from_json(json("visit")), std::invalid_argument);
  }

  TEST_CASE("is_visit_doc") {
    CHECK(is_visit_doc({{"type", "visit"}}));
    CHECK_FALSE(is_visit_doc({{"type", "site"}}));
    CHECK_FALSE(is_visit_doc({{"_id", "visit:1"}}));
    CHECK_FALSE(is_visit_doc(json::array()));
    CHECK_FALSE(is_visit_doc({{"type", 1}}));
  }
}

TEST_SUITE("make_visit") {
  TEST_CASE("trims, normalises and stamps the time") {
    VisitDraft d = draft("  张三 ", "+86 138-1234-5678");
    d.party_size = 4;
    d.channel = Channel::Online;
    d.appointed_consultant = " 王丽娜　";
    d.car_plate = "粤b·12345";
    d.notes = "  想看三房\n ";
    const Visit v = make_visit(d, "visit:abc", "demo", kMorning, {});
    CHECK(v.id == "visit:abc");
    CHECK(v.rev.empty());
    CHECK(v.site == "demo");
    CHECK(v.name == "张三");
    CHECK(v.phone == "13812345678");
    CHECK(v.party_size == 4);
    CHECK(v.channel == Channel::Online);
    CHECK(v.appointed_consultant == "王丽娜");
    CHECK(v.car_plate == "粤B12345");
    CHECK(v.notes == "想看三房");
    CHECK(v.visit_number == 1);
    CHECK_FALSE(v.is_repeat());
    CHECK(v.arrived_ms == kMorning);
    CHECK(v.created_ms == kMorning);
    CHECK(v.updated_ms == kMorning);
    CHECK(v.received_ms == 0);
    CHECK(v.left_ms == 0);
    CHECK(v.status() == VisitStatus::Waiting);
  }

  TEST_CASE("no plate stays empty") {
    const Visit v = make_visit(draft("张三", "13812345678"), "visit:a", "demo", kMorning, {});
    CHECK(v.car_plate.empty());
  }

  TEST_CASE("the visit number counts earlier visits by phone") {
    std::vector<Visit> earlier;
    earlier.push_back(make_visit(draft("张三", "13812345678"), "visit:1", "demo", kMorning - 86'400'000 * 7, {}));
    earlier.push_back(make_visit(draft("李四", "13900000000"), "visit:2", "demo", kMorning - 3'600'000, earlier));
    const Visit second = make_visit(draft("张三", "138 1234 5678"), "visit:3", "demo", kMorning, earlier);
    CHECK(second.visit_number == 2);
    CHECK(second.is_repeat());
    earlier.push_back(second);
    const Visit third = make_visit(draft("张先生", "+8613812345678"), "visit:4", "demo", kMorning + 1, earlier);
    CHECK(third.visit_number == 3);
    const Visit other = make_visit(draft("王五", "13700000000"), "visit:5", "demo", kMorning + 2, earlier);
    CHECK(other.visit_number == 1);
  }

  TEST_CASE("refuses an invalid draft") {
    CHECK_THROWS_AS(make_visit(VisitDraft{}, "visit:x", "demo", kMorning, {}), std::invalid_argument);
    CHECK_THROWS_AS(make_visit(draft("张三", "123"), "visit:x", "demo", kMorning, {}), std::invalid_argument);
  }
}

TEST_SUITE("state changes") {
  TEST_CASE("waiting -> with consultant -> left") {
    Visit v = make_visit(draft("张三", "13812345678"), "visit:1", "demo", kMorning, {});
    CHECK(mark_received(v, "陈浩", kMorning + 60'000));
    CHECK(v.status() == VisitStatus::WithConsultant);
    CHECK(v.received_by == "陈浩");
    CHECK(v.received_ms == kMorning + 60'000);
    CHECK(v.updated_ms == kMorning + 60'000);

    CHECK(mark_left(v, kMorning + 3'600'000));
    CHECK(v.status() == VisitStatus::Left);
    CHECK(v.left_ms == kMorning + 3'600'000);
    CHECK(v.updated_ms == kMorning + 3'600'000);
    CHECK(v.received_by == "陈浩");
  }

  TEST_CASE("the consultant who first received a client keeps them") {
    Visit v = make_visit(draft("张三", "13812345678"), "visit:1", "demo", kMorning, {});
    REQUIRE(mark_received(v, "陈浩", kMorning + 60'000));
    const json before = to_json(v);
    CHECK_FALSE(mark_received(v, "李思雨", kMorning + 120'000));
    CHECK(to_json(v) == before);
  }

  TEST_CASE("a reception needs a consultant") {
    Visit v = make_visit(draft("张三", "13812345678"), "visit:1", "demo", kMorning, {});
    CHECK_FALSE(mark_received(v, "", kMorning + 1));
    CHECK_FALSE(mark_received(v, "  ", kMorning + 1));
    CHECK(v.status() == VisitStatus::Waiting);
    CHECK(v.updated_ms == kMorning);
  }

  TEST_CASE("leaving without reception, and nothing after leaving") {
    Visit v = make_visit(draft("张三", "13812345678"), "visit:1", "demo", kMorning, {});
    CHECK(mark_left(v, kMorning + 600'000));
    CHECK(v.status() == VisitStatus::Left);
    const json before = to_json(v);
    CHECK_FALSE(mark_left(v, kMorning + 700'000));
    CHECK_FALSE(mark_received(v, "陈浩", kMorning + 700'000));
    CHECK(to_json(v) == before);
  }
}

namespace {

// A visit as a merge writes it: merged from two revisions.
nlohmann::json merged_visit_doc() {
  nlohmann::json doc = steward::core::to_json(steward::core::Visit{});
  doc["_id"] = "visit:m";
  doc["name"] = "张伟";
  doc["phone"] = "13812345678";
  doc["arrived_ms"] = 1;
  doc["merged_from"] = {"2-aaa", "2-bbb"};
  return doc;
}

}  // namespace

TEST_CASE("a merged revision says which revisions it was merged from; an edit does not carry it on") {
  nlohmann::json doc = merged_visit_doc();
  const auto v = steward::core::visit_from_json(doc);
  CHECK(v.was_merged());
  CHECK(v.merged_from == std::vector<std::string>{"2-aaa", "2-bbb"});
  CHECK_FALSE(steward::core::to_json(v).contains("merged_from"));
  doc["merged_from"] = "2-aaa";
  CHECK_THROWS_AS(steward::core::visit_from_json(doc), std::invalid_argument);
}

TEST_CASE("a merged visit reads which edits it was merged from; unreadable detail entries are left out") {
  nlohmann::json doc = merged_visit_doc();
  doc["merge_detail"] = nlohmann::json::array(
      {{{"rev", "2-aaa"}, {"by", "tablet-a"}, {"at", 1700000000000}, {"fields", {"party_size", "notes"}}},
       "not an entry",
       {{"rev", "2-bbb"}, {"fields", {"name", 7}}}});
  const auto v = steward::core::visit_from_json(doc);
  REQUIRE(v.merge_detail.size() == 2);
  CHECK(v.merge_detail[0].rev == "2-aaa");
  CHECK(v.merge_detail[0].by == "tablet-a");
  CHECK(v.merge_detail[0].at_ms == 1700000000000);
  CHECK(v.merge_detail[0].fields == std::vector<std::string>{"party_size", "notes"});
  CHECK(v.merge_detail[1].by.empty());
  CHECK(v.merge_detail[1].at_ms == 0);
  CHECK(v.merge_detail[1].fields == std::vector<std::string>{"name"});
  CHECK_FALSE(steward::core::to_json(v).contains("merge_detail"));
  doc["merge_detail"] = "garbled";
  CHECK(steward::core::visit_from_json(doc).merge_detail.empty());
}
