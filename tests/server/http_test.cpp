// The HTTP surface of the real steward-server binary, over loopback.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "core/site.hpp"
#include "test_fixtures.hpp"

using namespace steward::server::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

void check_json_error(const httplib::Result& res, int status, const std::string& error) {
  REQUIRE(res);
  CHECK(res->status == status);
  // The CouchDB API names its charset (couch_request.hpp), the rest of the server does not.
  const std::string type = res->get_header_value("Content-Type");
  CHECK((type == "application/json" || type == "application/json; charset=utf-8"));
  CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
  const json body = json::parse(res->body);
  CHECK(body["error"] == error);
  CHECK(body["reason"].is_string());
}

httplib::Headers accept(const std::string& encodings) { return {{"Accept-Encoding", encodings}}; }

}  // namespace

TEST_CASE("GET /health reports the store, the version and the number of sites") {
  RunningServer server;
  auto client = server.client();
  auto res = client.Get("/health");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "application/json");
  CHECK(res->get_header_value("Cache-Control") == "no-store");
  CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
  const json health = json::parse(res->body);
  CHECK(health["status"] == "ok");
  CHECK(health["store"] == "sqlite");
  CHECK(health["sites"] == 1);
  CHECK(health["version"].is_string());
  CHECK_FALSE(health["version"].get<std::string>().empty());
  CHECK(res->body.find(R"({"status":"ok")") == 0);  // the documented order, for people reading it with curl
}

TEST_CASE("GET /api/sites/{id} returns the seeded demo site to those working there, and JSON 404 for others") {
  RunningServer server;
  auto client = server.client("butler");

  auto res = client.Get("/api/sites/demo");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "application/json");
  const auto demo = steward::core::demo_site();
  json doc = json::parse(res->body);
  CHECK(doc["idle_lock_minutes"] == 5);  // the settings the demo site chooses
  CHECK(doc["retention_days"] == 30);
  doc.erase("idle_lock_minutes");
  doc.erase("retention_days");
  CHECK(doc == steward::core::to_json(demo));
  CHECK(steward::core::site_from_json(json::parse(res->body)).name == demo.name);

  check_json_error(server.client("").Get("/api/sites/demo"), 401, "unauthorized");
  check_json_error(client.Get("/api/sites/nowhere"), 403, "forbidden");  // the butler works at demo only
  auto missing = server.client("admin").Get("/api/sites/nowhere");
  check_json_error(missing, 404, "not_found");
  CHECK(json::parse(missing->body)["reason"] == "no such site");
}

TEST_CASE("unknown /api/ paths answer 404 in CouchDB's error shape, whatever the method") {
  RunningServer server;
  auto client = server.client();
  check_json_error(client.Get("/api/nothing/here"), 404, "not_found");
  check_json_error(client.Get("/api"), 404, "not_found");
  check_json_error(client.Post("/api/_bulk_docs", "{}", "application/json"), 404, "not_found");
  check_json_error(client.Put("/api/sites/demo", "{}", "application/json"), 404, "not_found");
  check_json_error(client.Delete("/api/sites/demo"), 404, "not_found");
  // Not the web app's index.html, even though that exists.
  CHECK(client.Get("/api/index.html")->body.find("<!doctype") == std::string::npos);
}

TEST_CASE("the web app is served with the right content types") {
  RunningServer server;
  auto client = server.client();
  struct Expect {
    const char* path;
    const char* type;
    std::string body;
  };
  const std::vector<Expect> files = {
      {"/", "text/html; charset=utf-8", server.app.index_html},
      {"/index.html", "text/html; charset=utf-8", server.app.index_html},
      {"/app.js", "text/javascript; charset=utf-8", server.app.app_js},
      {"/app.wasm", "application/wasm", server.app.app_wasm},
      {"/manifest.webmanifest", "application/manifest+json", server.app.manifest},
      {"/icon.png", "image/png", server.app.png},
      {"/style.css", "text/css; charset=utf-8", "body { margin: 0 }\n"},
      {"/font.otf", "font/otf", std::string(200, 'f')},
      {"/empty.txt", "text/plain; charset=utf-8", ""},
      {"/sub/", "text/html; charset=utf-8", "<p>sub</p>\n"},
      {"/app.js?v=3", "text/javascript; charset=utf-8", server.app.app_js},
  };
  for (const auto& f : files) {
    CAPTURE(f.path);
    auto res = client.Get(f.path, accept("identity"));
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("Content-Type") == f.type);
    CHECK(res->get_header_value("Cache-Control") == "no-cache");
    CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
    CHECK_FALSE(res->has_header("Content-Encoding"));
    CHECK(res->body == f.body);
  }
  CHECK(server.app.app_wasm.substr(0, 4) == std::string("\0asm", 4));

  check_json_error(client.Get("/missing.js"), 404, "not_found");
  auto post = client.Post("/index.html", "x", "text/plain");
  check_json_error(post, 405, "method_not_allowed");
  CHECK(post->get_header_value("Allow") == "GET, HEAD");
}

