#include "ui/admin_screen.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "core/visit.hpp"
#include "imgui.h"
#include "ui/test_hook.hpp"
#include "ui/widgets.hpp"

namespace steward::ui {
namespace {

using nlohmann::json;

constexpr int kAuditEntries = 50;

// Path segments are login names ([a-z0-9_.-]), site ids ([a-z0-9_]) and role keys: nothing to escape but what a
// typed name could still hold, which the server then refuses by name.
std::string path_segment(const std::string& s) {
  std::string out;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-') {
      out += (char)c;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// The server's words for a refusal ({"error","reason"}), or the status when it gave none.
std::string refusal(int status, const std::string& body) {
  if (status == 0) return tr(S::AdminNeedsNetwork);
  try {
    const json j = json::parse(body);
    if (j.is_object()) {
      const std::string reason = j.value("reason", std::string());
      if (!reason.empty()) return reason;
      const std::string error = j.value("error", std::string());
      if (!error.empty()) return error;
    }
  } catch (const json::exception&) {
  }
  return "HTTP " + std::to_string(status);
}

std::string text_of(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return {};
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

void say(AdminScreen& a, const std::string& text, bool error) {
  a.message = text;
  a.message_is_error = error;
}

void say_refused(AdminScreen& a, int status, const std::string& body) {
  char buf[512];
  std::snprintf(buf, sizeof buf, tr(S::AdminFailedFmt), refusal(status, body).c_str());
  say(a, buf, true);
}

void load_users(AppState& app) {
  AdminScreen& a = app.admin;
  ++a.loading;
  app.host.api("GET", "api/admin/users?site=" + path_segment(app.site.id), "", [&app](int status, const std::string& body) {
    AdminScreen& a = app.admin;
    --a.loading;
    if (status != 200) {
      say_refused(a, status, body);
      return;
    }
    try {
      std::vector<AdminUser> users;
      for (const json& u : json::parse(body)) {
        AdminUser user;
        user.name = u.at("name").get<std::string>();
        user.display_name = u.value("display_name", std::string());
        user.disabled = u.value("disabled", false);
        for (const json& g : u.value("grants", json::array())) {
          const auto role = core::role_from_key(g.value("role", std::string()));
          if (role) user.grants.push_back({g.value("site", std::string()), *role});
        }
        users.push_back(std::move(user));
      }
      a.users = std::move(users);
    } catch (const std::exception& e) {
      say(a, e.what(), true);
    }
  });
}

void load_audit(AppState& app) {
  AdminScreen& a = app.admin;
  ++a.loading;
  app.host.api("GET", "api/admin/audit?site=" + path_segment(app.site.id) + "&limit=" + std::to_string(kAuditEntries), "",
               [&app](int status, const std::string& body) {
                 AdminScreen& a = app.admin;
                 --a.loading;
                 if (status != 200) return;  // the people list says what is wrong
                 try {
                   std::vector<AuditEntry> entries;
                   for (const json& e : json::parse(body)) {
                     AuditEntry entry;
                     const json at = e.value("at", json());
                     entry.at = at.is_number_integer()
                                    ? core::local_day(at.get<int64_t>(), app.site.utc_offset_minutes).substr(5) + " " +
                                          core::local_time_hhmm(at.get<int64_t>(), app.site.utc_offset_minutes)
                                    : text_of(at);
                     entry.who = text_of(e.value("who", json()));
                     entry.action = text_of(e.value("action", json()));
                     entry.site = text_of(e.value("site", json()));
                     entry.detail = text_of(e.value("detail", json()));
                     entries.push_back(std::move(entry));
                   }
                   a.audit = std::move(entries);
                 } catch (const std::exception&) {
                 }
               });
}

void reload(AppState& app) {
  load_users(app);
  load_audit(app);
}

// Sends a change; on success says so and reloads the lists, else shows the server's reason.
void change(AppState& app, const char* method, const std::string& path, const json& body,
            std::function<void()> on_done = {}) {
  ++app.admin.loading;
  app.host.api(method, path, body.is_null() ? "" : body.dump(), [&app, on_done](int status, const std::string& text) {
    AdminScreen& a = app.admin;
    --a.loading;
    if (status >= 200 && status < 300) {
      say(a, tr(S::AdminDone), false);
      if (on_done) on_done();
      reload(app);
    } else {
      say_refused(a, status, text);
    }
  });
}

// Supervisors grant the site's roles; only an admin makes admins.
std::vector<core::Role> grantable_roles(const AppState& app) {
  std::vector<core::Role> roles;
  for (core::Role r : core::kAllRoles)
    if (r != core::Role::Admin || app.user.role == core::Role::Admin) roles.push_back(r);
  return roles;
}

std::string grants_text(const AdminUser& u, const std::string& site) {
  std::string out;
  for (const core::Grant& g : u.grants) {
    if (g.site != site && g.site != "*") continue;
    if (!out.empty()) out += tr(S::ListSeparator);
    out += role_name(g.role);
    if (g.site == "*") out += " (*)";
  }
  return out;
}

void draw_people(AppState& app, float width) {
  AdminScreen& a = app.admin;
  ImGui::PushFont(heading_font());
  tracked_text(tr(S::AdminUsers));
  ImGui::PopFont();
  for (const AdminUser& u : a.users) {
    std::string label = (u.display_name.empty() ? u.name : u.display_name) + " · " + u.name;
    const std::string roles = grants_text(u, app.site.id);
    if (!roles.empty()) label += " · " + roles;
    if (u.disabled) label += std::string(" · ") + tr(S::AdminDisabledTag);
    label += "##" + u.name;
    ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0, 0.5f));
    if (toggle_button(label.c_str(), a.selected == u.name, ImVec2(width, px(52)))) {
      a.selected = u.name;
      a.grant_role = -1;
      a.reset_password[0] = a.current_password[0] = '\0';
    }
    ImGui::PopStyleVar();
  }
}

// A new person of the site: login name, name, first password (the server says what is wrong with them).
void draw_add_person_popup(AppState& app) {
  AdminScreen& a = app.admin;
  if (!a.adding) return;
  if (!begin_dialog("##add-person", px(520), tr(S::AdminAddUser))) return;
  const float field_w = px(480);
  char id[64];
  ImGui::TextUnformatted(tr(S::FieldUserName));
  std::snprintf(id, sizeof id, "##%s", tr(S::FieldUserName));
  ImGui::SetNextItemWidth(field_w);
  ImGui::InputTextWithHint(id, tr(S::HintUserName), a.new_name, sizeof a.new_name, ImGuiInputTextFlags_CharsNoBlank);
  ImGui::TextUnformatted(tr(S::FieldDisplayName));
  std::snprintf(id, sizeof id, "##%s", tr(S::FieldDisplayName));
  ImGui::SetNextItemWidth(field_w);
  ImGui::InputText(id, a.new_display_name, sizeof a.new_display_name);
  ImGui::TextUnformatted(tr(S::FieldPassword));
  std::snprintf(id, sizeof id, "##%s", tr(S::FieldPassword));
  ImGui::SetNextItemWidth(field_w);
  ImGui::InputTextWithHint(id, tr(S::HintPassword), a.new_password, sizeof a.new_password, ImGuiInputTextFlags_Password);
  // A person of this site has a role here from the start (the site's list shows only those who do).
  const std::vector<core::Role> roles = grantable_roles(app);
  std::vector<const char*> labels;
  for (core::Role r : roles) labels.push_back(role_name(r));
  tracked_text(tr(S::AdminChooseRole));
  const int tapped = choice_buttons(labels, a.grant_role, field_w, "new");
  if (tapped >= 0) a.grant_role = tapped;
  if (a.message_is_error && !a.message.empty()) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + field_w);
    colored_text(kDanger, a.message.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::Spacing();
  ImGui::BeginDisabled(a.grant_role < 0);
  if (primary_button(tr(S::AdminCreate), ImVec2(px(160), px(52))) && a.grant_role >= 0) {
    const std::string name = core::text::trim(a.new_name);
    const json grant = {{"site", app.site.id}, {"role", core::role_key(roles[a.grant_role])}};
    change(app, "POST", "api/admin/users",
           {{"name", name}, {"display_name", core::text::trim(a.new_display_name)}, {"password", a.new_password}},
           [&app, name, grant] {
             AdminScreen& a = app.admin;
             a.selected = name;
             a.adding = false;
             a.grant_role = -1;
             a.new_name[0] = a.new_display_name[0] = a.new_password[0] = '\0';
             change(app, "POST", "api/admin/users/" + path_segment(name) + "/grants", grant);
           });
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button(tr(S::Cancel), ImVec2(px(150), px(52)))) {
    a.adding = false;
    a.message.clear();
  }
  if (!a.adding) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

void draw_person_actions(AppState& app, float width) {
  AdminScreen& a = app.admin;
  const auto it = std::find_if(a.users.begin(), a.users.end(), [&](const AdminUser& u) { return u.name == a.selected; });
  if (it == a.users.end()) {
    colored_text(kMuted, tr(S::AdminSelectPerson));
    return;
  }
  const AdminUser u = *it;  // a reload below replaces the list
  ImGui::PushFont(heading_font());
  tracked_text((u.display_name.empty() ? u.name : u.display_name).c_str());
  ImGui::PopFont();
  const std::string user_path = "api/admin/users/" + path_segment(u.name);
  for (const core::Grant& g : u.grants) {
    if (g.site != app.site.id) continue;
    ImGui::PushID(core::role_key(g.role).data());
    ImGui::AlignTextToFramePadding();
    tracked_text(role_name(g.role));
    ImGui::SameLine(0, px(16));
    if (ImGui::Button(tr(S::AdminRevoke), ImVec2(px(110), px(48))))
      change(app, "DELETE", user_path + "/grants/" + path_segment(g.site) + "/" + std::string(core::role_key(g.role)),
             json());
    ImGui::PopID();
  }
  const std::vector<core::Role> grantable = grantable_roles(app);
  std::vector<const char*> labels;
  for (core::Role r : grantable) labels.push_back(role_name(r));
  tracked_text(tr(S::AdminChooseRole));
  const int tapped = choice_buttons(labels, a.grant_role, width, "grant");
  if (tapped >= 0) a.grant_role = tapped;
  ImGui::BeginDisabled(a.grant_role < 0);
  if (ImGui::Button(tr(S::AdminGrant), ImVec2(px(160), px(48))) && a.grant_role >= 0)
    change(app, "POST", user_path + "/grants",
           {{"site", app.site.id}, {"role", core::role_key(grantable[a.grant_role])}});
  ImGui::EndDisabled();
  ImGui::Spacing();
  // One's own password only changes with the current one (the server refuses it otherwise).
  const bool own = u.name == app.session.profile.name;
  char id[64];
  if (own) {
    std::snprintf(id, sizeof id, "##%s", tr(S::FieldCurrentPassword));
    ImGui::SetNextItemWidth(std::min(width - px(180), px(300)));
    ImGui::InputTextWithHint(id, tr(S::FieldCurrentPassword), a.current_password, sizeof a.current_password,
                             ImGuiInputTextFlags_Password);
  }
  std::snprintf(id, sizeof id, "##%s", tr(S::FieldNewPassword));
  ImGui::SetNextItemWidth(std::min(width - px(180), px(300)));
  ImGui::InputTextWithHint(id, tr(S::FieldNewPassword), a.reset_password, sizeof a.reset_password,
                           ImGuiInputTextFlags_Password);
  ImGui::SameLine();
  if (ImGui::Button(tr(own ? S::AdminChangePassword : S::AdminResetPassword), ImVec2(px(160), px(48)))) {
    json body = {{"password", a.reset_password}};
    if (own) body["current_password"] = a.current_password;
    change(app, "POST", user_path + "/password", body, [&app, own, password = std::string(a.reset_password)] {
      if (own && app.host.own_password_changed) app.host.own_password_changed(password);
      app.admin.reset_password[0] = app.admin.current_password[0] = '\0';
    });
  }
  ImGui::Spacing();
  if (ImGui::Button(tr(u.disabled ? S::AdminEnable : S::AdminDisable), ImVec2(px(160), px(48))))
    change(app, "POST", user_path + "/disabled", {{"disabled", !u.disabled}});
}

void draw_number_stepper(const char* label, int& value, int step, int min, int max) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(label);
  ImGui::PushID(label);
  ImGui::SameLine();
  if (ImGui::Button("-", ImVec2(px(56), px(48)))) value = std::max(min, value - step);
  ImGui::SameLine();
  char buf[16];
  std::snprintf(buf, sizeof buf, "%d", value);
  ImGui::AlignTextToFramePadding();
  tracked_text(buf);
  ImGui::SameLine();
  if (ImGui::Button("+", ImVec2(px(56), px(48)))) value = std::min(max, value + step);
  ImGui::PopID();
}

void draw_site_settings(AppState& app, float width) {
  AdminScreen& a = app.admin;
  if (!a.settings_loaded) {
    std::snprintf(a.site_name, sizeof a.site_name, "%s", app.session.site.name.c_str());
    a.idle_lock_minutes = app.session.site.idle_lock_minutes;
    a.retention_days = app.session.site.retention_days;
    a.settings_loaded = true;
  }
  ImGui::PushFont(heading_font());
  tracked_text(tr(S::AdminSiteSettings));
  ImGui::PopFont();
  ImGui::TextUnformatted(tr(S::FieldSiteName));
  char id[64];
  std::snprintf(id, sizeof id, "##%s", tr(S::FieldSiteName));
  ImGui::SetNextItemWidth(std::min(width, px(420)));
  ImGui::InputText(id, a.site_name, sizeof a.site_name);
  draw_number_stepper(tr(S::FieldIdleLock), a.idle_lock_minutes, 1, 1, 24 * 60);
  draw_number_stepper(tr(S::FieldRetention), a.retention_days, 1, 1, 3660);
  if (ImGui::Button(tr(S::AdminSave), ImVec2(px(180), px(48)))) {
    const json settings = {{"name", core::text::trim(a.site_name)},
                           {"idle_lock_minutes", a.idle_lock_minutes},
                           {"retention_days", a.retention_days}};
    change(app, "PUT", "api/admin/sites/" + path_segment(app.site.id), settings, [&app, settings] {
      // This tablet follows at once; others with their next sign-in or profile refresh.
      app.session.site.name = settings["name"].get<std::string>();
      app.session.site.idle_lock_minutes = settings["idle_lock_minutes"].get<int>();
      app.session.site.retention_days = settings["retention_days"].get<int>();
      app.site.name = app.session.site.name;
    });
  }
}

void draw_audit(AppState& app) {
  AdminScreen& a = app.admin;
  ImGui::PushFont(heading_font());
  tracked_text(tr(S::AdminAudit));
  ImGui::PopFont();
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingFixedFit;
  if (ImGui::BeginTable("##audit", 4, flags)) {
    ImGui::TableSetupColumn("at");
    ImGui::TableSetupColumn("who");
    ImGui::TableSetupColumn("action");
    ImGui::TableSetupColumn("detail", ImGuiTableColumnFlags_WidthStretch);
    for (const AuditEntry& e : a.audit) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      colored_text(kMuted, e.at.c_str());
      ImGui::TableNextColumn();
      tracked_text(e.who.c_str());
      ImGui::TableNextColumn();
      tracked_text(e.action.c_str());
      ImGui::TableNextColumn();
      ImGui::TextWrapped("%s", e.detail.c_str());
    }
    ImGui::EndTable();
  }
}

}  // namespace

