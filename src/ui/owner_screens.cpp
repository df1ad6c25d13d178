#include "ui/owner_screens.hpp"

#include <cstdio>

#include "core/access_log.hpp"
#include "imgui.h"
#include "ui/test_hook.hpp"
#include "ui/widgets.hpp"

namespace steward::ui {
namespace {

void open_file(AppState& app, const core::OwnerFile& f) {
  OwnersScreen& s = app.owner_files;
  std::string error;
  if (!log_access(app, core::RecordFamily::Owners, core::kActionOpenOwnerFile, f.id, error)) {
    s.message = std::string(tr(S::OwnerOpenFailed)) + ": " + error;
    return;
  }
  s.message.clear();
  s.open_id = f.id;
  s.revealed = Revealed{};
}

void draw_file(AppState& app, const core::OwnerFile& f) {
  OwnersScreen& s = app.owner_files;
  if (ImGui::Button(tr(S::Back), ImVec2(px(120), px(48)))) {
    s.open_id.clear();
    s.revealed = Revealed{};
    return;
  }
  ImGui::BeginChild("##owner-file", ImVec2(0, 0), false);
  colored_text(kAccent, core::owner_file_title(f).c_str());
  colored_text(kMuted, tr(S::OwnerOpenLogged));
  ImGui::Spacing();
  char buf[256];
  if (!f.move_in.empty()) {
    std::snprintf(buf, sizeof buf, "%s：%s", tr(S::FieldMoveIn), f.move_in.c_str());
    tracked_text(buf);
  }
  ImGui::Separator();
  tracked_text(tr(S::FieldOwnerPeople));
  for (size_t i = 0; i < f.people.size(); ++i) {
    const core::OwnerPerson& p = f.people[i];
    std::string who = p.name;
    if (!p.relation.empty()) who += "（" + p.relation + "）";
    ImGui::AlignTextToFramePadding();
    tracked_text(who.c_str());
    if (!p.phone.empty()) {
      ImGui::SameLine(0, px(24));
      // Each person's number is revealed on its own; the log names the file.
      draw_revealable_phone(app, p.phone, f.id, core::RecordFamily::Owners, s.revealed, f.id + "#" + std::to_string(i));
    }
  }
  if (!f.vehicles.empty()) {
    ImGui::Separator();
    tracked_text(tr(S::FieldVehicles));
    for (const core::OwnerVehicle& v : f.vehicles) {
      std::string line = v.plate;
      if (!v.description.empty()) line += " · " + v.description;
      tracked_text(line.c_str());
    }
  }
  if (!f.notes.empty()) {
    ImGui::Separator();
    ImGui::TextWrapped("%s", f.notes.c_str());
  }
  ImGui::EndChild();
}

}  // namespace

void draw_owner_files(AppState& app) {
  OwnersScreen& s = app.owner_files;
  if (!app.owners) return;
  if (!s.open_id.empty()) {
    if (const core::OwnerFile* f = app.owners->find(s.open_id)) {
      draw_file(app, *f);
      return;
    }
    s.open_id.clear();
  }
  colored_text(kMuted, tr(S::OwnerFilesNote));
  char id[64];
  std::snprintf(id, sizeof id, "##%s", tr(S::OwnerSearchHint));
  ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, px(480)));
  ImGui::InputTextWithHint(id, tr(S::OwnerSearchHint), s.search, sizeof s.search);
  if (!s.message.empty()) colored_text(kDanger, s.message.c_str());
  const std::vector<core::OwnerFile>& files = app.owners->files();
  if (files.empty()) {
    colored_text(kMuted, tr(S::NoOwnerFiles));
    return;
  }
  ImGui::BeginChild("##owner-list", ImVec2(0, 0), false);
  const float width = std::min(ImGui::GetContentRegionAvail().x, px(720));
  for (const core::OwnerFile& f : files) {
    if (!core::owner_file_matches(f, s.search)) continue;
    ImGui::PushID(f.id.c_str());
    if (ImGui::Button(core::owner_file_title(f).c_str(), ImVec2(width, px(52)))) open_file(app, f);
    ImGui::PopID();
  }
  ImGui::EndChild();
}

}  // namespace steward::ui
