// ImVec2 arithmetic for the cards and the chart (imgui_internal.h defines it when asked, before any include).
#define IMGUI_DEFINE_MATH_OPERATORS
#include "ui/targets_screen.hpp"

#include <algorithm>
#include <cfloat>
#include <cstdio>

#include "imgui.h"
#include "imgui_internal.h"
#include "ui/app.hpp"
#include "ui/test_hook.hpp"
#include "ui/widgets.hpp"

namespace steward::ui {
namespace {

constexpr int kTrendPeriods = 8;
constexpr int64_t kMinuteMs = 60'000;

void refresh(AppState& app) {
  TargetsScreen& s = app.targets;
  const int64_t now = app.host.now_ms();
  const int64_t minute = now / kMinuteMs;
  if (s.cached_version == app.ops->version() && s.cached_minute == minute && s.cached_kind == s.kind &&
      s.cached_periods_back == s.periods_back)
    return;
  const int offset = app.site.utc_offset_minutes;
  core::Period shown = core::period_containing(s.kind, now, offset);
  for (int i = 0; i < s.periods_back; ++i) shown = core::previous_period(shown, offset);
  s.periods = core::periods_until(s.kind, shown.begin_ms, kTrendPeriods, offset);
  const std::vector<core::Ticket>& tickets = app.ops->tickets();
  s.site = core::compute_targets(tickets, s.periods, now, core::TargetScope{app.site.id, ""});
  s.people = core::compute_targets_by_person(tickets, app.site.id, s.periods, now);
  s.cached_version = app.ops->version();
  s.cached_minute = minute;
  s.cached_kind = s.kind;
  s.cached_periods_back = s.periods_back;
}

// The chosen scope's figures, per period: the whole site, or one person's.
const std::vector<core::Targets>& scoped(const TargetsScreen& s) {
  for (const core::PersonTargets& p : s.people)
    if (p.person == s.person) return p.periods;
  return s.site;
}

std::string percent_text(const core::Rate& r) {
  const auto v = r.value();
  if (!v) return tr(S::NoData);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", *v * 100);
  return buf;
}

const char* target_text(core::Figure f) { return core::figure_target(f) >= 1.0 ? "100%" : "≥95%"; }

ImVec4 verdict_color(const core::Targets& t, core::Figure f) {
  const std::optional<bool> meets = core::meets_target(t, f);
  return !meets ? kMuted : *meets ? kGood : kDanger;
}

std::string period_label(const core::Period& p) {
  return p.kind == core::PeriodKind::Month ? p.first_day.substr(0, 7) : p.first_day.substr(5);
}

// A figure as a card: its name, the value against the target, the counts, and a bar with the target marked.
// Returns true when tapped (the card becomes the one whose trend and items are shown).
bool figure_card(const core::Targets& t, core::Figure f, bool selected, const ImVec2& size) {
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  ImGui::BeginGroup();
  ImGui::PushID((int)f);
  const bool tapped = ImGui::InvisibleButton("##card", size);
  ImGui::PopID();
  tracked_item(figure_name(f));
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float rounding = px(10);
  draw->AddRectFilled(pos, pos + size, ImGui::GetColorU32(ImVec4(1, 1, 1, 1)), rounding);
  draw->AddRect(pos, pos + size, ImGui::GetColorU32(selected ? kAccent : ImGui::GetStyleColorVec4(ImGuiCol_Border)),
                rounding, 0, selected ? px(3) : px(1));

  const core::Rate& rate = core::figure_rate(t, f);
  const ImVec4 color = verdict_color(t, f);
  const float pad = px(16);
  ImGui::SetCursorScreenPos(pos + ImVec2(pad, px(12)));
  tracked_text(figure_name(f));
  ImGui::SetCursorScreenPos(pos + ImVec2(pad, px(42)));
  ImGui::PushFont(heading_font());
  colored_text(color, percent_text(rate).c_str());
  ImGui::PopFont();
  char buf[96];
  const float right = size.x - pad;
  std::snprintf(buf, sizeof buf, tr(S::TargetFmt), target_text(f));
  ImGui::SetCursorScreenPos(pos + ImVec2(right - ImGui::CalcTextSize(buf).x, px(12)));
  colored_text(kMuted, buf);
  std::snprintf(buf, sizeof buf, tr(S::MetOfCountedFmt), rate.met, rate.counted);
  ImGui::SetCursorScreenPos(pos + ImVec2(right - ImGui::CalcTextSize(buf).x, px(46)));
  colored_text(kMuted, buf);
  if (f == core::Figure::Satisfaction) {
    if (const auto average = t.satisfaction.average()) {
      std::snprintf(buf, sizeof buf, tr(S::AverageScoreFmt), *average);
      ImGui::SetCursorScreenPos(pos + ImVec2(right - ImGui::CalcTextSize(buf).x, px(76)));
      colored_text(kMuted, buf);
    }
  }

  // The bar: the value filled in, the target as a tick across it; nothing filled when there is no data.
  const ImVec2 track_min = pos + ImVec2(pad, size.y - px(28)), track_max = pos + ImVec2(size.x - pad, size.y - px(16));
  draw->AddRectFilled(track_min, track_max, ImGui::GetColorU32(ImVec4(0.92f, 0.93f, 0.94f, 1)), px(4));
  if (const auto v = rate.value()) {
    const float fill = track_min.x + (track_max.x - track_min.x) * (float)*v;
    if (*v > 0) draw->AddRectFilled(track_min, ImVec2(fill, track_max.y), ImGui::GetColorU32(color), px(4));
  }
  const float target_x = track_min.x + (track_max.x - track_min.x) * (float)core::figure_target(f);
  draw->AddLine(ImVec2(target_x, track_min.y - px(5)), ImVec2(target_x, track_max.y + px(5)),
                ImGui::GetColorU32(ImGuiCol_Text), px(2));

  ImGui::SetCursorScreenPos(pos);
  ImGui::Dummy(size);
  ImGui::EndGroup();
  return tapped;
}

// The chosen figure over the last periods, oldest on the left: a bar per period (no bar and 无数据 when the
// period had nothing to count), the target as a dashed line. A tap on a period shows that period.
void draw_trend(AppState& app, const std::vector<core::Targets>& figures, const ImVec2& size) {
  TargetsScreen& s = app.targets;
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(pos, pos + size, ImGui::GetColorU32(ImVec4(1, 1, 1, 1)), px(10));
  draw->AddRect(pos, pos + size, ImGui::GetColorU32(ImGuiCol_Border), px(10));
  char buf[128];
  std::snprintf(buf, sizeof buf, tr(S::TrendTitleFmt), figure_name(s.figure), (int)s.periods.size());
  ImGui::SetCursorScreenPos(pos + ImVec2(px(16), px(12)));
  tracked_text(buf);

  ImFont* font = ImGui::GetFont();
  const float small = ImGui::GetFontSize() * 0.8f;
  const float top = pos.y + px(64), bottom = pos.y + size.y - px(40);
  const float left = pos.x + px(16), right = pos.x + size.x - px(16);
  const int n = (int)s.periods.size();
  if (n == 0) return;
  const float slot = (right - left) / n;
  const auto y_of = [&](double v) { return bottom - (bottom - top) * (float)v; };
  draw->AddLine(ImVec2(left, bottom), ImVec2(right, bottom), ImGui::GetColorU32(ImGuiCol_Border), px(1));
  // The target, dashed.
  const float target_y = y_of(core::figure_target(s.figure));
  for (float x = left; x < right; x += px(12))
    draw->AddLine(ImVec2(x, target_y), ImVec2(std::min(x + px(6), right), target_y), ImGui::GetColorU32(kMuted), px(1.5f));

  for (int i = 0; i < n; ++i) {
    const core::Targets& t = figures[i];
    const core::Rate& rate = core::figure_rate(t, s.figure);
    const bool shown = i == n - 1;
    const float x0 = left + slot * i, cx = x0 + slot / 2;
    const std::string value = percent_text(rate);
    if (const auto v = rate.value()) {
      const float bar_w = std::min(slot * 0.6f, px(48));
      const ImVec4 c = verdict_color(t, s.figure);
      draw->AddRectFilled(ImVec2(cx - bar_w / 2, std::min(y_of(*v), bottom - px(2))), ImVec2(cx + bar_w / 2, bottom),
                          ImGui::GetColorU32(ImVec4(c.x, c.y, c.z, shown ? 1.0f : 0.55f)), px(3));
      const ImVec2 vs = font->CalcTextSizeA(small, FLT_MAX, 0, value.c_str());
      draw->AddText(font, small, ImVec2(cx - vs.x / 2, y_of(*v) - vs.y - px(4)), ImGui::GetColorU32(ImGuiCol_Text),
                    value.c_str());
    } else {
      const ImVec2 vs = font->CalcTextSizeA(small, FLT_MAX, 0, value.c_str());
      draw->AddText(font, small, ImVec2(cx - vs.x / 2, bottom - vs.y - px(6)), ImGui::GetColorU32(kMuted), value.c_str());
    }
    const std::string label = period_label(s.periods[i]);
    const ImVec2 ls = font->CalcTextSizeA(small, FLT_MAX, 0, label.c_str());
    draw->AddText(font, small, ImVec2(cx - ls.x / 2, bottom + px(8)),
                  ImGui::GetColorU32(shown ? kAccent : kMuted), label.c_str());
    // The slot is a target of its own: a tap there shows that period.
    ImGui::SetCursorScreenPos(ImVec2(x0, top - px(24)));
    ImGui::PushID(i);
    if (ImGui::InvisibleButton("##period", ImVec2(slot, bottom - top + px(56)))) s.periods_back += n - 1 - i;
    ImGui::PopID();
    tracked_item((label + " · " + value).c_str());
  }
  ImGui::SetCursorScreenPos(pos);
  ImGui::Dummy(size);
}

std::string location_of(const core::Ticket& t) {
  std::string s = t.building;
  for (const std::string* part : {&t.unit, &t.place})
    if (!part->empty()) s += (s.empty() ? "" : " ") + *part;
  return s;
}

std::string shortfall_text(const core::Shortfall& f) {
  char buf[128];
  switch (f.kind) {
    case core::ShortfallKind::NotDone:
      std::snprintf(buf, sizeof buf, tr(S::ShortfallNotDoneFmt), format_duration(f.late_ms).c_str());
      return buf;
    case core::ShortfallKind::Late:
      std::snprintf(buf, sizeof buf, tr(S::ShortfallLateFmt), format_duration(f.late_ms).c_str());
      return buf;
    case core::ShortfallKind::NoReturnVisit: return tr(S::ShortfallNoVisit);
    case core::ShortfallKind::LowScore:
      std::snprintf(buf, sizeof buf, tr(S::ShortfallScoreFmt), f.score);
      return buf;
  }
  return {};
}

void open_ticket(AppState& app, const std::string& id) {
  app.tab = Tab::Tickets;
  app.tickets.creating = false;
  app.tickets.open_id = id;
  app.tickets.back_to = Tab::Targets;
  app.tickets.message.clear();
}

// The tickets that pull the chosen figure down in the shown period, each with why; a tap opens it.
void draw_pulled_down(AppState& app, const core::Targets& shown, float width) {
  TargetsScreen& s = app.targets;
  const std::vector<std::string>& ids = core::figure_rate(shown, s.figure).pulled_down;
  char buf[160];
  std::snprintf(buf, sizeof buf, tr(S::PulledDownFmt), figure_name(s.figure), (int)ids.size());
  ImGui::PushFont(heading_font());
  tracked_text(buf);
  ImGui::PopFont();
  if (ids.empty()) {
    colored_text(kMuted, tr(S::NothingPullsDown));
    return;
  }
  const int64_t now = app.host.now_ms();
  ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0, 0.5f));
  ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(1, 1, 1, 1));
  for (const std::string& id : ids) {
    const core::Ticket* t = app.ops->find_ticket(id);
    if (!t) continue;
    const std::optional<core::Shortfall> why = core::shortfall(s.figure, *t, now);
    std::string label = std::string(ticket_type_name(t->type)) + " · " + location_of(*t) + " · " + t->category;
    if (why) label += " · " + shortfall_text(*why);
    label += " · " + t->owner + "##" + t->id;
    ImGui::PushStyleColor(ImGuiCol_Text, kDanger);
    if (ImGui::Button(label.c_str(), ImVec2(width, px(52)))) open_ticket(app, t->id);
    ImGui::PopStyleColor();
  }
  ImGui::PopStyleColor();
  ImGui::PopStyleVar();
}

