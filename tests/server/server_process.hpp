// Running the real steward-server binary from tests: a temporary folder, a child process whose life is bounded
// (SIGTERM, then SIGKILL; and PR_SET_PDEATHSIG so it dies with the test runner), and its output.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "../support/temp_dir.hpp"

namespace steward::server::testing {

using steward::testing::TempDir;

void write_file(const std::filesystem::path& p, const std::string& bytes);
std::string read_file(const std::filesystem::path& p);

std::string gzip_bytes(const std::string& data, int level);
std::string gunzip_bytes(const std::string& gz);  // throws on malformed input

// A port that was free a moment ago (bound to 127.0.0.1:0 and released).
int free_port();

struct Exited {
  int status = -1;  // exit status; -1 when killed by a signal or the time ran out
  bool timed_out = false;
  std::string out, err;
};

// Runs the server with args and waits (bounded) for it to exit by itself: for the ways it must refuse to start,
// and for its admin command (`input` is its standard input).
Exited run_server_to_exit(const std::vector<std::string>& args, std::chrono::seconds timeout = std::chrono::seconds(15),
                          const std::string& input = "");

// A running server: started by the constructor, which returns once the "Steward is running at" line appeared.
class ServerProcess {
 public:
  // binary: the steward-server under test, or a copy of it elsewhere (its default web folder is relative to it).
  explicit ServerProcess(std::vector<std::string> args, std::string binary = STEWARD_SERVER_BINARY,
                         std::chrono::seconds startup_timeout = std::chrono::seconds(15));
  ~ServerProcess();  // stops it if still running
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& running_line() const { return line_; }
  std::string stderr_text() const;
  // What the server wrote to stdout after the running line; call after stop() (it reads to end of file).
  std::string stdout_after_line();

  // Sends sig and waits up to timeout; returns the exit status (-1 when it died by a signal or had to be
  // killed after the timeout).
  int stop(int sig = 15, std::chrono::seconds timeout = std::chrono::seconds(10));

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int port_ = 0;
  std::string line_;
  std::string after_line_;  // read together with the line
  TempDir logs_;
};

}  // namespace steward::server::testing
