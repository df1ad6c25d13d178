// Visits as a log: repeat-visit history, local days and times, the day's list and its summary.
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/visit.hpp"

namespace steward::core {

namespace {

using namespace std::chrono;

// The site's wall-clock time as a time_point, for a fixed offset (China has no daylight saving).
sys_time<milliseconds> local_time_point(int64_t epoch_ms, int utc_offset_minutes) {
  return sys_time<milliseconds>{milliseconds{epoch_ms} + minutes{utc_offset_minutes}};
}

}  // namespace

VisitHistory history_for_phone(const std::vector<Visit>& visits, std::string_view normalized_phone) {
  VisitHistory h;
  if (normalized_phone.empty()) return h;
  int highest_number = 0;
  for (const Visit& v : visits) {
    if (v.phone != normalized_phone) continue;
    ++h.previous_visits;
    highest_number = std::max(highest_number, v.visit_number);
    if (!h.last || v.arrived_ms > h.last->arrived_ms) h.last = &v;
  }
  // Usually previous_visits + 1. The highest recorded number wins when it is larger, so numbering never
  // goes backwards if older visits are missing from the list the caller passed (e.g. not yet synced).
  h.next_visit_number = std::max(h.previous_visits, highest_number) + 1;
  return h;
}

std::string local_day(int64_t epoch_ms, int utc_offset_minutes) {
  // floor (not truncation) so that instants before 1970 land on the right day.
  const year_month_day ymd{floor<days>(local_time_point(epoch_ms, utc_offset_minutes))};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string local_time_hhmm(int64_t epoch_ms, int utc_offset_minutes) {
  const auto t = local_time_point(epoch_ms, utc_offset_minutes);
  const hh_mm_ss hms{t - floor<days>(t)};
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()));
  return buf;
}

int64_t waiting_minutes(const Visit& v, int64_t now_ms) {
  int64_t until = now_ms;
  if (v.received_ms != 0) {
    until = v.received_ms;
  } else if (v.left_ms != 0) {
    until = v.left_ms;  // left without being received: they waited until they gave up
  }
  return std::max<int64_t>(0, (until - v.arrived_ms) / 60'000);
}

std::vector<const Visit*> visits_on_day(const std::vector<Visit>& visits, std::string_view day,
                                        int utc_offset_minutes) {
  std::vector<const Visit*> out;
  // The day as a half-open range of instants, rather than formatting every visit's arrival as a day.
  int y = 0;
  unsigned m = 0, d = 0;
  char rest = 0;
  const std::string day_text(day);
  if (std::sscanf(day_text.c_str(), "%d-%u-%u%c", &y, &m, &d, &rest) != 3) return out;
  const year_month_day ymd{year{y}, month{m}, std::chrono::day{d}};
  if (!ymd.ok()) return out;
  const int64_t begin_ms =
      duration_cast<milliseconds>(sys_days{ymd}.time_since_epoch() - minutes{utc_offset_minutes}).count();
  const int64_t end_ms = begin_ms + duration_cast<milliseconds>(days{1}).count();

  for (const Visit& v : visits) {
    if (v.arrived_ms >= begin_ms && v.arrived_ms < end_ms) out.push_back(&v);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Visit* a, const Visit* b) { return a->arrived_ms > b->arrived_ms; });
  return out;
}

DaySummary summarize(const std::vector<const Visit*>& day_visits) {
  DaySummary s;
  for (const Visit* v : day_visits) {
    ++s.visits;
    s.people += v->party_size;
    ++(v->is_repeat() ? s.repeat_visits : s.first_visits);
    switch (v->status()) {
      case VisitStatus::Waiting: ++s.waiting; break;
      case VisitStatus::WithConsultant: ++s.with_consultant; break;
      case VisitStatus::Left: ++s.left; break;
    }
    const auto it = std::find(kAllChannels.begin(), kAllChannels.end(), v->channel);
    ++s.by_channel[static_cast<size_t>(it - kAllChannels.begin())];
  }
  return s;
}

}  // namespace steward::core