// Everyone's figures for the shown period; a tap on a name shows that person's.
void draw_people(AppState& app, float width) {
  TargetsScreen& s = app.targets;
  ImGui::PushFont(heading_font());
  tracked_text(tr(S::ByPerson));
  ImGui::PopFont();
  if (s.people.empty()) {
    colored_text(kMuted, tr(S::NoData));
    return;
  }
  if (!ImGui::BeginTable("##people", 1 + (int)core::kAllFigures.size(),
                         ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp,
                         ImVec2(width, 0)))
    return;
  ImGui::TableSetupColumn(tr(S::ColPerson), ImGuiTableColumnFlags_WidthStretch, 1.3f);
  for (const core::Figure f : core::kAllFigures)
    ImGui::TableSetupColumn(figure_name(f), ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableHeadersRow();
  for (const core::PersonTargets& p : s.people) {
    const core::Targets& t = p.periods.back();
    ImGui::TableNextRow(0, px(52));
    ImGui::TableNextColumn();
    if (toggle_button(p.person.c_str(), s.person == p.person, ImVec2(-FLT_MIN, px(44))))
      s.person = s.person == p.person ? std::string() : p.person;
    for (const core::Figure f : core::kAllFigures) {
      ImGui::TableNextColumn();
      ImGui::SetCursorPosY(ImGui::GetCursorPosY() + px(10));
      const std::string value = percent_text(core::figure_rate(t, f));
      colored_text(verdict_color(t, f), value.c_str());
    }
  }
  ImGui::EndTable();
}

// The figures of the trend's periods, the site's then each person's, one line per figure (targets_csv).
void download_targets(AppState& app) {
  TargetsScreen& s = app.targets;
  std::vector<core::TargetsRow> rows;
  for (size_t i = 0; i < s.periods.size(); ++i) {
    rows.push_back({app.site.name.empty() ? app.site.id : app.site.name, s.periods[i], s.site[i]});
    for (const core::PersonTargets& p : s.people) rows.push_back({p.person, s.periods[i], p.periods[i]});
  }
  const std::string name = "服务指标_" + s.periods.front().first_day + "_" + s.periods.back().last_day + ".csv";
  app.host.download(name, "text/csv;charset=utf-8", core::targets_csv(rows));
  char buf[256];
  std::snprintf(buf, sizeof buf, tr(S::DownloadedFmt), name.c_str());
  s.message = buf;
}

// The tickets recorded in the shown period (the chosen person's, or all), every field (tickets_csv).
void download_tickets(AppState& app) {
  TargetsScreen& s = app.targets;
  const core::Period& shown = s.periods.back();
  std::vector<core::Ticket> tickets;
  for (const core::Ticket& t : app.ops->tickets())
    if (t.site == app.site.id && shown.contains(t.created_ms) && (s.person.empty() || t.owner == s.person))
      tickets.push_back(t);
  std::sort(tickets.begin(), tickets.end(),
            [](const core::Ticket& a, const core::Ticket& b) { return a.created_ms < b.created_ms; });
  const std::string name = "工单明细_" + shown.first_day + "_" + shown.last_day + ".csv";
  app.host.download(name, "text/csv;charset=utf-8",
                    core::tickets_csv(tickets, app.host.now_ms(), app.site.utc_offset_minutes));
  char buf[256];
  std::snprintf(buf, sizeof buf, tr(S::DownloadedFmt), name.c_str());
  s.message = buf;
}

void draw_choices(AppState& app, float width) {
  TargetsScreen& s = app.targets;
  const struct {
    core::PeriodKind kind;
    S label;
  } kinds[] = {{core::PeriodKind::Day, S::PeriodDay}, {core::PeriodKind::Week, S::PeriodWeek},
               {core::PeriodKind::Month, S::PeriodMonth}};
  for (const auto& k : kinds) {
    if (toggle_button(tr(k.label), s.kind == k.kind, ImVec2(px(72), px(48)))) {
      s.kind = k.kind;
      s.periods_back = 0;
    }
    ImGui::SameLine();
  }
  ImGui::SameLine(0, px(24));
  period_steps(s.periods_back, tr(S::PreviousPeriod), tr(S::NextPeriod), tr(S::CurrentPeriod), px(120), px(80));
  if (!s.periods.empty()) {
    const core::Period& shown = s.periods.back();
    char buf[96];
    std::snprintf(buf, sizeof buf, tr(S::PeriodRangeFmt), shown.first_day.c_str(), shown.last_day.c_str());
    // Beside the buttons when it fits (a landscape tablet), under them otherwise.
    ImGui::SameLine(0, px(16));
    if (ImGui::GetCursorPosX() + ImGui::CalcTextSize(buf).x > ImGui::GetWindowContentRegionMax().x)
      ImGui::NewLine();
    else
      ImGui::SetCursorPosY(ImGui::GetCursorPosY() + px(12));
    colored_text(kAccent, buf);
  }

  // Whose figures: everyone, or one person; the downloads at the right of the same row.
  const float downloads_w = px(200) * 2 + ImGui::GetStyle().ItemSpacing.x;
  const float row_y = ImGui::GetCursorPosY();
  std::vector<const char*> labels = {tr(S::Everyone)};
  int selected = 0;
  for (size_t i = 0; i < s.people.size(); ++i) {
    labels.push_back(s.people[i].person.c_str());
    if (s.people[i].person == s.person) selected = (int)i + 1;
  }
  ImGui::BeginGroup();
  const int tapped = choice_buttons(labels, selected, width - downloads_w - px(24), "scope");
  ImGui::EndGroup();
  if (tapped == 0) s.person.clear();
  if (tapped > 0) s.person = s.people[tapped - 1].person;
  const float after_y = ImGui::GetCursorPosY();
  ImGui::SetCursorPos(ImVec2(ImGui::GetWindowContentRegionMax().x - downloads_w, row_y));
  ImGui::BeginDisabled(!app.host.download || s.periods.empty());
  if (ImGui::Button(tr(S::DownloadTargets), ImVec2(px(200), px(48)))) download_targets(app);
  ImGui::SameLine();
  if (ImGui::Button(tr(S::DownloadTickets), ImVec2(px(200), px(48)))) download_tickets(app);
  ImGui::EndDisabled();
  ImGui::SetCursorPosY(std::max(after_y, ImGui::GetCursorPosY()));
  if (!s.message.empty()) colored_text(kGood, s.message.c_str());
}

}  // namespace

