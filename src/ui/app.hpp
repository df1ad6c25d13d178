// The app's screens (immediate mode) and the plain state they work on.
// The platform layer owns an AppState, fills in what only it knows (storage, durability, time, scale) and calls
// draw_app() once per frame; the screens call back through Host for what they need from the platform.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/account.hpp"
#include "core/patrol.hpp"
#include "core/site.hpp"
#include "core/ticket.hpp"
#include "core/visit.hpp"
#include "store/ops_repository.hpp"
#include "store/owner_repository.hpp"
#include "store/visit_repository.hpp"
#include "sync/replicator.hpp"
#include "ui/patrol_editor.hpp"
#include "ui/strings.hpp"
#include "ui/targets_screen.hpp"
#include "ui/text_field_menu.hpp"

namespace steward::ui {

struct Host {
  std::function<int64_t()> now_ms;
  std::function<std::string()> new_uuid;
  // Asks for every write made so far to be made durable; returns the generation that will cover them.
  std::function<uint64_t()> persist;
  std::function<void(Lang)> save_language;
  // Opens the camera; the photo arrives later in PatrolScreen::photos (already downscaled by the page).
  std::function<void()> pick_photo;
  // Asks for a thumbnail of a stored photo (base64 JPEG); it arrives later in AppState::thumbnails under `key`.
  std::function<void(const std::string& key, const std::string& base64)> request_thumbnail;
  // Gives a thumbnail's texture back (the detail that showed it closed).
  std::function<void(uint64_t texture)> free_texture;
  // Hands a file to the person (the browser saves it as a download).
  std::function<void(const std::string& filename, const std::string& mime_type, const std::string& bytes)> download;

  // Signing in and out (the platform checks the password with the server, or offline against the verifier the
  // tablet made at the person's last online login; the outcome arrives in AppState::session and ::login).
  std::function<void(const std::string& name, const std::string& password)> sign_in;
  std::function<void(const std::string& site_id)> choose_site;  // empty: the picker was left without a choice
  std::function<void(const std::string& password)> unlock;
  // After the person confirmed: keeps their stores when something waits to upload, else removes them.
  std::function<void()> sign_out;
  // The signed-in person changed their own password on the server: the tablet signs in with it from now on (its
  // offline verifier too).
  std::function<void(const std::string& password)> own_password_changed;
  // The server's JSON API (the admin screen), with the session cookie; `done` gets the status (0: no answer)
  // and the body.
  std::function<void(const std::string& method, const std::string& path, const std::string& body,
                     std::function<void(int status, const std::string& body)> done)>
      api;
};

// Durability of writes, as reported by the platform (FS.syncfs on the tablet).
struct PersistProgress {
  uint64_t requested = 0;  // newest generation asked for
  uint64_t done = 0;       // every write up to this generation is durable
  uint64_t failed = 0;     // the newest generation whose persist failed (0: none)
  bool quota_exceeded = false;
  std::string error;       // the last failure, as the browser put it
};

struct StorageInfo {
  int persisted = -1;  // navigator.storage.persist(): -1 unknown, 0 refused, 1 granted
  double usage_bytes = 0;
  double quota_bytes = 0;
};

// Targets and Routes are the supervisor's (core::is_in_charge): not shown to anyone else.
enum class Tab { Register, Today, Summary, Tickets, Patrol, Targets, Routes, Owners, Admin };

// Who is signed in, and the screens around signing in. The platform moves the phases; the screens ask through Host.
enum class SessionPhase {
  Starting,      // the platform is not ready yet (writer lock, the saved session)
  SignedOut,     // the login screen
  ChoosingSite,  // signed in with roles at several sites: the site picker
  Opening,       // the person's own stores are being loaded
  SignedIn,
  SigningOut,    // what was written is being made durable before the stores close
};

struct LoginForm {
  char name[65] = "";
  char password[129] = "";
  bool busy = false;  // the server or the password check has not answered yet
  std::string message;
};

struct SessionState {
  SessionPhase phase = SessionPhase::Starting;
  core::UserProfile profile;
  core::SiteSettings site;       // the site acted at
  bool offline = false;          // signed in against the tablet's verifier (the server was out of reach)
  bool locked = false;           // the lock screen is over everything
  bool switching_user = false;   // on the lock screen, another person is signing in
  bool confirm_sign_out = false; // the sign-out dialog is open
  bool needs_password = false;   // the server no longer knows this session: sync waits for the password
  std::string notice;            // shown on the login screen (e.g. the last person's records kept here)
  int64_t last_input_ms = 0;     // the idle lock counts from here
};

// A phone number shown masked, and revealed (and logged) on request; cleared when its detail closes.
struct Revealed {
  std::string key;    // which number on screen (the record's id, or more when a record has several)
  std::string error;  // the access log could not be written: nothing is shown
};

struct RegisterForm {
  char name[128] = "";
  char phone[40] = "";
  int party_size = 1;
  int channel = -1;     // index into core::kAllChannels, -1 = not chosen
  int consultant = -1;  // index into the site's consultants, -1 = none
  char plate[32] = "";
  char notes[1536] = "";
  std::vector<core::FieldError> errors;  // from the last tap on "save"