TEST_CASE("HEAD answers the headers of GET without a body") {
  RunningServer server;
  auto client = server.client();
  auto res = client.Head("/app.wasm", accept("identity"));
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "application/wasm");
  CHECK(res->get_header_value("Content-Length") == std::to_string(server.app.app_wasm.size()));
  CHECK(res->has_header("ETag"));
  CHECK(res->body.empty());
}

TEST_CASE("gzip is used when the client accepts it and the type is worth compressing") {
  RunningServer server;
  auto client = server.client();
  client.set_decompress(false);  // look at the bytes on the wire

  SUBCASE("accepted: a gzip body that decodes to the file, with Vary") {
    for (const char* header : {"gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8, *;q=0.1", "*"}) {
      CAPTURE(header);
      auto res = client.Get("/app.js", accept(header));
      REQUIRE(res);
      CHECK(res->status == 200);
      CHECK(res->get_header_value("Content-Encoding") == "gzip");
      CHECK(res->get_header_value("Vary") == "Accept-Encoding");
      CHECK(res->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
      CHECK(res->body.size() < server.app.app_js.size());
      CHECK(gunzip_bytes(res->body) == server.app.app_js);
    }
    auto wasm = client.Get("/app.wasm", accept("gzip"));
    REQUIRE(wasm);
    CHECK(wasm->get_header_value("Content-Encoding") == "gzip");
    CHECK(gunzip_bytes(wasm->body) == server.app.app_wasm);
  }

  SUBCASE("a decoding client sees the file itself") {
    client.set_decompress(true);
    auto res = client.Get("/app.js", accept("gzip"));
    REQUIRE(res);
    CHECK(res->get_header_value("Content-Encoding") == "gzip");
    CHECK(res->body == server.app.app_js);
  }

  SUBCASE("not accepted: the identity body, still with Vary") {
    for (const char* header : {"", "identity", "gzip;q=0", "br", "*;q=0", "gzip;q=0, *"}) {
      CAPTURE(header);
      auto res = std::string(header).empty() ? client.Get("/app.js", httplib::Headers{{"Accept-Encoding", ""}})
                                             : client.Get("/app.js", accept(header));
      REQUIRE(res);
      CHECK(res->status == 200);
      CHECK_FALSE(res->has_header("Content-Encoding"));
      CHECK(res->get_header_value("Vary") == "Accept-Encoding");
      CHECK(res->body == server.app.app_js);
    }
  }

  SUBCASE("already-compressed types and tiny files go as they are") {
    auto png = client.Get("/icon.png", accept("gzip"));
    REQUIRE(png);
    CHECK_FALSE(png->has_header("Content-Encoding"));
    CHECK_FALSE(png->has_header("Vary"));
    CHECK(png->body == server.app.png);

    auto tiny = client.Get("/style.css", accept("gzip"));  // gzip's header alone would make it bigger
    REQUIRE(tiny);
    CHECK_FALSE(tiny->has_header("Content-Encoding"));
    CHECK(tiny->body == "body { margin: 0 }\n");
  }
}

TEST_CASE("a precompressed FILE.gz is served when it is not older than FILE") {
  RunningServer server;
  const fs::path web = server.app.web();
  const std::string text(5000, 'x');
  write_file(web / "pre.js", text);
  const std::string pre_gz = gzip_bytes(text, 1);  // level 1: bytes the server would not produce itself
  write_file(web / "pre.js.gz", pre_gz);

  write_file(web / "stale.js", "new " + text);
  write_file(web / "stale.js.gz", gzip_bytes("old " + text, 9));
  fs::last_write_time(web / "stale.js.gz", fs::last_write_time(web / "stale.js") - std::chrono::hours(1));

  auto client = server.client();
  client.set_decompress(false);
  auto pre = client.Get("/pre.js", accept("gzip"));
  REQUIRE(pre);
  CHECK(pre->get_header_value("Content-Encoding") == "gzip");
  CHECK(pre->body == pre_gz);

  auto stale = client.Get("/stale.js", accept("gzip"));
  REQUIRE(stale);
  CHECK(stale->get_header_value("Content-Encoding") == "gzip");
  CHECK(gunzip_bytes(stale->body) == "new " + text);
}

TEST_CASE("strong ETags: 304 on If-None-Match, a new tag when the file changes") {
  RunningServer server;
  auto client = server.client();
  client.set_decompress(false);

  auto first = client.Get("/app.js", accept("identity"));
  REQUIRE(first);
  const std::string etag = first->get_header_value("ETag");
  CHECK(etag.size() > 2);
  CHECK(etag.front() == '"');
  CHECK(etag.back() == '"');

  auto again = client.Get("/app.js", {{"Accept-Encoding", "identity"}, {"If-None-Match", etag}});
  REQUIRE(again);
  CHECK(again->status == 304);
  CHECK(again->body.empty());
  CHECK(again->get_header_value("ETag") == etag);
  CHECK(again->get_header_value("X-Content-Type-Options") == "nosniff");

  auto listed = client.Get("/app.js", {{"Accept-Encoding", "identity"}, {"If-None-Match", "\"zzz\", W/" + etag}});
  REQUIRE(listed);
  CHECK(listed->status == 304);

  auto other = client.Get("/app.js", {{"Accept-Encoding", "identity"}, {"If-None-Match", "\"something-else\""}});
  REQUIRE(other);
  CHECK(other->status == 200);
  CHECK(other->body == server.app.app_js);

  // The gzip bytes are another representation, with their own tag.
  auto gz = client.Get("/app.js", accept("gzip"));
  REQUIRE(gz);
  const std::string gz_etag = gz->get_header_value("ETag");
  CHECK(gz_etag != etag);
  auto gz_again = client.Get("/app.js", {{"Accept-Encoding", "gzip"}, {"If-None-Match", gz_etag}});
  REQUIRE(gz_again);
  CHECK(gz_again->status == 304);

  // A new build of the file: new bytes, new tag, the old tag no longer matches.
  const std::string rebuilt = server.app.app_js + "console.log('rebuilt');\n";
  write_file(server.app.web() / "app.js", rebuilt);
  auto changed = client.Get("/app.js", {{"Accept-Encoding", "identity"}, {"If-None-Match", etag}});
  REQUIRE(changed);
  CHECK(changed->status == 200);
  CHECK(changed->body == rebuilt);
  CHECK(changed->get_header_value("ETag") != etag);
}

TEST_CASE("paths that climb out of the web folder are refused") {
  RunningServer server;
  auto client = server.client();
  client.set_url_encode(false);  // send the paths exactly as written
  for (const char* path : {"/../secret.txt", "/%2e%2e/secret.txt", "/sub/../../secret.txt", "/..%2fsecret.txt",
                           "/sub/%2e%2e/%2e%2e/secret.txt", "/..\\secret.txt", "/app.js%00.png"}) {
    CAPTURE(path);
    auto res = client.Get(path);
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(res->body.find("top secret") == std::string::npos);
    CHECK(json::parse(res->body)["error"] == "bad_request");
  }
  // Dot segments that stay inside are fine.
  auto dot = client.Get("/./sub/./index.html");
  REQUIRE(dot);
  CHECK(dot->status == 200);
}

TEST_CASE("a request body over --max-body gets 413 in JSON") {
  RunningServer server({"--max-body", "1024"});
  auto client = server.client();
  check_json_error(client.Post("/api/sites", std::string(4096, 'a'), "application/json"), 413, "too_large");
  check_json_error(client.Put("/index.html", std::string(2000, 'a'), "text/plain"), 413, "too_large");
  // At the limit it is read, and then answered as usual.
  check_json_error(client.Post("/api/sites", std::string(1024, 'a'), "application/json"), 404, "not_found");
  // The connection and the server survive.
  auto health = client.Get("/health");
  REQUIRE(health);
  CHECK(health->status == 200);
}

TEST_CASE("a chunked request body is refused before it is read, and a gzip one is inflated no further than --max-body") {
  RunningServer server({"--max-body", "1024"});
  // Chunked: no Content-Length for the limit to check; httplib would read it to any size.
  auto chunked = server.client();
  bool sent = false;
  check_json_error(chunked.Post(
                       "/couch/demo-visits/_bulk_docs",
                       [&](size_t, httplib::DataSink& sink) {
                         if (!sent) sink.write(R"({"docs":[]})", 11);
                         sent = true;
                         sink.done();
                         return true;
                       },
                       "application/json"),
                   411, "length_required");

  // Gzip, as a tablet sends its larger bodies: taken by the CouchDB API up to the limit, inflated.
  auto compressed = server.client();
  compressed.set_compress(true);
  const std::string docs = R"({"docs":[{"_id":"gz1","v":1},{"_id":"gz2","v":2}]})" + std::string(900, ' ');
  auto stored = compressed.Post("/couch/demo-visits/_bulk_docs", docs, "application/json");
  REQUIRE(stored);
  CHECK(stored->status == 201);
  auto plain = server.client();
  auto read = plain.Get("/couch/demo-visits/gz2");
  REQUIRE(read);
  CHECK(json::parse(read->body)["v"] == 2);
  // 64 KB that travel as ~100 bytes: inflating stops at the limit (httplib alone would inflate all of it).
  check_json_error(compressed.Post("/couch/demo-visits/_bulk_docs", std::string(64 * 1024, ' '), "application/json"),
                   413, "too_large");
  // A broken gzip stream is a bad request, and nothing of it is stored.
  auto broken = server.client();
  check_json_error(broken.Post("/couch/demo-visits/_bulk_docs", {{"Content-Encoding", "gzip"}},
                               R"({"docs":[{"_id":"not-gzip"}]})", "application/json"),
                   400, "bad_request");
  // Where httplib reads the body itself (the rest of the server), any encoding is still refused before reading.
  check_json_error(compressed.Post("/couch/_session", std::string(64 * 1024, ' '), "application/json"), 415,
                   "unsupported_encoding");
  // Left to the routes that read their bodies through httplib, /couch/_session still answers as the CouchDB API.
  check_json_error(server.client("").Put("/couch/_session", "{}", "application/json"), 401, "unauthorized");
  check_json_error(compressed.Post("/api/sites", std::string(64 * 1024, ' '), "application/json"), 415,
                   "unsupported_encoding");
  auto deflated = server.client();
  check_json_error(deflated.Post("/couch/demo-visits/_bulk_docs", {{"Content-Encoding", "br"}}, "x", "application/json"),
                   415, "unsupported_encoding");
  // The same 64 KB plainly is held to the limit as always, and the server is fine.
  auto client = server.client();
  check_json_error(client.Post("/couch/demo-visits/_bulk_docs", std::string(64 * 1024, ' '), "application/json"), 413,
                   "too_large");
  auto missing = client.Get("/couch/demo-visits/not-gzip");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  auto health = client.Get("/health");
  REQUIRE(health);
  CHECK(health->status == 200);
}

TEST_CASE("a kept-alive connection carries many requests, not only httplib's default 5") {
  RunningServer server;
  auto client = server.client();
  client.set_keep_alive(true);
  for (int i = 0; i < 20; ++i) {
    auto res = client.Get("/api/sites/demo");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("Connection") != "close");
  }
}

