// Visits as a log: history by phone, local days and times, waiting, search, the day list and summary.
#include <doctest/doctest.h>

#include "core/visit.hpp"

using namespace steward::core;

namespace {

constexpr int kChina = 480;
constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kMorning = 1710464400000;  // 2024-03-15 09:00 in China (01:00 UTC)

Visit visit(std::string id, std::string phone, int64_t arrived, int number = 1) {
  Visit v;
  v.id = std::move(id);
  v.name = "访客";
  v.phone = std::move(phone);
  v.arrived_ms = arrived;
  v.visit_number = number;
  return v;
}

}  // namespace

TEST_SUITE("history") {
  TEST_CASE("counts visits with the phone on any day; the last is the latest arrival") {
    const std::vector<Visit> visits = {
        visit("visit:1", "13812345678", kMorning - 30 * kDay, 1),
        visit("visit:2", "13900000000", kMorning - 2 * kDay, 1),
        visit("visit:3", "13812345678", kMorning - kDay, 3),  // listed before an older one: order is not assumed
        visit("visit:4", "13812345678", kMorning - 10 * kDay, 2),
    };
    const VisitHistory h = history_for_phone(visits, "13812345678");
    CHECK(h.previous_visits == 3);
    CHECK(h.next_visit_number == 4);
    REQUIRE(h.last != nullptr);
    CHECK(h.last->id == "visit:3");
  }

  TEST_CASE("a first visit") {
    const std::vector<Visit> visits = {visit("visit:1", "13900000000", kMorning)};
    const VisitHistory h = history_for_phone(visits, "13812345678");
    CHECK(h.previous_visits == 0);
    CHECK(h.next_visit_number == 1);
    CHECK(h.last == nullptr);
    CHECK(history_for_phone({}, "13812345678").next_visit_number == 1);
    CHECK(history_for_phone(visits, "").next_visit_number == 1);
  }

  TEST_CASE("numbering never goes backwards when older visits are missing from the list") {
    const std::vector<Visit> visits = {visit("visit:9", "13812345678", kMorning, 5)};
    const VisitHistory h = history_for_phone(visits, "13812345678");
    CHECK(h.previous_visits == 1);
    CHECK(h.next_visit_number == 6);
  }
}

TEST_SUITE("local time") {
  TEST_CASE("days and times in China") {
    CHECK(local_day(kMorning, kChina) == "2024-03-15");
    CHECK(local_time_hhmm(kMorning, kChina) == "09:00");
    const int64_t late = 1710516600000;  // 2024-03-15 15:30 UTC = 23:30 in China
    CHECK(local_day(late, kChina) == "2024-03-15");
    CHECK(local_time_hhmm(late, kChina) == "23:30");
    CHECK(local_day(late + 30 * kMinute, kChina) == "2024-03-16");
    CHECK(local_time_hhmm(late + 30 * kMinute, kChina) == "00:00");
    CHECK(local_day(late + 30 * kMinute - 1, kChina) == "2024-03-15");
    CHECK(local_time_hhmm(late + 30 * kMinute - 1, kChina) == "23:59");
    CHECK(local_day(late, 0) == "2024-03-15");
    CHECK(local_time_hhmm(late, 0) == "15:30");
  }

  TEST_CASE("calendar edges") {
    CHECK(local_day(1709208000000, 0) == "2024-02-29");  // leap day
    CHECK(local_day(1709208000000 + kDay, 0) == "2024-03-01");
    CHECK(local_day(0, 0) == "1970-01-01");
    CHECK(local_time_hhmm(0, 0) == "00:00");
    CHECK(local_day(0, kChina) == "1970-01-01");
    CHECK(local_time_hhmm(0, kChina) == "08:00");
  }

  TEST_CASE("before 1970 and negative offsets use floor division") {
    CHECK(local_day(-1, 0) == "1969-12-31");
    CHECK(local_time_hhmm(-1, 0) == "23:59");
    CHECK(local_day(0, -300) == "1969-12-31");
    CHECK(local_time_hhmm(0, -300) == "19:00");
    CHECK(local_day(-365 * kDay, 0) == "1969-01-01");
    CHECK(local_day(-366 * kDay, 0) == "1968-12-31");
    CHECK(local_day(-2208988800000, 0) == "1900-01-01");
    CHECK(local_time_hhmm(-2208988800000 - kMinute, 0) == "23:59");
    CHECK(local_day(-kDay - 1, kChina) == "1969-12-31");  // 1969-12-30 23:59:59.999 UTC = 12-31 07:59
    CHECK(local_time_hhmm(-kDay - 1, kChina) == "07:59");
  }
}