  enum class Phase { Editing, Saving, Failed } phase = Phase::Editing;
  uint64_t saving_generation = 0;  // the persist generation this form's record waits for
  std::string saving_name;
  std::string failure;             // what went wrong, in words, while Phase::Failed
  std::string saved_message;       // "已保存：张三（首访）" after the last save
};

struct TodayList {
  char search[64] = "";
  std::string receiving_visit_id;  // the visit whose "receive" popup is open
  std::string merge_detail_visit_id;  // the visit whose "merged edits" popup is open
  char other_consultant[64] = "";  // a consultant not on the roster, typed in that popup
  std::string menu_visit_id;       // the visit whose actions menu (long press, right click) is open
  std::string detail_visit_id;     // the visit whose detail (with the phone number behind a tap) is open
  Revealed revealed;
  bool menu_requested = false;     // ... asked for this frame, opened when the table is done
  // Derived from the repository, rebuilt when it changes or the day turns.
  uint64_t cached_version = ~0ull;
  std::string cached_day;
  std::vector<const core::Visit*> day_visits;
};

// Photos taken for a form (a finding's, a new ticket's), stored with its ticket when it is saved.
struct PhotoTray {
  std::vector<store::Photo> photos;
  bool waiting = false;  // the camera is open / the photo is being downscaled
  std::string problem;   // why the last photo could not be used
};

// A time agreed with an owner (an appointment, a reply date) as picked on the form: a day counted from today and
// a time of day; no time (0) until both are picked.
struct TimeChoice {
  static constexpr int kDays = 7;  // today and the six days after it
  static constexpr int kFirstHour = 7, kLastHour = 21;
  int day = -1;
  int minute_of_day = -1;
  int64_t ms(int64_t now_ms, int utc_offset_minutes) const;
};

// The butler's tickets: a list, the form for a new one, or one ticket's detail with its actions.
enum class TicketList { Mine, Overdue, ReturnVisit, ByBuilding, Search };
struct TicketForm {
  int type = -1;  // index into core::kAllTicketTypes
  char building[64] = "";
  char unit[64] = "";
  char place[128] = "";
  char reporter[64] = "";
  char contact[40] = "";
  char category[64] = "";
  char description[2048] = "";
  int priority = 0;          // index of core::Priority
  TimeChoice appointment;    // Scheduled: the time agreed with the owner
  int complaint_level = 0;   // 1..3 for complaints
  bool agree_reply_date = false;  // complaints: a reply date agreed instead of the 24-hour rule
  TimeChoice reply_by;
  PhotoTray photos;
  std::vector<core::TicketFieldError> errors;
  bool scroll_to_error = false;  // a save was refused: bring the first problem into view
};
struct TicketsScreen {
  TicketList list = TicketList::Mine;
  char search[64] = "";
  int building = -1;           // index into the buildings of the site's tickets
  bool creating = false;
  TicketForm form;
  std::string open_id;         // the ticket whose detail is shown
  std::optional<Tab> back_to;  // the detail was opened from another screen (the targets' items): back goes there
  // The detail's step inputs.
  int department = -1;         // index into department_names(); the last is "other", typed into other_department
  char other_department[64] = "";
  char person[64] = "";
  char text[512] = "";
  char outcome[256] = "";
  int satisfaction = 0;
  std::string message;         // what the last action did, or why it was refused
  bool message_is_error = false;
  Revealed revealed;           // the open ticket's contact number
  // Derived from the repository, rebuilt when it changes or a minute passes (overdue marks move with time).
  uint64_t cached_version = ~0ull;
  int64_t cached_minute = -1;
  std::vector<core::TicketView> views;
};

// A patrol round being walked, or the choice of route.
struct PatrolScreen {
  bool reviewing = false;     // the weekly review (supervisors), instead of walking a round
  int weeks_back = 1;         // the week reviewed: 1 is last week, which the Monday meeting goes through
  std::string round_id;       // the round shown; empty: choose or resume one
  std::string selected;       // a checkpoint key picked out of order (empty: the next one)
  std::string finding_at;     // the checkpoint whose finding form is open
  char category[64] = "";
  char description[1024] = "";
  char note[256] = "";
  std::vector<core::TicketFieldError> errors;
  PhotoTray photos;  // taken for the open finding
  std::string message;
  bool message_is_error = false;
};

// A photo's thumbnail as a texture, by "<ticket id>/<photo name>"; texture 0 while it is being decoded (or when it
// could not be).
struct Thumbnail {
  uint64_t texture = 0;
  int width = 0, height = 0;
  bool failed = false;
};

// Owner files (业主档案), read only: a list by unit; opening one writes an access log first.
struct OwnersScreen {
  char search[64] = "";
  std::string open_id;
  std::string message;  // why a file did not open
  Revealed revealed;
};

// Accounts of the site (supervisors and admins), over the server's admin API: online only.
struct AdminUser {
  std::string name, display_name;
  bool disabled = false;
  std::vector<core::Grant> grants;
};
struct AuditEntry {
  std::string at, who, action, site, detail;
};
struct AdminScreen {
  bool loaded = false;         // the first load was asked for
  int loading = 0;             // requests not answered yet
  std::vector<AdminUser> users;
  std::vector<AuditEntry> audit;
  std::string selected;        // the person whose actions are shown
  bool adding = false;         // the new-person form is open
  int grant_role = -1;         // index into core::kAllRoles
  char new_name[65] = "";
  char new_display_name[65] = "";
  char new_password[129] = "";
  char reset_password[129] = "";
  char current_password[129] = "";  // asked for when the chosen person is oneself
  char site_name[128] = "";
  int idle_lock_minutes = 5;
  int retention_days = 30;
  bool settings_loaded = false;
  std::string message;
  bool message_is_error = false;
};

struct AppState {
  Host host;
  // The signed-in person's stores, one per family their role sees; null when that family is not theirs (or
  // before their stores are open).
  store::VisitRepository* repo = nullptr;
  store::OpsRepository* ops = nullptr;       // tickets and patrols
  store::OwnerRepository* owners = nullptr;  // owner files, read only
  core::Site site;
  bool store_ready = false;
  bool writer = true;                      // false: another tab holds the writer lock
  std::string open_error;                  // the store could not be opened
  size_t recovered_torn_bytes = 0;
  StorageInfo storage;
  PersistProgress persist;
  std::string device_id;        // this tablet's id: the node in its edit stamps
  bool sync_enabled = false;    // this tab replicates with the server (the writing tab does)
  sync::ReplicatorStatus sync;  // every replication of the person's stores together, as the header shows it
  float scale = 1.0f;  // framebuffer pixels per CSS pixel

