// The supervisor's service targets (服务指标): repair timeliness, return-visit rate, complaint handling and
// satisfaction for a day, a week or a month, for the whole site or one person, each against its target, with
// bars, a trend over the last periods, the tickets that pull the chosen figure down (a tap opens one), the
// figures per person, and the CSV downloads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/ticket_targets.hpp"

namespace steward::ui {

struct AppState;

struct TargetsScreen {
  core::PeriodKind kind = core::PeriodKind::Week;
  int periods_back = 0;    // 0: the period containing today; 1: the one before …
  core::Figure figure = core::Figure::RepairTimeliness;  // whose trend and items are shown
  std::string person;      // empty: the whole site
  std::string message;     // what the last download did
  // Derived from the tickets, rebuilt when they change, a minute passes, or the choices above change.
  uint64_t cached_version = ~0ull;
  int64_t cached_minute = -1;
  core::PeriodKind cached_kind = core::PeriodKind::Day;
  int cached_periods_back = -1;
  std::vector<core::Period> periods;             // the trend, oldest first; the last is the period shown
  std::vector<core::Targets> site;               // per period
  std::vector<core::PersonTargets> people;       // per person, per period
};

void draw_targets(AppState& app);

}  // namespace steward::ui
