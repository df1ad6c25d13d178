#include "ui/ops_screens.hpp"

#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <set>
#include <string>

#include "core/ticket_targets.hpp"
#include "imgui.h"
#include "imgui_internal.h"  // the line's text baseline, reset between side-by-side blocks
#include "ui/record_writes.hpp"
#include "ui/test_hook.hpp"
#include "ui/widgets.hpp"

namespace steward::ui {
namespace {

constexpr int64_t kMinuteMs = 60'000;

std::string hhmm(const AppState& app, int64_t ms) {
  return core::local_day(ms, app.site.utc_offset_minutes).substr(5) + " " +
         core::local_time_hhmm(ms, app.site.utc_offset_minutes);
}

void say(std::string& message, bool& is_error, std::string text, bool error) {
  message = std::move(text);
  is_error = error;
}

bool write_ticket(AppState& app, core::Ticket t, const std::vector<store::Photo>& photos = {}) {
  return write_record(app, [&] { app.ops->save_ticket(std::move(t), photos); });
}

bool write_round(AppState& app, core::PatrolRound r) {
  return write_record(app, [&] { app.ops->save_round(std::move(r)); });
}

const std::vector<core::TicketView>& ticket_views(AppState& app) {
  TicketsScreen& t = app.tickets;
  const int64_t minute = app.host.now_ms() / kMinuteMs;
  if (t.cached_version != app.ops->version() || t.cached_minute != minute) {
    t.views = core::view_tickets(app.ops->tickets(), app.host.now_ms());
    t.cached_version = app.ops->version();
    t.cached_minute = minute;
  }
  return t.views;
}

std::string location_text(const core::Ticket& t) {
  std::string s = t.building;
  if (!t.unit.empty()) s += (s.empty() ? "" : " ") + t.unit;
  if (!t.place.empty()) s += (s.empty() ? "" : " ") + t.place;
  return s;
}

void text_input(S label, char* buf, size_t size, float width, bool multiline = false) {
  ImGui::TextUnformatted(tr(label));
  const std::string id = std::string("##") + tr(label);
  if (multiline) {
    ImGui::InputTextMultiline(id.c_str(), buf, size, ImVec2(width, px(96)));
  } else {
    ImGui::SetNextItemWidth(width);
    ImGui::InputText(id.c_str(), buf, size);
  }
}

// A field's problems under it. `scroll_to` (set when a save was refused) brings the first problem drawn into view,
// once: a form taller than the screen must not refuse a save for a reason below the fold.
void field_errors(const std::vector<core::TicketFieldError>& errors, core::TicketField field,
                  bool* scroll_to = nullptr) {
  for (const core::TicketFieldError& e : errors) {
    if (e.field != field) continue;
    colored_text(kDanger, ticket_problem_message(e.field, e.problem).c_str());
    if (scroll_to && *scroll_to) {
      ImGui::SetScrollHereY(0.5f);
      *scroll_to = false;
    }
  }
}

// ---- photos ---------------------------------------------------------------------------------------------------

// The camera button of a form: opens the camera for this form's photos (up to a ticket's nine).
void photo_button(AppState& app, PhotoTray& tray, const ImVec2& size) {
  ImGui::BeginDisabled(tray.waiting || tray.photos.size() >= core::kMaxTicketPhotos || !app.host.pick_photo);
  if (ImGui::Button(tr(S::AddPhoto), size)) {
    tray.waiting = true;
    tray.problem.clear();
    app.host.pick_photo();
  }
  ImGui::EndDisabled();
}

void photo_count(const PhotoTray& tray) {
  char buf[64];
  std::snprintf(buf, sizeof buf, tr(S::PhotosFmt), (int)tray.photos.size());
  colored_text(tray.photos.empty() ? kMuted : kGood, buf);
  if (!tray.problem.empty()) {
    ImGui::SameLine(0, px(16));
    colored_text(kDanger, tray.problem.c_str());
  }
}

// A photo as a thumbnail, decoded by the page on first sight (from `base64`, when its bytes are here); an empty
// frame until then. Registered for the tests as "photo:<name>".
void draw_thumbnail(AppState& app, const std::string& key, const std::string* base64, const std::string& name,
                    float side) {
  auto it = app.thumbnails.find(key);
  if (it == app.thumbnails.end() && base64 && app.host.request_thumbnail) {
    app.thumbnails[key] = Thumbnail{};
    app.host.request_thumbnail(key, *base64);
  }
  it = app.thumbnails.find(key);
  if (it != app.thumbnails.end() && it->second.texture) {
    const Thumbnail& th = it->second;
    const float scale = side / (float)std::max(th.width, th.height);
    ImGui::Image((ImTextureID)(intptr_t)th.texture, ImVec2(th.width * scale, th.height * scale));
    tracked_item(("photo:" + name).c_str());
  } else {
    ImGui::Dummy(ImVec2(side, side * 0.75f));
    ImGui::GetWindowDrawList()->AddRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax(),
                                        ImGui::GetColorU32(ImGuiCol_Border));
  }
}

// Thumbnail textures are kept only for what is on screen (keys starting with `prefix`; none when it is empty):
// the rest are given back when the detail or the form that showed them closes, so at most one ticket's nine
// photos hold textures at any time.
void keep_thumbnails(AppState& app, const std::string& prefix) {
  for (auto it = app.thumbnails.begin(); it != app.thumbnails.end();) {
    if (!prefix.empty() && it->first.starts_with(prefix)) {
      ++it;
      continue;
    }
    if (it->second.texture && app.host.free_texture) app.host.free_texture(it->second.texture);
    it = app.thumbnails.erase(it);
  }
}

constexpr const char* kFormPhotoPrefix = "form/";

// ---- the list ------------------------------------------------------------------------------------------------

std::vector<std::string> buildings(const std::vector<core::TicketView>& views) {
  std::set<std::string> names;
  for (const core::TicketView& v : views)
    if (!v.ticket->building.empty()) names.insert(v.ticket->building);
  return {names.begin(), names.end()};
}

std::vector<core::TicketView> listed(AppState& app) {
  TicketsScreen& t = app.tickets;
  const std::vector<core::TicketView>& views = ticket_views(app);
  switch (t.list) {
    case TicketList::Mine: return core::my_open_items(views, app.user.name);
    case TicketList::Overdue: return core::overdue_items(views);
    case TicketList::ReturnVisit: return core::waiting_for_return_visit(views);
    case TicketList::ByBuilding: {
      const std::vector<std::string> names = buildings(views);
      if (t.building < 0 || t.building >= (int)names.size()) return {};
      return core::in_building(views, names[t.building]);
    }
    case TicketList::Search: return core::search(views, t.search);
  }
  return {};
}

void draw_ticket_row(AppState& app, const core::TicketView& v, float width) {
  const core::Ticket& t = *v.ticket;
  std::string label;
  if (v.overdue) label += tr(S::OverdueTag);
  label += std::string(ticket_status_name(v.state.status)) + " · " + ticket_type_name(t.type) + " · " +
           location_text(t) + " · " + t.category + " · " + t.description.substr(0, 90);
  if (t.repeat_count > 0) {
    char buf[64];
    std::snprintf(buf, sizeof buf, tr(S::RepeatFmt), t.repeat_count + 1);
    label += std::string(" · ") + buf;
  }
  label += "##" + t.id;
  // Overdue stands out in every list: a red row, and the words at its start.
  ImGui::PushStyleColor(ImGuiCol_Button, v.overdue ? kDangerBg : ImVec4(1, 1, 1, 1));
  ImGui::PushStyleColor(ImGuiCol_Text, v.overdue ? kDanger : ImGui::GetStyleColorVec4(ImGuiCol_Text));
  ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0, 0.5f));
  if (ImGui::Button(label.c_str(), ImVec2(width, px(56)))) {
    app.tickets.open_id = t.id;
    app.tickets.message.clear();
    app.tickets.revealed = Revealed{};
  }
  ImGui::PopStyleVar();
  ImGui::PopStyleColor(2);
}

