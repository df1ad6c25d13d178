// nlohmann's compact dump (json::dump()), byte for byte, in less time. Revision ids hash a body's dump and the
// tablet's store writes one for every record, so a first pull of 10,000 documents dumps 10,000 bodies; nlohmann's
// serializer passes every character through its UTF-8 decoder and every piece of output through a virtual call.
// Here a string that needs nothing done (no quote, backslash or control character; valid UTF-8) is copied in
// one piece, and whatever else (such strings, floating-point numbers, binary values) is left to nlohmann itself,
// so the output and the errors (type_error 316 for invalid UTF-8) are nlohmann's.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace steward::sync {

std::string dump_json(const nlohmann::json& value);
void append_json(std::string& out, const nlohmann::json& value);

// Whether `s` stands between quotes in JSON as it is: nlohmann would escape nothing in it and accept its UTF-8
// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
bool json_string_as_is(std::string_view s);
// Where such text ends in [begin, end): at the first quote, backslash or control character, or at end; nullptr
// where UTF-8 before that is invalid. What a parse can copy out of a JSON string in one piece.
const char* json_plain_run_end(const char* begin, const char* end);

}  // namespace steward::sync
