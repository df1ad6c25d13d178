// Small text helpers for what users type on a Chinese tablet keyboard: UTF-8 walking, trimming that knows
// the ideographic space, and folding of full-width ASCII (what an IME in full-width mode produces).
// Not part of core's public API; the server uses ascii_lower and trim_spaces_and_tabs for header values.
#pragma once

#include <string>
#include <string_view>

namespace steward::core::text {

// Decodes the code point at s[i] and advances i. Malformed or truncated sequences yield U+FFFD and advance
// one byte, so a walk over any bytes always ends.
char32_t next_code_point(std::string_view s, size_t& i);

void append_utf8(std::string& out, char32_t cp);

// Strips ASCII whitespace, U+00A0 (no-break space) and U+3000 (ideographic space) at both ends.
std::string trim(std::string_view s);

// Strips spaces and tabs only, at both ends: HTTP's optional whitespace around header values and their parts
// (trim() would also take a no-break space that belongs to the value).
std::string_view trim_spaces_and_tabs(std::string_view s);

// Full-width ASCII variants (U+FF01..U+FF5E) and the ideographic space become their ASCII counterparts.
char32_t fold_full_width(char32_t cp);

// C0 controls, DEL and C1 controls. `allow_line_breaks` lets '\n', '\r' and '\t' through (multi-line notes).
bool has_control_characters(std::string_view s, bool allow_line_breaks);

char ascii_lower(char c);
char ascii_upper(char c);
std::string ascii_lower(std::string_view s);

}  // namespace steward::core::text
