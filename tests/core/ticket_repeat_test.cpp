// Repeat faults: a report at the same location and category within 30 days links to the earlier one.
#include <doctest/doctest.h>

#include "ticket_support.hpp"

using namespace ticket_test;

TEST_SUITE("repeat faults") {
  TEST_CASE("29 and 30 days link, 31 do not") {
    const std::vector<Ticket> earlier = {new_ticket(repair_draft(), kMorning, kButler, "ticket:first")};
    const TicketDraft d = repair_draft();
    auto repeat_after = [&](int64_t delay) {
      return find_repeat(earlier, "demo", d.building, d.unit, d.place, d.category, kMorning + delay);
    };
    CHECK(repeat_after(29 * kDay).count == 1);
    REQUIRE(repeat_after(30 * kDay).earlier);
    CHECK(repeat_after(30 * kDay).earlier->id == "ticket:first");
    CHECK(repeat_after(30 * kDay + 1).count == 0);
    CHECK(repeat_after(31 * kDay).earlier == nullptr);
  }

  TEST_CASE("make_ticket links to the latest earlier report and counts them all") {
    std::vector<Ticket> existing;
    existing.push_back(new_ticket(repair_draft(), kMorning - 40 * kDay, kButler, "ticket:old"));
    existing.push_back(new_ticket(repair_draft(), kMorning - 20 * kDay, kButler, "ticket:a"));
    existing.push_back(new_ticket(repair_draft(), kMorning - 5 * kDay, kOtherButler, "ticket:b"));
    TicketDraft other_place = repair_draft();
    other_place.unit = "1503";
    existing.push_back(new_ticket(other_place, kMorning - kDay, kButler, "ticket:neighbour"));
    TicketDraft other_category = repair_draft();
    other_category.category = "门窗";
    existing.push_back(new_ticket(other_category, kMorning - kDay, kButler, "ticket:door"));

    TicketDraft again = repair_draft();
    again.building = "３栋";  // full-width digit, as a Chinese keyboard may type it
    const Ticket t = make_ticket(again, "ticket:new", "demo", kButler, kMorning, "e-new", existing);
    CHECK(t.repeat_of == "ticket:b");
    CHECK(t.repeat_count == 2);

    const Ticket elsewhere = make_ticket(again, "ticket:x", "other-site", kButler, kMorning, "e-x", existing);
    CHECK(elsewhere.repeat_of.empty());
    CHECK(elsewhere.repeat_count == 0);
  }

  TEST_CASE("a free location matches on the place when there is no unit") {
    TicketDraft d;
    d.type = TicketType::PatrolFinding;
    d.building = "";
    d.place = "地下车库 B2";
    d.category = "照明";
    d.description = "灯不亮";
    const std::vector<Ticket> existing = {new_ticket(d, kMorning, kButler, "ticket:lamp")};
    CHECK(find_repeat(existing, "demo", "", "", "地下车库b2", "照明", kMorning + kDay).count == 1);
    CHECK(find_repeat(existing, "demo", "", "", "地下车库B1", "照明", kMorning + kDay).count == 0);
    // A report earlier than the one in the list is not a repeat of it.
    CHECK(find_repeat(existing, "demo", "", "", "地下车库B2", "照明", kMorning - 1).count == 0);
  }
}
