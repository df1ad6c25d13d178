// The ticket's state machine: which steps are allowed, by whom, and what the timeline derives.
#include <doctest/doctest.h>

#include <algorithm>

#include "ticket_support.hpp"

using namespace ticket_test;

TEST_SUITE("ticket state machine") {
  TEST_CASE("a ticket goes new, dispatched, in progress, done, return-visited, closed") {
    Ticket t = new_ticket(repair_draft());
    CHECK(derive_state(t).status == TicketStatus::New);
    take(t, kButler, dispatch(kMorning + kMinute, "d1", "工程部", "赵师傅"));
    TicketState s = derive_state(t);
    CHECK(s.status == TicketStatus::Dispatched);
    CHECK(s.department == "工程部");
    CHECK(s.person == "赵师傅");
    take(t, Actor{"赵师傅", Role::Butler}, step(StepKind::Start, kMorning + 10 * kMinute, "s1"));
    CHECK(derive_state(t).status == TicketStatus::InProgress);
    take(t, kButler, step(StepKind::Done, kMorning + kHour, "f1"));
    CHECK(derive_state(t).status == TicketStatus::Done);
    take(t, kButler, return_visit(kMorning + 2 * kHour, "r1", 5));
    s = derive_state(t);
    CHECK(s.status == TicketStatus::ReturnVisited);
    REQUIRE(s.return_visit);
    CHECK(s.return_visit->satisfaction == 5);
    take(t, kButler, close(kMorning + 3 * kHour, "c1"));
    s = derive_state(t);
    CHECK(s.status == TicketStatus::Closed);
    CHECK(s.closed_without_visit_reason.empty());
    CHECK(s.superseded.empty());
    CHECK(t.timeline.size() == 6);
  }

  TEST_CASE("steps out of order are refused and change nothing") {
    Ticket t = new_ticket(repair_draft());
    CHECK(append_step(t, kButler, step(StepKind::Start, kMorning + 1, "s1")) == StepRefusal::NotAllowedInStatus);
    CHECK(append_step(t, kButler, step(StepKind::Done, kMorning + 1, "f1")) == StepRefusal::NotAllowedInStatus);
    CHECK(append_step(t, kButler, return_visit(kMorning + 1, "r1", 4)) == StepRefusal::NotAllowedInStatus);
    CHECK(append_step(t, kButler, step(StepKind::Create, kMorning + 1, "x1")) == StepRefusal::NotAllowedInStatus);
    CHECK(t.timeline.size() == 1);
    CHECK(derive_state(t).status == TicketStatus::New);
  }

  TEST_CASE("a repair cannot be done without being started; an inquiry can be answered on the spot") {
    Ticket repair = new_ticket(repair_draft());
    CHECK(append_step(repair, kButler, step(StepKind::Done, kMorning + 1, "f1")) == StepRefusal::NotAllowedInStatus);
    TicketDraft d = repair_draft();
    d.type = TicketType::Inquiry;
    d.priority = Priority::Normal;
    Ticket inquiry = new_ticket(d);
    take(inquiry, kButler, step(StepKind::Done, kMorning + 1, "f1"));
    CHECK(derive_state(inquiry).status == TicketStatus::Done);
  }

  TEST_CASE("only the owner or a supervisor dispatches; the person dispatched to may start and finish") {
    Ticket t = new_ticket(repair_draft());
    CHECK(append_step(t, kOtherButler, dispatch(kMorning + 1, "d1", "工程部")) == StepRefusal::NotPermitted);
    CHECK(append_step(t, kButler, dispatch(kMorning + 1, "d0", "")) == StepRefusal::DispatchTargetRequired);
    take(t, kSupervisor, dispatch(kMorning + 1, "d1", "工程部", "李管家"));
    take(t, kOtherButler, step(StepKind::Start, kMorning + 2, "s1"));
    CHECK(append_step(t, Actor{"路人", Role::FrontDesk}, step(StepKind::Done, kMorning + 3, "f1")) ==
          StepRefusal::NotPermitted);
    take(t, kOtherButler, step(StepKind::Done, kMorning + 3, "f1"));
    // The return visit is the owner's (or a supervisor's), not the worker's.
    CHECK(append_step(t, kOtherButler, return_visit(kMorning + 4, "r1", 5)) == StepRefusal::NotPermitted);
  }

  TEST_CASE("the owner is whoever recorded it, and stays so through dispatches") {
    Ticket t = new_ticket(repair_draft(), kMorning, kFrontDesk);
    CHECK(t.owner == "前台小陈");
    take(t, kFrontDesk, dispatch(kMorning + 1, "d1", "工程部", "赵师傅"));
    take(t, kSupervisor, dispatch(kMorning + 2, "d2", "保洁部", "钱阿姨"));
    CHECK(t.owner == "前台小陈");
    const TicketState s = derive_state(t);
    CHECK(s.person == "钱阿姨");
    CHECK(s.department == "保洁部");
    // A document that claims another owner is refused on reading.
    nlohmann::json doc = to_json(t);
    doc["owner"] = "周主管";
    CHECK_THROWS_AS(ticket_from_json(doc), std::invalid_argument);
  }

  TEST_CASE("closing without a return visit: refused for a butler, a supervisor must say why") {
    Ticket t = done_repair();
    CHECK(append_step(t, kButler, close(kMorning + 2 * kHour, "c1", "业主不在家")) ==
          StepRefusal::ReturnVisitRequired);
    CHECK(append_step(t, kSupervisor, close(kMorning + 2 * kHour, "c1")) == StepRefusal::ReasonRequired);
    CHECK(derive_state(t).status == TicketStatus::Done);
    take(t, kSupervisor, close(kMorning + 2 * kHour, "c1", "业主连续三次联系不上"));
    const TicketState s = derive_state(t);
    CHECK(s.status == TicketStatus::Closed);
    CHECK(s.closed_without_visit_reason == "业主连续三次联系不上");
    CHECK_FALSE(s.return_visit);
  }

  TEST_CASE("nothing but notes after closing") {
    Ticket t = done_repair();
    take(t, kButler, return_visit(kMorning + 2 * kHour, "r1", 4));
    take(t, kButler, close(kMorning + 3 * kHour, "c1"));
    CHECK(append_step(t, kSupervisor, dispatch(kMorning + 4 * kHour, "d9", "工程部")) ==
          StepRefusal::NotAllowedInStatus);
    CHECK(append_step(t, kSupervisor, close(kMorning + 4 * kHour, "c2", "再关一次")) ==
          StepRefusal::NotAllowedInStatus);
    CHECK(append_step(t, kButler, step(StepKind::Reply, kMorning + 4 * kHour, "p1")) ==
          StepRefusal::NotAllowedInStatus);
    TimelineEntry note = step(StepKind::Note, kMorning + 4 * kHour, "n1");
    note.text = "周会抽查：已确认";
    take(t, kSupervisor, note);
    CHECK(derive_state(t).status == TicketStatus::Closed);
  }

  TEST_CASE("a return visit needs an outcome and a satisfaction of 1 to 5") {
    Ticket t = done_repair();
    CHECK(append_step(t, kButler, return_visit(kMorning + 2 * kHour, "r1", 0)) ==
          StepRefusal::SatisfactionOutOfRange);
    CHECK(append_step(t, kButler, return_visit(kMorning + 2 * kHour, "r1", 6)) ==
          StepRefusal::SatisfactionOutOfRange);
    CHECK(append_step(t, kButler, return_visit(kMorning + 2 * kHour, "r1", 3, "")) == StepRefusal::OutcomeRequired);
    take(t, kButler, return_visit(kMorning + 2 * kHour, "r1", 1, "仍有滴水"));
    CHECK(derive_state(t).return_visit->satisfaction == 1);
  }

  TEST_CASE("a step is stamped after every step already there, and entry ids are unique") {
    Ticket t = new_ticket(repair_draft());
    // This tablet's clock runs an hour behind the one that recorded the ticket.
    take(t, kButler, dispatch(kMorning - kHour, "d1", "工程部"));
    CHECK(t.timeline.back().at_ms == kMorning + 1);
    CHECK(derive_state(t).status == TicketStatus::Dispatched);
    CHECK(append_step(t, kButler, step(StepKind::Start, kMorning + kHour, "d1")) == StepRefusal::DuplicateEntryId);
  }

  TEST_CASE("an agreed reply date is for complaints and lies after the complaint was recorded") {
    Ticket repair = new_ticket(repair_draft());
    TimelineEntry agreed = step(StepKind::AgreeReplyDate, kMorning + 1, "a1");
    agreed.reply_by_ms = kMorning + 2 * kDay;
    CHECK(append_step(repair, kButler, agreed) == StepRefusal::NotAComplaint);
    Ticket complaint = new_ticket(complaint_draft());
    agreed.reply_by_ms = kMorning - 1;
    CHECK(append_step(complaint, kButler, agreed) == StepRefusal::ReplyDateNotAfterCreation);
    agreed.reply_by_ms = kMorning + 2 * kDay;
    take(complaint, kButler, agreed);
    CHECK(derive_state(complaint).reply_by_ms == kMorning + 2 * kDay);
  }

  TEST_CASE("replay ignores steps the state no longer allows, whatever order the timeline is stored in") {
    // As if two tablets had each recorded a return visit and one a close without a visit, and sync had
    // merged them: the earliest applicable step wins, the others are kept but superseded.
    Ticket t = done_repair();
    t.timeline.push_back(close(kMorning + 3 * kHour, "c-supervisor", "联系不上"));
    t.timeline.back().by = kSupervisor.name;
    t.timeline.back().role = Role::Supervisor;
    t.timeline.push_back(return_visit(kMorning + 2 * kHour, "r-b", 4, "满意"));
    t.timeline.back().by = kButler.name;
    t.timeline.push_back(return_visit(kMorning + 2 * kHour, "r-a", 2, "一般"));
    t.timeline.back().by = kButler.name;
    Ticket reversed = t;
    std::reverse(reversed.timeline.begin(), reversed.timeline.end());
    for (const Ticket* ticket : {&t, &reversed}) {
      const TicketState s = derive_state(*ticket);
      CHECK(s.status == TicketStatus::Closed);
      REQUIRE(s.return_visit);
      CHECK(s.return_visit->outcome == "一般");  // "r-a" sorts before "r-b" at the same instant
      // The close came after a return visit, so it is an ordinary close, not one without a visit.
      CHECK(s.closed_without_visit_reason.empty());
      CHECK(s.superseded == std::vector<std::string>{"r-b"});
    }
  }
}
