// nlohmann's compact dump (json::dump()), byte for byte, in less time. Revision ids hash a body's dump and the
// tablet's store writes one for every record, so a first pull of 10,000 documents dumps 10,000 bodies; nlohmann's
// serializer passes every character through its UTF-8 decoder and every piece of output through a virtual call.
// Here a string that needs nothing done (no quote, backslash or control character; valid UTF-8) is copied in
// one piece, and whatever else (such strings, floating-point numbers, binary values) is left to nlohmann itself,
// so the output and the errors (type_error 316 for invalid UTF-8) are nlohmann's.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace steward::sync {

std::string dump_json(const nlohmann::json& value);
void append_json(std::string& out, const nlohmann::json& value);

}  // namespace steward::sync
