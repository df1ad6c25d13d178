// The browser app's entry point: WebGL2 context, frame loop, and the bridge between the page (web_bridge.js)
// and the app's state. Draws only when something changed, so an idle tablet spends no battery on frames.
// Signing in lives here too: the server's session (a cookie) or, out of its reach, the verifier the tablet made
// at the person's last online sign-in; then the person's own stores (user_data.hpp); the idle lock; signing out.
#include <emscripten.h>
#include <emscripten/html5.h>

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/account.hpp"
#include "core/retention.hpp"
#include "imgui.h"
#include "imgui_internal.h"  // PlatformImePos: where the text caret is
#include "platform/fonts.hpp"
#include "platform/gl_renderer.hpp"
#include "platform/input_queue.hpp"
#include "platform/text_field.hpp"
#include "platform/touch_gestures.hpp"
#include "platform/user_data.hpp"
#include "platform/web_bridge.hpp"
#include "platform/web_transport.hpp"
#include "store/persist_queue.hpp"
#include "ui/app.hpp"
#include "ui/ops_screens.hpp"
#include "ui/test_hook.hpp"
#include "ui/widgets.hpp"

namespace steward::platform {
namespace {

constexpr const char* kCanvas = "#canvas";
// Each person's stores at a site are under /steward/u/<their folder>/<site>, an IDBFS mount (an IndexedDB database)
// of its own: signing out removes one person's data at one site, never what waits to upload elsewhere.
constexpr const char* kUserRoot = "/steward/u";
constexpr int kSignInTimeoutMs = 10000;
constexpr double kActivitySaveMs = 15000;  // how often the last input time is written down (for a reload)

using ApiDone = std::function<void(int status, std::string& body)>;

struct Runtime {
  ui::AppState app;
  std::unique_ptr<UserData> user;  // the signed-in person's stores and their replication
  std::optional<sync::HlcClock> clock;
  std::string device_id;  // this browser profile's id: replication checkpoints and edit stamps
  store::PersistQueue persist_queue;
  std::string persist_mount;  // the folder the queued files belong to
  double persist_batch_started_ms = 0;
  bool sync_redraw_due = false;  // sync changed what is shown; drawn at most every kSyncRedrawMs
  bool sync_persist_due = false;  // sync wrote during a pull; persisted at most every kSyncPersistMs
  double last_sync_persist_ms = 0;
  double last_sync_redraw_ms = 0;
  // Signing in: the password is kept in memory (never stored) while the person is signed in, so the tablet can
  // open a server session by itself when the network returns after an offline sign-in, or the server ends one.
  std::string password;
  bool reauth_busy = false;
  double last_reauth_ms = -1e12;  // when the last silent sign-in was tried (emscripten_get_now)
  std::map<int, ApiDone> api_waiting;                     // fetches of the app's own, by request id
  std::map<int, std::function<void(int)>> verifier_waiting;  // verifier checks, by request
  int verifier_request = 0;
  std::string opening_mount;    // the folder being loaded for a sign-in
  bool keep_data_at_sign_out = false;
  bool retention_after_upload = false;  // the purge after the first upload since the stores opened has run
  double last_retention_ms = 0;
  uint64_t pending_at_sign_out = 0;
  std::function<void()> after_sign_out;  // another person signed in on the lock screen: their session opens next
  double last_activity_saved_ms = 0;
  InputQueue input;
  TouchGestures touch;
  float scale = 0;         // framebuffer pixels per CSS pixel the fonts and style were built for
  int fb_width = 0, fb_height = 0;
  int frames_to_draw = 3;  // frames still owed after the last change
  double last_frame_ms = 0;
  double last_tick_ms = 0;
  double last_burst_ms = 0;  // a change's first frame, a redraw's, or a frame drawn during a quiet pull
  TextFieldState text_field;     // as last sent to the page
  ImGuiID text_field_id = 0;      // the active field, to bring a newly focused one into view
  bool display_shrank = false;    // the screen got shorter since the last frame (the keyboard opened)
  std::vector<ImRect> text_field_rects;  // as last sent to the page
  int text_menu_pressed = -1;  // the edit menu command a pointer went down on (-1: none), run if it lifts there
  // Drawn since input was last applied or something else changed what the screen shows (a store opened, an answer
  // arrived): layout (tables, popups) settles in ~3. A test is idle only once the screen shows the current state.
  int frames_since_change = 0;
  uint64_t frames_drawn = 0;
  ui::SessionPhase drawn_phase = ui::SessionPhase::SignedOut;  // the screen the last frame showed
  bool ready = false;      // the first interactive frame (the login screen, or the person's data) has been drawn
  // For the benchmarks (window.stewardTest.metrics()): when things happened, in ms since the page started.
  double first_data_frame_ms = 0;
  double store_open_ms = 0;   // opening the stores and loading the records
  double sync_started_ms = 0;     // the replicator started (the span PouchDB's replicate() is timed over starts here)
  double first_pull_done_ms = 0;  // the first pull caught up with the server
  // Frames drawn from the start of sync until the first pull caught up: each takes main-thread time from it.
  int64_t first_pull_frames = -1;
  uint64_t frames_at_sync_start = 0;
  std::map<uint64_t, double> persist_started;  // generation -> when it was asked for
  std::vector<double> persist_durations;       // asked for -> durable in IndexedDB
  std::vector<float> frame_cpu_ms;             // CPU time of each drawn frame (the last kFrameSamples)
  int photo_request = 0;                       // the camera request whose answer is awaited
  int thumbnail_request = 0;
  std::map<int, std::string> thumbnails_waiting;  // request -> thumbnail key
  double last_photo_bytes = 0;                 // the last photo's size as stored (after downscaling)
};
constexpr size_t kFrameSamples = 4096;
Runtime rt;

std::string take_js_string(char* s) {
  std::string out = s ? s : "";
  std::free(s);
  return out;
}

// A string handed to JS, which frees it.
char* malloc_copy(const std::string& s) {
  char* out = (char*)std::malloc(s.size() + 1);
  std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

// n = 3: something changed (see frames_since_change); 1: only a redraw (the caret's blink, a throttled status).
void request_frames(int n = 3) {
  if (rt.frames_to_draw < n) rt.frames_to_draw = n;
  if (n >= 3) rt.frames_since_change = 0;
}

int64_t now_ms() { return (int64_t)emscripten_date_now(); }

// Characters the atlas may lack: a visit's text, as typed or as received.
void note_visit_text(const core::Visit& v) {
  for (const std::string* text : {&v.name, &v.notes, &v.car_plate, &v.received_by, &v.appointed_consultant})
    fonts_note_text(*text);
}

void note_site_text(const core::Site& site) {
  fonts_note_text(site.name);
  for (const std::string& c : site.consultants) fonts_note_text(c);
}

// Characters the atlas may lack: tickets', routes' and rounds' text, as stored or received.
void note_ticket_text(const core::Ticket& t) {
  for (const std::string* text : {&t.building, &t.unit, &t.place, &t.reporter, &t.category, &t.description, &t.owner})
    fonts_note_text(*text);
  for (const core::TimelineEntry& e : t.timeline) {
    for (const std::string* text : {&e.by, &e.department, &e.person, &e.text}) fonts_note_text(*text);
    if (e.return_visit) fonts_note_text(e.return_visit->outcome);
  }
}

void note_route_text(const std::string& name, const std::vector<core::PatrolArea>& areas) {
  fonts_note_text(name);
  for (const core::PatrolArea& a : areas) {
    fonts_note_text(a.name);
    for (const core::Checkpoint& c : a.checkpoints) {
      fonts_note_text(c.name);
      for (const std::string& check : c.checks) fonts_note_text(check);
    }
  }
}

void note_ops_text(const store::OpsRepository& ops, const std::vector<sync::ChangedDoc>* changed) {
  std::unordered_set<std::string> ids;
  if (changed)
    for (const sync::ChangedDoc& c : *changed) ids.insert(c.id);
  auto wanted = [&](const std::string& id) { return !changed || ids.count(id) > 0; };
  for (const core::Ticket& t : ops.tickets())
    if (wanted(t.id)) note_ticket_text(t);
  for (const core::PatrolTemplate& t : ops.templates())
    if (wanted(t.id)) note_route_text(t.name, t.areas);
  for (const core::PatrolRound& r : ops.rounds())
    if (wanted(r.id)) note_route_text(r.template_name, r.route);
}

void note_owner_text(const core::OwnerFile& f) {
  for (const std::string* text : {&f.building, &f.unit, &f.notes}) fonts_note_text(*text);
  for (const core::OwnerPerson& p : f.people) {
    fonts_note_text(p.name);
    fonts_note_text(p.relation);
  }
  for (const core::OwnerVehicle& v : f.vehicles) {
    fonts_note_text(v.plate);
    fonts_note_text(v.description);
  }
}

void note_family_text(core::RecordFamily family, const std::vector<sync::ChangedDoc>* changed) {
  ui::AppState& app = rt.app;
  switch (family) {
    case core::RecordFamily::Visits:
      if (!app.repo) return;
      if (!changed) {
        for (const core::Visit& v : app.repo->visits()) note_visit_text(v);
      } else {
        for (const sync::ChangedDoc& c : *changed)
          if (const core::Visit* v = app.repo->find(c.id)) note_visit_text(*v);
      }
      return;
    case core::RecordFamily::Ops:
      if (app.ops) note_ops_text(*app.ops, changed);
      return;
    case core::RecordFamily::Owners:
      if (app.owners)
        for (const core::OwnerFile& f : app.owners->files()) note_owner_text(f);
      return;
  }
}

void fetch_wanted_font_chunks() {
  for (const FontChunkRequest& r : fonts_take_wanted_chunks()) steward_js_fetch_font_chunk(r.chunk, r.file);
}

// ---- durability ------------------------------------------------------------------------------------------

// Mirrors the queue into what the screens show, and times the saves that became durable.
void publish_persist_state() {
  ui::PersistProgress& p = rt.app.persist;
  p.requested = rt.persist_queue.requested();
  p.done = rt.persist_queue.done();
  p.failed = rt.persist_queue.failed();
  const double now = emscripten_get_now();
  // Someone is waiting for their own save (or a write failed): show it now. Writes that only sync made are shown
  // with sync's other changes, a few times a second at most.
  const bool someone_waits = !rt.persist_started.empty() || p.failed > p.done;
  for (auto it = rt.persist_started.begin(); it != rt.persist_started.end() && it->first <= p.done;) {
    rt.persist_durations.push_back(now - it->second);
    it = rt.persist_started.erase(it);
  }
  if (someone_waits)
    request_frames();
  else
    rt.sync_redraw_due = true;
}

store::FileChanges take_file_changes() { return rt.user ? rt.user->take_file_changes() : store::FileChanges{}; }

// Starts writing the changed store files to IndexedDB if nothing is being written now.
void pump_persist() {
  if (auto batch = rt.persist_queue.start()) {
    const std::string& mount = rt.persist_mount;
    nlohmann::json files = {{"mount", mount}, {"written", nlohmann::json::array()}, {"removed", nlohmann::json::array()}};
    for (const std::string& name : batch->files.written) files["written"].push_back(mount + "/" + name);
    for (const std::string& name : batch->files.removed) files["removed"].push_back(mount + "/" + name);
    rt.persist_batch_started_ms = emscripten_get_now();
    steward_js_persist_files((double)batch->generation, files.dump().c_str());
  }
  publish_persist_state();
}

// After a write to the store (or for a retry): make everything written so far durable.
uint64_t request_persist() {
  const uint64_t generation = rt.persist_queue.request(take_file_changes());
  rt.persist_started.emplace(generation, emscripten_get_now());
  pump_persist();
  return generation;
}

// Writes that sync made (revisions pulled, merges, checkpoints) are made durable like the person's own. During
// a pull, at most every kSyncPersistMs: each IndexedDB transaction costs main-thread time the pull needs, and what
// waits is still on the server (the pull checkpoint is in the same files, after the documents, so it never
// becomes durable ahead of them).
constexpr double kSyncPersistMs = 500.0;
// Sync changes what the screen shows (records arriving, the counts of a pull): drawn at most this often.
constexpr double kSyncRedrawMs = 500.0;
void persist_sync_writes() {
  if (!rt.user) return;
  const double now = emscripten_get_now();
  if (rt.user->pulling() && now - rt.last_sync_persist_ms < kSyncPersistMs) {
    rt.sync_persist_due = true;
    return;
  }
  rt.sync_persist_due = false;
  rt.last_sync_persist_ms = now;
  store::FileChanges changes = take_file_changes();
  if (changes.empty()) return;
  rt.persist_queue.request(changes);
  pump_persist();
}

// ---- the server's API and the saved account data -----------------------------------------------------------

// A fetch of the app's own (sign-in, profile, the admin screen), with the session cookie: same origin.
void api_request(const std::string& method, const std::string& path, const std::string& body, int timeout_ms,
                 ApiDone done) {
  const int id = next_http_request_id();
  rt.api_waiting[id] = std::move(done);
  steward_js_http(id, method.c_str(), path.c_str(), body.data(), body.size(), "", timeout_ms);
}

void check_verifier(const std::string& name, const std::string& password, std::function<void(int)> then) {
  const int id = ++rt.verifier_request;
  rt.verifier_waiting[id] = std::move(then);
  steward_js_verifier_check(id, name.c_str(), password.c_str());
}

std::optional<nlohmann::json> load_json_pref(const std::string& key) {
  const std::string text = take_js_string(steward_js_load_pref(key.c_str()));
  if (text.empty()) return std::nullopt;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

void save_json_pref(const std::string& key, const nlohmann::json& value) {
  steward_js_save_pref(key.c_str(), value.is_null() ? "" : value.dump().c_str());
}

// The profile of the person's last online sign-in on this tablet: what an offline sign-in acts on.
std::optional<core::UserProfile> cached_profile(const std::string& name) {
  const auto j = load_json_pref("profile." + name);
  if (!j) return std::nullopt;
  try {
    core::UserProfile p = core::profile_from_json(*j);
    if (p.name == name) return p;
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "ignoring the saved profile of %s: %s\n", name.c_str(), e.what());
  }
  return std::nullopt;
}

// Wrong offline passwords in a row, and when the last one was typed (core::offline_login_wait_ms).
struct Failures {
  int count = 0;
  int64_t last_ms = 0;
};
Failures load_failures(const std::string& name) {
  const auto j = load_json_pref("failures." + name);
  if (!j || !j->is_object()) return {};
  return {j->value("count", 0), j->value("last_ms", int64_t(0))};
}
void save_failures(const std::string& name, const Failures& f) {
  save_json_pref("failures." + name, f.count == 0 ? nlohmann::json() : nlohmann::json{{"count", f.count}, {"last_ms", f.last_ms}});
}

// Who was signed in, at which site, and when they last touched the screen: a reload opens the same session
// (locked when the idle time has passed meanwhile).
void save_session_pref() {
  const ui::SessionState& s = rt.app.session;
  save_json_pref("session", {{"name", s.profile.name}, {"site", s.site.id}, {"last_input_ms", s.last_input_ms}});
  rt.last_activity_saved_ms = emscripten_get_now();
}

// A sign-in that did not go through: why, and the password field empty for the next try.
void say_login(const std::string& message) {
  rt.app.login.busy = false;
  rt.app.login.message = message;
  std::memset(rt.app.login.password, 0, sizeof rt.app.login.password);
  request_frames();
}

// ---- the signed-in person's stores ------------------------------------------------------------------------------

// Where the site's databases are: this server's CouchDB API, or beside the database a tablet was pointed at
// (?sync=https://couch.example/demo-visits/, see steward_js_sync_url).
std::string sync_base() {
  const std::string chosen = take_js_string(steward_js_sync_url());
  if (chosen.empty()) return "couch/";
  const std::string trimmed = chosen.substr(0, chosen.size() - 1);  // ends in '/'
  return trimmed.substr(0, trimmed.rfind('/') + 1);
}

void publish_sync_status() {
  if (!rt.user) return;
  rt.app.sync = rt.user->combined_status();
  if (!rt.first_pull_done_ms && rt.app.sync.pull_caught_up_ms) {
    rt.first_pull_done_ms = emscripten_get_now();
    rt.first_pull_frames = int64_t(rt.frames_drawn - rt.frames_at_sync_start);
  }
}

// Why a password is being checked: signing in on the login screen, unlocking the lock screen, or a new server
// session opened by the tablet itself with the password it holds.
enum class Purpose { SignIn, Unlock, Reauth };
void sign_in_online(Purpose purpose, const std::string& name, const std::string& password);

// The server no longer knows this session (401): sign in again by the password kept in memory, at most once a
// minute; without one, sync waits for the person to give it (the banner, the lock screen).
void on_not_signed_in() {
  if (rt.reauth_busy || rt.app.session.needs_password) return;
  const double now = emscripten_get_now();
  if (rt.password.empty() || now - rt.last_reauth_ms < 60000) {
    if (rt.password.empty()) rt.app.session.needs_password = true;
    return;
  }
  rt.reauth_busy = true;
  rt.last_reauth_ms = now;
  sign_in_online(Purpose::Reauth, rt.app.session.profile.name, rt.password);
}

// Retention runs when the stores open, when the site's setting changes, once the first upload after opening has
// caught up (what it covered is synced only then), and every hour while the tablet is on.
constexpr double kRetentionEveryMs = 60 * 60 * 1000;
void apply_retention() {
  if (!rt.user) return;
  rt.last_retention_ms = emscripten_get_now();
  const int64_t cutoff = core::retention_cutoff_ms(now_ms(), rt.app.session.site.retention_days);
  const size_t purged = rt.user->apply_retention(cutoff);
  if (purged > 0) {
    std::printf("retention: %zu synced visitor records older than %d days left this tablet\n", purged,
                rt.app.session.site.retention_days);
    request_persist();
  }
}

void start_sync() {
  rt.user->start_sync(
      [](core::RecordFamily family, const std::vector<sync::ChangedDoc>& changed) {
        note_family_text(family, &changed);
        rt.sync_redraw_due = true;
      },
      [] {
        publish_sync_status();
        if (rt.app.sync.problem == sync::SyncProblem::NotSignedIn) on_not_signed_in();
        if (!rt.retention_after_upload && rt.user->visits_all_pushed()) {
          rt.retention_after_upload = true;
          apply_retention();
        }
        persist_sync_writes();
        rt.sync_redraw_due = true;
      });
  rt.app.sync_enabled = rt.user->syncing();
  rt.sync_started_ms = emscripten_get_now();
  rt.frames_at_sync_start = rt.frames_drawn;
  publish_sync_status();
}

// The person's profile as the server has it now (settings a supervisor changed, roles): kept for offline use.
void apply_profile(const core::UserProfile& profile) {
  ui::SessionState& s = rt.app.session;
  if (profile.name != s.profile.name) return;
  save_json_pref("profile." + profile.name, core::to_json(profile));
  s.profile = profile;
  if (const core::SiteSettings* site = core::find_site(profile, s.site.id)) {
    const bool retention_changed = site->retention_days != s.site.retention_days;
    s.site = *site;
    rt.app.site.name = site->name;
    if (retention_changed) apply_retention();
  }
  request_frames();
}

void refresh_profile() {
  api_request("GET", "api/me", "", kSignInTimeoutMs, [](int status, std::string& body) {
    if (status == 200) {
      try {
        apply_profile(core::profile_from_json(nlohmann::json::parse(body)));
        rt.app.session.offline = false;
      } catch (const std::exception& e) {
        std::fprintf(stderr, "api/me: %s\n", e.what());
      }
    } else if (status == 401) {
      on_not_signed_in();
    }
  });
}

// The server's copy of the site (roster of consultants): kept locally so the next start works offline.
void take_site_roster(const std::string& text) {
  ui::AppState& app = rt.app;
  try {
    core::Site site = core::site_from_json(nlohmann::json::parse(text));
    if (!app.repo || site.id != app.site.id) return;  // signed out, or another site, since it was asked for
    site.name = app.session.site.name;  // the account's settings are the newer word on the name
    const bool changed = core::to_json(site) != core::to_json(app.site);
    app.site = site;
    note_site_text(site);
    if (changed && app.writer) {
      app.repo->save_site(site);
      request_persist();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ignoring the server's site document: %s\n", e.what());
  }
  request_frames();
}

// Asks the server for the site's roster; `then` runs once it answered or could not (5 s at most).
void fetch_site_roster(std::function<void()> then) {
  api_request("GET", "api/sites/" + rt.app.site.id, "", 5000, [then](int status, std::string& body) {
    if (status == 200) take_site_roster(body);
    if (then) then();
  });
}

// The person's stores are open: their screens show.
void show_user_data() {
  ui::AppState& app = rt.app;
  if (app.session.phase != ui::SessionPhase::Opening || !rt.user) return;  // signed out meanwhile
  app.store_ready = true;
  app.session.phase = ui::SessionPhase::SignedIn;
  app.tab = ui::tabs_for(app.user.role).front();
  request_frames();
}

void open_user_data() {
  ui::AppState& app = rt.app;
  const double started = emscripten_get_now();
  UserDataOptions o;
  o.user = app.session.profile.name;
  o.mount = rt.opening_mount;
  o.site = app.session.site.id;
  o.role = app.user.role;
  o.writer = app.writer;
  o.device_id = rt.device_id;
  o.sync_base = sync_base();
  o.stamp = [] { return rt.clock->now(now_ms()); };
  try {
    rt.user = std::make_unique<UserData>(o);
  } catch (const store::StoreError& e) {
    app.open_error = e.what();
    steward_js_user_storage_close(rt.opening_mount.c_str(), 0);
    app.session.phase = ui::SessionPhase::SignedOut;
    request_frames();
    return;
  }
  rt.persist_mount = rt.opening_mount;
  rt.retention_after_upload = false;
  app.open_error.clear();
  app.repo = rt.user->visits();
  app.ops = rt.user->ops();
  app.owners = rt.user->owners();
  for (core::RecordFamily f : core::kAllRecordFamilies) note_family_text(f, nullptr);
  if (app.repo) {
    if (auto site = app.repo->site(app.session.site.id)) app.site = *site;
    app.site.name = app.session.site.name;  // the account's settings are the newer word on the name
  }
  note_site_text(app.site);
  app.recovered_torn_bytes = rt.user->torn_bytes_dropped();
  rt.store_open_ms = emscripten_get_now() - started;
  // A repaired tail or a compaction changes files: make that durable too (nothing to do when neither ran).
  // Only the writing tab syncs: a second tab must not write, and one replicator per profile is enough.
  if (app.writer) {
    rt.user->compact_if_worthwhile();
    start_sync();
    apply_retention();
    request_persist();
  }
  refresh_profile();
  // The register form lists the roster: on a tablet that has none yet, it is asked for before the screen shows,
  // so the form does not grow under the person's finger when it arrives (a few seconds at most).
  const bool roster_known = app.repo && app.repo->site(app.session.site.id);
  if (app.repo && !roster_known) {
    fetch_site_roster(show_user_data);
  } else {
    show_user_data();
    if (app.repo) fetch_site_roster(nullptr);
  }
}

// Opens the person's session at a site: their role there decides their stores and screens.
void open_session(const std::string& site_id, bool locked) {
  ui::AppState& app = rt.app;
  ui::SessionState& s = app.session;
  const core::SiteSettings* site = core::find_site(s.profile, site_id);
  const std::optional<core::Role> role = core::role_at_site(s.profile.grants, site_id);
  if (!site || !role) {
    s.phase = ui::SessionPhase::SignedOut;
    say_login(ui::tr(ui::S::LoginNoRole));
    return;
  }
  s.site = *site;
  app.user = core::Actor{s.profile.display_name, *role};
  app.site = core::Site{};
  app.site.id = site->id;
  app.site.name = site->name;
  s.locked = locked;
  s.phase = ui::SessionPhase::Opening;
  if (!locked) s.last_input_ms = now_ms();
  save_session_pref();
  rt.opening_mount = std::string(kUserRoot) + "/" + core::user_folder_name(s.profile.name) + "/" + site->id;
  steward_js_user_storage_open(rt.opening_mount.c_str());
  request_frames();
}

// Signed in (online or offline) with roles somewhere: one site opens at once, several ask which.
void proceed(const core::UserProfile& profile, bool offline) {
  ui::SessionState& s = rt.app.session;
  s.profile = profile;
  s.offline = offline;
  s.notice.clear();
  const std::vector<const core::SiteSettings*> sites = core::sites_with_role(profile);
  if (sites.empty()) {
    rt.password.clear();
    s.phase = ui::SessionPhase::SignedOut;
    say_login(ui::tr(ui::S::LoginNoRole));
    return;
  }
  rt.app.login = ui::LoginForm{};
  if (sites.size() == 1) {
    open_session(sites.front()->id, false);
  } else {
    s.phase = ui::SessionPhase::ChoosingSite;
    request_frames();
  }
}

// Ends the session: replication stops, the server forgets the cookie, and once what was written is durable the
// stores close, removed from the tablet unless something waits to upload (or another tab writes).
void begin_sign_out() {
  ui::AppState& app = rt.app;
  if (!rt.user) return;
  rt.pending_at_sign_out = rt.user->pending_upload();
  rt.keep_data_at_sign_out = !app.writer || rt.pending_at_sign_out > 0;
  rt.user->stop_sync();
  // The cookie is the browser's: a read-only tab leaves it to the writing tab, which still syncs with it.
  if (app.writer) api_request("DELETE", "couch/_session", "", kSignInTimeoutMs, [](int, std::string&) {});
  app.session.phase = ui::SessionPhase::SigningOut;
  app.session.confirm_sign_out = false;
  request_persist();
  request_frames();
}

void finish_sign_out() {
  ui::AppState& app = rt.app;
  const std::string mount = rt.user->options().mount;
  const std::string who = app.session.profile.display_name;
  app.repo = nullptr;
  app.ops = nullptr;
  app.owners = nullptr;
  app.store_ready = false;
  app.sync_enabled = false;
  app.sync = sync::ReplicatorStatus{};
  rt.user.reset();
  rt.persist_queue = store::PersistQueue{};
  rt.persist_started.clear();
  app.persist = ui::PersistProgress{};
  steward_js_user_storage_close(mount.c_str(), rt.keep_data_at_sign_out ? 0 : 1);
  std::printf("signed out: %s's data %s\n", who.c_str(), rt.keep_data_at_sign_out ? "kept on the tablet" : "removed");
  save_json_pref("session", nullptr);
  rt.password.clear();
  rt.reauth_busy = false;
  ui::reset_screens(app);
  app.session = ui::SessionState{};
  app.session.phase = ui::SessionPhase::SignedOut;
  app.user = core::Actor{};
  if (rt.pending_at_sign_out > 0) {
    char buf[256];
    std::snprintf(buf, sizeof buf, ui::tr(ui::S::KeptOnTabletFmt), who.c_str(), (int)rt.pending_at_sign_out);
    app.session.notice = buf;
  }
  request_frames();
  if (rt.after_sign_out) {
    auto next = std::move(rt.after_sign_out);
    rt.after_sign_out = nullptr;
    next();
  }
}

// ---- signing in ---------------------------------------------------------------------------------------------

void signed_in(Purpose purpose, const std::string& name, const std::string& password, const core::UserProfile& profile,
               bool offline) {
  ui::AppState& app = rt.app;
  if (!offline) {
    save_json_pref("profile." + name, core::to_json(profile));
    steward_js_verifier_make(name.c_str(), password.c_str());
  }
  save_failures(name, {});
  if (purpose == Purpose::Reauth || purpose == Purpose::Unlock) {
    rt.password = password;
    rt.reauth_busy = false;
    if (!offline) {
      app.session.needs_password = false;
      app.session.offline = false;
      apply_profile(profile);
      if (rt.user) rt.user->retry_sync();
    }
    if (purpose == Purpose::Unlock) {
      app.session.locked = false;
      app.session.last_input_ms = now_ms();
      app.login = ui::LoginForm{};
      save_session_pref();
      // Unlocked against the verifier while the server wants a new session: get one now with this password.
      if (offline && app.session.needs_password) {
        app.session.needs_password = false;
        on_not_signed_in();
      }
    }
    request_frames();
    return;
  }
  // Signing in from the lock screen: the same person just unlocks; another one ends the session first.
  if (rt.user && app.session.phase == ui::SessionPhase::SignedIn) {
    if (app.session.profile.name == name) {
      app.session.switching_user = false;
      signed_in(Purpose::Unlock, name, password, profile, offline);
      return;
    }
    rt.after_sign_out = [name, password, profile, offline] {
      rt.password = password;
      proceed(profile, offline);
    };
    app.login = ui::LoginForm{};
    begin_sign_out();
    return;
  }
  rt.password = password;
  proceed(profile, offline);
}

// Offline (or when the server cannot answer): the verifier the tablet made at the person's last online sign-in,
// with a growing wait after wrong passwords. `unavailable` runs when there is no verifier to check against.
void sign_in_offline(Purpose purpose, const std::string& name, const std::string& password,
                     std::function<void(int)> unavailable) {
  const Failures before = load_failures(name);
  const int64_t wait = before.last_ms + core::offline_login_wait_ms(before.count) - now_ms();
  char buf[256];
  if (before.count > 0 && wait > 0) {
    std::snprintf(buf, sizeof buf, ui::tr(ui::S::LoginWaitFmt), (int)((wait + 999) / 1000));
    say_login(buf);
    return;
  }
  check_verifier(name, password, [=](int result) {
    if (result == 1) {
      std::optional<core::UserProfile> profile = cached_profile(name);
      if (purpose == Purpose::Unlock && !profile) profile = rt.app.session.profile;
      if (!profile) {
        say_login(ui::tr(ui::S::LoginOfflineNever));
        return;
      }
      signed_in(purpose, name, password, *profile, true);
    } else if (result == 0) {
      Failures f = load_failures(name);
      ++f.count;
      f.last_ms = now_ms();
      save_failures(name, f);
      const int64_t next_wait = core::offline_login_wait_ms(f.count);
      if (next_wait > 0) {
        char wait_text[256];
        std::snprintf(wait_text, sizeof wait_text, ui::tr(ui::S::LoginWaitFmt), (int)(next_wait / 1000));
        say_login(wait_text);
      } else {
        say_login(ui::tr(ui::S::LoginWrong));
      }
    } else {
      unavailable(result);
    }
  });
}

void offline_unavailable(int result) {
  say_login(ui::tr(result == -1 ? ui::S::LoginOfflineNever : ui::S::LoginOfflineUnavailable));
}

void sign_in_online(Purpose purpose, const std::string& name, const std::string& password) {
  const nlohmann::json body = {{"name", name}, {"password", password}};
  api_request("POST", "couch/_session", body.dump(), kSignInTimeoutMs, [=](int status, std::string&) {
    if (status == 200) {
      api_request("GET", "api/me", "", kSignInTimeoutMs, [=](int me_status, std::string& me_body) {
        if (me_status == 200) {
          try {
            signed_in(purpose, name, password, core::profile_from_json(nlohmann::json::parse(me_body)), false);
            return;
          } catch (const std::exception& e) {
            std::fprintf(stderr, "api/me: %s\n", e.what());
          }
        }
        rt.reauth_busy = false;
        if (purpose != Purpose::Reauth) say_login(ui::tr(ui::S::LoginServerProblem));
      });
      return;
    }
    if (status == 401) {
      // Refused by the server: a password the tablet still knows (changed since, or the account disabled) must no
      // longer open it offline either.
      check_verifier(name, password, [name](int r) {
        if (r != 1) return;
        steward_js_verifier_forget(name.c_str());
        save_json_pref("profile." + name, nullptr);
      });
      if (purpose == Purpose::Reauth) {
        rt.reauth_busy = false;
        rt.password.clear();
        rt.app.session.needs_password = true;
        request_frames();
        return;
      }
      say_login(ui::tr(ui::S::LoginWrong));
      return;
    }
    if (purpose == Purpose::Reauth) {  // no answer: the replicators' own retries go on, and so will this
      rt.reauth_busy = false;
      return;
    }
    if (status == 429) {
      say_login(ui::tr(ui::S::LoginTooMany));
      return;
    }
    if (status > 0 && status < 500) {
      say_login(ui::tr(ui::S::LoginServerProblem));
      return;
    }
    // No answer, or a server in trouble: the tablet's own check.
    sign_in_offline(purpose, name, password, offline_unavailable);
  });
}

void host_sign_in(const std::string& name, const std::string& password) {
  sign_in_online(Purpose::SignIn, name, password);
}

// Unlocking: the verifier first (no network needed, no wait); online when the tablet has none, or when the server
// wants a new session anyway.
void host_unlock(const std::string& password) {
  const std::string name = rt.app.session.profile.name;
  if (rt.app.session.needs_password) {
    sign_in_online(Purpose::Unlock, name, password);
    return;
  }
  sign_in_offline(Purpose::Unlock, name, password,
                  [name, password](int) { sign_in_online(Purpose::Unlock, name, password); });
}

// At start: the session a reload interrupted opens again, locked if the idle time passed meanwhile.
void restore_session() {
  ui::AppState& app = rt.app;
  app.session.phase = ui::SessionPhase::SignedOut;
  const auto saved = load_json_pref("session");
  if (!saved || !saved->is_object()) return;
  const std::string name = saved->value("name", std::string());
  const std::string site = saved->value("site", std::string());
  const auto profile = cached_profile(name);
  if (!profile) return;
  app.session.profile = *profile;
  const core::SiteSettings* settings = core::find_site(*profile, site);
  if (!settings) return;
  const int64_t last_input = saved->value("last_input_ms", int64_t(0));
  app.session.last_input_ms = last_input;
  open_session(site, now_ms() - last_input >= core::idle_lock_ms(*settings));
}

// The active text field goes to the page's hidden textarea (see text_field.hpp): its text and selection, and
// where its caret is, so the input method's candidates appear next to it. Sent only when something changed.
void sync_text_field(const TextFieldState& now) {
  TextFieldState& last = rt.text_field;
  const float s = rt.scale;
  if (now.active != last.active || now.text != last.text || now.sel_start != last.sel_start ||
      now.sel_end != last.sel_end || now.applied_seq != last.applied_seq || now.caret.x != last.caret.x ||
      now.caret.y != last.caret.y) {
    steward_js_text_field(now.active ? 1 : 0, now.text.c_str(), now.sel_start, now.sel_end, now.applied_seq,
                          now.caret.x / s, now.caret.y / s, ImGui::GetFontSize() / s);
    last = now;
  }
  // Where the fields are, so a tap on one can focus the textarea inside the touch handler.
  const std::vector<ImRect>& rects = ui::text_field_rects();
  const bool same = rects.size() == rt.text_field_rects.size() &&
                    std::equal(rects.begin(), rects.end(), rt.text_field_rects.begin(), [](const ImRect& a, const ImRect& b) {
                      return a.Min.x == b.Min.x && a.Min.y == b.Min.y && a.Max.x == b.Max.x && a.Max.y == b.Max.y;
                    });
  if (!same) {
    nlohmann::json list = nlohmann::json::array();
    for (const ImRect& r : rects) list.push_back({r.Min.x / s, r.Min.y / s, r.GetWidth() / s, r.GetHeight() / s});
    steward_js_text_field_rects(list.dump().c_str());
    rt.text_field_rects = rects;
  }
}

// A field that just became active, or the screen that just got shorter (the on-screen keyboard opened and the
// canvas follows the visual viewport): scroll so the field is in view, with a margin above the keyboard.
void keep_text_field_in_view(bool display_shrank) {
  ImGuiContext& g = *GImGui;
  const ImGuiID id = text_field_active() ? g.ActiveId : 0;
  const bool newly_active = id != rt.text_field_id;
  rt.text_field_id = id;
  if (!id || !(newly_active || display_shrank)) return;
  if (text_field_scroll_into_view()) request_frames();
}

// The edit menu's taps are carried out by the page inside this very pointer event (browsers let a page read the
// clipboard only there) and never reach ImGui: a press on the menu would take the focus from the field.
// Returns true when the pointer event was the menu's.
bool route_text_menu_pointer(int phase, ImVec2 pos) {
  ui::TextFieldMenu& menu = rt.app.text_menu;
  if (phase == 0) {
    const ui::TextFieldMenu::Item* item = ui::text_field_menu_item_at(menu, pos);
    if (!item) return false;
    rt.text_menu_pressed = (int)item->command;
    return true;
  }
  if (rt.text_menu_pressed < 0) return false;
  if (phase == 2) {
    const ui::TextFieldMenu::Item* item = ui::text_field_menu_item_at(menu, pos);
    if (item && (int)item->command == rt.text_menu_pressed) {
      steward_js_text_command(rt.text_menu_pressed);
      ui::close_text_field_menu(menu);
      request_frames();
    }
  }
  if (phase >= 2) rt.text_menu_pressed = -1;
  return true;
}

// Canvas backing store = CSS size × devicePixelRatio; fonts and style follow the density.
// The framebuffer size the canvas's CSS box asks for now, in device pixels.
void wanted_canvas_size(int& fb_w, int& fb_h) {
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size(kCanvas, &css_w, &css_h);
  const double scale = emscripten_get_device_pixel_ratio();
  fb_w = (int)std::lround(css_w * scale);
  fb_h = (int)std::lround(css_h * scale);
}

void fit_canvas() {
  const float scale = (float)emscripten_get_device_pixel_ratio();
  int fb_w = 0, fb_h = 0;
  wanted_canvas_size(fb_w, fb_h);
  if (fb_w != rt.fb_width || fb_h != rt.fb_height) {
    if (fb_h < rt.fb_height) rt.display_shrank = true;  // once laid out at the new size
    emscripten_set_canvas_element_size(kCanvas, fb_w, fb_h);
    rt.fb_width = fb_w;
    rt.fb_height = fb_h;
    request_frames();
  }
  if (scale != rt.scale) {
    rt.scale = scale;
    rt.app.scale = scale;
    ui::set_px_scale(scale);
    ui::apply_style(scale);
    fonts_build(scale);
    request_frames();
  }
}

// The idle lock, the activity written down for a reload, and the end of a sign-out once its writes are durable.
void tend_session() {
  ui::AppState& app = rt.app;
  ui::SessionState& s = app.session;
  if (s.phase == ui::SessionPhase::SignedIn && !s.locked) {
    if (now_ms() - s.last_input_ms >= core::idle_lock_ms(s.site)) {
      s.locked = true;
      s.switching_user = false;
      s.confirm_sign_out = false;
      app.login = ui::LoginForm{};
      request_frames();
    } else if (emscripten_get_now() - rt.last_activity_saved_ms >= kActivitySaveMs) {
      save_session_pref();
    }
  }
  const bool retention_due = emscripten_get_now() - rt.last_retention_ms >= kRetentionEveryMs;
  if (s.phase == ui::SessionPhase::SignedIn && rt.user && retention_due) apply_retention();
  if (s.phase == ui::SessionPhase::SigningOut && rt.user && !rt.persist_queue.in_flight()) {
    const store::PersistQueue& q = rt.persist_queue;
    if (q.done() >= q.requested() || q.failed() >= q.requested()) finish_sign_out();
  }
}

void frame() {
  const double now = emscripten_get_now();
  fit_canvas();
  tend_session();
  // A once-a-second tick keeps waiting times and the clock current.
  if (now - rt.last_tick_ms >= 1000.0) {
    rt.last_tick_ms = now;
    request_frames(1);
  }
  if (rt.sync_persist_due && now - rt.last_sync_persist_ms >= kSyncPersistMs) persist_sync_writes();
  if (rt.sync_redraw_due && now - rt.last_sync_redraw_ms >= kSyncRedrawMs) {
    rt.sync_redraw_due = false;
    rt.last_sync_redraw_ms = now;
    // As many frames as a change's layout takes to settle: with one, a list that a record from another tablet
    // was the first of showed its table's columns squeezed until the clock's next tick. Not counted as input:
    // the test hook's idle() would otherwise wait through a whole large pull.
    rt.frames_to_draw = std::max(rt.frames_to_draw, 3);
  }
  if (rt.touch.update(now, rt.input)) request_frames(1);
  if (!rt.input.empty()) request_frames();
  if (ImGui::GetIO().WantTextInput) request_frames(1);  // the caret blinks
  if (fonts_rebuild_due()) {
    fonts_build(rt.scale);
    request_frames();
  }
  if (rt.frames_to_draw <= 0) return;
  // While a pull stores what it fetched, once the person's data is on screen (or the "opening" screen it is
  // waited for behind, on which nothing changes) and nobody touches it, what changes meanwhile (the pull's counts,
  // a save done, the profile or roster arriving, the clock) is drawn one frame at a time, at most kSyncRedrawMs
  // apart: every frame takes the main thread from the pull (tens of ms where the page is composited without a
  // GPU). The frames a change's layout takes to settle stay owed and follow, one per interval, or all at once when
  // the pull ends or a finger comes down. A new screen (the person's data replacing "opening") is drawn at once.
  const ui::SessionPhase phase_now = rt.app.session.phase;
  const bool new_screen = phase_now != rt.drawn_phase;
  const bool quiet_pull = rt.user && rt.user->pulling() && !new_screen &&
                          (rt.first_data_frame_ms > 0 || phase_now == ui::SessionPhase::Opening) &&
                          rt.input.empty() && !rt.touch.busy();
  if (quiet_pull && now - rt.last_burst_ms < kSyncRedrawMs) return;
  const bool starts_burst = quiet_pull || rt.frames_since_change == 0 || rt.frames_since_change >= 3;
  // While a save is being written to IndexedDB and nobody touches the screen, nothing on it changes ("保存中…" is
  // already drawn): redrawing would only hold up the write's completion on the main thread. Bounded, so a slow
  // disk never freezes the screen.
  if (rt.persist_queue.in_flight() && rt.input.empty() && !new_screen && now - rt.persist_batch_started_ms < 250.0)
    return;
  if (starts_burst) rt.last_burst_ms = now;
  --rt.frames_to_draw;
  ++rt.frames_drawn;

  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2((float)rt.fb_width, (float)rt.fb_height);
  io.DeltaTime = rt.last_frame_ms > 0 ? (float)std::max(0.001, (now - rt.last_frame_ms) / 1000.0) : 1.0f / 60.0f;
  rt.last_frame_ms = now;
  if (!rt.input.empty()) rt.frames_since_change = 0;
  rt.input.apply_to_imgui();
  ++rt.frames_since_change;

  ui::test_hook_begin_frame();
  ImGui::NewFrame();
  ui::draw_app(rt.app);
  rt.drawn_phase = phase_now;  // a phase changed by this frame's own input is a new screen for the next one
  const TextFieldState text_field = text_field_after_draw();
  // ImGui tells that a field takes text (io.WantTextInput) one frame after the field was drawn active: a field
  // scrolled back into view, or one a tap just focused, is handed to the keyboard only in the next frame. That
  // frame is owed now, or the keyboard would wait for the next tick (and a test would find the screen idle).
  if ((GImGui->WantTextInputNextFrame == 1) != ImGui::GetIO().WantTextInput) request_frames();
  ImGui::Render();
  renderer_draw(ImGui::GetDrawData(), rt.fb_width, rt.fb_height);
  ui::test_hook_end_frame();
  sync_text_field(text_field);
  keep_text_field_in_view(rt.display_shrank);
  rt.display_shrank = false;
  if (std::optional<InputEvent> dropped = text_field_take_dropped_edit()) {
    rt.input.retry_edit(std::move(*dropped));
    text_field_scroll_into_view();
    request_frames();
  }
  fetch_wanted_font_chunks();
  if (rt.frame_cpu_ms.size() >= kFrameSamples) rt.frame_cpu_ms.erase(rt.frame_cpu_ms.begin());
  rt.frame_cpu_ms.push_back((float)(emscripten_get_now() - now));
  const ui::SessionPhase phase = rt.app.session.phase;
  if (!rt.ready && (phase == ui::SessionPhase::SignedOut || (phase == ui::SessionPhase::SignedIn && rt.app.store_ready)))
    rt.ready = true;
  if (!rt.first_data_frame_ms && phase == ui::SessionPhase::SignedIn && rt.app.store_ready)
    rt.first_data_frame_ms = emscripten_get_now();
}

}  // namespace
}  // namespace steward::platform

using namespace steward::platform;

extern "C" {

EMSCRIPTEN_KEEPALIVE void steward_on_storage_ready(int writer, const char* error) {
  rt.app.writer = writer != 0;
  if (error && *error) rt.app.open_error = error;
  restore_session();
  request_frames();
}

// The signed-in person's folder is loaded (error empty) or could not be.
EMSCRIPTEN_KEEPALIVE void steward_on_user_storage(const char* error) {
  if (rt.app.session.phase != steward::ui::SessionPhase::Opening) return;
  if (error && *error) {
    rt.app.open_error = error;
    rt.app.session.phase = steward::ui::SessionPhase::SignedOut;
    request_frames();
    return;
  }
  open_user_data();
}

EMSCRIPTEN_KEEPALIVE void steward_on_verifier_checked(int request, int result) {
  auto it = rt.verifier_waiting.find(request);
  if (it == rt.verifier_waiting.end()) return;
  auto then = std::move(it->second);
  rt.verifier_waiting.erase(it);
  then(result);
  request_frames();
}

EMSCRIPTEN_KEEPALIVE void steward_on_persisted(double generation, int ok, int quota, const char* error) {
  steward::ui::PersistProgress& p = rt.app.persist;
  if (ok) {
    p.error.clear();
    p.quota_exceeded = false;
  } else {
    p.quota_exceeded = quota != 0;
    p.error = error ? error : "";
    std::fprintf(stderr, "persist failed: %s\n", p.error.c_str());
  }
  rt.persist_queue.finished((uint64_t)generation, ok != 0);
  // A failed batch waits for the person to retry (the form offers it); saves made meanwhile go on now.
  if (ok) pump_persist();
  else publish_persist_state();
}

// A photo for the open finding: base64 JPEG already downscaled by the page, or size 0 with the reason (empty:
// the person cancelled). An answer to an older request (the form was left meanwhile) is dropped.
EMSCRIPTEN_KEEPALIVE void steward_on_photo(int request, const char* data, double size, int width, int height) {
  if (request != rt.photo_request || !steward::ui::photo_awaited(rt.app)) return;
  if (size > 0) {
    steward::ui::photo_taken(rt.app, {"photo-" + take_js_string(steward_js_uuid()) + ".jpg", "image/jpeg", data});
    rt.last_photo_bytes = size;
    std::fprintf(stderr, "photo: %d x %d, %.0f bytes\n", width, height, size);
  } else {
    steward::ui::photo_not_taken(rt.app, data ? data : "");
  }
  request_frames();
}

EMSCRIPTEN_KEEPALIVE void steward_on_thumbnail(int request, uint8_t* pixels, int width, int height) {
  auto it = rt.thumbnails_waiting.find(request);
  if (it != rt.thumbnails_waiting.end()) {
    // Only for a photo still on screen (the detail may have closed meanwhile), and once.
    auto shown = rt.app.thumbnails.find(it->second);
    if (shown != rt.app.thumbnails.end() && !shown->second.texture) {
      steward::ui::Thumbnail& th = shown->second;
      th.texture = pixels ? steward::platform::renderer_upload_rgba(pixels, width, height) : 0;
      th.width = width;
      th.height = height;
      th.failed = th.texture == 0;
    }
    rt.thumbnails_waiting.erase(it);
  }
  std::free(pixels);
  request_frames();
}

EMSCRIPTEN_KEEPALIVE void steward_on_storage_persisted(int granted) {
  rt.app.storage.persisted = granted;
  request_frames();
}

EMSCRIPTEN_KEEPALIVE void steward_on_storage_estimate(double usage, double quota) {
  rt.app.storage.usage_bytes = usage;
  rt.app.storage.quota_bytes = quota;
  request_frames();
}

// phase: 0 down, 1 move, 2 up, 3 cancel; kind: 0 mouse, 1 touch, 2 pen; when the event happened (the page's
// clock, as emscripten_get_now()): moves are delivered once per frame, the flick speed needs their own times.
EMSCRIPTEN_KEEPALIVE void steward_on_pointer(int phase, double css_x, double css_y, int button, int kind, double time_ms) {
  rt.app.session.last_input_ms = now_ms();
  const float x = (float)(css_x * rt.scale), y = (float)(css_y * rt.scale);
  const double now = time_ms > 0 ? time_ms : emscripten_get_now();
  if (route_text_menu_pointer(phase, ImVec2(x, y))) return;
  if (kind != 0) {
    switch (phase) {
      case 0: {
        const ImRect field = steward::ui::active_text_field_rect();
        rt.touch.down(x, y, now, rt.scale, ImGui::GetIO().WantTextInput && field.Contains(ImVec2(x, y)));
        break;
      }
      case 1: rt.touch.move(x, y, now, rt.input); break;
      case 2: rt.touch.up(x, y, now, rt.input); break;
      default: rt.touch.cancel(rt.input); break;
    }
    request_frames();
    return;
  }
  InputEvent e{};
  if (phase == 1) {
    e.kind = InputEvent::Kind::PointerMove;
  } else {
    e.kind = InputEvent::Kind::PointerButton;
    e.code = button;
    e.down = phase == 0;
  }
  e.x = x;
  e.y = y;
  rt.input.push(e);
}

EMSCRIPTEN_KEEPALIVE void steward_on_wheel(double dx, double dy) {
  rt.app.session.last_input_ms = now_ms();
  InputEvent e{};
  e.kind = InputEvent::Kind::Wheel;
  e.x = (float)dx;
  e.y = (float)dy;
  rt.input.push(e);
}

EMSCRIPTEN_KEEPALIVE void steward_on_key(int code, int down, int ctrl, int shift, int alt, int meta, int seq) {
  rt.app.session.last_input_ms = now_ms();
  InputEvent e{};
  e.kind = InputEvent::Kind::Key;
  e.seq = seq;
  e.code = code;
  e.down = down != 0;
  e.ctrl = ctrl != 0;
  e.shift = shift != 0;
  e.alt = alt != 0;
  e.super = meta != 0;
  rt.input.push(e);
}

// The page's textarea changed (typing, an input method, autocorrect, paste): replace [start, end) with text.
EMSCRIPTEN_KEEPALIVE void steward_on_text_edit(int seq, int start, int end, const char* utf8) {
  rt.app.session.last_input_ms = now_ms();
  InputEvent e{};
  e.kind = InputEvent::Kind::TextEdit;
  e.seq = seq;
  e.start = start;
  e.end = end;
  e.text = utf8 ? utf8 : "";
  fonts_note_text(e.text);
  rt.input.push(e);
}

// The caret or selection moved in the textarea (an on-screen keyboard's cursor keys or swipe).
EMSCRIPTEN_KEEPALIVE void steward_on_text_select(int seq, int start, int end) {
  InputEvent e{};
  e.kind = InputEvent::Kind::TextSelect;
  e.seq = seq;
  e.start = start;
  e.end = end;
  rt.input.push(e);
}

// An edit menu command could not be carried out (see steward_js_text_command).
EMSCRIPTEN_KEEPALIVE void steward_on_clipboard_problem(int problem) {
  steward::ui::show_clipboard_problem(rt.app.text_menu, (steward::ui::ClipboardProblem)problem,
                                      (int64_t)emscripten_date_now());
  request_frames();
}

EMSCRIPTEN_KEEPALIVE void steward_on_composition(int start, int end) {
  text_field_set_composition(start, end);
  request_frames();
}

// A chunk of the fuller font (size 0: it could not be had, e.g. offline and not cached yet). Takes `data`.
EMSCRIPTEN_KEEPALIVE void steward_on_font_chunk(int chunk, uint8_t* data, int size) {
  if (data && size > 0) fonts_add_chunk(chunk, std::vector<uint8_t>(data, data + size));
  else fonts_chunk_failed(chunk);
  std::free(data);
  request_frames();
}

EMSCRIPTEN_KEEPALIVE void steward_on_focus_lost() {
  InputEvent e{};
  e.kind = InputEvent::Kind::FocusLost;
  rt.input.push(e);
}

EMSCRIPTEN_KEEPALIVE void steward_request_frames() { request_frames(); }

EMSCRIPTEN_KEEPALIVE void steward_on_http(int id, int status, const char* body, size_t length) {
  // Request ids are unique across transports and the app's own requests (web_transport.cpp): the one that sent
  // it takes the answer.
  std::string text(body, length);
  if (auto it = rt.api_waiting.find(id); it != rt.api_waiting.end()) {
    auto done = std::move(it->second);
    rt.api_waiting.erase(it);
    done(status > 0 ? status : 0, text);
    request_frames();
    return;
  }
  if (rt.user) rt.user->answered(id, status, text);
}

// The browser thinks the network is back: try now instead of waiting out the backoff.
EMSCRIPTEN_KEEPALIVE void steward_on_online() {
  fonts_retry_failed();
  request_frames();
  if (rt.user) {
    rt.user->retry_sync();
    if (rt.app.session.offline || rt.app.session.needs_password) refresh_profile();
  }
}

EMSCRIPTEN_KEEPALIVE char* steward_test_widgets() {
  return malloc_copy(steward::ui::test_hook_widgets_json(rt.scale > 0 ? rt.scale : 1.0f));
}

EMSCRIPTEN_KEEPALIVE int steward_test_ready() { return rt.ready ? 1 : 0; }

// Input all handled and the layout settled: what a test waits for before reading the screen again. A resize (a
// rotation, the keyboard) counts from when the window has it, before a frame has seen it: a test that resized and
// then waited must not be told "idle" about the size before.
EMSCRIPTEN_KEEPALIVE int steward_test_idle() {
  int fb_w = 0, fb_h = 0;
  wanted_canvas_size(fb_w, fb_h);
  const bool resized = fb_w != rt.fb_width || fb_h != rt.fb_height;
  return !resized && rt.input.empty() && !rt.touch.busy() && rt.frames_since_change >= 3 ? 1 : 0;
}

EMSCRIPTEN_KEEPALIVE char* steward_test_metrics() {
  const steward::ui::AppState& app = rt.app;
  const steward::sync::ReplicatorStatus* visits_sync =
      rt.user ? rt.user->status(steward::core::RecordFamily::Visits) : nullptr;
  nlohmann::json m = {{"firstDataFrameMs", rt.first_data_frame_ms},
                      {"storeOpenMs", rt.store_open_ms},
                      {"visits", app.repo ? app.repo->visits().size() : 0},
                      {"tickets", app.ops ? app.ops->tickets().size() : 0},
                      {"ownerFiles", app.owners ? app.owners->files().size() : 0},
                      {"lastPhotoBytes", rt.last_photo_bytes},
                      {"thumbnailTextures", renderer_rgba_textures()},
                      {"syncStartedMs", rt.sync_started_ms},
                      {"syncCaughtUpMs", rt.first_pull_done_ms},
                      {"pulled", visits_sync ? visits_sync->pulled_total : 0},
                      {"persistMs", rt.persist_durations},
                      {"frameCpuMs", rt.frame_cpu_ms},
                      {"firstPullFrames", rt.first_pull_frames}};
  const AtlasInfo atlas = fonts_atlas_info();
  m["atlas"] = {{"width", atlas.width}, {"height", atlas.height}, {"glyphs", atlas.glyphs}, {"buildMs", atlas.build_ms},
                {"fontPx", kBodyFontCssPx * rt.scale}};
  return malloc_copy(m.dump());
}

// Who is signed in and how: {phase (ui::SessionPhase), user, site, role, locked, offline, needsPassword, storeReady
// (their stores are open, or failed to: openError)}.
EMSCRIPTEN_KEEPALIVE char* steward_test_session() {
  const steward::ui::SessionState& s = rt.app.session;
  const nlohmann::json out = {{"phase", (int)s.phase},
                              {"user", s.profile.name},
                              {"site", s.site.id},
                              {"role", s.phase == steward::ui::SessionPhase::SignedIn ? steward::core::role_key(rt.app.user.role) : ""},
                              {"locked", s.locked},
                              {"offline", s.offline},
                              {"needsPassword", s.needs_password},
                              {"storeReady", rt.app.store_ready},
                              {"openError", rt.app.open_error}};
  return malloc_copy(out.dump());
}

EMSCRIPTEN_KEEPALIVE void steward_test_clear_frame_times() { rt.frame_cpu_ms.clear(); }

// The photos this tablet holds the bytes of, by ticket: a pulled ticket may list a photo not (yet) here.
EMSCRIPTEN_KEEPALIVE char* steward_test_photos() {
  nlohmann::json out = nlohmann::json::object();
  if (rt.app.ops) {
    for (const steward::core::Ticket& t : rt.app.ops->tickets()) {
      for (const std::string& name : t.photos) {
        const auto photo = rt.app.ops->photo(t.id, name);
        const std::string& b64 = photo ? photo->base64 : std::string();
        const size_t padding = b64.size() >= 2 ? (b64[b64.size() - 1] == '=') + (b64[b64.size() - 2] == '=') : 0;
        out[t.id][name] = photo ? b64.size() / 4 * 3 - padding : 0;
      }
    }
  }
  return malloc_copy(out.dump());
}

// The scrollable windows of the last frame and how far they are scrolled, in CSS px.
EMSCRIPTEN_KEEPALIVE char* steward_test_scroll() {
  nlohmann::json out = nlohmann::json::array();
  for (ImGuiWindow* w : GImGui->Windows)
    if (w->Active && w->ScrollMax.y > 0)
      out.push_back({{"name", w->Name}, {"y", w->Scroll.y / rt.scale}, {"max", w->ScrollMax.y / rt.scale}});
  return malloc_copy(out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

EMSCRIPTEN_KEEPALIVE int steward_test_has_glyph(int codepoint) { return fonts_has_glyph((unsigned)codepoint) ? 1 : 0;
}

}  // extern "C"

int main() {
  EmscriptenWebGLContextAttributes attrs;
  emscripten_webgl_init_context_attributes(&attrs);
  attrs.majorVersion = 2;
  attrs.minorVersion = 0;
  attrs.alpha = false;
  attrs.antialias = false;
  attrs.depth = false;
  attrs.stencil = false;
  EMSCRIPTEN_WEBGL_CONTEXT_HANDLE context = emscripten_webgl_create_context(kCanvas, &attrs);
  if (context <= 0 || emscripten_webgl_make_context_current(context) != EMSCRIPTEN_RESULT_SUCCESS) {
    std::fprintf(stderr, "WebGL2 is not available\n");
    return 1;
  }
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // nothing of ImGui's own goes to storage
  io.ConfigInputTextCursorBlink = true;
  map_imgui_keys();
  if (!renderer_init()) return 1;

  int font_size = 0;
  uint8_t* font = steward_js_take_font(&font_size);
  if (font && font_size > 0) fonts_set_data(std::vector<uint8_t>(font, font + font_size));
  std::free(font);

  steward::ui::set_language(steward::ui::lang_from_code(take_js_string(steward_js_load_pref("language"))));
  rt.device_id = take_js_string(steward_js_load_pref("device"));
  if (rt.device_id.empty()) {
    rt.device_id = take_js_string(steward_js_uuid());
    steward_js_save_pref("device", rt.device_id.c_str());
  }
  rt.clock.emplace(rt.device_id);
  rt.app.device_id = rt.device_id;
  steward::ui::AppState& app = rt.app;
  app.host.now_ms = [] { return now_ms(); };
  app.host.new_uuid = [] { return take_js_string(steward_js_uuid()); };
  app.host.persist = [] {
    const uint64_t generation = request_persist();
    if (rt.user) rt.user->local_changed();
    return generation;
  };
  app.host.save_language = [](steward::ui::Lang lang) { steward_js_save_pref("language", steward::ui::lang_code(lang)); };
  app.host.pick_photo = [] { steward_js_pick_photo(++rt.photo_request); };
  // Thumbnails at the detail's size in framebuffer pixels (px(160)), so they are crisp on a 2x screen.
  app.host.request_thumbnail = [](const std::string& key, const std::string& base64) {
    rt.thumbnails_waiting[++rt.thumbnail_request] = key;
    steward_js_decode_thumbnail(rt.thumbnail_request, base64.c_str(), (int)std::ceil(160 * (rt.scale > 0 ? rt.scale : 1)));
  };

  app.host.free_texture = [](uint64_t texture) { renderer_free_texture((unsigned)texture); };
  app.host.download = [](const std::string& filename, const std::string& mime_type, const std::string& bytes) {
    steward_js_download(filename.c_str(), mime_type.c_str(), bytes.data(), bytes.size());
  };
  app.host.sign_in = host_sign_in;
  app.host.choose_site = [](const std::string& site) {
    if (!site.empty()) {
      open_session(site, false);
      return;
    }
    rt.password.clear();  // the picker was left: nobody is signed in
    rt.app.session.phase = steward::ui::SessionPhase::SignedOut;
  };
  app.host.unlock = host_unlock;
  app.host.sign_out = begin_sign_out;
  app.host.own_password_changed = [](const std::string& password) {
    rt.password = password;
    steward_js_verifier_make(rt.app.session.profile.name.c_str(), password.c_str());
  };
  app.host.api = [](const std::string& method, const std::string& path, const std::string& body,
                    std::function<void(int, const std::string&)> done) {
    api_request(method, path, body, kSignInTimeoutMs, [done = std::move(done)](int status, std::string& text) {
      done(status, text);
    });
  };

  // The writer lock first; a saved session then opens its stores while the glyph atlas is being built.
  steward_js_start();
  fit_canvas();
  emscripten_set_main_loop(frame, 0, false);
  return 0;
}
