#include "ui/session_screens.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "core/text.hpp"
#include "imgui.h"
#include "ui/test_hook.hpp"
#include "ui/widgets.hpp"

namespace steward::ui {
namespace {

// The column the sign-in screens are laid out in: centred, as wide as a phone-sized card.
float begin_card(float height_hint) {
  const float avail = ImGui::GetContentRegionAvail().x;
  const float width = std::min(avail, px(520));
  const float top = std::max(px(24), (ImGui::GetContentRegionAvail().y - height_hint) / 3);
  ImGui::SetCursorPos(ImVec2(ImGui::GetCursorPosX() + (avail - width) / 2, ImGui::GetCursorPosY() + top));
  ImGui::BeginGroup();
  return width;
}

void end_card() { ImGui::EndGroup(); }

bool text_field(S label, S hint, char* buf, size_t size, float width, ImGuiInputTextFlags flags = 0) {
  ImGui::TextUnformatted(tr(label));
  char id[64];
  std::snprintf(id, sizeof id, "##%s", tr(label));
  ImGui::SetNextItemWidth(width);
  return ImGui::InputTextWithHint(id, tr(hint), buf, size, flags);
}

void password_field(LoginForm& f, float width, bool& submit) {
  if (text_field(S::FieldPassword, S::HintPassword, f.password, sizeof f.password, width,
                 ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue))
    submit = true;
}

// The form's message: why the last try failed, or that it is under way.
void login_message(const LoginForm& f, float width) {
  if (f.busy) {
    colored_text(kMuted, tr(S::SigningIn));
  } else if (!f.message.empty()) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    colored_text(kDanger, f.message.c_str());
    ImGui::PopTextWrapPos();
  }
}

void submit_sign_in(AppState& app) {
  LoginForm& f = app.login;
  // Login names are lower case: a keyboard that capitalised the first letter must not make a wrong name.
  std::string name = core::text::trim(f.name);
  for (char& c : name)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  if (name.empty() || !*f.password) {
    f.message = tr(S::LoginNeedBoth);
    return;
  }
  f.busy = true;
  f.message.clear();
  app.host.sign_in(name, f.password);
}

void draw_sign_in_form(AppState& app, float width) {
  LoginForm& f = app.login;
  bool submit = false;
  ImGui::BeginDisabled(f.busy);
  text_field(S::FieldUserName, S::HintUserName, f.name, sizeof f.name, width,
             ImGuiInputTextFlags_CharsNoBlank);
  password_field(f, width, submit);
  ImGui::Spacing();
  if (primary_button(tr(S::SignIn), ImVec2(width, px(56)))) submit = true;
  ImGui::EndDisabled();
  if (submit && !f.busy) submit_sign_in(app);
  login_message(f, width);
}

}  // namespace

void draw_login_screen(AppState& app) {
  const float width = begin_card(px(420));
  ImGui::PushFont(heading_font());
  tracked_text(tr(S::LoginTitle));
  ImGui::PopFont();
  ImGui::Spacing();
  if (!app.session.notice.empty()) banner(kWarningBg, app.session.notice.c_str(), width);
  draw_sign_in_form(app, width);
  end_card();
}

void draw_site_picker(AppState& app) {
  const float width = begin_card(px(360));
  ImGui::PushFont(heading_font());
  tracked_text(tr(S::ChooseSite));
  ImGui::PopFont();
  colored_text(kMuted, app.session.profile.display_name.c_str());
  ImGui::Spacing();
  for (const core::SiteSettings* site : core::sites_with_role(app.session.profile)) {
    const auto role = core::role_at_site(app.session.profile.grants, site->id);
    std::string label = site->name + " · " + (role ? role_name(*role) : "");
    ImGui::PushID(site->id.c_str());
    if (ImGui::Button(label.c_str(), ImVec2(width, px(56)))) app.host.choose_site(site->id);
    ImGui::PopID();
  }
  ImGui::Spacing();
  if (ImGui::Button(tr(S::Cancel), ImVec2(px(150), px(52)))) app.host.choose_site("");
  end_card();
}

void draw_waiting_screen(AppState& app, S what) {
  (void)app;
  const float width = begin_card(px(100));
  (void)width;
  colored_text(kMuted, tr(what));
  end_card();
}

void draw_lock_screen(AppState& app) {
  SessionState& s = app.session;
  LoginForm& f = app.login;
  const float width = begin_card(px(460));
  ImGui::PushFont(heading_font());
  tracked_text(tr(S::LockedTitle));
  ImGui::PopFont();
  char buf[256];
  if (s.switching_user) {
    std::snprintf(buf, sizeof buf, tr(S::SwitchUserNoteFmt), s.profile.display_name.c_str());
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    colored_text(kMuted, buf);
    ImGui::PopTextWrapPos();
    draw_sign_in_form(app, width);
    ImGui::Spacing();
    if (ImGui::Button(tr(S::Cancel), ImVec2(px(150), px(52))) && !f.busy) {
      s.switching_user = false;
      f = LoginForm{};
    }
    end_card();
    return;
  }
  std::snprintf(buf, sizeof buf, tr(S::LockedByFmt), s.profile.display_name.c_str());
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
  colored_text(kMuted, buf);
  ImGui::PopTextWrapPos();
  if (s.needs_password) colored_text(kWarning, tr(S::SyncNeedsPassword));
  bool submit = false;
  ImGui::BeginDisabled(f.busy);
  password_field(f, width, submit);
  ImGui::Spacing();
  if (primary_button(tr(S::Unlock), ImVec2(width, px(56)))) submit = true;
  ImGui::EndDisabled();
  if (submit && !f.busy) {
    if (!*f.password) {
      f.message = tr(S::LoginNeedBoth);
    } else {
      f.busy = true;
      f.message.clear();
      app.host.unlock(f.password);
    }
  }
  login_message(f, width);
  ImGui::Spacing();
  ImGui::BeginDisabled(f.busy);
  if (ImGui::Button(tr(S::SwitchUser), ImVec2(width, px(52)))) {
    s.switching_user = true;
    f = LoginForm{};
  }
  ImGui::EndDisabled();
  end_card();
}

void draw_sign_out_dialog(AppState& app) {
  SessionState& s = app.session;
  if (!s.confirm_sign_out) return;
  if (!begin_dialog("##sign-out", px(560), tr(S::SignOut))) return;
  ImGui::PushTextWrapPos(0.0f);
  char buf[512];
  const uint64_t pending = app.sync.pending_upload;
  if (!app.writer) {
    tracked_text(tr(S::SignOutReadOnly));
  } else if (pending > 0) {
    std::snprintf(buf, sizeof buf, tr(S::SignOutPendingFmt), (int)pending);
    colored_text(kWarning, buf);
  } else {
    tracked_text(tr(S::SignOutClean));
  }
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  bool close = false;
  if (primary_button(tr(S::SignOutConfirm), ImVec2(px(200), px(52)))) {
    close = true;
    app.host.sign_out();
  }
  ImGui::SameLine();
  if (end_dialog(tr(S::Cancel), close)) s.confirm_sign_out = false;
}

}  // namespace steward::ui