void draw_targets(AppState& app) {
  if (!app.ops || !core::is_in_charge(app.user.role)) return;
  TargetsScreen& s = app.targets;
  refresh(app);
  const float width = ImGui::GetContentRegionAvail().x;
  draw_choices(app, width);
  if (s.periods.empty()) return;
  const std::vector<core::Targets>& figures = scoped(s);
  if (figures.data() == s.site.data()) s.person.clear();  // the person has no tickets any more
  const core::Targets& shown = figures.back();

  ImGui::BeginChild("##targets", ImVec2(0, 0), false);
  const float inner = ImGui::GetContentRegionAvail().x - px(8);
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  // Landscape: two columns (the cards beside the trend, the items beside the people). Portrait: one.
  const bool two_columns = inner >= px(1000);
  const float column = two_columns ? (inner - gap) / 2 : inner;
  const ImVec2 card((column - gap) / 2, px(132));
  ImGui::BeginGroup();
  for (size_t i = 0; i < core::kAllFigures.size(); ++i) {
    const core::Figure f = core::kAllFigures[i];
    if (i % 2) ImGui::SameLine();
    if (figure_card(shown, f, s.figure == f, card)) s.figure = f;
  }
  ImGui::EndGroup();
  if (two_columns) ImGui::SameLine();
  draw_trend(app, figures, ImVec2(column, card.y * 2 + ImGui::GetStyle().ItemSpacing.y));

  // Side by side, both start at the row's top (SameLine alone would align the second to the first one's text
  // baseline).
  const float row_y = ImGui::GetCursorPosY();
  ImGui::BeginGroup();
  ImGui::Dummy(ImVec2(column, 0));
  draw_pulled_down(app, shown, column);
  ImGui::EndGroup();
  if (two_columns) {
    ImGui::SameLine();
    ImGui::SetCursorPosY(row_y);
    ImGui::GetCurrentWindow()->DC.CurrLineTextBaseOffset = 0;
  }
  ImGui::BeginGroup();
  ImGui::Dummy(ImVec2(column, 0));
  draw_people(app, column);
  ImGui::EndGroup();
  ImGui::EndChild();
}

}  // namespace steward::ui
