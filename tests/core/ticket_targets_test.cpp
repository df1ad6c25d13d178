// Service targets over days, weeks and months of local time, including empty periods.
#include <doctest/doctest.h>

#include "core/ticket_targets.hpp"
#include "ticket_support.hpp"

using namespace ticket_test;

TEST_SUITE("targets") {
  TEST_CASE("periods are local days, Monday weeks and calendar months") {
    // 2024-03-15 was a Friday.
    const Period day = period_containing(PeriodKind::Day, kMorning, 480);
    CHECK(day.first_day == "2024-03-15");
    CHECK(day.begin_ms == kMorning - 9 * kHour);
    CHECK(day.end_ms - day.begin_ms == kDay);
    const Period week = period_containing(PeriodKind::Week, kMorning, 480);
    CHECK(week.first_day == "2024-03-11");
    CHECK(week.last_day == "2024-03-17");
    const Period month = period_containing(PeriodKind::Month, kMorning, 480);
    CHECK(month.first_day == "2024-03-01");
    CHECK(month.last_day == "2024-03-31");
    CHECK(previous_period(month, 480).first_day == "2024-02-01");
    CHECK(previous_period(month, 480).last_day == "2024-02-29");
    CHECK(previous_period(week, 480).first_day == "2024-03-04");
    // Sunday 23:59 local is still in the week; in UTC-5 the same instant is Sunday morning.
    const int64_t sunday_late = week.end_ms - 1;
    CHECK(week.contains(sunday_late));
    CHECK(period_containing(PeriodKind::Week, week.end_ms, 480).first_day == "2024-03-18");
    CHECK(period_containing(PeriodKind::Day, sunday_late, -300).first_day == "2024-03-17");
  }

  TEST_CASE("an empty period has no data, not 0%") {
    const Period day = period_containing(PeriodKind::Day, kMorning, 480);
    const Targets none = compute_targets({}, day, kMorning);
    CHECK_FALSE(none.repair_timeliness.value());
    CHECK_FALSE(none.return_visits.value());
    CHECK_FALSE(none.complaint_handling.value());
    CHECK_FALSE(none.satisfaction.average());
    CHECK_FALSE(none.satisfaction.satisfied.value());
    // Tickets on another day leave this one empty too.
    const std::vector<Ticket> tickets = {done_repair(kMorning + 2 * kDay)};
    CHECK_FALSE(compute_targets(tickets, day, kMorning + 3 * kDay).repair_timeliness.value());
  }

  TEST_CASE("figures, and the tickets that pull them down") {
    std::vector<Ticket> tickets;
    tickets.push_back(done_repair(kMorning, "ticket:fast"));  // started after 20 min: in time
    Ticket slow = new_ticket(repair_draft(), kMorning + kHour, kButler, "ticket:slow");
    take(slow, kButler, dispatch(kMorning + kHour + 1, "d1", "工程部"));
    take(slow, kButler, step(StepKind::Start, kMorning + 2 * kHour, "s1"));  // an hour: late
    take(slow, kButler, step(StepKind::Done, kMorning + 3 * kHour, "f1"));
    take(slow, kButler, return_visit(kMorning + 4 * kHour, "r1", 2, "来得太慢"));
    tickets.push_back(slow);
    Ticket pending = new_ticket(repair_draft(), kMorning + 10 * kHour, kOtherButler, "ticket:pending");
    tickets.push_back(pending);  // due 19:30, not yet decided at 19:00
    Ticket answered = new_ticket(complaint_draft(), kMorning, kOtherButler, "ticket:answered");
    take(answered, kOtherButler, step(StepKind::Reply, kMorning + 3 * kHour, "p1"));
    tickets.push_back(answered);
    Ticket excused = done_repair(kMorning + 5 * kHour, "ticket:excused");
    take(excused, kSupervisor, close(kMorning + 6 * kHour, "c1", "业主出国，无法回访"));
    tickets.push_back(excused);
    Ticket visited = done_repair(kMorning + 5 * kHour, "ticket:visited");
    take(visited, kButler, return_visit(kMorning + 7 * kHour, "r1", 5));
    tickets.push_back(visited);

    const Period day = period_containing(PeriodKind::Day, kMorning, 480);
    const int64_t now = kMorning + 10 * kHour;
    const Targets all = compute_targets(tickets, day, now);
    CHECK(all.repair_timeliness.counted == 4);  // fast, slow, excused, visited; pending is not decided yet
    CHECK(all.repair_timeliness.met == 3);
    CHECK(all.repair_timeliness.pulled_down == std::vector<std::string>{"ticket:slow"});
    CHECK(*all.repair_timeliness.value() == doctest::Approx(0.75));
    // Done today: fast (waiting), slow, visited; the excused one is not counted.
    CHECK(all.return_visits.counted == 3);
    CHECK(all.return_visits.met == 2);
    CHECK(all.return_visits.pulled_down == std::vector<std::string>{"ticket:fast"});
    CHECK(all.complaint_handling.counted == 1);
    CHECK(*all.complaint_handling.value() == doctest::Approx(1.0));
    CHECK(all.satisfaction.visits == 2);
    CHECK(*all.satisfaction.average() == doctest::Approx(3.5));
    CHECK(*all.satisfaction.satisfied.value() == doctest::Approx(0.5));
    CHECK(all.satisfaction.pulled_down == std::vector<std::string>{"ticket:slow"});

    // Per person: the owner answers for the ticket.
    const Targets theirs = compute_targets(tickets, day, now, TargetScope{"demo", kOtherButler.name});
    CHECK_FALSE(theirs.repair_timeliness.value());
    CHECK(theirs.complaint_handling.counted == 1);
    CHECK_FALSE(theirs.return_visits.value());
    // Per site: another site's figures are empty.
    CHECK_FALSE(compute_targets(tickets, day, now, TargetScope{"other", ""}).repair_timeliness.value());
    // Later in the evening the pending repair is decided: overdue, not started.
    const Targets evening = compute_targets(tickets, day, kMorning + 11 * kHour);
    CHECK(evening.repair_timeliness.counted == 5);
    CHECK(evening.repair_timeliness.pulled_down == std::vector<std::string>{"ticket:slow", "ticket:pending"});
    // The week and the month contain the day.
    CHECK(compute_targets(tickets, period_containing(PeriodKind::Week, kMorning, 480), now).return_visits.counted ==
          3);
    CHECK(ticket_owners(tickets, "demo") == std::vector<std::string>{"李管家", "王管家"});
  }

  TEST_CASE("an unanswered complaint counts against handling once its 24 hours are up") {
    const std::vector<Ticket> tickets = {new_ticket(complaint_draft(), kMorning, kButler, "ticket:c")};
    const Period day = period_containing(PeriodKind::Day, kMorning, 480);
    CHECK_FALSE(compute_targets(tickets, day, kMorning + kDay).complaint_handling.value());
    const Targets later = compute_targets(tickets, day, kMorning + kDay + 1);
    CHECK(*later.complaint_handling.value() == doctest::Approx(0.0));
    CHECK(later.complaint_handling.pulled_down == std::vector<std::string>{"ticket:c"});
  }
}
