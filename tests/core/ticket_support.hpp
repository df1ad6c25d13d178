// Tickets for the ticket tests: a valid draft of each type and a helper that takes a step or fails the test.
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "core/ticket.hpp"

namespace ticket_test {

using namespace steward::core;

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
// 2024-03-15 09:00 in China (01:00 UTC).
constexpr int64_t kMorning = 1710464400000;

inline const Actor kButler{"王管家", Role::Butler};
inline const Actor kOtherButler{"李管家", Role::Butler};
inline const Actor kSupervisor{"周主管", Role::Supervisor};
inline const Actor kFrontDesk{"前台小陈", Role::FrontDesk};

inline TicketDraft repair_draft() {
  TicketDraft d;
  d.type = TicketType::Repair;
  d.building = "3栋";
  d.unit = "1502";
  d.reporter = "张先生";
  d.contact = "139 1234 5678";
  d.category = "水电";
  d.description = "厨房水龙头漏水";
  d.priority = Priority::Emergency;
  return d;
}

inline TicketDraft complaint_draft() {
  TicketDraft d;
  d.type = TicketType::Complaint;
  d.building = "5栋";
  d.unit = "801";
  d.reporter = "刘女士";
  d.contact = "13800138000";
  d.category = "噪音";
  d.description = "楼上装修周末施工";
  d.complaint_level = 2;
  return d;
}

inline Ticket new_ticket(const TicketDraft& d, int64_t at = kMorning, const Actor& recorder = kButler,
                         std::string id = "ticket:0001") {
  return make_ticket(d, std::move(id), "demo", recorder, at, "e-" + std::to_string(at), {});
}

inline TimelineEntry step(StepKind kind, int64_t at, std::string id) {
  TimelineEntry e;
  e.id = std::move(id);
  e.at_ms = at;
  e.kind = kind;
  return e;
}

inline TimelineEntry dispatch(int64_t at, std::string id, std::string department, std::string person = {}) {
  TimelineEntry e = step(StepKind::Dispatch, at, std::move(id));
  e.department = std::move(department);
  e.person = std::move(person);
  return e;
}

inline TimelineEntry return_visit(int64_t at, std::string id, int satisfaction, std::string outcome = "已修好") {
  TimelineEntry e = step(StepKind::ReturnVisit, at, std::move(id));
  e.return_visit = ReturnVisit{std::move(outcome), satisfaction, ""};
  return e;
}

inline TimelineEntry close(int64_t at, std::string id, std::string reason = {}) {
  TimelineEntry e = step(StepKind::Close, at, std::move(id));
  e.text = std::move(reason);
  return e;
}

// Takes the step and fails the test if it is refused.
inline void take(Ticket& t, const Actor& actor, TimelineEntry e) {
  const auto refused = append_step(t, actor, std::move(e));
  REQUIRE_FALSE(refused.has_value());
}

// A repair taken through dispatch, start and done (by the owner, kButler).
inline Ticket done_repair(int64_t at = kMorning, std::string id = "ticket:0001") {
  Ticket t = new_ticket(repair_draft(), at, kButler, std::move(id));
  take(t, kButler, dispatch(at + kMinute, "d1", "工程部", "赵师傅"));
  take(t, kButler, step(StepKind::Start, at + 20 * kMinute, "s1"));
  take(t, kButler, step(StepKind::Done, at + kHour, "f1"));
  return t;
}

}  // namespace ticket_test
