// Limits on JSON that arrives from the network, shared by the server (requests) and the tablet (answers).
// nlohmann parses any depth, but serializing, comparing and destroying nest by recursion: a body of a few hundred
// thousand '[' would overflow the stack of whoever handles it. Documents here nest a handful of levels.
#pragma once

#include <cstddef>
#include <string_view>

namespace steward::sync {

inline constexpr size_t kMaxJsonDepth = 100;

// Whether the arrays and objects in `text` nest at most `max_depth` deep (a linear scan, strings skipped;
// it does not check that the text is JSON).
bool json_depth_within(std::string_view text, size_t max_depth = kMaxJsonDepth);

}  // namespace steward::sync