void draw_admin(AppState& app) {
  AdminScreen& a = app.admin;
  if (!a.loaded) {
    a.loaded = true;
    reload(app);
  }
  if (ImGui::Button(tr(S::AdminRefresh), ImVec2(px(120), px(48)))) reload(app);
  ImGui::SameLine();
  if (ImGui::Button(tr(S::AdminAddUser), ImVec2(px(160), px(48)))) {
    a.adding = true;
    a.grant_role = -1;
    a.message.clear();
  }
  ImGui::SameLine(0, px(16));
  ImGui::AlignTextToFramePadding();
  if (a.loading > 0)
    colored_text(kMuted, tr(S::AdminLoading));
  else if (!a.message.empty())
    colored_text(a.message_is_error ? kDanger : kGood, a.message.c_str());
  else
    ImGui::NewLine();
  const float avail = ImGui::GetContentRegionAvail().x;
  const float left = std::floor(avail * 0.45f);
  ImGui::BeginChild("##admin-people", ImVec2(left, 0), false);
  draw_people(app, ImGui::GetContentRegionAvail().x);
  ImGui::EndChild();
  ImGui::SameLine(0, px(24));
  ImGui::BeginChild("##admin-actions", ImVec2(0, 0), false);
  const float width = ImGui::GetContentRegionAvail().x;
  draw_person_actions(app, width);
  ImGui::Spacing();
  ImGui::Separator();
  draw_site_settings(app, width);
  ImGui::Spacing();
  ImGui::Separator();
  draw_audit(app);
  ImGui::EndChild();
  draw_add_person_popup(app);
}

}  // namespace steward::ui
