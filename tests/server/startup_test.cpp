// How the real binary starts, refuses to start, stops, and keeps its data.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "server/audit_log.hpp"
#include "server/sqlite_store.hpp"
#include "test_fixtures.hpp"

using namespace steward::server::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

int health_sites(int port) {
  auto res = make_client(port).Get("/health");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  return json::parse(res->body)["sites"].get<int>();
}

}  // namespace

TEST_CASE("--help prints the usage and exits 0") {
  auto run = run_server_to_exit({"--help"});
  CHECK(run.status == 0);
  CHECK(contains(run.out, "Usage: steward-server"));
  CHECK(contains(run.out, "--port"));
}

TEST_CASE("bad arguments are refused with a message and exit status 2") {
  for (const char* port : {"abc", "70000", "65536", "-1", "80x", ""}) {
    CAPTURE(port);
    auto run = run_server_to_exit({"--port", port});
    CHECK(run.status == 2);
    CHECK(contains(run.err, "steward-server: invalid port \"" + std::string(port) + "\""));
    CHECK(run.out.empty());
  }
  auto unknown = run_server_to_exit({"--prot", "8080"});
  CHECK(unknown.status == 2);
  CHECK(contains(unknown.err, "unknown option --prot"));

  auto missing = run_server_to_exit({"--data"});
  CHECK(missing.status == 2);
  CHECK(contains(missing.err, "option --data needs a value"));

  auto body = run_server_to_exit({"--max-body", "lots"});
  CHECK(body.status == 2);
  CHECK(contains(body.err, "invalid --max-body"));

  // An origin goes into the page's security policy: nothing that could add a directive to it.
  for (const char* origin : {"couch.example", "ftp://couch.example", "https://couch.example; script-src *", "https://"}) {
    CAPTURE(origin);
    auto run = run_server_to_exit({"--sync-origin", origin});
    CHECK(run.status == 2);
    CHECK(contains(run.err, "invalid --sync-origin"));
  }
}

TEST_CASE("listens on the given port and prints exactly one line") {
  WebApp app;
  TempDir data;
  const int port = free_port();
  ServerProcess server({"--port", std::to_string(port), "--data", (data / "d").string(), "--web", app.web().string()});
  CHECK(server.running_line() == "Steward is running at http://127.0.0.1:" + std::to_string(port) + "/");
  CHECK(server.port() == port);
  CHECK(health_sites(port) == 1);
  CHECK(server.stop() == 0);
  CHECK(server.stdout_after_line().empty());
  CHECK(contains(server.stderr_text(), "GET /health 200"));  // the request log
}

TEST_CASE("a port that is in use is reported, with a non-zero exit") {
  // Something else listening on the port.
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(fd, 1) == 0);
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  const std::string port = std::to_string(ntohs(addr.sin_port));

  TempDir data;
  auto run = run_server_to_exit({"--port", port, "--data", data.path().string()});
  ::close(fd);
  CHECK(run.status == 1);
  CHECK(contains(run.err, "steward-server: cannot listen on 127.0.0.1:" + port + ": address already in use"));
  CHECK(run.out.empty());
  CHECK_FALSE(contains(run.err, "terminate called"));
}

TEST_CASE("a data folder that cannot be created or written is reported") {
  TempDir tmp;
  write_file(tmp / "a-file", "not a folder");

  SUBCASE("its parent is a regular file") {
    const std::string dir = (tmp / "a-file" / "data").string();
    auto run = run_server_to_exit({"--port", "0", "--data", dir});
    CHECK(run.status == 1);
    CHECK(contains(run.err, "steward-server: data folder " + dir + " cannot be created: Not a directory"));
  }
  SUBCASE("it is a regular file") {
    const std::string dir = (tmp / "a-file").string();
    auto run = run_server_to_exit({"--port", "0", "--data", dir});
    CHECK(run.status == 1);
    CHECK(contains(run.err, "steward-server: data folder " + dir + " is not a folder"));
  }
  SUBCASE("it exists but nobody, not even root, may create files in it") {
    auto run = run_server_to_exit({"--port", "0", "--data", "/sys"});
    CHECK(run.status == 1);
    CHECK(contains(run.err, "steward-server: data folder /sys is not writable: "));
  }
  SUBCASE("--web names a folder that does not exist") {
    auto run = run_server_to_exit({"--port", "0", "--data", (tmp / "d").string(), "--web", (tmp / "nope").string()});
    CHECK(run.status == 1);
    CHECK(contains(run.err, "web folder " + (tmp / "nope").string() + " does not exist"));
  }
}