void draw_ticket_list(AppState& app, float width) {
  TicketsScreen& t = app.tickets;
  struct ListButton {
    TicketList list;
    S label;
  };
  const ListButton lists[] = {{TicketList::Mine, S::ListMine},
                              {TicketList::Overdue, S::ListOverdue},
                              {TicketList::ReturnVisit, S::ListReturnVisit},
                              {TicketList::ByBuilding, S::ListByBuilding},
                              {TicketList::Search, S::ListSearch}};
  for (const ListButton& b : lists) {
    if (toggle_button(tr(b.label), t.list == b.list, ImVec2(px(140), px(48)))) t.list = b.list;
    ImGui::SameLine();
  }
  // Not one of the lists: an action, set apart at the right edge in its own colour (under them when the screen is
  // too narrow, a portrait tablet).
  const float new_w = px(170);
  const float right = ImGui::GetWindowContentRegionMax().x - new_w;
  if (ImGui::GetCursorPosX() + px(24) <= right)
    ImGui::SameLine(right);
  else
    ImGui::NewLine();
  if (action_button(tr(S::NewTicket), ImVec2(new_w, px(48)))) {
    t.creating = true;
    t.form = TicketForm{};
    t.message.clear();
  }
  char buf[128];
  std::snprintf(buf, sizeof buf, tr(S::CurrentUserFmt), app.user.name.c_str());
  colored_text(kMuted, buf);

  if (t.list == TicketList::Search) {
    ImGui::SetNextItemWidth(std::min(width, px(480)));
    ImGui::InputTextWithHint("##ticket-search", tr(S::SearchHint), t.search, sizeof t.search);
  } else if (t.list == TicketList::ByBuilding) {
    const std::vector<std::string> names = buildings(ticket_views(app));
    std::vector<const char*> labels;
    for (const std::string& n : names) labels.push_back(n.c_str());
    const int tapped = choice_buttons(labels, t.building, width, "building");
    if (tapped >= 0) t.building = tapped;
  }
  if (!t.message.empty()) colored_text(t.message_is_error ? kDanger : kGood, t.message.c_str());

  const std::vector<core::TicketView> items = listed(app);
  if (items.empty()) {
    colored_text(kMuted, tr(S::NoTickets));
    return;
  }
  ImGui::BeginChild("##tickets", ImVec2(0, 0), false);
  ImGuiListClipper clipper;
  clipper.Begin((int)items.size());
  while (clipper.Step())
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) draw_ticket_row(app, items[i], width - px(24));
  ImGui::EndChild();
}

// ---- the form ------------------------------------------------------------------------------------------------

void save_new_ticket(AppState& app) {
  TicketsScreen& s = app.tickets;
  TicketForm& f = s.form;
  core::TicketDraft d;
  if (f.type >= 0) d.type = core::kAllTicketTypes[f.type];
  d.building = f.building;
  d.unit = f.unit;
  d.place = f.place;
  d.reporter = f.reporter;
  d.contact = f.contact;
  d.category = f.category;
  d.description = f.description;
  d.priority = static_cast<core::Priority>(f.priority);
  const int offset = app.site.utc_offset_minutes;
  const int64_t now = app.host.now_ms();
  if (d.priority == core::Priority::Scheduled) d.appointment_ms = f.appointment.ms(now, offset);
  const bool complaint = d.type == core::TicketType::Complaint;
  d.complaint_level = complaint ? f.complaint_level : 0;
  if (complaint && f.agree_reply_date) d.reply_by_ms = f.reply_by.ms(now, offset);
  for (const store::Photo& photo : f.photos.photos) d.photos.push_back(photo.name);
  f.errors = core::validate(d, now);
  // "Agreed" with no time chosen is a missing reply date, not the 24-hour rule by default.
  if (complaint && f.agree_reply_date && d.reply_by_ms == 0)
    f.errors.push_back({core::TicketField::ReplyBy, core::TicketProblem::Required});
  f.scroll_to_error = !f.errors.empty();
  if (!f.errors.empty()) return;
  const core::Ticket t = core::make_ticket(d, "ticket:" + app.host.new_uuid(), app.site.id, app.user, now,
                                           app.host.new_uuid(), app.ops->tickets());
  const std::string id = t.id;
  char buf[256];
  std::snprintf(buf, sizeof buf, tr(S::TicketSavedFmt), t.description.substr(0, 60).c_str());
  if (!write_ticket(app, t, f.photos.photos)) return;
  say(s.message, s.message_is_error, buf, false);
  s.creating = false;
  s.open_id = id;
  s.revealed = Revealed{};
}

