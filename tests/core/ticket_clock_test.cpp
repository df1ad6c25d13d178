// The complaint and repair clocks: due times, overdue at a given now, across midnight and time zones.
#include <doctest/doctest.h>

#include "core/ticket_targets.hpp"
#include "core/visit.hpp"
#include "ticket_support.hpp"

using namespace ticket_test;

namespace {

// 2024-03-15 23:30 in China = 15:30 UTC.
constexpr int64_t kLateEvening = 1710516600000;

}  // namespace

TEST_SUITE("ticket clocks") {
  TEST_CASE("a complaint recorded before midnight is due 24 h later, the next evening") {
    Ticket t = new_ticket(complaint_draft(), kLateEvening);
    const TicketClock clock = ticket_clock(t, derive_state(t));
    CHECK(clock.kind == ClockKind::ComplaintReply);
    CHECK(clock.due_ms == kLateEvening + kDay);
    CHECK(local_day(clock.due_ms, 480) == "2024-03-16");
    CHECK(local_time_hhmm(clock.due_ms, 480) == "23:30");
    CHECK_FALSE(is_overdue(t, derive_state(t), kLateEvening + kDay));
    CHECK(is_overdue(t, derive_state(t), kLateEvening + kDay + 1));
    // Answering stops the clock; the ticket is no longer overdue, though the answer came late.
    take(t, kButler, step(StepKind::Reply, kLateEvening + kDay + kHour, "p1"));
    const TicketState s = derive_state(t);
    CHECK_FALSE(is_overdue(t, s, kLateEvening + 2 * kDay));
    CHECK(ticket_clock(t, s).overdue_at(kLateEvening + 2 * kDay));  // met late: counts against the target
    CHECK_FALSE(ticket_clock(t, s).met_in_time());
  }

  TEST_CASE("the same instant is a different local day in another time zone, the deadline is the same instant") {
    const Ticket t = new_ticket(complaint_draft(), kLateEvening);
    const int64_t due = ticket_clock(t, derive_state(t)).due_ms;
    CHECK(local_day(t.created_ms, 480) == "2024-03-15");
    CHECK(local_day(t.created_ms, 540) == "2024-03-16");  // 00:30 in UTC+9
    CHECK(local_day(t.created_ms, -300) == "2024-03-15");
    CHECK(local_day(due, 540) == "2024-03-17");
    // Which day's figures the complaint counts in follows the site's midnight.
    CHECK(period_containing(PeriodKind::Day, t.created_ms, 480).first_day == "2024-03-15");
    CHECK(period_containing(PeriodKind::Day, t.created_ms, 540).first_day == "2024-03-16");
  }

  TEST_CASE("a reply date agreed in time replaces the 24 hours; one agreed after a miss does not") {
    TicketDraft d = complaint_draft();
    d.reply_by_ms = kMorning + 3 * kDay;
    Ticket agreed = new_ticket(d);
    CHECK(ticket_clock(agreed, derive_state(agreed)).due_ms == kMorning + 3 * kDay);
    CHECK_FALSE(is_overdue(agreed, derive_state(agreed), kMorning + 2 * kDay));
    CHECK(is_overdue(agreed, derive_state(agreed), kMorning + 3 * kDay + 1));

    Ticket late = new_ticket(complaint_draft());
    TimelineEntry e = step(StepKind::AgreeReplyDate, kMorning + 25 * kHour, "a1");
    e.reply_by_ms = kMorning + 5 * kDay;
    take(late, kButler, e);  // recorded, but the 24 hours had already run out
    CHECK(ticket_clock(late, derive_state(late)).due_ms == kMorning + kDay);
    CHECK(is_overdue(late, derive_state(late), kMorning + 2 * kDay));
  }

  TEST_CASE("finishing a complaint answers it") {
    Ticket t = new_ticket(complaint_draft());
    take(t, kButler, dispatch(kMorning + 1, "d1", "安保部"));
    take(t, kButler, step(StepKind::Start, kMorning + 2, "s1"));
    take(t, kButler, step(StepKind::Done, kMorning + 3 * kHour, "f1"));
    const TicketClock clock = ticket_clock(t, derive_state(t));
    CHECK(clock.met_ms == kMorning + 3 * kHour);
    CHECK(clock.met_in_time());
  }

  TEST_CASE("an emergency repair must be started within 30 minutes") {
    Ticket t = new_ticket(repair_draft(), kLateEvening);
    const TicketClock clock = ticket_clock(t, derive_state(t));
    CHECK(clock.kind == ClockKind::RepairArrival);
    CHECK(clock.due_ms == kLateEvening + 30 * kMinute);
    CHECK(local_day(clock.due_ms, 480) == "2024-03-16");  // past midnight
    CHECK_FALSE(is_overdue(t, derive_state(t), kLateEvening + 30 * kMinute));
    CHECK(is_overdue(t, derive_state(t), kLateEvening + 31 * kMinute));
    take(t, kButler, dispatch(kLateEvening + kMinute, "d1", "工程部"));
    take(t, kButler, step(StepKind::Start, kLateEvening + 25 * kMinute, "s1"));
    CHECK(ticket_clock(t, derive_state(t)).met_in_time());
    CHECK_FALSE(is_overdue(t, derive_state(t), kLateEvening + kDay));
  }

  TEST_CASE("a scheduled repair is due at its appointment") {
    TicketDraft d = repair_draft();
    d.priority = Priority::Scheduled;
    d.appointment_ms = kMorning + kDay + 5 * kHour;  // tomorrow 14:00
    Ticket t = new_ticket(d);
    CHECK(ticket_clock(t, derive_state(t)).due_ms == d.appointment_ms);
    CHECK_FALSE(is_overdue(t, derive_state(t), kMorning + kDay));
    CHECK(is_overdue(t, derive_state(t), d.appointment_ms + 1));
  }

  TEST_CASE("inquiries and suggestions have no clock; a closed ticket is never overdue") {
    TicketDraft d = repair_draft();
    d.type = TicketType::Suggestion;
    d.priority = Priority::Normal;
    const Ticket suggestion = new_ticket(d);
    CHECK(ticket_clock(suggestion, derive_state(suggestion)).kind == ClockKind::None);
    CHECK_FALSE(is_overdue(suggestion, derive_state(suggestion), kMorning + 100 * kDay));

    Ticket t = new_ticket(complaint_draft());
    take(t, kSupervisor, close(kMorning + 2 * kDay, "c1", "重复投诉，已并入前单"));
    CHECK_FALSE(is_overdue(t, derive_state(t), kMorning + 3 * kDay));
  }
}
