// The JS side of the platform layer (src/platform/web_bridge.js), as C functions.
#pragma once

#include <cstdint>

extern "C" {
// Installs pointer, keyboard and text-field listeners, the test hook, and starts the storage start-up
// (writer lock, IDBFS mount, first load); answers with steward_on_storage_ready().
void steward_js_start(const char* site_id);
// FS.syncfs(false) for every write up to `generation`; answers with steward_on_persisted().
void steward_js_persist(double generation);
// Shows or hides the on-screen keyboard: a hidden text field at the input's position takes or drops focus.
void steward_js_text_input(int active, double css_x, double css_y, double css_w, double css_h);
// The subset CJK font the loader fetched; the caller frees the buffer with free().
uint8_t* steward_js_take_font(int* size);
void steward_js_save_pref(const char* key, const char* value);
// Returns a malloc'd string (free it), empty when unset.
char* steward_js_load_pref(const char* key);
// crypto.randomUUID(), malloc'd.
char* steward_js_uuid();
}