TEST_CASE("many requests at once are all answered") {
  RunningServer server;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      auto client = server.client();
      for (int i = 0; i < 20; ++i) {
        auto res = client.Get(i % 2 ? "/app.wasm" : "/api/sites/demo", accept("gzip"));
        if (res && res->status == 200) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(ok == 160);
}

TEST_CASE("every answer carries the security headers; the page may connect only to itself and named sync origins") {
  RunningServer server({"--sync-origin", "https://Couch.Example:6984/demo-visits"});
  auto client = server.client();
  for (const char* path : {"/", "/index.html", "/health", "/couch/", "/no-such-file"}) {
    auto res = client.Get(path);
    REQUIRE(res);
    CAPTURE(path);
    CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
    CHECK(res->get_header_value("X-Frame-Options") == "DENY");
    CHECK(res->get_header_value("Referrer-Policy") == "no-referrer");
    const std::string csp = res->get_header_value("Content-Security-Policy");
    CHECK(csp.find("script-src 'self' 'wasm-unsafe-eval';") != std::string::npos);
    CHECK(csp.find("style-src 'self';") != std::string::npos);  // no inline styles
    CHECK(csp.find("connect-src 'self' https://couch.example:6984;") != std::string::npos);
    CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
    CHECK_FALSE(res->has_header("Strict-Transport-Security"));  // plain HTTP (tls_test.cpp checks it over TLS)
  }
  // The app's page has no inline script, style or handler for the policy to refuse.
  std::ifstream in(fs::path(STEWARD_SOURCE_DIR) / "web" / "index.html");
  const std::string page((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE(page.find("<canvas") != std::string::npos);
  CHECK(page.find("<style") == std::string::npos);
  CHECK(page.find(" style=") == std::string::npos);
  CHECK(page.find(" onclick=") == std::string::npos);
  for (size_t at = page.find("<script"); at != std::string::npos; at = page.find("<script", at + 1))
    CHECK(page.compare(at, 12, "<script src=") == 0);
}

TEST_CASE("an internal error answers 500 without its details (no SQL, no paths), which go to the log") {
  RunningServer server;
  auto client = server.client();
  REQUIRE(client.Get("/couch/demo-visits")->status == 200);
  {
    // Damage the store under the running server: its next read fails inside SQLite.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((server.data_dir() / "steward.sqlite3").c_str(), &db) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    CHECK(sqlite3_exec(db, "DROP TABLE couch_docs", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  auto res = client.Get("/couch/demo-visits/_changes");
  REQUIRE(res);
  CHECK(res->status == 500);
  const json body = json::parse(res->body);
  CHECK(body["error"] == "internal_error");
  const std::string reason = body["reason"];
  CHECK(reason.find("log reference") != std::string::npos);
  CHECK(reason.find("couch_docs") == std::string::npos);
  CHECK(reason.find("SELECT") == std::string::npos);
  CHECK(reason.find("sqlite") == std::string::npos);
}
