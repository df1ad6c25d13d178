#include "server_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>

namespace steward::server::testing {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

void write_file(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), std::streamsize(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string gzip_bytes(const std::string& data, int level) {
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw std::runtime_error("deflateInit2");
  std::string out(deflateBound(&zs, uLong(data.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = uInt(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = uInt(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate");
  return out;
}

std::string gunzip_bytes(const std::string& gz) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) throw std::runtime_error("inflateInit2");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  zs.avail_in = uInt(gz.size());
  std::string out;
  char buf[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) break;
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("not a complete gzip stream");
  return out;
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot find a free port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

namespace {

// fork + exec of the server with stdin from in_file, stdout to stdout_fd and stderr to err_file.
pid_t spawn(const std::string& binary, const std::vector<std::string>& args, int stdout_fd, const fs::path& err_file,
            const fs::path& in_file = "/dev/null") {
  std::vector<std::string> argv_strings{binary};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string err_path = err_file.string();
  const std::string in_path = in_file.string();
  const pid_t parent = ::getpid();

  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    // Only async-signal-safe calls from here to exec.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // a crashed or killed test run takes its servers with it
    if (::getppid() != parent) ::_exit(127);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    int in = ::open(in_path.c_str(), O_RDONLY);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || err < 0) ::_exit(127);
    ::dup2(in, 0);
    ::dup2(stdout_fd, 1);
    ::dup2(err, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

// Waits for pid up to the deadline; nullopt when it is still running then.
std::optional<int> wait_until(pid_t pid, Clock::time_point deadline) {
  for (;;) {
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (r < 0) return -1;
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

int kill_and_reap(pid_t pid) {
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return -1;
}

}  // namespace

Exited run_server_to_exit(const std::vector<std::string>& args, std::chrono::seconds timeout, const std::string& input) {
  TempDir logs;
  write_file(logs / "stdin", input);
  int out = ::open((logs / "stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  pid_t pid = spawn(STEWARD_SERVER_BINARY, args, out, logs / "stderr", logs / "stdin");
  ::close(out);
  Exited result;
  auto status = wait_until(pid, Clock::now() + timeout);
  if (!status) {
    result.timed_out = true;
    kill_and_reap(pid);
  } else {
    result.status = *status;
  }
  result.out = read_file(logs / "stdout");
  result.err = read_file(logs / "stderr");
  return result;
}

ServerProcess::ServerProcess(std::vector<std::string> args, std::string binary, std::chrono::seconds startup_timeout) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  pid_ = spawn(binary, args, fds[1], logs_ / "stderr");
  ::close(fds[1]);
  stdout_fd_ = fds[0];

  const std::string marker = "Steward is running at ";
  const auto deadline = Clock::now() + startup_timeout;
  std::string out;
  for (;;) {
    const auto newline = out.find('\n');
    if (newline != std::string::npos) {
      line_ = out.substr(0, newline);
      after_line_ = out.substr(newline + 1);
      break;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{stdout_fd_, POLLIN, 0};
    char buf[512];
    ssize_t n = 0;
    if (left <= 0 || ::poll(&p, 1, int(left)) <= 0 || (n = ::read(stdout_fd_, buf, sizeof buf)) <= 0) {
      const bool exited = wait_until(pid_, Clock::now() + std::chrono::seconds(1)).has_value();
      if (!exited) kill_and_reap(pid_);
      pid_ = -1;
      throw std::runtime_error(std::string(exited ? "server exited" : "server did not start in time") +
                               "; stdout: " + out + "; stderr: " + stderr_text());
    }
    out.append(buf, size_t(n));
  }
  if (line_.rfind(marker, 0) != 0) {
    stop();
    throw std::runtime_error("unexpected first line on stdout: " + line_);
  }
  // "Steward is running at http://127.0.0.1:PORT/"
  const auto colon = line_.rfind(':');
  port_ = std::atoi(line_.c_str() + colon + 1);
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) stop();
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

std::string ServerProcess::stdout_after_line() {
  if (pid_ > 0) throw std::logic_error("stdout_after_line() before stop()");
  char buf[512];
  ssize_t n;
  while ((n = ::read(stdout_fd_, buf, sizeof buf)) > 0) after_line_.append(buf, size_t(n));
  return after_line_;
}

std::string ServerProcess::stderr_text() const { return read_file(logs_ / "stderr"); }

int ServerProcess::stop(int sig, std::chrono::seconds timeout) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, sig);
  auto status = wait_until(pid_, Clock::now() + timeout);
  const int result = status ? *status : kill_and_reap(pid_);
  pid_ = -1;
  return result;
}

}  // namespace steward::server::testing
