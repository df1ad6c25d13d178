// One line to stderr per call, written with a single write so lines from request threads never interleave.
#pragma once

#include <string>
#include <string_view>

#include <unistd.h>

namespace steward::server {

inline void log_line(std::string_view text) {
  std::string line = "steward-server: ";
  line += text;
  line += '\n';
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;  // nowhere left to report a failing stderr
}

}  // namespace steward::server