TEST_CASE("waiting minutes") {
  Visit v = visit("visit:1", "13812345678", kMorning);
  CHECK(waiting_minutes(v, kMorning) == 0);
  CHECK(waiting_minutes(v, kMorning + 59'999) == 0);
  CHECK(waiting_minutes(v, kMorning + 12 * kMinute + 30'000) == 12);
  CHECK(waiting_minutes(v, kMorning - kHour) == 0);  // a tablet clock behind the one that registered

  SUBCASE("received: the wait ended at reception") {
    REQUIRE(mark_received(v, "陈浩", kMorning + 7 * kMinute));
    CHECK(waiting_minutes(v, kMorning + 3 * kHour) == 7);
    REQUIRE(mark_left(v, kMorning + 2 * kHour));
    CHECK(waiting_minutes(v, kMorning + 3 * kHour) == 7);
  }
  SUBCASE("left unreceived: they waited until they gave up") {
    REQUIRE(mark_left(v, kMorning + 25 * kMinute));
    CHECK(waiting_minutes(v, kMorning + 3 * kHour) == 25);
  }
}

TEST_SUITE("search") {
  TEST_CASE("by name, case-insensitive on ASCII") {
    Visit v = visit("visit:1", "13812345678", kMorning);
    v.name = "张三丰";
    CHECK(matches_search(v, "三"));
    CHECK(matches_search(v, "张三丰"));
    CHECK_FALSE(matches_search(v, "李"));
    v.name = "Alice Wang";
    CHECK(matches_search(v, "alice"));
    CHECK(matches_search(v, "WANG"));
    CHECK(matches_search(v, " ce wa "));
    CHECK_FALSE(matches_search(v, "bob"));
  }

  TEST_CASE("by any part of the phone digits") {
    const Visit v = visit("visit:1", "13812345678", kMorning);
    CHECK(matches_search(v, "5678"));
    CHECK(matches_search(v, "138"));
    CHECK(matches_search(v, "1234"));
    CHECK(matches_search(v, "138 1234"));
    CHECK(matches_search(v, "138-1234-5678"));
    CHECK(matches_search(v, "+86 138"));
    CHECK(matches_search(v, "５６７８"));
    CHECK_FALSE(matches_search(v, "9999"));
    CHECK_FALSE(matches_search(v, "5679"));
  }

  TEST_CASE("by plate, compared normalised") {
    Visit v = visit("visit:1", "13812345678", kMorning);
    v.car_plate = "粤B12345";
    CHECK(matches_search(v, "粤b123"));
    CHECK(matches_search(v, "粤B·123"));
    CHECK(matches_search(v, "b12"));
    CHECK(matches_search(v, "B12345"));
    CHECK(matches_search(v, "粤 B 12345"));
    CHECK_FALSE(matches_search(v, "粤A"));
    CHECK_FALSE(matches_search(v, "京"));
    v.car_plate.clear();
    CHECK_FALSE(matches_search(v, "粤b"));
  }

  TEST_CASE("an empty query matches everything") {
    const Visit v = visit("visit:1", "13812345678", kMorning);
    CHECK(matches_search(v, ""));
    CHECK(matches_search(v, "   "));
    CHECK_FALSE(matches_search(v, "xyz"));
  }
}

TEST_SUITE("the day") {
  TEST_CASE("visits of one local day, newest first") {
    const std::vector<Visit> visits = {
        visit("visit:a", "13800000001", kMorning),                  // 03-15 09:00
        visit("visit:b", "13800000002", kMorning - 9 * kHour - 1),  // 03-14 23:59:59.999
        visit("visit:c", "13800000003", kMorning + 14 * kHour),     // 03-15 23:00
        visit("visit:d", "13800000004", kMorning + 15 * kHour),     // 03-16 00:00
        visit("visit:e", "13800000005", kMorning - 9 * kHour),      // 03-15 00:00
        visit("visit:f", "13800000006", kMorning + 2 * kHour),      // 03-15 11:00
    };
    const auto day = visits_on_day(visits, "2024-03-15", kChina);
    REQUIRE(day.size() == 4);
    CHECK(day[0]->id == "visit:c");
    CHECK(day[1]->id == "visit:f");
    CHECK(day[2]->id == "visit:a");
    CHECK(day[3]->id == "visit:e");
    for (const Visit* v : day) CHECK(local_day(v->arrived_ms, kChina) == "2024-03-15");

    CHECK(visits_on_day(visits, "2024-03-14", kChina).size() == 1);
    CHECK(visits_on_day(visits, "2024-03-16", kChina).size() == 1);
    // The same instants seen from UTC fall on other days.
    const auto utc = visits_on_day(visits, "2024-03-15", 0);
    REQUIRE(utc.size() == 4);
    CHECK(utc[0]->id == "visit:d");
    CHECK(utc[3]->id == "visit:a");
  }

  TEST_CASE("a day that is not a date selects nothing") {
    const std::vector<Visit> visits = {visit("visit:a", "13800000001", kMorning)};
    CHECK(visits_on_day(visits, "", kChina).empty());
    CHECK(visits_on_day(visits, "2024-02-30", kChina).empty());
    CHECK(visits_on_day(visits, "2024-03-15x", kChina).empty());
    CHECK(visits_on_day(visits, "yesterday", kChina).empty());
  }

  TEST_CASE("summary") {
    std::vector<Visit> visits = {
        visit("visit:1", "13800000001", kMorning, 1),
        visit("visit:2", "13800000002", kMorning + kMinute, 2),
        visit("visit:3", "13800000003", kMorning + 2 * kMinute, 1),
        visit("visit:4", "13800000004", kMorning + 3 * kMinute, 3),
    };
    visits[0].party_size = 2;
    visits[1].party_size = 3;
    visits[1].channel = Channel::Online;
    visits[2].channel = Channel::OwnerReferral;
    visits[3].channel = Channel::OwnerReferral;
    REQUIRE(mark_received(visits[1], "陈浩", kMorning + 10 * kMinute));
    REQUIRE(mark_received(visits[2], "张伟", kMorning + 10 * kMinute));
    REQUIRE(mark_left(visits[2], kMorning + kHour));

    const DaySummary s = summarize(visits_on_day(visits, "2024-03-15", kChina));
    CHECK(s.visits == 4);
    CHECK(s.people == 2 + 3 + 1 + 1);
    CHECK(s.first_visits == 2);
    CHECK(s.repeat_visits == 2);
    CHECK(s.waiting == 2);
    CHECK(s.with_consultant == 1);
    CHECK(s.left == 1);
    CHECK(s.by_channel[0] == 1);  // walk-in
    CHECK(s.by_channel[1] == 1);  // online
    CHECK(s.by_channel[2] == 0);
    CHECK(s.by_channel[3] == 0);
    CHECK(s.by_channel[4] == 2);  // 老带新

    const DaySummary none = summarize({});
    CHECK(none.visits == 0);
    CHECK(none.people == 0);
  }
}
