// The service targets a supervisor is measured on (domain.md), computed from tickets for a day, a week or a
// month of the site's local time, per site and per person; and their export as CSV.
//
// Definitions (domain.md names the targets; where it is silent the choice is written here):
//   repair timeliness (维修及时率): tickets with a repair clock (emergency or scheduled, ticket_clock) whose due
//     time falls in the period and that are decided at `now` (started, or past due); met = started by the due
//     time. A repair due later and not yet started is not counted yet.
//   return-visit rate (回访率): tickets whose Done step falls in the period; met = return-visited. A ticket a
//     supervisor closed without a visit, giving a reason, is excused (not counted): that is the one sanctioned
//     exception. Done and still waiting for the visit counts against the rate.
//   complaint handling rate (有效投诉处理率): complaints recorded in the period and decided at `now`; met =
//     answered (a Reply or Done step) by the 24-hour deadline or the reply date agreed in time.
//   satisfaction: return visits made in the period: the average of 1–5, and the share satisfied (4 or 5), which
//     is what "satisfaction ≥ 95%" measures.
// Person = the ticket's owner (首接责任制: the owner answers for it). An empty period gives no value (nullopt),
// never 0% or a division by zero.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ticket.hpp"

namespace steward::core {

enum class PeriodKind { Day, Week, Month };

// A half-open range of instants: local midnight to local midnight. Weeks start on Monday (the supervisor's
// Monday meeting reviews the week before).
struct Period {
  PeriodKind kind = PeriodKind::Day;
  int64_t begin_ms = 0;
  int64_t end_ms = 0;
  std::string first_day;  // "YYYY-MM-DD", local
  std::string last_day;
  bool contains(int64_t ms) const { return ms >= begin_ms && ms < end_ms; }
};
Period period_containing(PeriodKind kind, int64_t at_ms, int utc_offset_minutes);
// The period before (yesterday, last week, last month).
Period previous_period(const Period& p, int utc_offset_minutes);

struct Rate {
  int met = 0;
  int counted = 0;
  std::vector<std::string> pulled_down;  // ids of the counted tickets that did not meet it
  std::optional<double> value() const;   // met / counted, in 0..1; nullopt when nothing was counted
};

struct SatisfactionFigure {
  int visits = 0;
  int total = 0;  // sum of the scores
  Rate satisfied;  // 4 or 5 out of the visits
  std::vector<std::string> pulled_down;  // scores of 3 or less
  std::optional<double> average() const;
};

struct Targets {
  Rate repair_timeliness;
  Rate return_visits;
  Rate complaint_handling;
  SatisfactionFigure satisfaction;
};

// Empty site or person: all.
struct TargetScope {
  std::string site;
  std::string person;
};

Targets compute_targets(const std::vector<Ticket>& tickets, const Period& period, int64_t now_ms,
                        const TargetScope& scope = {});
// The same for many periods in one pass over the tickets (each ticket's state derived once): result[i] is for
// periods[i]. What a screen with a trend and a per-person table needs without deriving 5,000 tickets ten times.
std::vector<Targets> compute_targets(const std::vector<Ticket>& tickets, const std::vector<Period>& periods,
                                     int64_t now_ms, const TargetScope& scope = {});
// Per owner of the site's tickets (sorted by name), for each of `periods`, in one pass.
struct PersonTargets {
  std::string person;
  std::vector<Targets> periods;
};
std::vector<PersonTargets> compute_targets_by_person(const std::vector<Ticket>& tickets, const std::string& site,
                                                     const std::vector<Period>& periods, int64_t now_ms);

// The `count` periods of `kind` up to and including the one containing `at_ms`, oldest first (a trend).
std::vector<Period> periods_until(PeriodKind kind, int64_t at_ms, int count, int utc_offset_minutes);

// ---- the figures against their targets (domain.md) ------------------------------------------------------------
enum class Figure { RepairTimeliness, ReturnVisits, ComplaintHandling, Satisfaction };
inline constexpr std::array<Figure, 4> kAllFigures = {Figure::RepairTimeliness, Figure::ReturnVisits,
                                                      Figure::ComplaintHandling, Figure::Satisfaction};
// 维修及时率 ≥ 95%, 回访率 100%, 有效投诉处理率 100%, 满意率 ≥ 95% (the complainant satisfaction target, held
// to every return visit's score).
double figure_target(Figure f);
// The rate a figure is: satisfaction is the share of satisfied return visits.
const Rate& figure_rate(const Targets& t, Figure f);
// Whether the figure reaches its target; nullopt when the period has no data for it.
std::optional<bool> meets_target(const Targets& t, Figure f);

// Why a ticket pulls a figure down, for the supervisor's list of items to chase.
enum class ShortfallKind {
  NotDone,      // its clock ran out and the step it waits for has not happened (not started / not answered)
  Late,         // done, but after the due time
  NoReturnVisit,  // done, no return visit
  LowScore,     // a return visit scored 3 or less
};
struct Shortfall {
  ShortfallKind kind = ShortfallKind::NotDone;
  int64_t late_ms = 0;  // NotDone: how long past due at now; Late: by how much
  int score = 0;        // LowScore
};
// For a ticket listed in the figure's pulled_down; nullopt if the ticket does not pull it down at now.
std::optional<Shortfall> shortfall(Figure f, const Ticket& t, int64_t now_ms);

// The people who own tickets of a site, for the per-person table, sorted by name.
std::vector<std::string> ticket_owners(const std::vector<Ticket>& tickets, const std::string& site);

// ---- CSV for Excel -----------------------------------------------------------------------------------------
// UTF-8 with a BOM (so Excel reads Chinese as UTF-8), RFC 4180 quoting, CRLF line ends. Headers and words are in
// Chinese: the export goes to Chinese supervisors' spreadsheets. Contact phones are masked (138****8000): phone
// numbers are never disclosed (domain.md), and masked they stay text in Excel rather than turning into 1.38E+10.
std::string tickets_csv(const std::vector<Ticket>& tickets, int64_t now_ms, int utc_offset_minutes);

struct TargetsRow {
  std::string scope;  // e.g. the site's name or a person's
  Period period;
  Targets targets;
};
// One line per scope, period and figure (and the average score): 范围, 周期, 开始日期, 结束日期, 指标, 目标,
// 达标, 统计, 结果, 是否达标, 拉低指标的工单. An empty period says 无数据 in both the result and the verdict.
std::string targets_csv(const std::vector<TargetsRow>& rows);

}  // namespace steward::core