TEST_CASE("a second server on the same data folder is refused and the first keeps working") {
  RunningServer first;
  const std::string dir = first.data_dir().string();
  CHECK(read_file(first.data_dir() / "steward.lock") == std::to_string(first.process->pid()) + "\n");

  auto second = run_server_to_exit({"--port", "0", "--data", dir, "--web", first.app.web().string()});
  CHECK(second.status == 1);
  CHECK(contains(second.err, "steward-server: another Steward server (pid " + std::to_string(first.process->pid()) +
                                 ") is already using data folder " + dir));
  CHECK(second.out.empty());

  // Same port as well: the data folder is checked first, so the message names the real problem.
  auto same_port = run_server_to_exit({"--port", std::to_string(first.process->port()), "--data", dir});
  CHECK(contains(same_port.err, "another Steward server"));

  CHECK(health_sites(first.process->port()) == 1);
  auto doc = make_client(first.process->port(), "admin").Get("/api/sites/demo");
  REQUIRE(doc);
  CHECK(doc->status == 200);
  CHECK(read_file(first.data_dir() / "steward.lock") == std::to_string(first.process->pid()) + "\n");
}

TEST_CASE("SIGTERM and SIGINT stop the server cleanly and free the data folder") {
  WebApp app;
  TempDir data;
  const std::vector<std::string> args = {"--port", "0", "--data", (data / "d").string(), "--web", app.web().string()};
  for (int sig : {SIGTERM, SIGINT}) {
    CAPTURE(sig);
    ServerProcess server(args);
    CHECK(health_sites(server.port()) == 1);
    CHECK(server.stop(sig) == 0);
    CHECK(contains(server.stderr_text(), "stopping"));
    CHECK(contains(server.stderr_text(), "steward-server: stopped"));
  }
}

TEST_CASE("data persists across restarts and the demo site is seeded only once") {
  WebApp app;
  TempDir data;
  const fs::path dir = data / "d";
  const std::vector<std::string> args = {"--port", "0", "--data", dir.string(), "--web", app.web().string()};
  {
    ServerProcess server(args);
    CHECK(health_sites(server.port()) == 1);
    CHECK(contains(server.stderr_text(), "new database with the demo site"));
    CHECK(server.stop() == 0);
  }
  CHECK(fs::exists(dir / "steward.sqlite3"));

  // Something the server did not seed, written while it is stopped.
  {
    auto store = steward::server::SqliteStore::open(dir / "steward.sqlite3");
    CHECK_FALSE(store->created_now());
    store->write([](steward::server::StoreTransaction& tx) {
      tx.put_site("second", R"({"_id":"site:second","type":"site","id":"second"})");
    });
  }
  for (int restart = 0; restart < 2; ++restart) {
    CAPTURE(restart);
    ServerProcess server(args);
    CHECK(health_sites(server.port()) == 2);
    CHECK_FALSE(contains(server.stderr_text(), "new database"));
    auto client = make_client(server.port(), "admin");
    auto demo = client.Get("/api/sites/demo");
    REQUIRE(demo);
    CHECK(demo->status == 200);
    auto second = client.Get("/api/sites/second");
    REQUIRE(second);
    CHECK(second->status == 200);
    CHECK(json::parse(second->body)["id"] == "second");
    CHECK(server.stop() == 0);
  }
}

TEST_CASE("audit entries older than --audit-days are removed at start-up and at a login") {
  WebApp app;
  TempDir data;
  const fs::path dir = data / "d";
  const std::vector<std::string> args = {"--port", "0", "--data", dir.string(), "--web", app.web().string(),
                                         "--audit-days", "200"};
  {
    ServerProcess server(args);
    CHECK(server.stop() == 0);
  }
  constexpr int64_t kDay = 24 * 3600 * 1000LL;
  auto add_old_entries = [&](const std::string& who) {
    auto store = steward::server::SqliteStore::open(dir / "steward.sqlite3");
    store->write([&](steward::server::StoreTransaction& tx) {
      // Written first, so before every entry inside the retention.
      steward::server::Statement q(tx.connection(), "UPDATE audit SET at = ?1");
      q.bind(1, steward::server::now_ms() - 300 * kDay);
      q.step();
      steward::server::append_audit(tx, {steward::server::now_ms() - 201 * kDay, who, "login", std::nullopt, "old"});
    });
  };
  auto whos = [&](const ServerProcess& server) {
    auto client = make_client(server.port(), "admin");
    auto res = client.Get("/api/admin/audit?limit=1000");
    REQUIRE(res);
    REQUIRE(res->status == 200);
    std::vector<std::string> out;
    for (const auto& e : json::parse(res->body)) out.push_back(e["who"].get<std::string>());
    return out;
  };
  auto has = [](const std::vector<std::string>& list, const std::string& who) {
    return std::find(list.begin(), list.end(), who) != list.end();
  };

  add_old_entries("before start");
  ServerProcess server(args);
  CHECK(contains(server.stderr_text(), "audit entries older than 200 days"));
  CHECK_FALSE(has(whos(server), "before start"));

  // While it runs: an entry older than the retention, then a login.
  {
    auto store = steward::server::SqliteStore::open(dir / "steward.sqlite3");
    store->write([&](steward::server::StoreTransaction& tx) {
      steward::server::Statement q(tx.connection(), "DELETE FROM audit");
      q.step();
      steward::server::append_audit(tx, {steward::server::now_ms() - 201 * kDay, "while running", "login", std::nullopt, "old"});
    });
  }
  CHECK(has(whos(server), "while running"));  // Basic credentials: no session, so no login yet
  httplib::Client login("127.0.0.1", server.port());
  auto res = login.Post("/couch/_session", R"({"name":"admin","password":"steward-demo"})", "application/json");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK_FALSE(has(whos(server), "while running"));
  CHECK(server.stop() == 0);
}

