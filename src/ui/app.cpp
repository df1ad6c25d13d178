#include "ui/app.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

#include "imgui.h"
#include "core/access_log.hpp"
#include "ui/admin_screen.hpp"
#include "ui/ops_screens.hpp"
#include "ui/owner_screens.hpp"
#include "ui/session_screens.hpp"
#include "ui/test_hook.hpp"
#include "ui/visit_screens.hpp"
#include "ui/widgets.hpp"

namespace steward::ui {

void apply_style(float scale) {
  ImGuiStyle style;
  ImGui::StyleColorsLight(&style);
  // Touch first: frames at least 44 CSS px tall (20 px text + 2 × 12 px padding), generous spacing.
  style.FramePadding = ImVec2(12, 12);
  style.ItemSpacing = ImVec2(12, 12);
  style.ItemInnerSpacing = ImVec2(10, 8);
  style.WindowPadding = ImVec2(20, 16);
  style.CellPadding = ImVec2(8, 8);
  style.ScrollbarSize = 18;
  style.GrabMinSize = 24;
  style.FrameRounding = 8;
  style.PopupRounding = 10;
  style.WindowRounding = 0;
  style.ChildRounding = 8;
  style.TouchExtraPadding = ImVec2(4, 4);
  style.FrameBorderSize = 1;
  style.Colors[ImGuiCol_WindowBg] = ImVec4(0.965f, 0.965f, 0.955f, 1.0f);
  style.Colors[ImGuiCol_ChildBg] = ImVec4(1, 1, 1, 1);
  style.Colors[ImGuiCol_FrameBg] = ImVec4(1, 1, 1, 1);
  style.Colors[ImGuiCol_Border] = ImVec4(0.78f, 0.78f, 0.76f, 1.0f);
  style.Colors[ImGuiCol_Button] = ImVec4(0.90f, 0.91f, 0.93f, 1.0f);
  style.Colors[ImGuiCol_ButtonHovered] = ImVec4(0.84f, 0.87f, 0.92f, 1.0f);
  style.Colors[ImGuiCol_ButtonActive] = ImVec4(0.75f, 0.81f, 0.90f, 1.0f);
  style.Colors[ImGuiCol_Text] = ImVec4(0.11f, 0.12f, 0.14f, 1.0f);
  style.Colors[ImGuiCol_TextDisabled] = ImVec4(0.45f, 0.46f, 0.48f, 1.0f);
  style.Colors[ImGuiCol_TableHeaderBg] = ImVec4(0.92f, 0.93f, 0.94f, 1.0f);
  style.Colors[ImGuiCol_TableRowBgAlt] = ImVec4(0.975f, 0.98f, 0.985f, 1.0f);
  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;
}

namespace {

void draw_status_line(AppState& app) {
  const PersistProgress& p = app.persist;
  if (!app.store_ready) {
    colored_text(kMuted, app.open_error.empty() ? tr(S::OpeningStore) : "");
  } else if (p.failed && p.failed >= p.done && p.failed >= p.requested) {
    colored_text(kDanger, tr(S::NotYetSaved));
  } else if (p.done < p.requested) {
    colored_text(kMuted, tr(S::Saving));
  } else {
    colored_text(kGood, tr(S::AllSaved));
  }
  ImGui::SameLine(0, px(24));
  const StorageInfo& s = app.storage;
  colored_text(s.persisted == 1 ? kMuted : kWarning,
               tr(s.persisted == 1 ? S::StoragePersisted : s.persisted == 0 ? S::StorageNotPersisted : S::StorageUnknown));
  if (s.quota_bytes > 0) {
    ImGui::SameLine(0, px(16));
    char buf[96];
    std::snprintf(buf, sizeof buf, tr(S::StorageUsedFmt), format_bytes(s.usage_bytes).c_str(),
                  format_bytes(s.quota_bytes).c_str());
    colored_text(kMuted, buf);
  }
}

// What went wrong with sync, as the person at the desk can act on it (the technical text goes to the log).
const char* sync_problem_words(const sync::ReplicatorStatus& s, char* buf, size_t size) {
  switch (s.problem) {
    case sync::SyncProblem::None:
    case sync::SyncProblem::NoConnection: return tr(S::SyncOffline);
    case sync::SyncProblem::TimedOut: return tr(S::SyncProblemTimedOut);
    case sync::SyncProblem::ServerError: return tr(S::SyncProblemServer);
    case sync::SyncProblem::NotSignedIn: return tr(S::SyncProblemNotSignedIn);
    case sync::SyncProblem::NotAllowed: return tr(S::SyncProblemNotAllowed);
    case sync::SyncProblem::NoDatabase: return tr(S::SyncProblemNoDatabase);
    case sync::SyncProblem::TooLarge: return tr(S::SyncProblemTooLarge);
    case sync::SyncProblem::BadAnswer: return tr(S::SyncProblemBadAnswer);
    case sync::SyncProblem::Rejected:
      std::snprintf(buf, size, tr(S::SyncProblemRejectedFmt), (int)s.rejected);
      return buf;
    case sync::SyncProblem::Other: return tr(S::SyncProblemOther);
  }
  return tr(S::SyncProblemOther);
}

// Sync in plain words: online or not, when it last worked, what still waits to go up, what went wrong.
void draw_sync_line(AppState& app) {
  const sync::ReplicatorStatus& s = app.sync;
  const int64_t now = app.host.now_ms();
  char buf[256], buf2[160];
  colored_text(s.online ? kGood : kWarning, tr(s.online ? S::SyncOnline : S::SyncOffline));
  ImGui::SameLine(0, px(16));
  if (s.last_success_ms > 0) {
    // Kept across reloads, so it may be days old: then the day is said too.
    const int offset = app.site.utc_offset_minutes;
    std::string when = core::local_time_hhmm(s.last_success_ms, offset);
    if (core::local_day(s.last_success_ms, offset) != core::local_day(now, offset))
      when = core::local_day(s.last_success_ms, offset).substr(5) + " " + when;
    std::snprintf(buf, sizeof buf, tr(S::SyncLastFmt), when.c_str());
    colored_text(kMuted, buf);
  } else {
    colored_text(kMuted, tr(S::SyncNever));
  }
  ImGui::SameLine(0, px(16));
  if (s.pending_upload > 0) {
    std::snprintf(buf, sizeof buf, tr(S::SyncPendingFmt), (int)s.pending_upload);
    colored_text(kWarning, buf);
  } else {
    colored_text(kMuted, tr(S::SyncAllUploaded));
  }
  if (s.next_retry_ms > now) {
    ImGui::SameLine(0, px(16));
    std::snprintf(buf, sizeof buf, tr(S::SyncRetryFmt), (int)((s.next_retry_ms - now + 999) / 1000));
    colored_text(kMuted, buf);
  }
  if (s.pulling && s.pull_total > 0) {
    ImGui::SameLine(0, px(16));
    std::snprintf(buf, sizeof buf, tr(S::SyncDownloadingFmt), (int)s.pulled, (int)s.pull_total);
    ImGui::ProgressBar((float)s.pulled / (float)s.pull_total, ImVec2(px(260), ImGui::GetTextLineHeight()), buf);
  }
  // On the same line, cut at the window's edge: a message that comes and goes with a flaky network must never
  // move the buttons below while someone is about to tap them. Offline, "离线" and the countdown say it all; the
  // details matter when the server answered with a problem.
  if (s.online && s.problem != sync::SyncProblem::None && s.problem != sync::SyncProblem::NoConnection) {
    ImGui::SameLine(0, px(16));
    std::snprintf(buf, sizeof buf, tr(S::SyncErrorFmt), sync_problem_words(s, buf2, sizeof buf2));
    colored_text(kMuted, buf);
  }
}

// The header names the screen: the visitor log's three tabs are the showroom's; the others their own.
S screen_title(Tab tab) {
  switch (tab) {
    case Tab::Register:
    case Tab::Today:
    case Tab::Summary: return S::AppTitle;
    case Tab::Tickets: return S::TitleTickets;
    case Tab::Patrol: return S::TitlePatrol;
    case Tab::Targets: return S::TitleTargets;
    case Tab::Routes: return S::TitleRoutes;
    case Tab::Owners: return S::TitleOwners;
    case Tab::Admin: return S::TitleAdmin;
  }
  return S::AppTitle;
}

void draw_top_bar(AppState& app) {
  const SessionState& session = app.session;
  const bool signed_in = session.phase == SessionPhase::SignedIn;
  const bool show_who = signed_in && !session.locked;  // names are hidden while locked
  const float top = ImGui::GetCursorPosY();
  const float right = ImGui::GetWindowContentRegionMax().x;
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  // Right to left: the language, 退出登录, who is signed in.
  const float language_w = px(110);
  const float sign_out_w = std::max(px(120), ImGui::CalcTextSize(tr(S::SignOut)).x + px(32));
  std::string who;
  if (show_who) {
    who = app.user.name + " · " + role_name(app.user.role);
    if (session.offline) who += std::string(" · ") + tr(S::SignedInOffline);
  }
  const float who_x = right - language_w - spacing - sign_out_w - px(16) - ImGui::CalcTextSize(who.c_str()).x;

  ImGui::SetCursorPosY(top + px(6));
  // Before the person's screens show (signing in, the site picker, the lock screen) only the app's name: the screen
  // the last person was on is none of the next one's business.
  const bool screens_show = signed_in && app.store_ready && !session.locked;
  ImGui::PushFont(heading_font());
  tracked_text(tr(screens_show ? screen_title(app.tab) : S::AppName));
  ImGui::PopFont();
  // The site's name when there is room for it beside who is signed in (a portrait tablet may have none).
  if (signed_in) {
    ImGui::SameLine(0, px(20));
    const float site_w = ImGui::CalcTextSize(app.site.name.c_str()).x;
    if (!show_who || ImGui::GetCursorPosX() + site_w + px(16) <= who_x) {
      ImGui::SetCursorPosY(top + px(12));
      colored_text(kMuted, app.site.name.c_str());
    }
  }
  if (show_who) {
    ImGui::SameLine(who_x);
    ImGui::SetCursorPosY(top + px(12));
    colored_text(session.offline ? kWarning : kMuted, who.c_str());
    ImGui::SameLine(right - language_w - spacing - sign_out_w);
    ImGui::SetCursorPosY(top);
    if (ImGui::Button(tr(S::SignOut), ImVec2(sign_out_w, px(48)))) app.session.confirm_sign_out = true;
  }
  ImGui::SameLine(right - language_w);
  ImGui::SetCursorPosY(top);
  if (ImGui::Button(tr(S::SwitchLanguage), ImVec2(language_w, px(48)))) {
    const Lang next = language() == Lang::Zh ? Lang::En : Lang::Zh;
    set_language(next);
    if (app.host.save_language) app.host.save_language(next);
  }
  if (!show_who) return;
  draw_status_line(app);
  // Always one line, present or not, so the layout below never shifts.
  if (app.sync_enabled)
    draw_sync_line(app);
  else
    ImGui::NewLine();
}

void draw_banners(AppState& app) {
  if (!app.writer) banner(kWarningBg, tr(S::ReadOnlyBanner));
  if (!app.open_error.empty()) {
    char buf[512];
    std::snprintf(buf, sizeof buf, tr(S::StoreOpenFailedFmt), app.open_error.c_str());
    banner(kDangerBg, buf);
  }
  if (app.recovered_torn_bytes > 0) {
    char buf[256];
    std::snprintf(buf, sizeof buf, tr(S::RecoveredFmt), (int)app.recovered_torn_bytes);
    banner(kWarningBg, buf);
  }
  if (!app.write_error.empty()) banner(kDangerBg, app.write_error.c_str());
  if (app.session.needs_password) {
    banner(kWarningBg, tr(S::SyncNeedsPassword));
    if (ImGui::Button(tr(S::EnterPassword), ImVec2(px(180), px(48)))) app.session.locked = true;
  }
}

S tab_label(Tab tab) {
  switch (tab) {
    case Tab::Register: return S::TabRegister;
    case Tab::Today: return S::TabToday;
    case Tab::Summary: return S::TabSummary;
    case Tab::Tickets: return S::TabTickets;
    case Tab::Patrol: return S::TabPatrol;
    case Tab::Targets: return S::TabTargets;
    case Tab::Routes: return S::TabRoutes;
    case Tab::Owners: return S::TabOwners;
    case Tab::Admin: return S::TabAdmin;
  }
  return S::TabRegister;
}

void draw_tabs(AppState& app) {
  const std::vector<Tab> tabs = tabs_for(app.user.role);
  if (std::find(tabs.begin(), tabs.end(), app.tab) == tabs.end()) app.tab = tabs.front();
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float w = std::min(px(150), (ImGui::GetContentRegionAvail().x - spacing * (tabs.size() - 1)) / tabs.size());
  const float h = px(52);
  for (Tab t : tabs) {
    if (toggle_button(tr(tab_label(t)), app.tab == t, ImVec2(w, h))) app.tab = t;
    ImGui::SameLine();
  }
  ImGui::NewLine();
}

// Writes become durable together: clear the per-visit marks once their generation is done.
void settle_unsaved(AppState& app) {
  for (auto it = app.unsaved.begin(); it != app.unsaved.end();) {
    if (it->second <= app.persist.done)
      it = app.unsaved.erase(it);
    else
      ++it;
  }
}

}  // namespace

std::vector<Tab> tabs_for(core::Role role) {
  std::vector<Tab> tabs;
  if (core::family_access(role, core::RecordFamily::Visits) != core::Access::None)
    tabs.insert(tabs.end(), {Tab::Register, Tab::Today, Tab::Summary});
  if (core::family_access(role, core::RecordFamily::Ops) != core::Access::None)
    tabs.insert(tabs.end(), {Tab::Tickets, Tab::Patrol});
  if (core::family_access(role, core::RecordFamily::Owners) != core::Access::None) tabs.push_back(Tab::Owners);
  if (core::is_in_charge(role)) tabs.insert(tabs.end(), {Tab::Targets, Tab::Routes, Tab::Admin});
  return tabs;
}

void reset_screens(AppState& app) {
  app.form = RegisterForm{};
  app.today = TodayList{};
  app.tickets = TicketsScreen{};
  app.patrol = PatrolScreen{};
  app.targets = TargetsScreen{};
  app.route_editor = RouteEditor{};
  app.owner_files = OwnersScreen{};
  app.admin = AdminScreen{};
  app.login = LoginForm{};
  for (const auto& [key, thumbnail] : app.thumbnails)
    if (thumbnail.texture && app.host.free_texture) app.host.free_texture(thumbnail.texture);
  app.thumbnails.clear();
  app.unsaved.clear();
  app.write_error.clear();
  app.text_menu = TextFieldMenu{};
}

bool log_access(AppState& app, core::RecordFamily family, std::string_view action, const std::string& record_id,
                std::string& error) {
  // Into the record's own database when this person may write there; a role that may only read it (a butler and
  // the owner files) logs into the first of the site's databases it may write, so the log still reaches the
  // server's audit log (which takes access logs from any database).
  if (core::family_access(app.user.role, family) != core::Access::ReadWrite) {
    for (core::RecordFamily f : core::kAllRecordFamilies)
      if (core::family_access(app.user.role, f) == core::Access::ReadWrite) {
        family = f;
        break;
      }
  }
  const core::AccessLogEntry entry = core::make_access_log(app.host.new_uuid(), app.session.profile.name,
                                                           app.host.now_ms(), action, app.site.id, record_id,
                                                           app.device_id);
  try {
    if (!app.writer) throw store::StoreError(store::StoreError::Kind::ReadOnly, tr(S::ReadOnlyBanner));
    bool written = false;
    if (family == core::RecordFamily::Visits && app.repo) written = (app.repo->log_access(entry), true);
    if (family == core::RecordFamily::Ops && app.ops) written = (app.ops->log_access(entry), true);
    if (family == core::RecordFamily::Owners && app.owners) written = (app.owners->log_access(entry), true);
    if (!written) throw store::StoreError(store::StoreError::Kind::Io, std::string(core::family_key(family)) + ": not open");
    app.host.persist();
    error.clear();
    return true;
  } catch (const store::StoreError& e) {
    error = e.what();
    return false;
  }
}

void draw_revealable_phone(AppState& app, const std::string& phone, const std::string& record_id,
                           core::RecordFamily family, Revealed& revealed, const std::string& key) {
  if (phone.empty()) return;
  const std::string& which = key.empty() ? record_id : key;
  ImGui::PushID(which.c_str());
  if (revealed.key == which) {
    ImGui::AlignTextToFramePadding();
    tracked_text(phone.c_str());
    ImGui::SameLine(0, px(16));
    colored_text(kMuted, tr(S::NumberShownLogged));
  } else {
    ImGui::AlignTextToFramePadding();
    tracked_text(core::mask_phone(phone).c_str());
    ImGui::SameLine(0, px(16));
    if (ImGui::Button(tr(S::ShowNumber), ImVec2(0, px(44)))) {
      std::string error;
      if (log_access(app, family, core::kActionRevealPhone, record_id, error)) {
        revealed = Revealed{which, ""};
      } else {
        revealed.error = std::string(tr(S::RevealFailed)) + ": " + error;
      }
    }
  }
  if (!revealed.error.empty() && revealed.key != which) colored_text(kDanger, revealed.error.c_str());
  ImGui::PopID();
}

void draw_app(AppState& app) {
  settle_unsaved(app);
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->Pos);
  ImGui::SetNextWindowSize(viewport->Size);
  ImGui::Begin("##steward", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  draw_top_bar(app);
  SessionState& session = app.session;
  if (session.phase == SessionPhase::SignedIn && session.locked) {
    // Over everything: nothing of the person's records shows, and every form keeps what was typed.
    draw_lock_screen(app);
  } else {
    draw_banners(app);
    switch (session.phase) {
      case SessionPhase::Starting: break;
      case SessionPhase::SignedOut: draw_login_screen(app); break;
      case SessionPhase::ChoosingSite: draw_site_picker(app); break;
      case SessionPhase::Opening: draw_waiting_screen(app, S::OpeningUserData); break;
      case SessionPhase::SigningOut: draw_waiting_screen(app, S::Saving); break;
      case SessionPhase::SignedIn:
        if (app.store_ready) {
          draw_tabs(app);
          ImGui::Separator();
          switch (app.tab) {
            case Tab::Register: draw_register_form(app); break;
            case Tab::Today: draw_today_list(app); break;
            case Tab::Summary: draw_day_summary(app); break;
            case Tab::Tickets: draw_tickets(app); break;
            case Tab::Patrol: draw_patrol(app); break;
            case Tab::Targets: draw_targets(app); break;
            case Tab::Routes: draw_patrol_editor(app); break;
            case Tab::Owners: draw_owner_files(app); break;
            case Tab::Admin: draw_admin(app); break;
          }
        }
        draw_sign_out_dialog(app);
        break;
    }
  }
  ImGui::End();
  draw_text_field_menu(app.text_menu, app.host.now_ms());
}

}  // namespace steward::ui
