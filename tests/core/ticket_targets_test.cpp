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

  TEST_CASE("many periods in one pass agree with one period at a time; a trend runs oldest first") {
    std::vector<Ticket> tickets;
    tickets.push_back(done_repair(kMorning - 2 * kDay, "ticket:a"));
    tickets.push_back(done_repair(kMorning, "ticket:b"));
    Ticket late = new_ticket(repair_draft(), kMorning + kHour, kOtherButler, "ticket:late");
    take(late, kOtherButler, dispatch(kMorning + kHour + kMinute, "d", "工程部"));
    take(late, kOtherButler, step(StepKind::Start, kMorning + 3 * kHour, "s"));
    tickets.push_back(late);
    const int64_t now = kMorning + 5 * kHour;
    const std::vector<Period> days = periods_until(PeriodKind::Day, now, 4, 480);
    REQUIRE(days.size() == 4);
    CHECK(days.front().first_day == "2024-03-12");
    CHECK(days.back().first_day == "2024-03-15");
    for (size_t i = 1; i < days.size(); ++i) CHECK(days[i].begin_ms == days[i - 1].end_ms);
    const std::vector<Targets> trend = compute_targets(tickets, days, now);
    REQUIRE(trend.size() == 4);
    for (size_t i = 0; i < days.size(); ++i) {
      const Targets one = compute_targets(tickets, days[i], now);
      CHECK(trend[i].repair_timeliness.met == one.repair_timeliness.met);
      CHECK(trend[i].repair_timeliness.counted == one.repair_timeliness.counted);
      CHECK(trend[i].return_visits.counted == one.return_visits.counted);
    }
    CHECK_FALSE(trend[0].repair_timeliness.value());  // the 12th: nothing, so no data (a gap in the trend)
    CHECK(*trend[1].repair_timeliness.value() == doctest::Approx(1.0));
    CHECK(trend[3].repair_timeliness.counted == 2);
    CHECK(trend[3].repair_timeliness.pulled_down == std::vector<std::string>{"ticket:late"});
    // Months across a year's end.
    const std::vector<Period> months = periods_until(PeriodKind::Month, kMorning, 4, 480);
    CHECK(months.front().first_day == "2023-12-01");
    CHECK(months.back().last_day == "2024-03-31");
    CHECK(periods_until(PeriodKind::Week, kMorning, 0, 480).empty());
  }

  TEST_CASE("per person in one pass: each owner's figures, sorted by name") {
    std::vector<Ticket> tickets;
    tickets.push_back(done_repair(kMorning, "ticket:w"));
    Ticket other = new_ticket(complaint_draft(), kMorning, kOtherButler, "ticket:l");
    tickets.push_back(other);
    Ticket elsewhere = make_ticket(repair_draft(), "ticket:x", "other-site", kSupervisor, kMorning, "e", {});
    tickets.push_back(elsewhere);
    const std::vector<Period> periods = {period_containing(PeriodKind::Day, kMorning, 480),
                                         period_containing(PeriodKind::Month, kMorning, 480)};
    const int64_t now = kMorning + 2 * kDay;
    const std::vector<PersonTargets> people = compute_targets_by_person(tickets, "demo", periods, now);
    REQUIRE(people.size() == 2);
    CHECK(people[0].person == "李管家");
    CHECK(people[1].person == "王管家");
    REQUIRE(people[0].periods.size() == 2);
    CHECK(people[0].periods[0].complaint_handling.pulled_down == std::vector<std::string>{"ticket:l"});
    CHECK_FALSE(people[0].periods[0].repair_timeliness.value());
    CHECK(people[1].periods[1].return_visits.counted == 1);
    const Targets single = compute_targets(tickets, periods[1], now, TargetScope{"demo", "王管家"});
    CHECK(people[1].periods[1].repair_timeliness.met == single.repair_timeliness.met);
  }

  TEST_CASE("each figure against its target: 95% meets ≥ 95%, 99% misses 100%, no data is neither") {
    CHECK(figure_target(Figure::RepairTimeliness) == doctest::Approx(0.95));
    CHECK(figure_target(Figure::ReturnVisits) == doctest::Approx(1.0));
    CHECK(figure_target(Figure::ComplaintHandling) == doctest::Approx(1.0));
    CHECK(figure_target(Figure::Satisfaction) == doctest::Approx(0.95));
    Targets t;
    t.repair_timeliness.met = 19;
    t.repair_timeliness.counted = 20;
    t.return_visits.met = 99;
    t.return_visits.counted = 100;
    t.satisfaction.satisfied.met = 18;
    t.satisfaction.satisfied.counted = 20;
    CHECK(meets_target(t, Figure::RepairTimeliness) == true);
    CHECK(meets_target(t, Figure::ReturnVisits) == false);
    CHECK_FALSE(meets_target(t, Figure::ComplaintHandling).has_value());
    CHECK(meets_target(t, Figure::Satisfaction) == false);
    CHECK(&figure_rate(t, Figure::Satisfaction) == &t.satisfaction.satisfied);
  }

  TEST_CASE("why a ticket pulls a figure down") {
    // Not started by its due time, still open: how long past due at now.
    const Ticket waiting = new_ticket(repair_draft(), kMorning, kButler, "ticket:w");
    const int64_t due = kMorning + kEmergencyArrivalMinutes * kMinute;
    CHECK_FALSE(shortfall(Figure::RepairTimeliness, waiting, due).has_value());
    const auto not_done = shortfall(Figure::RepairTimeliness, waiting, due + 2 * kHour);
    REQUIRE(not_done);
    CHECK(not_done->kind == ShortfallKind::NotDone);
    CHECK(not_done->late_ms == 2 * kHour);
    // Started late: by how much.
    Ticket late = new_ticket(repair_draft(), kMorning, kButler, "ticket:l");
    take(late, kButler, dispatch(kMorning + kMinute, "d", "工程部"));
    take(late, kButler, step(StepKind::Start, due + 15 * kMinute, "s"));
    const auto was_late = shortfall(Figure::RepairTimeliness, late, kMorning + kDay);
    REQUIRE(was_late);
    CHECK(was_late->kind == ShortfallKind::Late);
    CHECK(was_late->late_ms == 15 * kMinute);
    // Done without a return visit; a low score; a complaint answered after its 24 hours.
    const Ticket done = done_repair(kMorning, "ticket:d");
    CHECK(shortfall(Figure::ReturnVisits, done, kMorning + kDay)->kind == ShortfallKind::NoReturnVisit);
    CHECK_FALSE(shortfall(Figure::RepairTimeliness, done, kMorning + kDay).has_value());
    Ticket unhappy = done;
    take(unhappy, kButler, return_visit(kMorning + 2 * kHour, "r", 2));
    CHECK_FALSE(shortfall(Figure::ReturnVisits, unhappy, kMorning + kDay).has_value());
    const auto low = shortfall(Figure::Satisfaction, unhappy, kMorning + kDay);
    REQUIRE(low);
    CHECK(low->kind == ShortfallKind::LowScore);
    CHECK(low->score == 2);
    Ticket complaint = new_ticket(complaint_draft(), kMorning, kButler, "ticket:c");
    take(complaint, kButler, step(StepKind::Reply, kMorning + kDay + kHour, "p"));
    const auto slow_reply = shortfall(Figure::ComplaintHandling, complaint, kMorning + 2 * kDay);
    REQUIRE(slow_reply);
    CHECK(slow_reply->kind == ShortfallKind::Late);
    CHECK(slow_reply->late_ms == kHour);
    CHECK_FALSE(shortfall(Figure::RepairTimeliness, complaint, kMorning + 2 * kDay).has_value());
  }
}
