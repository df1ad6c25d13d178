#include "ui/patrol_editor.hpp"

#include <algorithm>
#include <cstdio>

#include "core/patrol_edit.hpp"
#include "imgui.h"
#include "imgui_stdlib.h"
#include "ui/app.hpp"
#include "ui/record_writes.hpp"
#include "ui/test_hook.hpp"
#include "ui/widgets.hpp"

namespace steward::ui {
namespace {

// The route's content, without the bookkeeping a save changes (revision, who and when).
nlohmann::json content(const core::PatrolTemplate& t) {
  nlohmann::json doc = core::to_json(t);
  for (const char* key : {"_rev", "edited_by", "edited_ms"}) doc.erase(key);
  return doc;
}

const core::PatrolTemplate* stored(const AppState& app) {
  return app.ops->find_template(app.route_editor.template_id);
}

// The working copy was made from the route's current revision: saving or deleting it undoes nobody's change.
bool based_on_current(const AppState& app) {
  const core::PatrolTemplate* current = stored(app);
  return current && current->rev == app.route_editor.base.rev;
}

void draw_message(const RouteEditor& e) {
  if (!e.message.empty()) colored_text(e.message_is_error ? kDanger : kGood, e.message.c_str());
}

bool has_unsaved_changes(const AppState& app) {
  const RouteEditor& e = app.route_editor;
  if (e.template_id.empty()) return false;
  return e.is_new || content(e.draft) != content(e.base);
}

void start_editing(AppState& app, const core::PatrolTemplate& t) {
  RouteEditor& e = app.route_editor;
  e = RouteEditor{};
  e.template_id = t.id;
  e.draft = t;
  e.base = t;
}

std::string new_key(AppState& app, const char* prefix) { return prefix + app.host.new_uuid(); }

// "新区域3": the first number not taken by a name already in the list (names must differ within it).
template <class Item>
std::string unused_name(S format, const std::vector<Item>& items) {
  for (int n = 1;; ++n) {
    char buf[64];
    std::snprintf(buf, sizeof buf, tr(format), n);
    if (std::none_of(items.begin(), items.end(), [&](const Item& i) { return i.name == buf; })) return buf;
  }
}

void start_new_route(AppState& app) {
  RouteEditor& e = app.route_editor;
  const std::vector<core::PatrolArea> none;
  const core::PatrolTemplate t = core::new_patrol_template(
      std::string(core::kPatrolTemplateIdPrefix) + app.host.new_uuid(), app.site.id, tr(S::NewRouteName),
      new_key(app, "a-"), unused_name(S::NewAreaFmt, none), new_key(app, "c-"),
      unused_name(S::NewCheckpointFmt, std::vector<core::Checkpoint>{}));
  start_editing(app, t);
  e.is_new = true;
}

void save(AppState& app) {
  RouteEditor& e = app.route_editor;
  core::PatrolTemplate t = e.draft;
  core::trim_names(t);
  e.errors = core::validate(t);
  e.message.clear();
  if (!e.errors.empty()) return;
  // Edited from a revision another tablet has since replaced: saving would silently undo their change.
  if (!e.is_new && !based_on_current(app)) {
    e.message = tr(S::RouteChangedElsewhere);
    e.message_is_error = true;
    return;
  }
  t.rev = e.is_new ? std::string() : e.base.rev;
  t.edited_by = app.user.name;
  t.edited_ms = app.host.now_ms();
  const core::PatrolTemplate* saved = nullptr;
  if (!write_record(app, [&] { saved = &app.ops->save_template(std::move(t)); })) return;
  e.draft = *saved;
  e.base = *saved;
  e.is_new = false;
  e.message = tr(S::RouteSaved);
  e.message_is_error = false;
}

bool error_at(const RouteEditor& e, core::TemplatePart part, int area, int checkpoint = -1, int check = -1) {
  return std::any_of(e.errors.begin(), e.errors.end(), [&](const core::TemplateError& x) {
    return (x.part == part || (x.part == core::TemplatePart::Key && part != core::TemplatePart::Check)) &&
           x.area == area && x.checkpoint == checkpoint && x.check == check;
  });
}

enum class RowAction { None, Select, Up, Down, Remove };

// One line of a list: its number (a tap selects it, when `selectable`), its text, up, down, remove.
RowAction edit_row(const char* kind, int index, int count, std::string& text, bool selectable, bool selected,
                   bool error, float width) {
  RowAction action = RowAction::None;
  const float side = px(44), gap = px(6);
  ImGui::PushID(kind);
  ImGui::PushID(index);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(gap, ImGui::GetStyle().ItemSpacing.y * 0.5f));
  float text_w = width - 3 * (side + gap);
  if (selectable) {
    const std::string number = std::to_string(index + 1);
    if (toggle_button(number.c_str(), selected, ImVec2(side, side))) action = RowAction::Select;
    ImGui::SameLine();
    text_w -= side + gap;
  }
  if (error) ImGui::PushStyleColor(ImGuiCol_FrameBg, kDangerBg);
  ImGui::SetNextItemWidth(std::max(text_w, px(80)));
  const std::string label = std::string("##") + kind + "-" + std::to_string(index);
  ImGui::InputText(label.c_str(), &text);
  if (ImGui::IsItemActivated() && selectable) action = RowAction::Select;
  if (error) ImGui::PopStyleColor();
  ImGui::SameLine();
  ImGui::BeginDisabled(index == 0);
  if (ImGui::Button("↑", ImVec2(side, side))) action = RowAction::Up;
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(index + 1 >= count);
  if (ImGui::Button("↓", ImVec2(side, side))) action = RowAction::Down;
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::PushStyleColor(ImGuiCol_Text, kDanger);
  if (ImGui::Button("×", ImVec2(side, side))) action = RowAction::Remove;
  ImGui::PopStyleColor();
  ImGui::PopStyleVar();
  ImGui::PopID();
  ImGui::PopID();
  return action;
}

// In the body font: the titles carry names as typed, which the heading font (the string table's characters) lacks.
void column_title(const char* text) { colored_text(kAccent, text); }

void draw_areas(AppState& app, float width) {
  RouteEditor& e = app.route_editor;
  core::PatrolTemplate& t = e.draft;
  column_title(tr(S::ColAreas));
  for (int i = 0; i < (int)t.areas.size(); ++i) {
    const bool error = error_at(e, core::TemplatePart::Area, i) ||
                       error_at(e, core::TemplatePart::Checkpoint, i);  // an area without checkpoints
    switch (edit_row("area", i, (int)t.areas.size(), t.areas[i].name, true, e.area == i, error, width)) {
      case RowAction::Select: e.area = i, e.checkpoint = 0; break;
      case RowAction::Up: core::move_area(t, i, i - 1), e.area = i - 1; break;
      case RowAction::Down: core::move_area(t, i, i + 1), e.area = i + 1; break;
      case RowAction::Remove: core::remove_area(t, i); break;
      case RowAction::None: break;
    }
  }
  if (ImGui::Button(tr(S::AddArea), ImVec2(width, px(48)))) {
    core::add_area(t, new_key(app, "a-"), unused_name(S::NewAreaFmt, t.areas));
    e.area = (int)t.areas.size() - 1;
    e.checkpoint = 0;
  }
}

void draw_checkpoints(AppState& app, float width) {
  RouteEditor& e = app.route_editor;
  core::PatrolTemplate& t = e.draft;
  if (t.areas.empty()) return;
  char buf[128];
  std::snprintf(buf, sizeof buf, tr(S::CheckpointsOfFmt), t.areas[e.area].name.c_str());
  column_title(buf);
  std::vector<core::Checkpoint>& cps = t.areas[e.area].checkpoints;
  for (int i = 0; i < (int)cps.size(); ++i) {
    const bool error = error_at(e, core::TemplatePart::Checkpoint, e.area, i);
    switch (edit_row("checkpoint", i, (int)cps.size(), cps[i].name, true, e.checkpoint == i, error, width)) {
      case RowAction::Select: e.checkpoint = i; break;
      case RowAction::Up: core::move_checkpoint(t, e.area, i, i - 1), e.checkpoint = i - 1; break;
      case RowAction::Down: core::move_checkpoint(t, e.area, i, i + 1), e.checkpoint = i + 1; break;
      case RowAction::Remove: core::remove_checkpoint(t, e.area, i); break;
      case RowAction::None: break;
    }
  }
  if (ImGui::Button(tr(S::AddCheckpoint), ImVec2(width, px(48)))) {
    core::add_checkpoint(t, e.area, new_key(app, "c-"), unused_name(S::NewCheckpointFmt, cps));
    e.checkpoint = (int)cps.size() - 1;
  }
  if (t.areas.size() > 1 && !cps.empty() && ImGui::Button(tr(S::MoveCheckpoint), ImVec2(width, px(48)))) {
    e.choose_area = true;
  }
}

// The other areas, one finger-sized button each; the chosen checkpoint goes to the end of the one tapped.
void draw_move_dialog(AppState& app) {
  RouteEditor& e = app.route_editor;
  core::PatrolTemplate& t = e.draft;
  if (!e.choose_area) return;
  const bool valid = e.area < (int)t.areas.size() && e.checkpoint < (int)t.areas[e.area].checkpoints.size();
  char title[256];
  std::snprintf(title, sizeof title, tr(S::MoveCheckpointToFmt),
                valid ? t.areas[e.area].checkpoints[e.checkpoint].name.c_str() : "");
  // The title carries a name as typed, which the heading font may lack: the body font, as the columns' titles.
  if (!begin_dialog("##move-checkpoint", px(560), nullptr)) return;
  column_title(title);
  ImGui::Spacing();
  bool close = !valid;
  for (int i = 0; valid && i < (int)t.areas.size(); ++i) {
    if (i == e.area) continue;
    const std::string label = t.areas[i].name + "##to-area-" + std::to_string(i);
    if (ImGui::Button(label.c_str(), ImVec2(-1, px(52))) && core::move_checkpoint_to_area(t, e.area, e.checkpoint, i)) {
      e.area = i;
      e.checkpoint = (int)t.areas[i].checkpoints.size() - 1;
      close = true;
    }
  }
  ImGui::Spacing();
  if (end_dialog(tr(S::Cancel), close)) e.choose_area = false;
}

void draw_checks(AppState& app, float width) {
  RouteEditor& e = app.route_editor;
  core::PatrolTemplate& t = e.draft;
  if (t.areas.empty() || t.areas[e.area].checkpoints.empty()) return;
  std::vector<core::Checkpoint>& cps = t.areas[e.area].checkpoints;
  core::Checkpoint& cp = cps[e.checkpoint];
  char buf[128];
  std::snprintf(buf, sizeof buf, tr(S::ChecksOfFmt), cp.name.c_str());
  column_title(buf);
  for (int i = 0; i < (int)cp.checks.size(); ++i) {
    const bool error = error_at(e, core::TemplatePart::Check, e.area, e.checkpoint, i);
    switch (edit_row("check", i, (int)cp.checks.size(), cp.checks[i], false, false, error, width)) {
      case RowAction::Up: core::move_check(t, e.area, e.checkpoint, i, i - 1); break;
      case RowAction::Down: core::move_check(t, e.area, e.checkpoint, i, i + 1); break;
      case RowAction::Remove: core::remove_check(t, e.area, e.checkpoint, i); break;
      default: break;
    }
  }
  ImGui::BeginDisabled(cp.checks.size() >= core::kMaxChecksPerCheckpoint);
  if (ImGui::Button(tr(S::AddCheck), ImVec2(width, px(48)))) core::add_check(t, e.area, e.checkpoint, tr(S::NewCheck));
  ImGui::EndDisabled();
}

// Deleting asks first; a route another tablet changed since it was opened is not deleted (see save()).
void draw_delete_dialog(AppState& app) {
  RouteEditor& e = app.route_editor;
  if (!e.confirm_delete) return;
  if (!begin_dialog("##delete-route", px(560), tr(S::DeleteRoute))) return;
  ImGui::PushTextWrapPos(0.0f);
  char buf[512];
  std::snprintf(buf, sizeof buf, tr(S::DeleteRouteConfirmFmt), e.base.name.c_str());
  tracked_text(buf);
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  bool close = false;
  if (primary_button(tr(S::DeleteConfirm), ImVec2(px(200), px(52)))) {
    close = true;
    if (!based_on_current(app)) {
      e.message = tr(S::RouteChangedElsewhere);
      e.message_is_error = true;
    } else if (write_record(app, [&] { app.ops->delete_template(e.base.id, e.base.rev); })) {
      e = RouteEditor{};
      e.message = tr(S::RouteDeleted);
    }
  }
  ImGui::SameLine();
  if (end_dialog(tr(S::Cancel), close)) e.confirm_delete = false;
}

void draw_route_choice(AppState& app, bool unsaved) {
  RouteEditor& e = app.route_editor;
  ImGui::AlignTextToFramePadding();
  colored_text(kMuted, tr(S::ChooseRouteToEdit));
  // Switching routes would drop the edits: save or discard them first.
  ImGui::BeginDisabled(unsaved);
  for (const core::PatrolTemplate& t : app.ops->templates()) {
    if (t.site != app.site.id) continue;
    ImGui::SameLine();
    const std::string label = t.name + "##" + t.id;
    if (toggle_button(label.c_str(), e.template_id == t.id, ImVec2(0, px(48)))) start_editing(app, t);
  }
  ImGui::SameLine();
  if (ImGui::Button(tr(S::NewRoute), ImVec2(0, px(48)))) start_new_route(app);
  ImGui::EndDisabled();
}

}  // namespace

