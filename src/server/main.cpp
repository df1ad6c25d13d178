// steward-server: command line in, exit status out. Everything else is in the library (startup.cpp, and
// admin_command.cpp for `steward-server admin ...`).
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "server/admin_command.hpp"
#include "server/options.hpp"
#include "server/startup.hpp"

int main(int argc, char** argv) {
  using namespace steward::server;
  if (argc > 1 && std::string(argv[1]) == "admin") {
    return run_admin_command(std::vector<std::string>(argv + 2, argv + argc), std::cin, std::cout, std::cerr);
  }
  const ParsedOptions parsed = parse_options(std::vector<std::string>(argv + 1, argv + argc));
  if (!parsed.error.empty()) {
    std::fprintf(stderr, "steward-server: %s\n", parsed.error.c_str());
    return 2;
  }
  if (parsed.show_help) {
    std::fputs(usage_text().c_str(), stdout);
    return 0;
  }
  try {
    return run_server(parsed.options);
  } catch (const std::exception& e) {
    // One line, no stack trace: the message already says what is wrong and with which file or port.
    std::fprintf(stderr, "steward-server: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "steward-server: unexpected error\n");
  }
  return 1;
}