// A labelled field with its problems beneath, as one block that can sit beside others on a row.
void field_block(S label, char* buf, size_t size, float width, const std::vector<core::TicketFieldError>& errors,
                 core::TicketField field, bool* scroll_to = nullptr) {
  ImGui::BeginGroup();
  text_input(label, buf, size, width);
  field_errors(errors, field, scroll_to);
  ImGui::EndGroup();
}

// Choices under a label, as one block.
int choice_block(S label, const std::vector<const char*>& labels, int selected, float width, const char* id,
                 const std::vector<core::TicketFieldError>& errors, core::TicketField field,
                 bool* scroll_to = nullptr) {
  ImGui::BeginGroup();
  ImGui::TextUnformatted(tr(label));
  const int tapped = choice_buttons(labels, selected, width, id);
  field_errors(errors, field, scroll_to);
  ImGui::EndGroup();
  return tapped;
}

// A time agreed with the owner: a day (today and the six after it), an hour and a quarter. The choice and its
// problems under `label`.
void time_picker(AppState& app, S label, TimeChoice& choice, float width,
                 const std::vector<core::TicketFieldError>& errors, core::TicketField field, bool* scroll_to) {
  const int offset = app.site.utc_offset_minutes;
  const int64_t now = app.host.now_ms();
  char buf[128];
  ImGui::PushID(tr(label));
  ImGui::TextUnformatted(tr(label));
  ImGui::SameLine(0, px(16));
  if (const int64_t ms = choice.ms(now, offset)) {
    std::snprintf(buf, sizeof buf, tr(S::ChosenTimeFmt), hhmm(app, ms).c_str());
    colored_text(kAccent, buf);
  } else {
    colored_text(kMuted, tr(S::NotChosen));
  }
  const core::Period today = core::period_containing(core::PeriodKind::Day, now, offset);
  std::vector<std::string> days;
  for (int d = 0; d < TimeChoice::kDays; ++d) {
    const int64_t midnight = today.begin_ms + d * 86'400'000LL;
    const std::string day = core::local_day(midnight, offset);
    // 1970-01-01 was a Thursday (3 counted from Monday).
    const int weekday = (int)(((midnight + offset * 60'000LL) / 86'400'000LL + 3) % 7);
    const char* word = d == 0 ? tr(S::Today) : d == 1 ? tr(S::Tomorrow) : d == 2 ? tr(S::DayAfterTomorrow)
                                                                                 : weekday_name(weekday);
    days.push_back(std::string(word) + " " + day.substr(5));
  }
  std::vector<const char*> day_labels;
  for (const std::string& d : days) day_labels.push_back(d.c_str());
  const int day = choice_buttons(day_labels, choice.day, width, "day");
  if (day >= 0) choice.day = day;
  // Hours and quarters as compact buttons, on one row where the width allows.
  const ImVec2 small(px(52), px(48));
  const float gap = px(6);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(gap, ImGui::GetStyle().ItemSpacing.y));
  float x = 0;
  auto compact = [&](const char* text, bool on) {
    if (x > 0 && x + small.x <= width) ImGui::SameLine();
    else x = 0;
    x += small.x + gap;
    return toggle_button(text, on, small);
  };
  const int hour = choice.minute_of_day >= 0 ? choice.minute_of_day / 60 : -1;
  const int quarter = choice.minute_of_day >= 0 ? choice.minute_of_day % 60 : -1;
  for (int h = TimeChoice::kFirstHour; h <= TimeChoice::kLastHour; ++h) {
    std::snprintf(buf, sizeof buf, "%02d##hour", h);
    if (compact(buf, h == hour)) choice.minute_of_day = h * 60 + std::max(0, quarter);
  }
  // The quarters a little apart from the hours.
  if (x + px(16) + 4 * (small.x + gap) <= width) {
    ImGui::SameLine(0, px(16));
    x += px(16) - gap;
  } else {
    x = 0;
  }
  for (int q = 0; q < 60; q += 15) {
    std::snprintf(buf, sizeof buf, ":%02d##minute", q);
    if (compact(buf, q == quarter) && hour >= 0) choice.minute_of_day = hour * 60 + q;
  }
  ImGui::PopStyleVar();
  field_errors(errors, field, scroll_to);
  ImGui::PopID();
}

// Laid out in rows of related fields, with "save" at the top, so the whole form fits a landscape tablet.
void draw_ticket_form(AppState& app, float width) {
  TicketsScreen& s = app.tickets;
  TicketForm& f = s.form;
  if (ImGui::Button(tr(S::Back), ImVec2(px(120), px(48)))) s.creating = false;
  ImGui::SameLine();
  ImGui::BeginDisabled(!app.writer);
  if (primary_button(tr(S::SaveTicket), ImVec2(px(160), px(48)))) save_new_ticket(app);
  ImGui::EndDisabled();
  // The type on the same row: a patrol finding is opened from its round, not from here.
  for (size_t i = 0; i + 1 < core::kAllTicketTypes.size(); ++i) {
    ImGui::SameLine(0, i == 0 ? px(32) : -1.0f);
    const std::string label = std::string(ticket_type_name(core::kAllTicketTypes[i])) + "##type";
    if (toggle_button(label.c_str(), f.type == (int)i, ImVec2(px(96), px(48)))) f.type = (int)i;
  }
  field_errors(f.errors, core::TicketField::Type);
  ImGui::BeginChild("##ticket-form", ImVec2(0, 0), false);
  // Blocks side by side start at the row's top: SameLine alone would drop each one to the previous block's text
  // baseline (its label would sit a frame padding lower). A block `w` wide that does not fit starts the next row
  // (a portrait tablet).
  float row_y = 0;
  auto next_block = [&](float w) {
    ImGui::SameLine();
    if (ImGui::GetCursorPosX() + w > ImGui::GetWindowContentRegionMax().x) {
      ImGui::NewLine();
      row_y = ImGui::GetCursorPosY();
      return;
    }
    ImGui::SetCursorPosY(row_y);
    ImGui::GetCurrentWindow()->DC.CurrLineTextBaseOffset = 0;
  };

  row_y = ImGui::GetCursorPosY();
  field_block(S::FieldBuilding, f.building, sizeof f.building, px(160), f.errors, core::TicketField::Location,
              &f.scroll_to_error);
  next_block(px(160));
  field_block(S::FieldUnit, f.unit, sizeof f.unit, px(160), {}, core::TicketField::Location);
  next_block(px(360));
  field_block(S::FieldPlace, f.place, sizeof f.place, px(360), {}, core::TicketField::Location);

  row_y = ImGui::GetCursorPosY();
  field_block(S::FieldReporter, f.reporter, sizeof f.reporter, px(200), f.errors, core::TicketField::Reporter,
              &f.scroll_to_error);
  next_block(px(240));
  field_block(S::FieldContact, f.contact, sizeof f.contact, px(240), f.errors, core::TicketField::Contact,
              &f.scroll_to_error);
  next_block(px(200));
  field_block(S::FieldCategory, f.category, sizeof f.category, px(200), f.errors, core::TicketField::Category,
              &f.scroll_to_error);

  // The description, and the photos beside it (the finding's way: the camera, downscaled on the tablet, stored
  // with the ticket), small thumbnails to check them.
  const float photos_w = px(440);
  const bool photos_beside = width - px(48) - photos_w >= px(480);
  const float description_w = std::min(photos_beside ? width - px(48) - photos_w : width - px(24), px(760));
  row_y = ImGui::GetCursorPosY();
  ImGui::BeginGroup();
  ImGui::TextUnformatted(tr(S::FieldDescription));
  ImGui::InputTextMultiline("##描述", f.description, sizeof f.description, ImVec2(description_w, px(80)));
  field_errors(f.errors, core::TicketField::Description, &f.scroll_to_error);
  ImGui::EndGroup();
  next_block(photos_beside ? photos_w : FLT_MAX);
  ImGui::BeginGroup();
  ImGui::TextUnformatted(tr(S::FieldPhotos));
  photo_button(app, f.photos, ImVec2(px(140), px(48)));
  ImGui::SameLine(0, px(16));
  ImGui::AlignTextToFramePadding();
  photo_count(f.photos);
  field_errors(f.errors, core::TicketField::Photos, &f.scroll_to_error);
  const float thumb = px(96);
  for (size_t i = 0; i < f.photos.photos.size(); ++i) {
    if (i % 4) ImGui::SameLine();
    const store::Photo& photo = f.photos.photos[i];
    draw_thumbnail(app, kFormPhotoPrefix + photo.name, &photo.base64, photo.name, thumb);
  }
  ImGui::EndGroup();

  // Priority, a complaint's level and its reply time on one row; the time pickers under it.
  row_y = ImGui::GetCursorPosY();
  const int priority = choice_block(S::FieldPriority, {priority_name(core::Priority::Normal),
                                                       priority_name(core::Priority::Emergency),
                                                       priority_name(core::Priority::Scheduled)},
                                    f.priority, px(360), "priority", f.errors, core::TicketField::Priority,
                                    &f.scroll_to_error);
  if (priority >= 0) f.priority = priority;
  const bool complaint = f.type >= 0 && core::kAllTicketTypes[f.type] == core::TicketType::Complaint;
  if (complaint) {
    next_block(px(360));
    const bool zh = language() == Lang::Zh;
    const int level = choice_block(S::FieldComplaintLevel,
                                   {zh ? "一级" : "Level 1", zh ? "二级" : "Level 2", zh ? "三级" : "Level 3"},
                                   f.complaint_level - 1, px(360), "level", f.errors, core::TicketField::ComplaintLevel,
                                   &f.scroll_to_error);
    if (level >= 0) f.complaint_level = level + 1;
    // Answered within 24 hours, unless a reply date is agreed with the complainant now.
    next_block(px(400));
    const int reply = choice_block(S::FieldReplyBy, {tr(S::ReplyWithin24h), tr(S::ReplyAgreedDate)},
                                   f.agree_reply_date ? 1 : 0, px(400), "reply", f.errors, core::TicketField::ReplyBy,
                                   f.agree_reply_date ? nullptr : &f.scroll_to_error);
    if (reply >= 0) f.agree_reply_date = reply == 1;
  }
  const float picker_w = width - px(24);
  if (static_cast<core::Priority>(f.priority) == core::Priority::Scheduled)
    time_picker(app, S::FieldAppointment, f.appointment, picker_w, f.errors, core::TicketField::Appointment,
                &f.scroll_to_error);
  if (complaint && f.agree_reply_date)
    time_picker(app, S::ReplyAgreedDate, f.reply_by, picker_w, f.errors, core::TicketField::ReplyBy,
                &f.scroll_to_error);
  ImGui::EndChild();
}

// ---- the detail ----------------------------------------------------------------------------------------------

const char* refusal_words(core::StepRefusal r) {
  switch (r) {
    case core::StepRefusal::ReasonRequired: return tr(S::StepReasonRequired);
    case core::StepRefusal::SatisfactionOutOfRange:
    case core::StepRefusal::OutcomeRequired: return tr(S::StepOutcomeRequired);
    case core::StepRefusal::DispatchTargetRequired: return tr(S::StepTargetRequired);
    default: return tr(S::StepRefused);
  }
}

// Takes a step on the open ticket: appended, stored and made durable, or refused in words.
void take_step(AppState& app, const core::Ticket& current, core::TimelineEntry entry) {
  TicketsScreen& s = app.tickets;
  core::Ticket t = current;
  entry.id = app.host.new_uuid();
  entry.at_ms = app.host.now_ms();
  if (const auto refused = core::append_step(t, app.user, std::move(entry))) {
    say(s.message, s.message_is_error, refusal_words(*refused), true);
    return;
  }
  if (!write_ticket(app, std::move(t))) return;
  s.message.clear();
  s.department = -1;
  s.other_department[0] = s.person[0] = s.text[0] = s.outcome[0] = '\0';
  s.satisfaction = 0;
}

// Whether the user may take a step of this kind now, judged without its own fields (so buttons are enabled
// for steps that need input; the refusal then names what is missing).
bool allowed(const AppState& app, const core::Ticket& t, const core::TicketState& st, core::StepKind kind) {
  core::TimelineEntry probe;
  probe.kind = kind;
  const auto r = core::check_step(t, st, app.user, probe);
  return !r || *r == core::StepRefusal::DispatchTargetRequired || *r == core::StepRefusal::OutcomeRequired ||
         *r == core::StepRefusal::SatisfactionOutOfRange || *r == core::StepRefusal::ReasonRequired;
}

void draw_timeline(const AppState& app, const core::Ticket& t, const core::TicketState& st) {
  ImGui::PushFont(heading_font());
  tracked_text(tr(S::Timeline));
  ImGui::PopFont();
  for (const core::TimelineEntry* e : core::replay_order(t.timeline)) {
    std::string line = hhmm(app, e->at_ms) + "  " + e->by + "  " + step_name(e->kind);
    if (!e->department.empty() || !e->person.empty()) line += " → " + e->department + " " + e->person;
    if (e->return_visit) line += " · " + e->return_visit->outcome + " · " + std::to_string(e->return_visit->satisfaction) + "/5";
    if (!e->text.empty()) line += " · " + e->text;
    const bool superseded = std::find(st.superseded.begin(), st.superseded.end(), e->id) != st.superseded.end();
    if (superseded) line += std::string(" ") + tr(S::Superseded);
    colored_text(superseded ? kMuted : ImGui::GetStyleColorVec4(ImGuiCol_Text), line.c_str());
  }
}

void draw_ticket_actions(AppState& app, const core::Ticket& t, const core::TicketState& st, float width) {
  TicketsScreen& s = app.tickets;
  const ImVec2 button(px(160), px(52));
  ImGui::BeginDisabled(!app.writer);
  if (allowed(app, t, st, core::StepKind::Dispatch)) {
    // The departments by name (the same words on every tablet, so lists and figures group them), or another typed.
    // One row of departments after their label; then whom (and the department typed, for "other") and the step.
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(tr(S::FieldDepartment));
    ImGui::SameLine();
    std::vector<const char*> departments;
    for (size_t i = 0; i < department_count(); ++i) departments.push_back(department_name(i));
    departments.push_back(tr(S::OtherDepartment));
    ImGui::BeginGroup();
    const int picked = choice_buttons(departments, s.department, width - ImGui::GetCursorPosX(), "department");
    ImGui::EndGroup();
    if (picked >= 0) s.department = picked == s.department ? -1 : picked;
    const bool other = s.department == (int)department_count();
    if (other) {
      ImGui::AlignTextToFramePadding();
      ImGui::TextUnformatted(tr(S::FieldOtherDepartment));
      ImGui::SameLine();
      ImGui::SetNextItemWidth(px(200));
      ImGui::InputText((std::string("##") + tr(S::FieldOtherDepartment)).c_str(), s.other_department,
                       sizeof s.other_department);
      ImGui::SameLine(0, px(24));
    }
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(tr(S::FieldPerson));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(px(200));
    ImGui::InputText((std::string("##") + tr(S::FieldPerson)).c_str(), s.person, sizeof s.person);
    ImGui::SameLine(0, px(24));
    if (ImGui::Button(tr(S::ActDispatch), ImVec2(button.x, px(48)))) {
      core::TimelineEntry e;
      e.kind = core::StepKind::Dispatch;
      if (other)
        e.department = s.other_department;
      else if (s.department >= 0)
        e.department = department_stored(s.department);
      e.person = s.person;
      take_step(app, t, e);
    }
  }
  bool same_line = false;
  auto simple = [&](core::StepKind kind, S label) {
    if (!allowed(app, t, st, kind)) return;
    if (same_line) ImGui::SameLine();
    same_line = true;
    if (ImGui::Button(tr(label), button)) {
      core::TimelineEntry e;
      e.kind = kind;
      take_step(app, t, e);
    }
  };
  simple(core::StepKind::Start, S::ActStart);
  simple(core::StepKind::Done, S::ActDone);
  if (t.type == core::TicketType::Complaint) simple(core::StepKind::Reply, S::ActReply);

  if (allowed(app, t, st, core::StepKind::ReturnVisit)) {
    text_input(S::FieldOutcome, s.outcome, sizeof s.outcome, std::min(width, px(480)));
    ImGui::TextUnformatted(tr(S::FieldSatisfaction));
    const int picked = choice_buttons({"1", "2", "3", "4", "5"}, s.satisfaction - 1, width, "satisfaction");
    if (picked >= 0) s.satisfaction = picked + 1;
    if (primary_button(tr(S::ActReturnVisit), button)) {
      core::TimelineEntry e;
      e.kind = core::StepKind::ReturnVisit;
      e.return_visit = core::ReturnVisit{s.outcome, s.satisfaction, ""};
      take_step(app, t, e);
    }
  }
  if (allowed(app, t, st, core::StepKind::Close)) {
    // A supervisor closing without a return visit says why (domain rule); otherwise no reason is asked.
    const bool needs_reason = st.status != core::TicketStatus::ReturnVisited;
    if (needs_reason) text_input(S::FieldReason, s.text, sizeof s.text, std::min(width, px(480)));
    if (ImGui::Button(tr(S::ActClose), button)) {
      core::TimelineEntry e;
      e.kind = core::StepKind::Close;
      if (needs_reason) e.text = s.text;
      take_step(app, t, e);
    }
  }
  ImGui::EndDisabled();
}

// The ticket's photos; a photo whose bytes have not arrived yet (a pull may bring the document first) shows as an
// empty frame until they do.
void draw_thumbnails(AppState& app, const core::Ticket& t) {
  for (size_t i = 0; i < t.photos.size(); ++i) {
    if (i > 0) ImGui::SameLine();
    const std::string key = t.id + "/" + t.photos[i];
    std::optional<store::Photo> photo;
    if (!app.thumbnails.count(key)) photo = app.ops->photo(t.id, t.photos[i]);
    draw_thumbnail(app, key, photo ? &photo->base64 : nullptr, t.photos[i], px(160));
  }
}

void draw_ticket_detail(AppState& app, float width) {
  TicketsScreen& s = app.tickets;
  const core::Ticket* found = app.ops->find_ticket(s.open_id);
  if (ImGui::Button(tr(S::Back), ImVec2(px(120), px(48))) || !found) {
    s.open_id.clear();
    if (s.back_to) app.tab = *s.back_to;
    s.back_to.reset();
    return;
  }
  const core::Ticket t = *found;  // a save below replaces the stored one
  const core::TicketState st = core::derive_state(t);
  const core::TicketClock clock = core::ticket_clock(t, st);
  const bool overdue = core::is_overdue(t, st, app.host.now_ms());
  ImGui::BeginChild("##ticket-detail", ImVec2(0, 0), false);
  // Typed and synced text is drawn in the body font: the heading font holds only the string table's characters.
  std::string title = std::string(overdue ? tr(S::OverdueTag) : "") + ticket_type_name(t.type) + " · " +
                      ticket_status_name(st.status) + " · " + location_text(t);
  colored_text(overdue ? kDanger : kAccent, title.c_str());
  char buf[256];
  std::string facts = t.category + " · " + priority_name(t.priority);
  if (!t.reporter.empty()) facts += " · " + t.reporter;
  tracked_text(facts.c_str());
  draw_revealable_phone(app, t.contact, t.id, core::RecordFamily::Ops, s.revealed);
  ImGui::TextWrapped("%s", t.description.c_str());
  std::snprintf(buf, sizeof buf, tr(S::OwnerFmt), t.owner.c_str());
  colored_text(kMuted, buf);
  if (!st.department.empty() || !st.person.empty()) {
    ImGui::SameLine(0, px(20));
    std::snprintf(buf, sizeof buf, tr(S::DispatchedToFmt), (st.department + " " + st.person).c_str());
    colored_text(kMuted, buf);
  }
  if (clock.kind != core::ClockKind::None) {
    ImGui::SameLine(0, px(20));
    std::snprintf(buf, sizeof buf, tr(S::DueFmt), hhmm(app, clock.due_ms).c_str());
    colored_text(overdue ? kDanger : kMuted, buf);
  }
  if (t.repeat_count > 0) {
    std::snprintf(buf, sizeof buf, tr(S::RepeatFmt), t.repeat_count + 1);
    colored_text(kWarning, buf);
  }
  if (!t.photos.empty()) {
    std::snprintf(buf, sizeof buf, tr(S::PhotosFmt), (int)t.photos.size());
    colored_text(kMuted, buf);
    draw_thumbnails(app, t);
  }
  if (!s.message.empty()) colored_text(s.message_is_error ? kDanger : kGood, s.message.c_str());
  ImGui::Separator();
  draw_ticket_actions(app, t, st, width);
  ImGui::Separator();
  draw_timeline(app, t, st);
  ImGui::EndChild();
}

// ---- patrol --------------------------------------------------------------------------------------------------

void start_new_round(AppState& app, const core::PatrolTemplate& tpl) {
  PatrolScreen& p = app.patrol;
  const std::string id = "patrol_round:" + app.host.new_uuid();
  if (!write_round(app, core::start_round(tpl, id, app.user.name, app.host.now_ms(), app.host.new_uuid()))) return;
  p = PatrolScreen{};
  p.round_id = id;
}

void draw_route_choice(AppState& app) {
  PatrolScreen& p = app.patrol;
  const std::vector<const core::PatrolRound*> mine = core::unfinished_rounds(app.ops->rounds(), app.user.name);
  char buf[256];
  if (core::is_in_charge(app.user.role)) {
    if (ImGui::Button(tr(S::PatrolReviewOpen), ImVec2(px(160), px(52)))) {
      p = PatrolScreen{};
      p.reviewing = true;
    }
  }
  for (const core::PatrolRound* r : mine) {
    const core::RoundState st = core::derive_round(*r);
    std::snprintf(buf, sizeof buf, tr(S::StartedFmt), hhmm(app, r->started_ms).c_str(), r->template_name.c_str());
    tracked_text(buf);
    ImGui::SameLine(0, px(16));
    std::snprintf(buf, sizeof buf, tr(S::ProgressFmt), st.checked, st.total);
    colored_text(kMuted, buf);
    ImGui::PushID(r->id.c_str());
    if (primary_button(tr(S::PatrolResume), ImVec2(px(180), px(52)))) {
      p = PatrolScreen{};
      p.round_id = r->id;
    }
    ImGui::PopID();
  }
  ImGui::PushFont(heading_font());
  tracked_text(tr(S::PatrolChooseRoute));
  ImGui::PopFont();
  if (app.ops->templates().empty()) colored_text(kMuted, tr(S::NoTemplates));
  for (const core::PatrolTemplate& tpl : app.ops->templates()) {
    std::snprintf(buf, sizeof buf, "%s · %d", tpl.name.c_str(), (int)tpl.checkpoint_count());
    tracked_text(buf);
    ImGui::SameLine(0, px(16));
    ImGui::PushID(tpl.id.c_str());
    ImGui::BeginDisabled(!app.writer || !core::validate(tpl).empty());
    if (ImGui::Button(tr(S::PatrolStart), ImVec2(px(160), px(52)))) start_new_round(app, tpl);
    ImGui::EndDisabled();
    ImGui::PopID();
  }
}

// Records a result for a checkpoint of the shown round (a finding's ticket is written first, so the round never
// points at a ticket that was not stored).
void record(AppState& app, const core::PatrolRound& round, const std::string& key, core::CheckResult result,
            const std::string& ticket = {}) {
  PatrolScreen& p = app.patrol;
  core::PatrolRound r = round;
  core::RoundEvent e;
  e.id = app.host.new_uuid();
  e.at_ms = app.host.now_ms();
  e.kind = core::RoundEventKind::Result;
  e.checkpoint = key;
  e.result = result;
  e.ticket = ticket;
  e.note = p.note;
  if (core::append_event(r, app.user.name, e)) {
    say(p.message, p.message_is_error, tr(S::StepRefused), true);
    return;
  }
  if (!write_round(app, std::move(r))) return;
  p.selected.clear();
  p.note[0] = '\0';
  p.message.clear();
}

void save_finding(AppState& app, const core::PatrolRound& round) {
  PatrolScreen& p = app.patrol;
  core::FindingDraft f;
  f.category = p.category;
  f.description = p.description;
  for (const store::Photo& photo : p.photos.photos) f.photos.push_back(photo.name);
  const core::TicketDraft d = core::finding_ticket_draft(round, p.finding_at, f);
  const int64_t now = app.host.now_ms();
  p.errors = core::validate(d, now);
  if (!p.errors.empty()) return;
  const core::Ticket t = core::make_ticket(d, "ticket:" + app.host.new_uuid(), round.site, app.user, now,
                                           app.host.new_uuid(), app.ops->tickets());
  if (!write_ticket(app, t, p.photos.photos)) return;
  const std::string key = p.finding_at;
  p.photos = PhotoTray{};
  p.finding_at.clear();
  p.category[0] = p.description[0] = '\0';
  record(app, round, key, core::CheckResult::Finding, t.id);
}

void simple_event(AppState& app, const core::PatrolRound& round, core::RoundEventKind kind) {
  PatrolScreen& p = app.patrol;
  core::PatrolRound r = round;
  core::RoundEvent e;
  e.id = app.host.new_uuid();
  e.at_ms = app.host.now_ms();
  e.kind = kind;
  if (core::append_event(r, app.user.name, e)) {
    say(p.message, p.message_is_error, tr(S::StepRefused), true);
    return;
  }
  write_round(app, std::move(r));
}

void draw_round(AppState& app, float width) {
  PatrolScreen& p = app.patrol;
  const core::PatrolRound* found = app.ops->find_round(p.round_id);
  if (ImGui::Button(tr(S::Back), ImVec2(px(120), px(48))) || !found) {
    p = PatrolScreen{};
    return;
  }
  const core::PatrolRound round = *found;  // a save below replaces the stored one
  const core::RoundState st = core::derive_round(round);
  char buf[256];
  ImGui::SameLine(0, px(20));
  ImGui::SetCursorPosY(ImGui::GetCursorPosY() + px(12));
  colored_text(kAccent, round.template_name.c_str());  // body font: see draw_ticket_detail
  // Progress on the same row: the rows below must fit a landscape tablet.
  std::snprintf(buf, sizeof buf, tr(S::ProgressFmt), st.checked, st.total);
  ImGui::SameLine(0, px(20));
  ImGui::ProgressBar((float)st.progress(), ImVec2(px(240), px(24)), "");
  ImGui::SameLine(0, px(12));
  tracked_text(buf);
  if (!p.message.empty()) colored_text(p.message_is_error ? kDanger : kGood, p.message.c_str());

  if (st.status == core::RoundStatus::Finished) {
    std::snprintf(buf, sizeof buf, tr(S::PatrolDoneFmt), st.passed, st.findings, st.not_accessible);
    banner(kGoodBg, buf, width);
    return;
  }
  ImGui::BeginDisabled(!app.writer);
  if (st.status == core::RoundStatus::Paused) {
    banner(kWarningBg, tr(S::PatrolPaused), width);
    if (primary_button(tr(S::PatrolResume), ImVec2(px(180), px(52)))) simple_event(app, round, core::RoundEventKind::Resume);
    ImGui::EndDisabled();
    return;
  }
  if (ImGui::Button(tr(S::PatrolPause), ImVec2(px(140), px(52)))) simple_event(app, round, core::RoundEventKind::Pause);
  if (!st.next.valid()) {
    ImGui::SameLine();
    if (primary_button(tr(S::PatrolFinish), ImVec2(px(180), px(52)))) simple_event(app, round, core::RoundEventKind::Finish);
    colored_text(kGood, tr(S::PatrolAllChecked));
  }

  // The checkpoint at hand: one picked from the list below, else the next without a result.
  core::RoutePosition at = p.selected.empty() ? st.next : core::find_checkpoint(round, p.selected);
  if (const core::Checkpoint* c = core::checkpoint_at(round, at)) {
    ImGui::Separator();
    const std::string title = round.route[at.area].name + " · " + c->name;
    colored_text(kAccent, title.c_str());
    for (const std::string& check : c->checks) tracked_text(("· " + check).c_str());
    if (p.finding_at == c->key) {
      std::snprintf(buf, sizeof buf, tr(S::FindingTitleFmt), title.c_str());
      colored_text(kAccent, buf);
      text_input(S::FieldCategory, p.category, sizeof p.category, px(240));
      field_errors(p.errors, core::TicketField::Category);
      text_input(S::FieldDescription, p.description, sizeof p.description, std::min(width, px(560)), true);
      field_errors(p.errors, core::TicketField::Description);
      // One row (save, photo, cancel, the count): the form must fit a landscape tablet above its keyboard.
      ImGui::BeginDisabled(p.photos.waiting);
      if (primary_button(tr(S::SaveFinding), ImVec2(px(240), px(56)))) save_finding(app, round);
      ImGui::EndDisabled();
      ImGui::SameLine();
      photo_button(app, p.photos, ImVec2(px(140), px(56)));
      ImGui::SameLine();
      if (ImGui::Button(tr(S::Cancel), ImVec2(px(120), px(56)))) {
        p.finding_at.clear();
        p.photos = PhotoTray{};
      }
      ImGui::SameLine(0, px(16));
      ImGui::SetCursorPosY(ImGui::GetCursorPosY() + px(14));
      photo_count(p.photos);
      field_errors(p.errors, core::TicketField::Photos);
    } else {
      const ImVec2 big(px(170), px(64));
      if (primary_button(tr(S::ResultPass), big)) record(app, round, c->key, core::CheckResult::Pass);
      ImGui::SameLine();
      if (ImGui::Button(tr(S::ResultFinding), big)) {
        p.finding_at = c->key;
        p.errors.clear();
      }
      ImGui::SameLine();
      if (ImGui::Button(tr(S::ResultNotAccessible), big)) record(app, round, c->key, core::CheckResult::NotAccessible);
    }
  }
  ImGui::EndDisabled();

  // The whole route with each checkpoint's result; a tap picks one (to record it out of order or correct it).
  ImGui::Separator();
  ImGui::BeginChild("##route", ImVec2(0, 0), false);
  for (size_t a = 0; a < round.route.size(); ++a) {
    for (size_t c = 0; c < round.route[a].checkpoints.size(); ++c) {
      const core::Checkpoint& cp = round.route[a].checkpoints[c];
      const auto& result = st.results[a][c];
      std::string label = round.route[a].name + " · " + cp.name + "  —  " +
                          (result ? check_result_name(result->result) : "…") + "##" + cp.key;
      ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0, 0.5f));
      ImGui::PushStyleColor(ImGuiCol_Button, !result ? ImVec4(1, 1, 1, 1)
                                             : result->result == core::CheckResult::Pass ? kGoodBg
                                                                                        : kWarningBg);
      if (ImGui::Button(label.c_str(), ImVec2(width - px(24), px(52)))) p.selected = cp.key;
      ImGui::PopStyleColor();
      ImGui::PopStyleVar();
    }
  }
  ImGui::EndChild();
}

}  // namespace