TEST_CASE("a data file that is not a database is reported by name") {
  TempDir data;
  std::string junk;
  for (int i = 0; i < 200; ++i) junk += "this is not an SQLite file\n";
  write_file(data / "steward.sqlite3", junk);
  auto run = run_server_to_exit({"--port", "0", "--data", data.path().string()});
  CHECK(run.status == 1);
  CHECK(contains(run.err, "steward-server: data file " + (data / "steward.sqlite3").string() +
                              " is not a Steward database: file is not a database"));
  CHECK(read_file(data / "steward.sqlite3") == junk);  // left as it was
}

TEST_CASE("the default web folder is <executable dir>/../wasm/web; without one the API still works") {
  // A copy of the binary in a folder of our own, so that whatever is built next to the real one doesn't matter.
  TempDir install;
  const fs::path binary = install / "bin" / "steward-server";
  fs::create_directories(binary.parent_path());
  fs::copy_file(STEWARD_SERVER_BINARY, binary);
  const fs::path default_web = install / "wasm" / "web";

  SUBCASE("absent: a warning at start, and static requests say why they fail") {
    ServerProcess server({"--port", "0", "--data", (install / "data").string()}, binary.string());
    CHECK(contains(server.stderr_text(), "warning: no web app at " + default_web.string()));
    CHECK(health_sites(server.port()) == 1);
    auto res = make_client(server.port()).Get("/");
    REQUIRE(res);
    CHECK(res->status == 404);
    CHECK(json::parse(res->body)["error"] == "not_found");
    CHECK(contains(json::parse(res->body)["reason"].get<std::string>(), "--web"));
  }
  SUBCASE("present: served without --web") {
    write_file(default_web / "index.html", "<p>default</p>");
    ServerProcess server({"--port", "0", "--data", (install / "data").string()}, binary.string());
    CHECK_FALSE(contains(server.stderr_text(), "warning"));
    auto res = make_client(server.port()).Get("/");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->body == "<p>default</p>");
  }
}

TEST_CASE("anonymous requests need a login: there is no option that opens the site's data") {
  auto run = run_server_to_exit({"--port", "0", "--insecure-open-access"});
  CHECK(run.status == 2);
  CHECK(contains(run.err, "--insecure-open-access"));
  RunningServer closed;
  CHECK(closed.client("").Get("/couch/demo-visits")->status == 401);
  CHECK(closed.client("").Get("/api/me")->status == 401);
}

TEST_CASE("--no-demo: a new data folder without the demo site, its databases or accounts; says how to add an admin") {
  RunningServer server({"--no-demo"});
  CHECK(health_sites(server.process->port()) == 0);
  CHECK(contains(server.process->stderr_text(), "no accounts yet"));
  CHECK(contains(server.process->stderr_text(), "0 site(s), new database\n"));
  CHECK(contains(server.process->stderr_text(), "steward-server admin"));
  CHECK(server.client("admin").Get("/couch/demo-visits")->status == 401);  // there is no admin
  auto store = steward::server::SqliteStore::open(server.data_dir() / "steward.sqlite3");
  int64_t dbs = -1;
  store->read([&](steward::server::StoreTransaction& tx) {
    steward::server::Statement q(tx.connection(), "SELECT count(*) FROM couch_dbs");
    q.step();
    dbs = q.integer(0);
  });
  CHECK(dbs == 0);
}
