// nlohmann's json::parse(), the same value to the last number's type, in less time. A tablet's first pull parses
// 10,000 documents in its _bulk_get answers, and its store parses every record it reads; nlohmann's lexer takes
// text one character at a time through a token buffer. Here the usual JSON (plain strings without escapes,
// integers, decimal numbers, literals) is read straight into the value, a string copied in one piece. Anything
// else (an escape, invalid UTF-8, a number out of range, a syntax error, a byte-order mark, deep nesting) is left
// to nlohmann itself, which parses the whole text again: so the values and the exceptions are its (parse_error,
// and out_of_range for a number too large for a double).
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace steward::sync {

nlohmann::json parse_json(std::string_view text);

}  // namespace steward::sync
