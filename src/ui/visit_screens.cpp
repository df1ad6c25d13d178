#include "ui/visit_screens.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "imgui.h"
#include "ui/test_hook.hpp"
#include "ui/widgets.hpp"

namespace steward::ui {
namespace {

const char* visit_number_text(int visit_number, char* buf, size_t size) {
  if (visit_number <= 1) return tr(S::FirstVisit);
  std::snprintf(buf, size, tr(S::RepeatVisitFmt), visit_number);
  return buf;
}

std::string today(const AppState& app) {
  return core::local_day(app.host.now_ms(), app.site.utc_offset_minutes);
}

// Stores a changed or new visit and asks for it to be made durable. A failure is shown, never swallowed.
bool write_visit(AppState& app, core::Visit visit) {
  try {
    const core::Visit& saved = app.repo->save(std::move(visit));
    app.unsaved[saved.id] = app.host.persist();
    app.write_error.clear();
    return true;
  } catch (const store::StoreError& e) {
    app.write_error = std::string(tr(S::WriteFailed)) + ": " + e.what();
    return false;
  }
}

const std::vector<const core::Visit*>& day_visits(AppState& app) {
  TodayList& t = app.today;
  const std::string day = today(app);
  if (t.cached_version != app.repo->version() || t.cached_day != day) {
    t.day_visits = core::visits_on_day(app.repo->visits(), day, app.site.utc_offset_minutes);
    t.cached_version = app.repo->version();
    t.cached_day = day;
  }
  return t.day_visits;
}

// ---- register ---------------------------------------------------------------------------------------

core::VisitDraft draft_from(const AppState& app) {
  const RegisterForm& f = app.form;
  core::VisitDraft d;
  d.name = f.name;
  d.phone = f.phone;
  d.party_size = f.party_size;
  if (f.channel >= 0) d.channel = core::kAllChannels[f.channel];
  if (f.consultant >= 0 && f.consultant < (int)app.site.consultants.size())
    d.appointed_consultant = app.site.consultants[f.consultant];
  d.car_plate = f.plate;
  d.notes = f.notes;
  return d;
}

void field_error(const RegisterForm& f, core::Field field) {
  for (const core::FieldError& e : f.errors)
    if (e.field == field) colored_text(kDanger, problem_message(e.field, e.problem).c_str());
}

void field_label(S label, bool optional = false) {
  ImGui::TextUnformatted(tr(label));
  if (optional) {
    ImGui::SameLine(0, 0);
    ImGui::TextDisabled("%s", tr(S::Optional));
  }
}

void start_save(AppState& app) {
  RegisterForm& f = app.form;
  const core::VisitDraft draft = draft_from(app);
  f.errors = core::validate(draft);
  f.saved_message.clear();
  if (!f.errors.empty()) return;
  core::Visit visit = core::make_visit(draft, "visit:" + app.host.new_uuid(), app.site.id, app.host.now_ms(),
                                       app.repo->visits());
  char buf[64];
  f.saving_name = visit.name + " · " + visit_number_text(visit.visit_number, buf, sizeof buf);
  if (!write_visit(app, std::move(visit))) {
    f.phase = RegisterForm::Phase::Failed;
    f.failure = app.write_error;
    app.write_error.clear();
    f.saving_generation = 0;  // nothing stored: "retry" saves again
    return;
  }
  f.phase = RegisterForm::Phase::Saving;
  f.saving_generation = app.persist.requested;
}

// Follows the durability of the record the form just stored.
void follow_save(AppState& app) {
  RegisterForm& f = app.form;
  if (f.phase != RegisterForm::Phase::Saving) return;
  if (app.persist.done >= f.saving_generation) {
    char buf[256];
    std::snprintf(buf, sizeof buf, tr(S::SavedFmt), f.saving_name.c_str());
    const std::string message = buf;
    f = RegisterForm{};
    f.saved_message = message;
  } else if (app.persist.failed >= f.saving_generation) {
    f.phase = RegisterForm::Phase::Failed;
    f.failure = app.persist.quota_exceeded ? tr(S::QuotaExceeded)
                                           : std::string(tr(S::WriteFailed)) + ": " + app.persist.error;
  }
}

void retry_save(AppState& app) {
  RegisterForm& f = app.form;
  if (f.saving_generation == 0) {  // the write itself failed: write again
    f.phase = RegisterForm::Phase::Editing;
    start_save(app);
    return;
  }
  f.saving_generation = app.host.persist();
  f.phase = RegisterForm::Phase::Saving;
}

void draw_visit_recognition(const AppState& app) {
  // While the form's own record is being saved it is already in the list: it must not count as an earlier visit.
  if (app.form.phase != RegisterForm::Phase::Editing) return;
  const std::string phone = core::normalize_phone(app.form.phone);
  if (!core::is_mainland_mobile(phone)) return;
  const core::VisitHistory h = core::history_for_phone(app.repo->visits(), phone);
  char buf[160];
  if (h.previous_visits == 0) {
    colored_text(kGood, tr(S::FirstVisit));
    return;
  }
  colored_text(kAccent, visit_number_text(h.next_visit_number, buf, sizeof buf));
  if (h.last) {
    ImGui::SameLine(0, px(16));
    const std::string day = core::local_day(h.last->arrived_ms, app.site.utc_offset_minutes);
    std::snprintf(buf, sizeof buf, tr(S::LastVisitFmt), day.c_str(), h.last->name.c_str());
    colored_text(kMuted, buf);
  }
}

void draw_identity_fields(AppState& app, float width) {
  RegisterForm& f = app.form;
  char id[64];
  field_label(S::FieldName);
  ImGui::SetNextItemWidth(width);
  std::snprintf(id, sizeof id, "##%s", tr(S::FieldName));
  ImGui::InputTextWithHint(id, tr(S::HintName), f.name, sizeof f.name);
  field_error(f, core::Field::Name);

  field_label(S::FieldPhone);
  ImGui::SetNextItemWidth(width);
  std::snprintf(id, sizeof id, "##%s", tr(S::FieldPhone));
  ImGui::InputTextWithHint(id, tr(S::HintPhone), f.phone, sizeof f.phone);
  field_error(f, core::Field::Phone);
  draw_visit_recognition(app);

  field_label(S::FieldPartySize);
  const ImVec2 step(px(64), px(48));
  ImGui::PushFont(heading_font());
  if (ImGui::Button("-##party", step) && f.party_size > 1) --f.party_size;
  ImGui::SameLine();
  char count[16];
  std::snprintf(count, sizeof count, "%d", f.party_size);
  // The count sits centred between the buttons, in a box as wide as two digits.
  const float box = ImGui::CalcTextSize("00").x + px(16);
  const ImVec2 at = ImGui::GetCursorPos();
  ImGui::SetCursorPos(ImVec2(at.x + (box - ImGui::CalcTextSize(count).x) / 2,
                             at.y + (step.y - ImGui::GetTextLineHeight()) / 2));
  tracked_text(count);
  ImGui::SameLine();
  ImGui::SetCursorPos(ImVec2(at.x + box + ImGui::GetStyle().ItemSpacing.x, at.y));
  if (ImGui::Button("+##party", step) && f.party_size < core::kMaxPartySize) ++f.party_size;
  ImGui::PopFont();
  field_error(f, core::Field::PartySize);
}

void draw_choice_fields(AppState& app, float width) {
  RegisterForm& f = app.form;
  field_label(S::FieldChannel);
  std::vector<const char*> channels;
  for (core::Channel c : core::kAllChannels) channels.push_back(channel_name(c));
  const int channel = choice_buttons(channels, f.channel, width);
  if (channel >= 0) f.channel = channel;
  field_error(f, core::Field::Channel);

  field_label(S::FieldConsultant, true);
  std::vector<const char*> consultants{tr(S::NoConsultant)};
  for (const std::string& c : app.site.consultants) consultants.push_back(c.c_str());
  const int consultant = choice_buttons(consultants, f.consultant + 1, width);
  if (consultant >= 0) f.consultant = consultant - 1;
  field_error(f, core::Field::Consultant);

  char id[64];
  field_label(S::FieldPlate, true);
  ImGui::SetNextItemWidth(std::min(width, px(320)));
  std::snprintf(id, sizeof id, "##%s", tr(S::FieldPlate));
  ImGui::InputTextWithHint(id, tr(S::HintPlate), f.plate, sizeof f.plate);
  field_error(f, core::Field::Plate);

  field_label(S::FieldNotes, true);
  std::snprintf(id, sizeof id, "##%s", tr(S::FieldNotes));
  ImGui::InputTextMultiline(id, f.notes, sizeof f.notes, ImVec2(width, px(110)));
  field_error(f, core::Field::Notes);
}

void draw_form_actions(AppState& app, float width) {
  RegisterForm& f = app.form;
  if (f.phase == RegisterForm::Phase::Failed) {
    banner(kDangerBg, f.failure.c_str(), width);
    if (primary_button(tr(S::Retry), ImVec2(px(200), px(56)))) retry_save(app);
    return;
  }
  ImGui::BeginDisabled(f.phase == RegisterForm::Phase::Saving || !app.writer);
  if (primary_button(tr(S::SaveVisit), ImVec2(px(200), px(56)))) start_save(app);
  ImGui::SameLine();
  if (ImGui::Button(tr(S::ClearForm), ImVec2(px(120), px(56)))) f = RegisterForm{};
  ImGui::EndDisabled();
  if (f.phase == RegisterForm::Phase::Saving) {
    ImGui::SameLine(0, px(20));
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + px(14));
    colored_text(kMuted, tr(S::Saving));
  } else if (!f.saved_message.empty()) {
    ImGui::SameLine(0, px(20));
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + px(14));
    colored_text(kGood, f.saved_message.c_str());
  }
}

