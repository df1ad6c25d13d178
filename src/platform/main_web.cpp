// The browser app's entry point: WebGL2 context, frame loop, and the bridge between the page (web_bridge.js)
// and the app's state. Draws only when something changed, so an idle tablet spends no battery on frames.
#include <emscripten.h>
#include <emscripten/html5.h>

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "imgui.h"
#include "imgui_internal.h"  // PlatformImePos: where the text caret is
#include "platform/fonts.hpp"
#include "platform/gl_renderer.hpp"
#include "platform/input_queue.hpp"
#include "platform/text_field.hpp"
#include "platform/touch_gestures.hpp"
#include "platform/web_bridge.hpp"
#include "store/doc_store.hpp"
#include "store/persist_queue.hpp"
#include "store/store_replica.hpp"
#include "sync/merge.hpp"
#include "sync/replicator.hpp"
#include "platform/web_transport.hpp"
#include "store/ops_repository.hpp"
#include "store/visit_repository.hpp"
#include "ui/app.hpp"
#include "ui/ops_screens.hpp"
#include "ui/test_hook.hpp"
#include "ui/widgets.hpp"

namespace steward::platform {
namespace {

constexpr const char* kCanvas = "#canvas";
// The IDBFS mount, with one store folder per database: the visits ("store", its name from before there were two)
// and the site's operations (tickets, patrols).
constexpr const char* kDataDir = "/steward";
constexpr const char* kStoreDir = "/steward/store";
constexpr const char* kOpsDir = "/steward/ops";
constexpr const char* kSiteId = "demo";
// The site's visits database on the sync server, relative to the page (the server's CouchDB API is at couch/),
// unless the tablet was pointed elsewhere (an Apache CouchDB cluster): see steward_js_sync_url.
constexpr const char* kVisitsDb = "couch/demo-visits/";

struct Runtime {
  ui::AppState app;
  std::optional<store::DocStore> store;
  std::optional<store::VisitRepository> repo;
  std::optional<store::StoreReplica> replica;
  std::optional<WebTransport> transport;
  std::optional<sync::Replicator> replicator;
  // The operations database: a second store replicated alongside the visits, on its own checkpoints.
  std::optional<store::DocStore> ops_store;
  std::optional<store::OpsRepository> ops_repo;
  std::optional<store::StoreReplica> ops_replica;
  std::optional<WebTransport> ops_transport;
  std::optional<sync::Replicator> ops_replicator;
  std::optional<sync::HlcClock> clock;
  std::string device_id;  // this browser profile's id: replication checkpoints and edit stamps
  store::PersistQueue persist_queue;
  double persist_batch_started_ms = 0;
  bool sync_redraw_due = false;  // sync changed what is shown; drawn at most every kSyncRedrawMs
  bool sync_persist_due = false;  // sync wrote during a pull; persisted at most every kSyncPersistMs
  double last_sync_persist_ms = 0;
  double last_sync_redraw_ms = 0;
  InputQueue input;
  TouchGestures touch;
  float scale = 0;         // framebuffer pixels per CSS pixel the fonts and style were built for
  int fb_width = 0, fb_height = 0;
  int frames_to_draw = 3;  // frames still owed after the last change
  double last_frame_ms = 0;
  double last_tick_ms = 0;
  TextFieldState text_field;     // as last sent to the page
  ImGuiID text_field_id = 0;      // the active field, to bring a newly focused one into view
  bool display_shrank = false;    // the screen got shorter since the last frame (the keyboard opened)
  std::vector<ImRect> text_field_rects;  // as last sent to the page
  int text_menu_pressed = -1;  // the edit menu command a pointer went down on (-1: none), run if it lifts there
  int frames_since_input = 0;  // drawn since input was last applied: layout (tables, popups) settles in ~3
  bool ready = false;      // the first frame with the store's data has been drawn
  // For the benchmarks (window.stewardTest.metrics()): when things happened, in ms since the page started.
  double first_data_frame_ms = 0;
  double store_open_ms = 0;   // opening the store and loading the visits
  double sync_started_ms = 0;     // the replicator started (the span PouchDB's replicate() is timed over starts here)
  double first_pull_done_ms = 0;  // the first pull caught up with the server
  std::map<uint64_t, double> persist_started;  // generation -> when it was asked for
  std::vector<double> persist_durations;       // asked for -> durable in IndexedDB
  std::vector<float> frame_cpu_ms;             // CPU time of each drawn frame (the last kFrameSamples)
  int photo_request = 0;                       // the camera request whose answer is awaited
  int thumbnail_request = 0;
  std::map<int, std::string> thumbnails_waiting;  // request -> thumbnail key
  double last_photo_bytes = 0;                 // the last photo's size as stored (after downscaling)
  bool site_unsaved = false;  // the server's site document arrived before the store was open: saved when it is
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

void request_frames(int n = 3) {
  if (rt.frames_to_draw < n) rt.frames_to_draw = n;
}

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

void note_ops_text(const std::vector<sync::ChangedDoc>* changed) {
  const store::OpsRepository& ops = *rt.ops_repo;
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

void fetch_wanted_font_chunks() {
  for (const FontChunkRequest& r : fonts_take_wanted_chunks()) steward_js_fetch_font_chunk(r.chunk, r.file);
}

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

// Both stores' changed files, named relative to the IDBFS mount.
store::FileChanges take_file_changes() {
  store::FileChanges all;
  auto add = [&](std::optional<store::DocStore>& s, const char* folder) {
    if (!s) return;
    const store::FileChanges c = s->take_file_changes();
    for (const std::string& name : c.written) all.written.push_back(std::string(folder) + "/" + name);
    for (const std::string& name : c.removed) all.removed.push_back(std::string(folder) + "/" + name);
  };
  add(rt.store, "store");
  add(rt.ops_store, "ops");
  return all;
}

bool sync_pulling() {
  return (rt.replicator && rt.replicator->status().pulling) || (rt.ops_replicator && rt.ops_replicator->status().pulling);
}

// Starts writing the changed store files to IndexedDB if nothing is being written now.
void pump_persist() {
  if (auto batch = rt.persist_queue.start()) {
    nlohmann::json files = {{"written", nlohmann::json::array()}, {"removed", nlohmann::json::array()}};
    for (const std::string& name : batch->files.written) files["written"].push_back(std::string(kDataDir) + "/" + name);
    for (const std::string& name : batch->files.removed) files["removed"].push_back(std::string(kDataDir) + "/" + name);
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
void persist_sync_writes() {
  if (!rt.store) return;
  const double now = emscripten_get_now();
  if (sync_pulling() && now - rt.last_sync_persist_ms < kSyncPersistMs) {
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

// The site (its name, its roster) kept in the store, so the next start has it offline. Needs the store open.
void save_site(const core::Site& site) {
  const std::optional<core::Site> stored = rt.repo->site(site.id);
  rt.site_unsaved = false;
  if (stored && core::to_json(*stored) == core::to_json(site)) return;
  try {
    rt.repo->save_site(site);
    request_persist();
  } catch (const store::StoreError& e) {
    std::fprintf(stderr, "could not keep the site document: %s\n", e.what());
  }
}

// The operations database next to the visits one: "couch/demo-ops/" by default; on a chosen server
// (".../demo-visits/") the database beside it.
std::string ops_db_url(const std::string& chosen_visits_url) {
  const std::string name = store::ops_db_name(kSiteId) + "/";
  if (chosen_visits_url.empty()) return "couch/" + name;
  const std::string trimmed = chosen_visits_url.substr(0, chosen_visits_url.size() - 1);  // ends in '/'
  return trimmed.substr(0, trimmed.rfind('/') + 1) + name;
}

void start_ops_sync(const std::string& chosen) {
  const std::string url = ops_db_url(chosen);
  rt.ops_replica.emplace(*rt.ops_store);
  rt.ops_transport.emplace(url);
  sync::ReplicatorOptions options;
  options.replication_id = "tablet-" + rt.device_id + "-" + sync::hash128_hex(url).substr(0, 12);
  rt.ops_replicator.emplace(*rt.ops_replica, *rt.ops_transport, options);
  rt.ops_replicator->on_docs_changed = [](const std::vector<sync::ChangedDoc>& changed) {
    rt.ops_repo->reload(changed);
    note_ops_text(&changed);
    rt.sync_redraw_due = true;
  };
  rt.ops_replicator->on_status = [] {
    const sync::ReplicatorStatus& s = rt.ops_replicator->status();
    if (s.last_error != rt.app.ops_sync.last_error && !s.last_error.empty())
      std::fprintf(stderr, "sync (ops): %s\n", s.last_error.c_str());
    rt.app.ops_sync = s;
    persist_sync_writes();
    rt.sync_redraw_due = true;
  };
  rt.app.ops_sync = rt.ops_replicator->status();
  rt.ops_replicator->start();
}

void start_sync() {
  rt.replica.emplace(*rt.store);
  const std::string chosen = take_js_string(steward_js_sync_url());
  rt.transport.emplace(chosen.empty() ? std::string(kVisitsDb) : chosen);
  sync::ReplicatorOptions options;
  // Checkpoints belong to this tablet and this remote database.
  options.replication_id = "tablet-" + rt.device_id + "-" + sync::hash128_hex(chosen.empty() ? kVisitsDb : chosen).substr(0, 12);
  rt.replicator.emplace(*rt.replica, *rt.transport, options);
  // Sync changes the screen at most a few times a second: during a large pull every frame drawn (30 ms on a
  // software-rendered tablet) would be time taken from the pull itself.
  rt.replicator->on_docs_changed = [](const std::vector<sync::ChangedDoc>& changed) {
    rt.repo->reload(changed);
    for (const sync::ChangedDoc& c : changed)
      if (const core::Visit* v = rt.repo->find(c.id)) note_visit_text(*v);
    rt.sync_redraw_due = true;
  };
  rt.replicator->on_status = [] {
    // The screen says what went wrong in plain words; the details are for whoever reads the console.
    if (rt.replicator->status().last_error != rt.app.sync.last_error && !rt.replicator->status().last_error.empty())
      std::fprintf(stderr, "sync: %s\n", rt.replicator->status().last_error.c_str());
    rt.app.sync = rt.replicator->status();
    if (!rt.first_pull_done_ms && rt.app.sync.pull_caught_up_ms) rt.first_pull_done_ms = emscripten_get_now();
    persist_sync_writes();
    rt.sync_redraw_due = true;
  };
  rt.app.sync_enabled = true;
  rt.app.sync = rt.replicator->status();
  rt.sync_started_ms = emscripten_get_now();
  rt.replicator->start();
  start_ops_sync(chosen);
}

void open_store(bool writer) {
  ui::AppState& app = rt.app;
  app.writer = writer;
  const double started = emscripten_get_now();
  try {
    store::Options options;
    options.read_only = !writer;
    rt.store.emplace(store::DocStore::open(kStoreDir, options));
    rt.repo.emplace(*rt.store, [] { return rt.clock->now((int64_t)emscripten_date_now()); });
    rt.repo->load();
    for (const core::Visit& v : rt.repo->visits()) note_visit_text(v);
    app.repo = &*rt.repo;
    app.recovered_torn_bytes = rt.store->open_report().torn_bytes_dropped;
    for (const std::string& w : rt.store->open_report().warnings) std::fprintf(stderr, "store: %s\n", w.c_str());
    rt.ops_store.emplace(store::DocStore::open(kOpsDir, options));
    rt.ops_repo.emplace(*rt.ops_store, [] { return rt.clock->now((int64_t)emscripten_date_now()); });
    rt.ops_repo->load();
    app.ops = &*rt.ops_repo;
    note_ops_text(nullptr);
    for (const std::string& w : rt.ops_store->open_report().warnings) std::fprintf(stderr, "ops store: %s\n", w.c_str());
    if (rt.site_unsaved) {
      // The server's copy came while the store was opening: newer than what is stored, and kept for offline starts.
      if (writer) save_site(app.site);
    } else if (auto site = rt.repo->site(kSiteId)) {
      app.site = *site;
    }
    note_site_text(app.site);
    app.store_ready = true;
    rt.store_open_ms = emscripten_get_now() - started;
    // A repaired tail or a compaction changes files: make that durable too (nothing to do when neither ran).
    // Only the writing tab syncs: a second tab must not write, and one replicator per profile is enough.
    if (writer) {
      if (rt.store->compaction_worthwhile()) rt.store->compact();
      if (rt.ops_store->compaction_worthwhile()) rt.ops_store->compact();
      request_persist();
      start_sync();
    }
  } catch (const store::StoreError& e) {
    app.open_error = e.what();
  }
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
  const ImGuiID id = g.IO.WantTextInput ? g.ActiveId : 0;
  const bool newly_active = id != rt.text_field_id;
  rt.text_field_id = id;
  if (!id || !(newly_active || display_shrank) || !g.ActiveIdWindow) return;
  ImRect rect = ui::active_text_field_rect();
  if (rect.GetWidth() <= 0) return;
  rect.Expand(ImVec2(0, ui::px(16)));
  ImGui::ScrollToBringRectIntoView(g.ActiveIdWindow, rect);
  request_frames();
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
void fit_canvas() {
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size(kCanvas, &css_w, &css_h);
  const float scale = (float)emscripten_get_device_pixel_ratio();
  const int fb_w = (int)std::lround(css_w * scale), fb_h = (int)std::lround(css_h * scale);
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

void frame() {
  const double now = emscripten_get_now();
  fit_canvas();
  // A once-a-second tick keeps waiting times and the clock current.
  if (now - rt.last_tick_ms >= 1000.0) {
    rt.last_tick_ms = now;
    request_frames(1);
  }
  if (rt.sync_persist_due && now - rt.last_sync_persist_ms >= kSyncPersistMs) persist_sync_writes();
  constexpr double kSyncRedrawMs = 500.0;
  if (rt.sync_redraw_due && now - rt.last_sync_redraw_ms >= kSyncRedrawMs) {
    rt.sync_redraw_due = false;
    rt.last_sync_redraw_ms = now;
    request_frames(1);
  }
  if (rt.touch.update(now, rt.input)) request_frames(1);
  if (!rt.input.empty()) request_frames();
  if (ImGui::GetIO().WantTextInput) request_frames(1);  // the caret blinks
  if (fonts_rebuild_due()) {
    fonts_build(rt.scale);
    request_frames();
  }
  if (rt.frames_to_draw <= 0) return;
  // While a save is being written to IndexedDB and nobody touches the screen, nothing on it changes ("保存中…" is
  // already drawn): redrawing would only hold up the write's completion on the main thread. Bounded, so a slow
  // disk never freezes the screen.
  if (rt.persist_queue.in_flight() && rt.input.empty() && now - rt.persist_batch_started_ms < 250.0) return;
  --rt.frames_to_draw;

  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2((float)rt.fb_width, (float)rt.fb_height);
  io.DeltaTime = rt.last_frame_ms > 0 ? (float)std::max(0.001, (now - rt.last_frame_ms) / 1000.0) : 1.0f / 60.0f;
  rt.last_frame_ms = now;
  if (!rt.input.empty()) rt.frames_since_input = 0;
  rt.input.apply_to_imgui();
  ++rt.frames_since_input;

  ui::test_hook_begin_frame();
  ImGui::NewFrame();
  ui::draw_app(rt.app);
  const TextFieldState text_field = text_field_after_draw();
  ImGui::Render();
  renderer_draw(ImGui::GetDrawData(), rt.fb_width, rt.fb_height);
  ui::test_hook_end_frame();
  sync_text_field(text_field);
  keep_text_field_in_view(rt.display_shrank);
  rt.display_shrank = false;
  fetch_wanted_font_chunks();
  if (rt.frame_cpu_ms.size() >= kFrameSamples) rt.frame_cpu_ms.erase(rt.frame_cpu_ms.begin());
  rt.frame_cpu_ms.push_back((float)(emscripten_get_now() - now));
  if (rt.app.store_ready && !rt.ready) {
    rt.ready = true;
    rt.first_data_frame_ms = emscripten_get_now();
  }
}

}  // namespace
}  // namespace steward::platform

using namespace steward::platform;

extern "C" {

EMSCRIPTEN_KEEPALIVE void steward_on_storage_ready(int writer, const char* error) {
  if (error && *error) {
    rt.app.open_error = error;
    rt.app.writer = writer != 0;
  } else {
    open_store(writer != 0);
  }
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

// The server's copy of the site (roster of consultants): kept locally so the next start works offline.
EMSCRIPTEN_KEEPALIVE void steward_on_site(const char* json) {
  try {
    steward::core::Site site = steward::core::site_from_json(nlohmann::json::parse(json));
    rt.app.site = site;
    note_site_text(site);
    if (rt.repo && rt.app.writer)
      save_site(site);
    else if (!rt.repo)
      rt.site_unsaved = true;  // the store is still opening: saved by open_store
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ignoring the server's site document: %s\n", e.what());
  }
  request_frames();
}

// phase: 0 down, 1 move, 2 up, 3 cancel; kind: 0 mouse, 1 touch, 2 pen; when the event happened (the page's
// clock, as emscripten_get_now()): moves are delivered once per frame, the flick speed needs their own times.
EMSCRIPTEN_KEEPALIVE void steward_on_pointer(int phase, double css_x, double css_y, int button, int kind, double time_ms) {
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
  InputEvent e{};
  e.kind = InputEvent::Kind::Wheel;
  e.x = (float)dx;
  e.y = (float)dy;
  rt.input.push(e);
}

EMSCRIPTEN_KEEPALIVE void steward_on_key(int code, int down, int ctrl, int shift, int alt, int meta) {
  InputEvent e{};
  e.kind = InputEvent::Kind::Key;
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
  // Request ids are unique across transports (web_transport.cpp): the one that sent it takes the answer.
  if (rt.transport) rt.transport->answered(id, status, std::string(body, length));
  if (rt.ops_transport) rt.ops_transport->answered(id, status, std::string(body, length));
}

// The browser thinks the network is back: try now instead of waiting out the backoff.
EMSCRIPTEN_KEEPALIVE void steward_on_online() {
  fonts_retry_failed();
  request_frames();
  if (rt.replicator) rt.replicator->start();
  if (rt.ops_replicator) rt.ops_replicator->start();
}

EMSCRIPTEN_KEEPALIVE char* steward_test_widgets() {
  return malloc_copy(steward::ui::test_hook_widgets_json(rt.scale > 0 ? rt.scale : 1.0f));
}

EMSCRIPTEN_KEEPALIVE int steward_test_ready() { return rt.ready ? 1 : 0; }

// Input all handled and the layout settled: what a test waits for before reading the screen again.
EMSCRIPTEN_KEEPALIVE int steward_test_idle() {
  return rt.input.empty() && !rt.touch.busy() && rt.frames_since_input >= 3 ? 1 : 0;
}

EMSCRIPTEN_KEEPALIVE char* steward_test_metrics() {
  nlohmann::json m = {{"firstDataFrameMs", rt.first_data_frame_ms},
                      {"storeOpenMs", rt.store_open_ms},
                      {"visits", rt.repo ? rt.repo->visits().size() : 0},
                      {"tickets", rt.ops_repo ? rt.ops_repo->tickets().size() : 0},
                      {"lastPhotoBytes", rt.last_photo_bytes},
                      {"thumbnailTextures", renderer_rgba_textures()},
                      {"syncStartedMs", rt.sync_started_ms},
                      {"syncCaughtUpMs", rt.first_pull_done_ms},
                      {"pulled", rt.replicator ? rt.replicator->status().pulled_total : 0},
                      {"persistMs", rt.persist_durations},
                      {"frameCpuMs", rt.frame_cpu_ms}};
  const AtlasInfo atlas = fonts_atlas_info();
  m["atlas"] = {{"width", atlas.width}, {"height", atlas.height}, {"glyphs", atlas.glyphs}, {"buildMs", atlas.build_ms},
                {"fontPx", kBodyFontCssPx * rt.scale}};
  return malloc_copy(m.dump());
}

EMSCRIPTEN_KEEPALIVE void steward_test_clear_frame_times() { rt.frame_cpu_ms.clear(); }

// Test only: act as this person in this role (a supervisor, say), through the one seam that says who is using
// the tablet (AppState::user), until sign-in sets it. 0 for a role that does not exist.
EMSCRIPTEN_KEEPALIVE int steward_test_act_as(const char* name, const char* role) {
  const std::optional<steward::core::Role> r = steward::core::role_from_key(role ? role : "");
  if (!r || !name || !*name) return 0;
  rt.app.user = steward::core::Actor{name, *r};
  fonts_note_text(rt.app.user.name);
  request_frames();
  return 1;
}

// The photos this tablet holds the bytes of, by ticket: a pulled ticket may list a photo not (yet) here.
EMSCRIPTEN_KEEPALIVE char* steward_test_photos() {
  nlohmann::json out = nlohmann::json::object();
  if (rt.ops_repo) {
    for (const steward::core::Ticket& t : rt.ops_repo->tickets()) {
      for (const std::string& name : t.photos) {
        const auto photo = rt.ops_repo->photo(t.id, name);
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
  app.site.id = kSiteId;
  app.host.now_ms = [] { return (int64_t)emscripten_date_now(); };
  app.host.new_uuid = [] { return take_js_string(steward_js_uuid()); };
  app.host.persist = [] {
    const uint64_t generation = request_persist();
    if (rt.replicator) rt.replicator->local_changed();
    if (rt.ops_replicator) rt.ops_replicator->local_changed();
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

  // Storage first: IndexedDB opens and reads while the glyph atlas is being built.
  steward_js_start(kSiteId);
  fit_canvas();
  emscripten_set_main_loop(frame, 0, false);
  return 0;
}
