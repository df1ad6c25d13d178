// Service targets over a period of local time, and the CSV exports.
#include "core/ticket_targets.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>

#include "core/csv.hpp"
#include "core/visit.hpp"

namespace steward::core {

namespace {

using namespace std::chrono;

int64_t local_midnight_ms(sys_days day, int utc_offset_minutes) {
  return duration_cast<milliseconds>(day.time_since_epoch() - minutes{utc_offset_minutes}).count();
}

void count(Rate& rate, bool met, const std::string& id) {
  ++rate.counted;
  if (met) {
    ++rate.met;
  } else {
    rate.pulled_down.push_back(id);
  }
}

bool in_scope(const Ticket& t, const TargetScope& scope) {
  return (scope.site.empty() || t.site == scope.site) && (scope.person.empty() || t.owner == scope.person);
}

std::string percent(const Rate& r) {
  const auto v = r.value();
  if (!v) return "无数据";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", *v * 100);
  return buf;
}

std::string local_minute(int64_t ms, int utc_offset_minutes) {
  if (ms == 0) return {};
  return local_day(ms, utc_offset_minutes) + " " + local_time_hhmm(ms, utc_offset_minutes);
}

std::string joined(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) {
    if (!out.empty()) out += ' ';
    out += id;
  }
  return out;
}

constexpr std::array<const char*, kAllTicketTypes.size()> kTypeWords = {"报修", "投诉", "咨询", "建议", "巡查发现"};
constexpr std::array<const char*, kAllTicketStatuses.size()> kStatusWords = {"新建",   "已派工", "处理中",
                                                                             "已完成", "已回访", "已关闭"};
constexpr std::array<const char*, 3> kPriorityWords = {"普通", "急修", "预约"};
constexpr std::array<const char*, 3> kPeriodWords = {"日", "周", "月"};
constexpr std::array<const char*, kAllFigures.size()> kFigureWords = {"维修及时率", "回访率", "有效投诉处理率",
                                                                      "满意率"};

// One ticket's part in one period's figures.
void count_ticket(Targets& targets, const Ticket& t, const TicketState& state, const TicketClock& clock,
                  const Period& period, int64_t now_ms) {
  if (clock.kind == ClockKind::RepairArrival && period.contains(clock.due_ms) && clock.decided_at(now_ms))
    count(targets.repair_timeliness, clock.met_in_time(), t.id);

  if (state.done_ms != 0 && period.contains(state.done_ms) && state.closed_without_visit_reason.empty())
    count(targets.return_visits, state.return_visit.has_value(), t.id);

  if (clock.kind == ClockKind::ComplaintReply && period.contains(t.created_ms) && clock.decided_at(now_ms))
    count(targets.complaint_handling, clock.met_in_time(), t.id);

  if (state.return_visit && period.contains(state.return_visit_ms)) {
    const int score = state.return_visit->satisfaction;
    SatisfactionFigure& s = targets.satisfaction;
    ++s.visits;
    s.total += score;
    count(s.satisfied, score >= 4, t.id);
    if (score <= 3) s.pulled_down.push_back(t.id);
  }
}

}  // namespace

Period period_containing(PeriodKind kind, int64_t at_ms, int utc_offset_minutes) {
  const sys_days day = floor<days>(sys_time<milliseconds>{milliseconds{at_ms} + minutes{utc_offset_minutes}});
  sys_days first = day, after = day + days{1};
  if (kind == PeriodKind::Week) {
    first = day - (weekday{day} - Monday);
    after = first + days{7};
  } else if (kind == PeriodKind::Month) {
    const year_month_day ymd{day};
    const year_month month{ymd.year(), ymd.month()};
    first = sys_days{month / 1};
    after = sys_days{(month + months{1}) / 1};
  }
  Period p;
  p.kind = kind;
  p.begin_ms = local_midnight_ms(first, utc_offset_minutes);
  p.end_ms = local_midnight_ms(after, utc_offset_minutes);
  p.first_day = local_day(p.begin_ms, utc_offset_minutes);
  p.last_day = local_day(p.end_ms - 1, utc_offset_minutes);
  return p;
}

Period previous_period(const Period& p, int utc_offset_minutes) {
  return period_containing(p.kind, p.begin_ms - 1, utc_offset_minutes);
}