// ---- today --------------------------------------------------------------------------------------------

void draw_receive_popup(AppState& app) {
  TodayList& t = app.today;
  if (t.receiving_visit_id.empty()) return;
  const core::Visit* visit = app.repo->find(t.receiving_visit_id);
  if (!visit) {
    t.receiving_visit_id.clear();
    return;
  }
  if (!begin_dialog("##receive", px(520))) return;
  char title[160];
  std::snprintf(title, sizeof title, tr(S::ChooseConsultantFmt), visit->name.c_str());
  // In the body font: the heading font holds only the UI's own characters, and a name may hold any.
  tracked_text(title);
  ImGui::Spacing();
  // The appointed consultant first: the visitor asked for them, and the first receiver keeps the client.
  std::vector<std::string> order;
  if (!visit->appointed_consultant.empty()) order.push_back(visit->appointed_consultant);
  for (const std::string& c : app.site.consultants)
    if (c != visit->appointed_consultant) order.push_back(c);
  std::string chosen;
  for (size_t i = 0; i < order.size(); ++i) {
    const bool appointed = i == 0 && !visit->appointed_consultant.empty();
    if (toggle_button(order[i].c_str(), appointed, ImVec2(px(150), px(52)))) chosen = order[i];
    if (i % 3 != 2 && i + 1 < order.size()) ImGui::SameLine();
  }
  // Someone not on the roster (another team's consultant, or before the roster has reached this tablet).
  ImGui::Spacing();
  char id[64];
  std::snprintf(id, sizeof id, "##%s", tr(S::OtherConsultant));
  ImGui::SetNextItemWidth(px(310));
  ImGui::InputTextWithHint(id, tr(S::OtherConsultant), t.other_consultant, sizeof t.other_consultant);
  ImGui::SameLine();
  const std::optional<std::string> typed = core::normalize_consultant_name(t.other_consultant);
  ImGui::BeginDisabled(!typed);
  if (ImGui::Button(tr(S::Confirm), ImVec2(px(150), px(48)))) chosen = *typed;
  ImGui::EndDisabled();
  ImGui::Spacing();
  bool close = false;
  if (ImGui::Button(tr(S::Cancel), ImVec2(px(150), px(52)))) close = true;
  if (!chosen.empty()) {
    core::Visit changed = *visit;
    if (core::mark_received(changed, chosen, app.host.now_ms())) write_visit(app, std::move(changed));
    close = true;
  }
  if (close) {
    t.receiving_visit_id.clear();
    t.other_consultant[0] = '\0';
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

// Which edits a merged visit combined: each device's latest edit, when, and the fields kept from it.
void draw_merge_detail_popup(AppState& app) {
  TodayList& t = app.today;
  if (t.merge_detail_visit_id.empty()) return;
  const core::Visit* visit = app.repo->find(t.merge_detail_visit_id);
  if (!visit || !visit->was_merged()) {  // edited since: the merge is superseded
    t.merge_detail_visit_id.clear();
    return;
  }
  if (!begin_dialog("##merged", px(560), tr(S::MergeDetailTitle))) return;
  ImGui::PushTextWrapPos(0.0f);
  tracked_text(tr(S::MergeDetailExplain));
  ImGui::Spacing();
  char device[96], line[256];
  for (const core::MergedEdit& e : visit->merge_detail) {
    if (e.by.empty())
      std::snprintf(device, sizeof device, "%s", tr(S::AnotherDevice));
    else if (e.by == app.device_id)
      std::snprintf(device, sizeof device, "%s", tr(S::ThisTablet));
    else
      std::snprintf(device, sizeof device, tr(S::TabletFmt), e.by.substr(0, 4).c_str());
    if (e.at_ms > 0) {
      const std::string when = core::local_day(e.at_ms, app.site.utc_offset_minutes).substr(5) + " " +
                               core::local_time_hhmm(e.at_ms, app.site.utc_offset_minutes);
      std::snprintf(line, sizeof line, tr(S::MergeEditByFmt), device, when.c_str());
      colored_text(kAccent, line);
    } else {
      colored_text(kAccent, device);
    }
    std::string names;
    for (const std::string& f : e.fields) {
      const std::string label = visit_field_label(f);
      if (!label.empty()) names += (names.empty() ? "" : tr(S::ListSeparator)) + label;
    }
    if (names.empty()) {
      colored_text(kMuted, tr(S::MergeEditSuperseded));
    } else {
      std::snprintf(line, sizeof line, tr(S::MergeEditKeptFmt), names.c_str());
      tracked_text(line);
    }
    ImGui::Spacing();
  }
  ImGui::PopTextWrapPos();
  if (ImGui::Button(tr(S::GotIt), ImVec2(px(150), px(52)))) {
    t.merge_detail_visit_id.clear();
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

// One visit in full: the phone number behind a tap that is logged (调阅记录), the rest as recorded.
void draw_visit_detail_popup(AppState& app) {
  TodayList& t = app.today;
  if (t.detail_visit_id.empty()) return;
  const core::Visit* visit = app.repo->find(t.detail_visit_id);
  if (!visit) {
    t.detail_visit_id.clear();
    return;
  }
  if (!begin_dialog("##visit-detail", px(600), tr(S::VisitDetailTitle))) return;
  tracked_text(visit->name.c_str());
  draw_revealable_phone(app, visit->phone, visit->id, core::RecordFamily::Visits, t.revealed);
  char buf[256], num[64];
  const int offset = app.site.utc_offset_minutes;
  std::snprintf(buf, sizeof buf, "%s：%d · %s · %s %s", tr(S::FieldPartySize), visit->party_size,
                visit_number_text(visit->visit_number, num, sizeof num), tr(S::FieldArrivedAt),
                core::local_time_hhmm(visit->arrived_ms, offset).c_str());
  tracked_text(buf);
  std::snprintf(buf, sizeof buf, "%s：%s", tr(S::FieldChannel), channel_name(visit->channel));
  tracked_text(buf);
  if (!visit->received_by.empty()) {
    std::snprintf(buf, sizeof buf, "%s：%s", tr(S::FieldReceivedBy), visit->received_by.c_str());
    tracked_text(buf);
  }
  if (!visit->car_plate.empty()) {
    std::snprintf(buf, sizeof buf, "%s：%s", tr(S::FieldPlate), visit->car_plate.c_str());
    tracked_text(buf);
  }
  if (!visit->notes.empty()) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + px(560));
    tracked_text(visit->notes.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::Spacing();
  if (ImGui::Button(tr(S::Close), ImVec2(px(150), px(52)))) {
    t.detail_visit_id.clear();
    t.revealed = Revealed{};
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

void depart(AppState& app, const core::Visit& v, int64_t now) {
  core::Visit changed = v;
  if (core::mark_left(changed, now)) write_visit(app, std::move(changed));
}

// A long press (or a right click) on a visit's row: its actions in a menu with large targets.
void draw_visit_menu(AppState& app, int64_t now) {
  TodayList& t = app.today;
  if (t.menu_visit_id.empty()) return;
  const core::Visit* visit = app.repo->find(t.menu_visit_id);
  if (t.menu_requested && visit) ImGui::OpenPopup("##visit-menu");
  t.menu_requested = false;
  if (!visit || !ImGui::BeginPopup("##visit-menu")) {
    t.menu_visit_id.clear();  // closed by a tap elsewhere
    return;
  }
  tracked_text(visit->name.c_str());
  ImGui::Separator();
  const ImVec2 size(px(200), px(52));
  bool close = false;
  ImGui::BeginDisabled(!app.writer);
  if (visit->status() == core::VisitStatus::Waiting && ImGui::Button(tr(S::Receive), size)) {
    t.receiving_visit_id = visit->id;
    close = true;
  }
  if (visit->status() != core::VisitStatus::Left && ImGui::Button(tr(S::Depart), size)) {
    depart(app, *visit, now);
    close = true;
  }
  ImGui::EndDisabled();
  if (ImGui::Button(tr(S::Cancel), size)) close = true;
  if (close) {
    t.menu_visit_id.clear();
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

void draw_visit_row(AppState& app, const core::Visit& v, int64_t now) {
  char buf[160];
  ImGui::TableNextRow(0, px(56));
  ImGui::PushID(v.id.c_str());

  ImGui::TableNextColumn();
  const float row_top = ImGui::GetCursorScreenPos().y;
  ImGui::AlignTextToFramePadding();
  tracked_text(core::local_time_hhmm(v.arrived_ms, app.site.utc_offset_minutes).c_str());

  ImGui::TableNextColumn();
  ImGui::AlignTextToFramePadding();
  tracked_text(v.name.c_str());
  if (!v.car_plate.empty()) {
    ImGui::SameLine();
    colored_text(kMuted, v.car_plate.c_str());
  }
  if (v.was_merged()) {
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, kAccent);
    if (ImGui::Button(tr(S::MergedTag), ImVec2(0, px(44)))) app.today.merge_detail_visit_id = v.id;
    ImGui::PopStyleColor();
  }
  if (app.unsaved.count(v.id)) {
    ImGui::SameLine();
    colored_text(kDanger, tr(S::NotYetSaved));
  }

  ImGui::TableNextColumn();
  // Masked in the list; a tap opens the visit, where the number can be shown (and that is logged).
  ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0, 0, 0, 0));
  ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 0.0f);
  if (ImGui::Button(core::mask_phone(v.phone).c_str(), ImVec2(0, px(44)))) {
    app.today.detail_visit_id = v.id;
    app.today.revealed = Revealed{};
  }
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();

  ImGui::TableNextColumn();
  ImGui::AlignTextToFramePadding();
  std::snprintf(buf, sizeof buf, "%d", v.party_size);
  tracked_text(buf);

  ImGui::TableNextColumn();
  ImGui::AlignTextToFramePadding();
  colored_text(v.is_repeat() ? kAccent : kGood, visit_number_text(v.visit_number, buf, sizeof buf));

  ImGui::TableNextColumn();
  ImGui::AlignTextToFramePadding();
  switch (v.status()) {
    case core::VisitStatus::Waiting: colored_text(kWarning, tr(S::StatusWaiting)); break;
    case core::VisitStatus::WithConsultant:
      std::snprintf(buf, sizeof buf, tr(S::StatusWithConsultantFmt), v.received_by.c_str());
      colored_text(kAccent, buf);
      break;
    case core::VisitStatus::Left: colored_text(kMuted, tr(S::StatusLeft)); break;
  }

  ImGui::TableNextColumn();
  ImGui::AlignTextToFramePadding();
  std::snprintf(buf, sizeof buf, tr(S::MinutesFmt), (int)core::waiting_minutes(v, now));
  tracked_text(buf);

  ImGui::TableNextColumn();
  ImGui::BeginDisabled(!app.writer);
  const ImVec2 action(px(84), px(48));
  if (v.status() == core::VisitStatus::Waiting) {
    if (ImGui::Button(tr(S::Receive), action)) app.today.receiving_visit_id = v.id;
    ImGui::SameLine();
  }
  if (v.status() != core::VisitStatus::Left) {
    if (ImGui::Button(tr(S::Depart), action)) depart(app, v, now);
  }
  ImGui::EndDisabled();
  const float mouse_y = ImGui::GetIO().MousePos.y;
  if (ImGui::IsMouseReleased(ImGuiMouseButton_Right) && ImGui::IsWindowHovered() && mouse_y >= row_top &&
      mouse_y < row_top + px(56)) {
    app.today.menu_visit_id = v.id;
    app.today.menu_requested = true;
  }
  ImGui::PopID();
}

// ---- summary ------------------------------------------------------------------------------------------

void summary_tile(const char* label, int value, const ImVec4& color) {
  ImGui::BeginGroup();
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  ImGui::PushFont(heading_font());
  char buf[32];
  std::snprintf(buf, sizeof buf, "%d", value);
  tracked_text(buf);
  ImGui::PopFont();
  ImGui::PopStyleColor();
  colored_text(kMuted, label);
  ImGui::EndGroup();
}

}  // namespace

void draw_register_form(AppState& app) {
  follow_save(app);
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0, 0, 0, 0));
  ImGui::BeginChild("##register", ImVec2(0, 0), false);
  ImGui::PopStyleColor();
  const float avail = ImGui::GetContentRegionAvail().x;
  const bool two_columns = avail >= px(1000);
  ImGui::BeginDisabled(app.form.phase != RegisterForm::Phase::Editing || !app.writer);
  // Landscape: who (and the actions, always in view) on the left, the choices on the right.
  if (two_columns) {
    const float column = (avail - px(40)) / 2;
    ImGui::BeginGroup();
    draw_identity_fields(app, column);
    ImGui::EndDisabled();
    ImGui::Spacing();
    draw_form_actions(app, column);
    ImGui::EndGroup();
    ImGui::SameLine(0, px(40));
    ImGui::BeginGroup();
    ImGui::BeginDisabled(app.form.phase != RegisterForm::Phase::Editing || !app.writer);
    draw_choice_fields(app, column);
    ImGui::EndDisabled();
    ImGui::EndGroup();
  } else {
    const float width = std::min(avail, px(720));
    draw_identity_fields(app, width);
    draw_choice_fields(app, width);
    ImGui::EndDisabled();
    ImGui::Spacing();
    draw_form_actions(app, width);
  }
  ImGui::EndChild();
}

void draw_today_list(AppState& app) {
  TodayList& t = app.today;
  char id[64];
  std::snprintf(id, sizeof id, "##%s", tr(S::SearchHint));
  ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, px(480)));
  ImGui::InputTextWithHint(id, tr(S::SearchHint), t.search, sizeof t.search);

  const auto& visits = day_visits(app);
  std::vector<const core::Visit*> shown;
  for (const core::Visit* v : visits)
    if (core::matches_search(*v, t.search)) shown.push_back(v);
  if (shown.empty()) {
    colored_text(kMuted, tr(visits.empty() ? S::NoVisitsToday : S::NoMatches));
    return;
  }
  const int64_t now = app.host.now_ms();
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY |
                                ImGuiTableFlags_SizingFixedFit;
  if (ImGui::BeginTable("##today", 8, flags)) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(tr(S::ColArrived));
    ImGui::TableSetupColumn(tr(S::ColVisitor), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn(tr(S::ColPhone));
    ImGui::TableSetupColumn(tr(S::ColParty));
    ImGui::TableSetupColumn(tr(S::ColVisit));
    ImGui::TableSetupColumn(tr(S::ColStatus));
    ImGui::TableSetupColumn(tr(S::ColWaited));
    ImGui::TableSetupColumn(tr(S::ColActions));
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin((int)shown.size(), px(56) + ImGui::GetStyle().CellPadding.y * 2);
    while (clipper.Step())
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) draw_visit_row(app, *shown[i], now);
    ImGui::EndTable();
  }
  draw_visit_menu(app, now);
  draw_receive_popup(app);
  draw_merge_detail_popup(app);
  draw_visit_detail_popup(app);
}

