#include "ui/ops_screens.hpp"

#include <algorithm>
#include <cstdio>
#include <set>
#include <string>

#include "imgui.h"
#include "imgui_internal.h"  // the line's text baseline, reset between side-by-side blocks
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

// Stores a record through `save` and asks for it to be made durable. A failure is shown, never swallowed.
template <class Save>
bool write(AppState& app, Save save) {
  try {
    save();
    app.host.persist();
    app.write_error.clear();
    return true;
  } catch (const std::exception& e) {
    app.write_error = std::string(tr(S::WriteFailed)) + ": " + e.what();
    return false;
  }
}

bool write_ticket(AppState& app, core::Ticket t, const std::vector<store::Photo>& photos = {}) {
  return write(app, [&] { app.ops->save_ticket(std::move(t), photos); });
}

bool write_round(AppState& app, core::PatrolRound r) {
  return write(app, [&] { app.ops->save_round(std::move(r)); });
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

void field_errors(const std::vector<core::TicketFieldError>& errors, core::TicketField field) {
  for (const core::TicketFieldError& e : errors)
    if (e.field == field) colored_text(kDanger, ticket_problem_message(e.field, e.problem).c_str());
}

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
  if (primary_button(tr(S::NewTicket), ImVec2(px(150), px(48)))) {
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
  d.complaint_level = d.type == core::TicketType::Complaint ? f.complaint_level : 0;
  const int64_t now = app.host.now_ms();
  f.errors = core::validate(d, now);
  if (!f.errors.empty()) return;
  const core::Ticket t = core::make_ticket(d, "ticket:" + app.host.new_uuid(), app.site.id, app.user, now,
                                           app.host.new_uuid(), app.ops->tickets());
  const std::string id = t.id;
  char buf[256];
  std::snprintf(buf, sizeof buf, tr(S::TicketSavedFmt), t.description.substr(0, 60).c_str());
  if (!write_ticket(app, t)) return;
  say(s.message, s.message_is_error, buf, false);
  s.creating = false;
  s.open_id = id;
  s.revealed = Revealed{};
}

// A labelled field with its problems beneath, as one block that can sit beside others on a row.
void field_block(S label, char* buf, size_t size, float width, const std::vector<core::TicketFieldError>& errors,
                 core::TicketField field) {
  ImGui::BeginGroup();
  text_input(label, buf, size, width);
  field_errors(errors, field);
  ImGui::EndGroup();
}

// Choices under a label, as one block.
int choice_block(S label, const std::vector<const char*>& labels, int selected, float width, const char* id,
                 const std::vector<core::TicketFieldError>& errors, core::TicketField field) {
  ImGui::BeginGroup();
  ImGui::TextUnformatted(tr(label));
  const int tapped = choice_buttons(labels, selected, width, id);
  field_errors(errors, field);
  ImGui::EndGroup();
  return tapped;
}

// Laid out in rows of related fields, with "save" at the top, so the whole form fits a landscape tablet.
void draw_ticket_form(AppState& app, float width) {
  TicketsScreen& s = app.tickets;
  TicketForm& f = s.form;
  if (ImGui::Button(tr(S::Back), ImVec2(px(120), px(48)))) s.creating = false;
  ImGui::SameLine();
  ImGui::BeginDisabled(!app.writer);
  if (primary_button(tr(S::SaveTicket), ImVec2(px(200), px(48)))) save_new_ticket(app);
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
  // baseline (its label would sit a frame padding lower).
  float row_y = 0;
  auto next_block = [&] {
    ImGui::SameLine();
    ImGui::SetCursorPosY(row_y);
    ImGui::GetCurrentWindow()->DC.CurrLineTextBaseOffset = 0;
  };

  row_y = ImGui::GetCursorPosY();
  field_block(S::FieldBuilding, f.building, sizeof f.building, px(160), f.errors, core::TicketField::Location);
  next_block();
  field_block(S::FieldUnit, f.unit, sizeof f.unit, px(160), {}, core::TicketField::Location);
  next_block();
  field_block(S::FieldPlace, f.place, sizeof f.place, px(360), {}, core::TicketField::Location);

  row_y = ImGui::GetCursorPosY();
  field_block(S::FieldReporter, f.reporter, sizeof f.reporter, px(200), f.errors, core::TicketField::Reporter);
  next_block();
  field_block(S::FieldContact, f.contact, sizeof f.contact, px(240), f.errors, core::TicketField::Contact);
  next_block();
  field_block(S::FieldCategory, f.category, sizeof f.category, px(200), f.errors, core::TicketField::Category);

  ImGui::TextUnformatted(tr(S::FieldDescription));
  ImGui::InputTextMultiline("##描述", f.description, sizeof f.description,
                            ImVec2(std::min(width - px(24), px(760)), px(80)));
  field_errors(f.errors, core::TicketField::Description);

  row_y = ImGui::GetCursorPosY();
  const int priority = choice_block(S::FieldPriority, {priority_name(core::Priority::Normal),
                                                       priority_name(core::Priority::Emergency)},
                                    f.priority, px(260), "priority", f.errors, core::TicketField::Priority);
  if (priority >= 0) f.priority = priority;
  if (f.type >= 0 && core::kAllTicketTypes[f.type] == core::TicketType::Complaint) {
    ImGui::SameLine(0, px(40));
    ImGui::SetCursorPosY(row_y);
    ImGui::GetCurrentWindow()->DC.CurrLineTextBaseOffset = 0;
    const bool zh = language() == Lang::Zh;
    const int level = choice_block(S::FieldComplaintLevel,
                                   {zh ? "一级" : "Level 1", zh ? "二级" : "Level 2", zh ? "三级" : "Level 3"},
                                   f.complaint_level - 1, px(380), "level", f.errors, core::TicketField::ComplaintLevel);
    if (level >= 0) f.complaint_level = level + 1;
  }
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
  s.department[0] = s.person[0] = s.text[0] = s.outcome[0] = '\0';
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
    text_input(S::FieldDepartment, s.department, sizeof s.department, px(240));
    ImGui::SameLine();
    ImGui::BeginGroup();
    text_input(S::FieldPerson, s.person, sizeof s.person, px(200));
    ImGui::EndGroup();
    if (ImGui::Button(tr(S::ActDispatch), button)) {
      core::TimelineEntry e;
      e.kind = core::StepKind::Dispatch;
      e.department = s.department;
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

// The ticket's photos as thumbnails, decoded by the page on first sight; a photo whose bytes have not arrived yet
// (a pull may bring the document first) shows as an empty frame until they do.
void draw_thumbnails(AppState& app, const core::Ticket& t) {
  const float side = px(160);
  for (size_t i = 0; i < t.photos.size(); ++i) {
    const std::string key = t.id + "/" + t.photos[i];
    auto it = app.thumbnails.find(key);
    if (it == app.thumbnails.end() && app.host.request_thumbnail) {
      if (const auto photo = app.ops->photo(t.id, t.photos[i])) {
        app.thumbnails[key] = Thumbnail{};
        app.host.request_thumbnail(key, photo->base64);
      }
    }
    if (i > 0) ImGui::SameLine();
    it = app.thumbnails.find(key);
    if (it != app.thumbnails.end() && it->second.texture) {
      const Thumbnail& th = it->second;
      const float scale = side / (float)std::max(th.width, th.height);
      ImGui::Image((ImTextureID)(intptr_t)th.texture, ImVec2(th.width * scale, th.height * scale));
      tracked_item(("photo:" + t.photos[i]).c_str());
    } else {
      ImGui::Dummy(ImVec2(side, side * 0.75f));
      ImGui::GetWindowDrawList()->AddRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax(),
                                          ImGui::GetColorU32(ImGuiCol_Border));
    }
  }
}

void draw_ticket_detail(AppState& app, float width) {
  TicketsScreen& s = app.tickets;
  const core::Ticket* found = app.ops->find_ticket(s.open_id);
  if (ImGui::Button(tr(S::Back), ImVec2(px(120), px(48))) || !found) {
    s.open_id.clear();
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
  for (const store::Photo& photo : p.photos) f.photos.push_back(photo.name);
  const core::TicketDraft d = core::finding_ticket_draft(round, p.finding_at, f);
  const int64_t now = app.host.now_ms();
  p.errors = core::validate(d, now);
  if (!p.errors.empty()) return;
  const core::Ticket t = core::make_ticket(d, "ticket:" + app.host.new_uuid(), round.site, app.user, now,
                                           app.host.new_uuid(), app.ops->tickets());
  if (!write_ticket(app, t, p.photos)) return;
  const std::string key = p.finding_at;
  p.photos.clear();
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
      ImGui::BeginDisabled(p.photo_waiting);
      if (primary_button(tr(S::SaveFinding), ImVec2(px(240), px(56)))) save_finding(app, round);
      ImGui::EndDisabled();
      ImGui::SameLine();
      ImGui::BeginDisabled(p.photo_waiting || p.photos.size() >= core::kMaxTicketPhotos || !app.host.pick_photo);
      if (ImGui::Button(tr(S::AddPhoto), ImVec2(px(140), px(56)))) {
        p.photo_waiting = true;
        app.host.pick_photo();
      }
      ImGui::EndDisabled();
      ImGui::SameLine();
      if (ImGui::Button(tr(S::Cancel), ImVec2(px(120), px(56)))) {
        p.finding_at.clear();
        p.photos.clear();
        p.photo_waiting = false;
      }
      ImGui::SameLine(0, px(16));
      ImGui::SetCursorPosY(ImGui::GetCursorPosY() + px(14));
      std::snprintf(buf, sizeof buf, tr(S::PhotosFmt), (int)p.photos.size());
      colored_text(p.photos.empty() ? kMuted : kGood, buf);
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

void draw_tickets(AppState& app) {
  if (!app.ops) return;
  const float width = ImGui::GetContentRegionAvail().x;
  if (app.tickets.creating)
    draw_ticket_form(app, width);
  else if (!app.tickets.open_id.empty())
    draw_ticket_detail(app, width);
  else
    draw_ticket_list(app, width);
}

void draw_patrol(AppState& app) {
  if (!app.ops) return;
  const float width = ImGui::GetContentRegionAvail().x;
  if (app.patrol.round_id.empty())
    draw_route_choice(app);
  else
    draw_round(app, width);
}

}  // namespace steward::ui