  Tab tab = Tab::Register;
  RegisterForm form;
  TodayList today;
  TicketsScreen tickets;
  std::unordered_map<std::string, Thumbnail> thumbnails;
  PatrolScreen patrol;
  TargetsScreen targets;
  RouteEditor route_editor;
  // Who is using the tablet: the signed-in person's display name (what timelines and rounds record) and their
  // role at the site. Set by the platform at sign-in, and nowhere else.
  core::Actor user;
  LoginForm login;
  SessionState session;
  OwnersScreen owner_files;
  AdminScreen admin;
  TextFieldMenu text_menu;  // the active field's 全选 / 剪切 / 复制 / 粘贴
  // Writes not yet durable: visit id -> the generation that will cover it.
  std::unordered_map<std::string, uint64_t> unsaved;
  std::string write_error;  // a failed write from a list action
};

// Sizes in CSS pixels are multiplied by the scale, so targets stay finger-sized on any screen.
void apply_style(float scale);
void draw_app(AppState& app);
// The tabs the person's role has, in order (core::family_access decides; the admin screen for those in charge).
std::vector<Tab> tabs_for(core::Role role);
// Clears what one person left on screen (forms, lists, details) before the next signs in.
void reset_screens(AppState& app);
// Writes an access log (core/access_log) for `record_id` into the family's store (or, for a role that may only
// read that family, into one it may write); false, with the reason in `error`, when it could not be written (then
// nothing may be shown).
bool log_access(AppState& app, core::RecordFamily family, std::string_view action, const std::string& record_id,
                std::string& error);
// A phone number masked (138****5678) with 显示号码 beside it: the tap logs the view (log_access) and only then shows
// the number, until `revealed` is cleared (its detail closes). `key` tells apart several numbers of one record
// (empty: the record's id).
void draw_revealable_phone(AppState& app, const std::string& phone, const std::string& record_id,
                           core::RecordFamily family, Revealed& revealed, const std::string& key = "");

}  // namespace steward::ui
