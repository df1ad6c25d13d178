// The lists a butler lives in: my open items, overdue, waiting for return visit, by building, search.
#include <doctest/doctest.h>

#include "ticket_support.hpp"

using namespace ticket_test;

namespace {

std::vector<std::string> ids(const std::vector<TicketView>& views) {
  std::vector<std::string> out;
  for (const TicketView& v : views) out.push_back(v.ticket->id);
  return out;
}

std::vector<Ticket> a_morning_of_tickets() {
  std::vector<Ticket> tickets;
  tickets.push_back(new_ticket(repair_draft(), kMorning, kButler, "ticket:leak"));  // emergency, not started
  Ticket done = done_repair(kMorning + kHour, "ticket:done");
  tickets.push_back(done);
  TicketDraft c = complaint_draft();
  tickets.push_back(new_ticket(c, kMorning + 2 * kHour, kOtherButler, "ticket:noise"));
  Ticket theirs = new_ticket(repair_draft(), kMorning + 3 * kHour, kOtherButler, "ticket:theirs");
  take(theirs, kOtherButler, dispatch(kMorning + 3 * kHour + 1, "d1", "工程部", kButler.name));
  tickets.push_back(theirs);
  Ticket closed = done_repair(kMorning + 4 * kHour, "ticket:closed");
  take(closed, kButler, return_visit(kMorning + 6 * kHour, "r1", 5));
  take(closed, kButler, close(kMorning + 6 * kHour, "c1"));
  tickets.push_back(closed);
  return tickets;
}

}  // namespace

TEST_SUITE("butler's lists") {
  const int64_t now = kMorning + 8 * kHour;

  TEST_CASE("my open items: owned or dispatched to me, overdue first") {
    const auto tickets = a_morning_of_tickets();
    const auto views = view_tickets(tickets, now);
    CHECK(ids(my_open_items(views, kButler.name)) ==
          std::vector<std::string>{"ticket:leak", "ticket:theirs", "ticket:done"});
    CHECK(ids(my_open_items(views, kOtherButler.name)) == std::vector<std::string>{"ticket:theirs", "ticket:noise"});
  }

  TEST_CASE("overdue, waiting for return visit, by building") {
    const auto tickets = a_morning_of_tickets();
    const auto views = view_tickets(tickets, now);
    // Two emergencies nobody started; soonest due first.
    CHECK(ids(overdue_items(views)) == std::vector<std::string>{"ticket:leak", "ticket:theirs"});
    CHECK(ids(overdue_items(view_tickets(tickets, kMorning + 3 * kHour))) == std::vector<std::string>{"ticket:leak"});
    // The next day the unanswered complaint joins them.
    CHECK(ids(overdue_items(view_tickets(tickets, kMorning + 27 * kHour))) ==
          std::vector<std::string>{"ticket:leak", "ticket:theirs", "ticket:noise"});
    CHECK(ids(waiting_for_return_visit(views)) == std::vector<std::string>{"ticket:done"});
    CHECK(ids(in_building(views, "5栋")) == std::vector<std::string>{"ticket:noise"});
    CHECK(in_building(views, "3栋").size() == 4);
  }

  TEST_CASE("search by words, unit, people and phone digits") {
    const auto tickets = a_morning_of_tickets();
    const auto views = view_tickets(tickets, now);
    CHECK(ids(search(views, "装修")) == std::vector<std::string>{"ticket:noise"});
    CHECK(ids(search(views, "5栋 801")) == std::vector<std::string>{"ticket:noise"});
    CHECK(ids(search(views, "138-0013")) == std::vector<std::string>{"ticket:noise"});
    CHECK(search(views, "工程部").size() == 3);
    CHECK(search(views, "").size() == tickets.size());
    CHECK(search(views, "没有这个词").empty());
  }
}