void draw_patrol_editor(AppState& app) {
  if (!app.ops || !core::is_in_charge(app.user.role)) return;  // butlers walk routes; supervisors change them
  RouteEditor& e = app.route_editor;
  // Untouched, the working copy follows what sync brings; with edits, saving is refused (see save()).
  if (const core::PatrolTemplate* s = stored(app); s && !e.is_new && s->rev != e.base.rev &&
                                                    content(e.draft) == content(e.base))
    start_editing(app, *s);
  // Deleted on another tablet: nothing to lose, the editor closes; with edits, they become a new route if saved.
  if (!e.template_id.empty() && !e.is_new && !stored(app)) {
    if (!has_unsaved_changes(app)) {
      e = RouteEditor{};
    } else {
      e.template_id = e.draft.id = std::string(core::kPatrolTemplateIdPrefix) + app.host.new_uuid();
      e.is_new = true;
      e.message = tr(S::RouteDeletedElsewhere);
      e.message_is_error = true;
    }
  }
  const bool unsaved = has_unsaved_changes(app);
  draw_route_choice(app, unsaved);
  draw_delete_dialog(app);
  draw_move_dialog(app);
  if (e.template_id.empty()) {
    draw_message(e);
    return;
  }
  core::PatrolTemplate& t = e.draft;

  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr(S::FieldRouteName));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(px(320));
  ImGui::PushStyleColor(ImGuiCol_FrameBg,
                        error_at(e, core::TemplatePart::Name, -1) ? kDangerBg : ImGui::GetStyleColorVec4(ImGuiCol_FrameBg));
  ImGui::InputText("##route-name", &t.name);
  ImGui::PopStyleColor();
  ImGui::SameLine();
  ImGui::BeginDisabled(!app.writer || !unsaved);
  const bool save_tapped = primary_button(tr(S::SaveRoute), ImVec2(px(160), px(48)));
  ImGui::SameLine();
  const bool discard_tapped = ImGui::Button(tr(S::DiscardChanges), ImVec2(px(140), px(48)));
  ImGui::EndDisabled();
  ImGui::SameLine();
  // A route not stored yet is simply discarded; one with unsaved edits is saved or discarded first.
  ImGui::BeginDisabled(!app.writer || e.is_new || unsaved);
  if (ImGui::Button(tr(S::DeleteRoute), ImVec2(px(140), px(48)))) e.confirm_delete = true;
  ImGui::EndDisabled();
  if (save_tapped) save(app);
  if (discard_tapped) {
    if (const core::PatrolTemplate* s = stored(app))
      start_editing(app, *s);
    else
      e = RouteEditor{};
    return;
  }
  if (unsaved) {
    ImGui::SameLine(0, px(16));
    ImGui::AlignTextToFramePadding();
    colored_text(kWarning, tr(S::RouteUnsaved));
  } else if (!t.edited_by.empty()) {
    ImGui::SameLine(0, px(16));
    ImGui::AlignTextToFramePadding();
    char buf[160];
    std::snprintf(buf, sizeof buf, tr(S::RouteEditedFmt), t.edited_by.c_str(),
                  (core::local_day(t.edited_ms, app.site.utc_offset_minutes) + " " +
                   core::local_time_hhmm(t.edited_ms, app.site.utc_offset_minutes))
                      .c_str());
    colored_text(kMuted, buf);
  }
  draw_message(e);
  for (const core::TemplateError& err : e.errors) colored_text(kDanger, template_problem_message(err, t).c_str());

  // Areas, the chosen area's checkpoints, the chosen checkpoint's checks: side by side, as a landscape tablet has room.
  e.area = std::clamp(e.area, 0, std::max(0, (int)t.areas.size() - 1));
  e.checkpoint = t.areas.empty() ? 0 : std::clamp(e.checkpoint, 0, std::max(0, (int)t.areas[e.area].checkpoints.size() - 1));
  // Landscape: three columns. Portrait: areas and checkpoints side by side, the checks under them.
  const ImGuiStyle& style = ImGui::GetStyle();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const bool three = avail.x >= px(1000);
  const float column = three ? (avail.x - 2 * style.ItemSpacing.x) / 3 : (avail.x - style.ItemSpacing.x) / 2;
  const float top_h = three ? 0 : (avail.y - style.ItemSpacing.y) * 0.55f;
  const auto inner = [&](float w) { return w - style.WindowPadding.x * 2 - style.ScrollbarSize; };
  ImGui::BeginDisabled(!app.writer);
  ImGui::BeginChild("##areas", ImVec2(column, top_h), true);
  draw_areas(app, inner(column));
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("##checkpoints", ImVec2(column, top_h), true);
  draw_checkpoints(app, inner(column));
  ImGui::EndChild();
  if (three) ImGui::SameLine();
  const float checks_w = three ? column : avail.x;
  ImGui::BeginChild("##checks", ImVec2(checks_w, 0), true);
  draw_checks(app, std::min(inner(checks_w), px(600)));
  ImGui::EndChild();
  ImGui::EndDisabled();
}

}  // namespace steward::ui
