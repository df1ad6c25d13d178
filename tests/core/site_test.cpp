#include <doctest/doctest.h>

#include <stdexcept>

#include "core/site.hpp"

using namespace steward::core;
using nlohmann::json;

TEST_CASE("the demo sales centre") {
  const Site s = demo_site();
  CHECK(s.id == "demo");
  CHECK(s.name == "滨江壹号售楼处");
  CHECK(s.kind == SiteKind::SalesCentre);
  CHECK(s.consultants.size() >= 5);
  CHECK(s.consultants.size() <= 6);
  CHECK(s.utc_offset_minutes == 480);
}

TEST_CASE("site documents") {
  const Site s = demo_site();
  const json doc = to_json(s);
  CHECK(doc["_id"] == "site:demo");
  CHECK(doc["type"] == "site");
  CHECK(doc["kind"] == "sales_centre");
  CHECK(site_doc_id("demo") == "site:demo");

  const Site back = site_from_json(json::parse(doc.dump()));
  CHECK(back.id == s.id);
  CHECK(back.name == s.name);
  CHECK(back.kind == s.kind);
  CHECK(back.consultants == s.consultants);
  CHECK(back.utc_offset_minutes == s.utc_offset_minutes);

  Site office{"tower", "环球中心写字楼", SiteKind::Office, {}, 480};
  CHECK(site_from_json(to_json(office)).kind == SiteKind::Office);
  office.kind = SiteKind::Residential;
  CHECK(site_from_json(to_json(office)).kind == SiteKind::Residential);
}

TEST_CASE("site documents: optional fields, extras, malformed") {
  const Site minimal = site_from_json({{"_id", "site:x"}, {"name", "某小区"}, {"_rev", "1-abc"}, {"future", 1}});
  CHECK(minimal.id == "x");
  CHECK(minimal.consultants.empty());
  CHECK(minimal.utc_offset_minutes == 480);

  const json good = to_json(demo_site());
  const std::pair<const char*, json> bad[] = {
      {"_id", "demo"},       {"_id", "site:"},           {"_id", 1},
      {"name", nullptr},     {"kind", "castle"},         {"kind", 2},
      {"consultants", "陈浩"}, {"consultants", {1, 2}},   {"utc_offset_minutes", "480"},
      {"utc_offset_minutes", 24 * 60}, {"type", "visit"},
  };
  for (const auto& [field, value] : bad) {
    const char* key = field;  // a plain variable: clang 14 (the WASM build) cannot capture a structured binding
    CAPTURE(key);
    json doc = good;
    doc[key] = value;
    CHECK_THROWS_AS(site_from_json(doc), std::invalid_argument);
  }
  CHECK_THROWS_AS(site_from_json(json::array()), std::invalid_argument);
}
