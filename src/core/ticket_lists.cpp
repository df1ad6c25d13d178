// The ticket's clocks and the lists a butler works from.
#include <algorithm>

#include "core/ticket.hpp"

namespace steward::core {

TicketClock ticket_clock(const Ticket& t, const TicketState& state) {
  TicketClock clock;
  if (t.type == TicketType::Complaint) {
    clock.kind = ClockKind::ComplaintReply;
    clock.due_ms = state.reply_by_ms != 0 ? state.reply_by_ms : t.created_ms + kComplaintReplyMs;
    clock.met_ms = state.first_reply_ms;
  } else if (t.priority == Priority::Emergency) {
    clock.kind = ClockKind::RepairArrival;
    clock.due_ms = t.created_ms + kEmergencyArrivalMinutes * 60'000;
    clock.met_ms = state.started_ms;
  } else if (t.priority == Priority::Scheduled) {
    clock.kind = ClockKind::RepairArrival;
    clock.due_ms = t.appointment_ms;
    clock.met_ms = state.started_ms;
  }
  // Closing without the awaited step (a supervisor's decision) stops the clock where it stood.
  if (clock.kind != ClockKind::None && clock.met_ms == 0 && state.closed_ms != 0 && state.closed_ms <= clock.due_ms)
    clock.met_ms = state.closed_ms;
  return clock;
}

bool is_overdue(const Ticket& t, const TicketState& state, int64_t now_ms) {
  if (state.status == TicketStatus::Closed) return false;
  const TicketClock clock = ticket_clock(t, state);
  return clock.kind != ClockKind::None && clock.met_ms == 0 && now_ms > clock.due_ms;
}

std::vector<TicketView> view_tickets(const std::vector<Ticket>& tickets, int64_t now_ms) {
  std::vector<TicketView> views;
  views.reserve(tickets.size());
  for (const Ticket& t : tickets) {
    TicketState state = derive_state(t);
    const TicketClock clock = ticket_clock(t, state);
    const bool overdue = is_overdue(t, state, now_ms);
    views.push_back(TicketView{&t, std::move(state), clock, overdue});
  }
  sort_for_attention(views);
  return views;
}

void sort_for_attention(std::vector<TicketView>& views) {
  std::sort(views.begin(), views.end(), [](const TicketView& a, const TicketView& b) {
    if (a.overdue != b.overdue) return a.overdue;
    if (a.overdue && a.clock.due_ms != b.clock.due_ms) return a.clock.due_ms < b.clock.due_ms;
    const bool a_open = a.state.status != TicketStatus::Closed, b_open = b.state.status != TicketStatus::Closed;
    if (a_open != b_open) return a_open;
    if (a.ticket->created_ms != b.ticket->created_ms) return a.ticket->created_ms > b.ticket->created_ms;
    return a.ticket->id < b.ticket->id;
  });
}

namespace {

template <class Keep>
std::vector<TicketView> keep_if(const std::vector<TicketView>& views, Keep keep) {
  std::vector<TicketView> out;
  for (const TicketView& v : views)
    if (keep(v)) out.push_back(v);
  return out;  // a subsequence of an attention-sorted list is attention-sorted
}

}  // namespace

std::vector<TicketView> my_open_items(const std::vector<TicketView>& views, std::string_view person) {
  return keep_if(views, [&](const TicketView& v) {
    return v.state.status != TicketStatus::Closed && (v.ticket->owner == person || v.state.person == person);
  });
}

std::vector<TicketView> overdue_items(const std::vector<TicketView>& views) {
  return keep_if(views, [](const TicketView& v) { return v.overdue; });
}

std::vector<TicketView> waiting_for_return_visit(const std::vector<TicketView>& views) {
  return keep_if(views, [](const TicketView& v) { return v.state.status == TicketStatus::Done; });
}

std::vector<TicketView> in_building(const std::vector<TicketView>& views, std::string_view building) {
  return keep_if(views, [&](const TicketView& v) { return v.ticket->building == building; });
}

std::vector<TicketView> search(const std::vector<TicketView>& views, std::string_view query) {
  return keep_if(views, [&](const TicketView& v) { return matches_search(*v.ticket, v.state, query); });
}

}  // namespace steward::core