int64_t TimeChoice::ms(int64_t now_ms, int utc_offset_minutes) const {
  if (day < 0 || minute_of_day < 0) return 0;
  const core::Period today = core::period_containing(core::PeriodKind::Day, now_ms, utc_offset_minutes);
  return today.begin_ms + day * 86'400'000LL + minute_of_day * 60'000LL;
}

void draw_tickets(AppState& app) {
  if (!app.ops) return;
  const TicketsScreen& t = app.tickets;
  keep_thumbnails(app, t.creating ? kFormPhotoPrefix : t.open_id.empty() ? std::string() : t.open_id + "/");
  const float width = ImGui::GetContentRegionAvail().x;
  if (app.tickets.creating)
    draw_ticket_form(app, width);
  else if (!app.tickets.open_id.empty())
    draw_ticket_detail(app, width);
  else
    draw_ticket_list(app, width);
}

void photo_taken(AppState& app, store::Photo photo) {
  for (PhotoTray* tray : {&app.patrol.photos, &app.tickets.form.photos}) {
    if (!tray->waiting) continue;
    tray->waiting = false;
    tray->photos.push_back(std::move(photo));
    return;
  }
}

void photo_not_taken(AppState& app, const std::string& why) {
  for (PhotoTray* tray : {&app.patrol.photos, &app.tickets.form.photos}) {
    if (!tray->waiting) continue;
    tray->waiting = false;
    tray->problem = why;
    return;
  }
}

