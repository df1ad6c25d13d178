// CSV as Excel reads it: UTF-8 with a BOM, RFC 4180 quoting, CRLF line ends. Internal to core.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace steward::core::csv {

inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Quoted (with inner quotes doubled) when it holds a comma, a quote, CR or LF; as is otherwise.
std::string field(std::string_view value);

// The BOM, then each row's fields joined by commas, each row ended by CRLF.
std::string document(const std::vector<std::vector<std::string>>& rows);

}  // namespace steward::core::csv