void draw_day_summary(AppState& app) {
  const auto& visits = day_visits(app);
  const core::DaySummary s = core::summarize(visits);
  char buf[128];
  std::snprintf(buf, sizeof buf, tr(S::SummaryTitleFmt), app.today.cached_day.c_str());
  ImGui::PushFont(heading_font());
  tracked_text(buf);
  ImGui::PopFont();
  ImGui::Spacing();

  struct Tile {
    S label;
    int value;
    ImVec4 color;
  };
  const Tile tiles[] = {{S::SumVisits, s.visits, kAccent},       {S::SumPeople, s.people, kAccent},
                        {S::SumFirst, s.first_visits, kGood},    {S::SumRepeat, s.repeat_visits, kAccent},
                        {S::SumWaiting, s.waiting, kWarning},    {S::SumWithConsultant, s.with_consultant, kAccent},
                        {S::SumLeft, s.left, kMuted}};
  for (const Tile& tile : tiles) {
    summary_tile(tr(tile.label), tile.value, tile.color);
    ImGui::SameLine(0, px(48));
  }
  ImGui::NewLine();
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::PushFont(heading_font());
  tracked_text(tr(S::ByChannel));
  ImGui::PopFont();

  const int most = std::max(1, *std::max_element(s.by_channel.begin(), s.by_channel.end()));
  const float label_w = px(160), bar_w = std::min(ImGui::GetContentRegionAvail().x - label_w - px(80), px(640));
  for (size_t i = 0; i < core::kAllChannels.size(); ++i) {
    ImGui::AlignTextToFramePadding();
    tracked_text(channel_name(core::kAllChannels[i]));
    ImGui::SameLine(label_w);
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float w = bar_w * s.by_channel[i] / most;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(p, ImVec2(p.x + bar_w, p.y + px(32)), ImGui::GetColorU32(ImVec4(0.9f, 0.91f, 0.93f, 1)), px(6));
    if (w > 0) draw->AddRectFilled(p, ImVec2(p.x + w, p.y + px(32)), ImGui::GetColorU32(kAccent), px(6));
    ImGui::Dummy(ImVec2(bar_w, px(32)));
    ImGui::SameLine(0, px(16));
    std::snprintf(buf, sizeof buf, "%d", s.by_channel[i]);
    tracked_text(buf);
  }
}

}  // namespace steward::ui