std::optional<double> Rate::value() const {
  if (counted == 0) return std::nullopt;
  return static_cast<double>(met) / counted;
}

std::optional<double> SatisfactionFigure::average() const {
  if (visits == 0) return std::nullopt;
  return static_cast<double>(total) / visits;
}

Targets compute_targets(const std::vector<Ticket>& tickets, const Period& period, int64_t now_ms,
                        const TargetScope& scope) {
  return compute_targets(tickets, std::vector<Period>{period}, now_ms, scope).front();
}

std::vector<Targets> compute_targets(const std::vector<Ticket>& tickets, const std::vector<Period>& periods,
                                     int64_t now_ms, const TargetScope& scope) {
  std::vector<Targets> out(periods.size());
  for (const Ticket& t : tickets) {
    if (!in_scope(t, scope)) continue;
    const TicketState state = derive_state(t);
    const TicketClock clock = ticket_clock(t, state);
    for (size_t i = 0; i < periods.size(); ++i) count_ticket(out[i], t, state, clock, periods[i], now_ms);
  }
  return out;
}

std::vector<PersonTargets> compute_targets_by_person(const std::vector<Ticket>& tickets, const std::string& site,
                                                     const std::vector<Period>& periods, int64_t now_ms) {
  std::map<std::string, std::vector<Targets>> by_person;
  for (const Ticket& t : tickets) {
    if (t.site != site) continue;
    std::vector<Targets>& theirs = by_person[t.owner];
    if (theirs.empty()) theirs.resize(periods.size());
    const TicketState state = derive_state(t);
    const TicketClock clock = ticket_clock(t, state);
    for (size_t i = 0; i < periods.size(); ++i) count_ticket(theirs[i], t, state, clock, periods[i], now_ms);
  }
  std::vector<PersonTargets> out;
  for (auto& [person, figures] : by_person) out.push_back({person, std::move(figures)});
  return out;
}

std::vector<Period> periods_until(PeriodKind kind, int64_t at_ms, int count, int utc_offset_minutes) {
  std::vector<Period> out;
  if (count <= 0) return out;
  out.push_back(period_containing(kind, at_ms, utc_offset_minutes));
  while ((int)out.size() < count) out.push_back(previous_period(out.back(), utc_offset_minutes));
  std::reverse(out.begin(), out.end());
  return out;
}

double figure_target(Figure f) {
  switch (f) {
    case Figure::RepairTimeliness: return 0.95;
    case Figure::ReturnVisits: return 1.0;
    case Figure::ComplaintHandling: return 1.0;
    case Figure::Satisfaction: return 0.95;
  }
  return 1.0;
}

const Rate& figure_rate(const Targets& t, Figure f) {
  switch (f) {
    case Figure::RepairTimeliness: return t.repair_timeliness;
    case Figure::ReturnVisits: return t.return_visits;
    case Figure::ComplaintHandling: return t.complaint_handling;
    case Figure::Satisfaction: return t.satisfaction.satisfied;
  }
  return t.repair_timeliness;
}

std::optional<bool> meets_target(const Targets& t, Figure f) {
  const Rate& rate = figure_rate(t, f);
  if (!rate.value()) return std::nullopt;
  // Compared in whole counts, so 19 of 20 (exactly 95%) meets ≥ 95% whatever the floating point says.
  return static_cast<double>(rate.met) >= figure_target(f) * rate.counted - 1e-9;
}

std::optional<Shortfall> shortfall(Figure f, const Ticket& t, int64_t now_ms) {
  const TicketState state = derive_state(t);
  const TicketClock clock = ticket_clock(t, state);
  const auto clock_shortfall = [&](ClockKind kind) -> std::optional<Shortfall> {
    if (clock.kind != kind || clock.met_in_time()) return std::nullopt;
    if (clock.met_ms != 0) return Shortfall{ShortfallKind::Late, clock.met_ms - clock.due_ms, 0};
    if (now_ms > clock.due_ms) return Shortfall{ShortfallKind::NotDone, now_ms - clock.due_ms, 0};
    return std::nullopt;
  };
  switch (f) {
    case Figure::RepairTimeliness: return clock_shortfall(ClockKind::RepairArrival);
    case Figure::ComplaintHandling: return clock_shortfall(ClockKind::ComplaintReply);
    case Figure::ReturnVisits:
      if (state.done_ms != 0 && !state.return_visit && state.closed_without_visit_reason.empty())
        return Shortfall{ShortfallKind::NoReturnVisit, 0, 0};
      return std::nullopt;
    case Figure::Satisfaction:
      if (state.return_visit && state.return_visit->satisfaction <= 3)
        return Shortfall{ShortfallKind::LowScore, 0, state.return_visit->satisfaction};
      return std::nullopt;
  }
  return std::nullopt;
}

