// The JS side of the platform layer (src/platform/web_bridge.js), as C functions.
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {
// Installs pointer, keyboard and text-field listeners, the test hook, and takes the writer lock (dropping the
// shared store of the versions before accounts); answers with steward_on_storage_ready(writer, error).
void steward_js_start();
// Mounts the signed-in person's folder (its own IDBFS database) and loads it; answers with
// steward_on_user_storage(error), error empty when it worked.
void steward_js_user_storage_open(const char* mount);
// Unmounts it; with `forget`, deletes its IndexedDB database. Only once nothing is being persisted.
void steward_js_user_storage_close(const char* mount, int forget);
// The offline sign-in verifier (PBKDF2-SHA256 by WebCrypto, kept in localStorage per login name): made after an
// online sign-in, checked offline (answers steward_on_verifier_checked(request, 1 match, 0 wrong, -1 none, -2 no
// WebCrypto)), forgotten when the server refuses the password it was made from.
void steward_js_verifier_make(const char* name, const char* password);
void steward_js_verifier_check(int request, const char* name, const char* password);
void steward_js_verifier_forget(const char* name);
// Writes the named files (and removes others) into IDBFS's IndexedDB database of a mount in one transaction, so
// a save costs the files it changed, not a walk over the whole store as FS.syncfs does. files_json:
// {"mount": "/steward/u/<folder>", "written":[absolute paths], "removed":[...]}. Answers with
// steward_on_persisted(generation, ...).
void steward_js_persist_files(double generation, const char* files_json);
// The active ImGui text field, mirrored into the page's hidden textarea (see text_field.hpp): focusing it opens the
// on-screen keyboard, blurring it (active 0) closes it. Positions in UTF-16 units; applied_seq is the last edit
// from the page that the text includes. The caret's position (CSS px) places the input method's candidates.
void steward_js_text_field(int active, const char* text, int sel_start, int sel_end, int applied_seq, double caret_x,
                           double caret_y, double line_height);
// The text fields on screen, [[x, y, w, h], ...] in CSS px: a tap on one focuses the textarea in the touch
// handler itself, which iOS requires to open its keyboard.
void steward_js_text_field_rects(const char* json);
// Runs an edit menu command (ui::TextCommand: 0 select all, 1 cut, 2 copy, 3 paste) on the mirrored field with the
// system clipboard. Call it inside the tap's own pointer event handler: reading the clipboard needs that gesture.
// A failure answers with steward_on_clipboard_problem(ui::ClipboardProblem); the field's text is never lost.
void steward_js_text_command(int command);
// Fetches fonts/<file> (Cache Storage first, so it works offline once fetched); answers with
// steward_on_font_chunk(chunk, data, size).
void steward_js_fetch_font_chunk(int chunk, const char* file);
// The subset CJK font the loader fetched; the caller frees the buffer with free().
uint8_t* steward_js_take_font(int* size);
void steward_js_save_pref(const char* key, const char* value);
// Returns a malloc'd string (free it), empty when unset.
char* steward_js_load_pref(const char* key);
// Opens the camera (a file input with capture) and answers with steward_on_photo(request, ...): the photo downscaled
// to ~200 KB JPEG, in base64.
void steward_js_pick_photo(int request);
// Decodes a stored photo (base64 JPEG) into an RGBA thumbnail whose longest side is max_side pixels; answers with
// steward_on_thumbnail(request, pixels, width, height) (pixels malloc'd, the app frees them; 0 when undecodable).
void steward_js_decode_thumbnail(int request, const char* base64, int max_side);
// Saves `bytes` as a file named `filename` through the browser's downloads (a Blob and an <a download>).
void steward_js_download(const char* filename, const char* mime_type, const char* bytes, size_t length);
// crypto.randomUUID(), malloc'd.
char* steward_js_uuid();
// The sync database URL chosen for this tablet (malloc'd; empty: the app's own server). See web_bridge.js.
char* steward_js_sync_url();
// fetch(url) with a JSON body (length 0: none) in the given Content-Encoding ("": none) and a time limit; answers
// with steward_on_http(id, status, body, length), status 0 (-1: out of time) and the reason as body when there
// was no answer.
void steward_js_http(int id, const char* method, const char* url, const char* body, size_t body_length,
                     const char* content_encoding, int timeout_ms);
}