bool photo_awaited(const AppState& app) { return app.patrol.photos.waiting || app.tickets.form.photos.waiting; }

// The supervisor's weekly review (domain: rounds are reviewed weekly and archived): a week's rounds with their
// figures. A finished round is reviewed, which archives it, with one tap, or the whole week's at once; a round not
// finished is shown as such and cannot be.
void draw_round_review(AppState& app) {
  PatrolScreen& p = app.patrol;
  if (ImGui::Button(tr(S::Back), ImVec2(px(120), px(48)))) {
    p = PatrolScreen{};
    return;
  }
  const int offset = app.site.utc_offset_minutes;
  core::Period week = core::period_containing(core::PeriodKind::Week, app.host.now_ms(), offset);
  for (int i = 0; i < p.weeks_back; ++i) week = core::previous_period(week, offset);
  char buf[256];
  ImGui::SameLine(0, px(20));
  period_steps(p.weeks_back, tr(S::PreviousWeek), tr(S::NextWeek), tr(S::ThisWeek), px(150), px(100));

  const std::vector<const core::PatrolRound*> rounds =
      core::rounds_started_between(app.ops->rounds(), week.begin_ms, week.end_ms);
  std::vector<core::RoundState> states;  // derived once per frame, for the counts and the list
  std::vector<std::string> to_review;    // ids: each save below replaces a stored round
  int reviewed = 0;
  for (const core::PatrolRound* r : rounds) {
    const core::RoundState& st = states.emplace_back(core::derive_round(*r));
    if (!st.reviewed_by.empty()) ++reviewed;
    else if (st.status == core::RoundStatus::Finished) to_review.push_back(r->id);
  }
  ImGui::PushFont(heading_font());
  std::snprintf(buf, sizeof buf, tr(S::PeriodRangeFmt), week.first_day.c_str(), week.last_day.c_str());
  tracked_text((std::string(tr(S::PatrolReviewTitle)) + "  " + buf).c_str());
  ImGui::PopFont();
  if (!p.message.empty()) colored_text(p.message_is_error ? kDanger : kGood, p.message.c_str());
  if (rounds.empty()) {
    colored_text(kMuted, tr(S::PatrolNoRoundsInWeek));
    return;
  }
  std::snprintf(buf, sizeof buf, tr(S::PatrolReviewCountFmt), reviewed, (int)rounds.size());
  tracked_text(buf);
  if (!to_review.empty()) {
    std::snprintf(buf, sizeof buf, tr(S::PatrolReviewAllFmt), (int)to_review.size());
    ImGui::BeginDisabled(!app.writer);
    const bool all = primary_button(buf, ImVec2(px(260), px(52)));
    ImGui::EndDisabled();
    if (all) {
      for (const std::string& id : to_review)
        if (const core::PatrolRound* r = app.ops->find_round(id)) simple_event(app, *r, core::RoundEventKind::Review);
      return;  // the list above points into rounds the saves replaced
    }
  }
  ImGui::Separator();

  for (size_t i = 0; i < rounds.size(); ++i) {
    const core::PatrolRound* r = rounds[i];
    const core::RoundState& st = states[i];
    ImGui::PushID(r->id.c_str());
    std::snprintf(buf, sizeof buf, "%s · %s · %s", r->template_name.c_str(), r->patroller.c_str(),
                  hhmm(app, r->started_ms).c_str());
    tracked_text(buf);
    if (st.status != core::RoundStatus::Finished) {
      std::snprintf(buf, sizeof buf, tr(S::ProgressFmt), st.checked, st.total);
      colored_text(kWarning, (std::string(tr(S::PatrolNotFinished)) + " · " + buf).c_str());
    } else {
      std::snprintf(buf, sizeof buf, tr(S::PatrolRoundFiguresFmt), st.passed, st.findings, st.not_accessible,
                    format_duration(st.walking_ms).c_str());
      colored_text(st.findings > 0 ? kWarning : kMuted, buf);
      if (!st.reviewed_by.empty()) {
        std::snprintf(buf, sizeof buf, tr(S::PatrolReviewedFmt), st.reviewed_by.c_str(),
                      hhmm(app, st.reviewed_ms).c_str());
        colored_text(kGood, buf);
      } else {
        ImGui::BeginDisabled(!app.writer);
        const bool review = ImGui::Button(tr(S::PatrolReviewOne), ImVec2(px(160), px(52)));
        ImGui::EndDisabled();
        if (review) {
          simple_event(app, *r, core::RoundEventKind::Review);
          ImGui::PopID();
          return;  // as above
        }
      }
    }
    ImGui::PopID();
    ImGui::Separator();
  }
}

void draw_patrol(AppState& app) {
  if (!app.ops) return;
  const float width = ImGui::GetContentRegionAvail().x;
  if (app.patrol.reviewing)
    draw_round_review(app);
  else if (app.patrol.round_id.empty())
    draw_route_choice(app);
  else
    draw_round(app, width);
}

}  // namespace steward::ui