std::vector<std::string> ticket_owners(const std::vector<Ticket>& tickets, const std::string& site) {
  std::set<std::string> owners;
  for (const Ticket& t : tickets)
    if (t.site == site) owners.insert(t.owner);
  return {owners.begin(), owners.end()};
}

std::string tickets_csv(const std::vector<Ticket>& tickets, int64_t now_ms, int utc_offset_minutes) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"工单号", "类型", "状态", "楼栋", "房号", "位置", "报事人", "联系电话", "类别", "描述", "优先级",
                  "预约时间", "投诉等级", "首接人", "派往部门", "处理人", "登记时间", "时限", "超时", "完成时间",
                  "回访满意度", "回访结果", "关闭说明", "重复次数"});
  for (const Ticket& t : tickets) {
    const TicketState s = derive_state(t);
    const TicketClock clock = ticket_clock(t, s);
    rows.push_back({
        t.id,
        kTypeWords.at(static_cast<size_t>(t.type)),
        kStatusWords.at(static_cast<size_t>(s.status)),
        t.building,
        t.unit,
        t.place,
        t.reporter,
        mask_phone(t.contact),
        t.category,
        t.description,
        kPriorityWords.at(static_cast<size_t>(t.priority)),
        local_minute(t.appointment_ms, utc_offset_minutes),
        t.complaint_level ? std::to_string(t.complaint_level) + "级" : "",
        t.owner,
        s.department,
        s.person,
        local_minute(t.created_ms, utc_offset_minutes),
        clock.kind == ClockKind::None ? "" : local_minute(clock.due_ms, utc_offset_minutes),
        clock.overdue_at(now_ms) ? "是" : "",
        local_minute(s.done_ms, utc_offset_minutes),
        s.return_visit ? std::to_string(s.return_visit->satisfaction) : "",
        s.return_visit ? s.return_visit->outcome : "",
        s.closed_without_visit_reason,
        t.repeat_count ? std::to_string(t.repeat_count) : "",
    });
  }
  return csv::document(rows);
}

std::string targets_csv(const std::vector<TargetsRow>& rows) {
  std::vector<std::vector<std::string>> out;
  out.push_back({"范围", "周期", "开始日期", "结束日期", "指标", "目标", "达标", "统计", "结果", "是否达标",
                 "拉低指标的工单"});
  for (const TargetsRow& row : rows) {
    const std::string period_word = kPeriodWords.at(static_cast<size_t>(row.period.kind));
    const Targets& t = row.targets;
    for (const Figure f : kAllFigures) {
      const Rate& r = figure_rate(t, f);
      const std::optional<bool> meets = meets_target(t, f);
      const char* target = figure_target(f) >= 1.0 ? "100%" : "≥95%";
      out.push_back({row.scope, period_word, row.period.first_day, row.period.last_day,
                     kFigureWords.at(static_cast<size_t>(f)), target, std::to_string(r.met),
                     std::to_string(r.counted), percent(r), !meets ? "无数据" : *meets ? "达标" : "未达标",
                     joined(r.pulled_down)});
    }
    char average[16] = "无数据";
    if (const auto a = t.satisfaction.average()) std::snprintf(average, sizeof average, "%.2f", *a);
    out.push_back({row.scope, period_word, row.period.first_day, row.period.last_day, "平均满意度(1-5)", "",
                   std::to_string(t.satisfaction.total), std::to_string(t.satisfaction.visits), average, "",
                   joined(t.satisfaction.pulled_down)});
  }
  return csv::document(out);
}

}  // namespace steward::core
