// The server's pieces in-process: option parsing, path and header rules, the SQLite store.
#include <doctest/doctest.h>
#include <httplib.h>

#include <sqlite3.h>

#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "server/audit_log.hpp"
#include "server/auth.hpp"
#include "server/couch_db.hpp"
#include "server/options.hpp"
#include "server/sqlite_store.hpp"
#include "server/static_files.hpp"
#include "server_process.hpp"

using namespace steward::server;
using steward::server::testing::TempDir;
using steward::server::testing::write_file;

TEST_CASE("options: defaults, both spellings, and errors") {
  auto defaults = parse_options({});
  CHECK(defaults.error.empty());
  CHECK(defaults.options.port == 8080);
  CHECK(defaults.options.host == "127.0.0.1");
  CHECK(defaults.options.data_dir == "data");
  CHECK_FALSE(defaults.options.web_dir);
  CHECK(defaults.options.max_body_bytes == 64u * 1024 * 1024);

  auto given = parse_options({"--port=9000", "--host", "0.0.0.0", "--data", "/srv/steward", "--web=/w", "--max-body", "2M"});
  CHECK(given.error.empty());
  CHECK(given.options.port == 9000);
  CHECK(given.options.host == "0.0.0.0");
  CHECK(given.options.data_dir == "/srv/steward");
  CHECK(given.options.web_dir == std::filesystem::path("/w"));
  CHECK(given.options.max_body_bytes == 2u * 1024 * 1024);

  CHECK(parse_options({"--port", "0"}).options.port == 0);
  CHECK(parse_options({"--port", "65535"}).error.empty());
  CHECK_FALSE(parse_options({"--port", "65536"}).error.empty());
  CHECK_FALSE(parse_options({"--port", " 80"}).error.empty());
  CHECK_FALSE(parse_options({"--port"}).error.empty());
  CHECK_FALSE(parse_options({"stray"}).error.empty());
  CHECK(parse_options({"-h"}).show_help);

  CHECK(defaults.options.demo);
  CHECK_FALSE(parse_options({"--no-demo"}).options.demo);
  CHECK_FALSE(parse_options({"--no-demo=yes"}).error.empty());

  auto tls = parse_options({"--tls-cert", "/etc/steward/cert.pem", "--tls-key=/etc/steward/key.pem"});
  CHECK(tls.error.empty());
  CHECK(tls.options.tls_cert == std::filesystem::path("/etc/steward/cert.pem"));
  CHECK(tls.options.tls_key == std::filesystem::path("/etc/steward/key.pem"));
  CHECK_FALSE(defaults.options.tls_cert);
  CHECK(parse_options({"--tls-key", "k.pem"}).error == "HTTPS needs both --tls-cert and --tls-key (only --tls-key was given)");
  CHECK_FALSE(parse_options({"--tls-cert="}).error.empty());

  CHECK(defaults.options.audit_days == 365);
  CHECK(parse_options({"--audit-days", "400"}).options.audit_days == 400);
  CHECK(parse_options({"--audit-days=180"}).error.empty());
  CHECK(parse_options({"--audit-days", "90"}).error ==
        "invalid --audit-days \"90\": expected a number of days from 180 (six months, the least China's Cybersecurity "
        "Law allows) to 36500");
  CHECK_FALSE(parse_options({"--audit-days", "1y"}).error.empty());
  CHECK_FALSE(parse_options({"--audit-days", ""}).error.empty());

  CHECK(parse_byte_size("1024") == 1024u);
  CHECK(parse_byte_size("64k") == 65536u);
  CHECK(parse_byte_size("1G") == 1073741824u);
  CHECK_FALSE(parse_byte_size("0"));
  CHECK_FALSE(parse_byte_size("M"));
  CHECK_FALSE(parse_byte_size("12MB"));
  CHECK_FALSE(parse_byte_size("99999999999999999999"));
}

TEST_CASE("safe_relative_path normalises and refuses anything that could leave the folder") {
  CHECK(safe_relative_path("/") == "");
  CHECK(safe_relative_path("/index.html") == "index.html");
  CHECK(safe_relative_path("//a///b/./c.js") == "a/b/c.js");
  CHECK(safe_relative_path("/sub/") == "sub");
  CHECK(safe_relative_path("/...") == "...");  // a (strange) file name, not a parent
  CHECK(safe_relative_path("/.well-known/x") == ".well-known/x");
  CHECK_FALSE(safe_relative_path("/.."));
  CHECK_FALSE(safe_relative_path("/../etc/passwd"));
  CHECK_FALSE(safe_relative_path("/a/../b"));
  CHECK_FALSE(safe_relative_path("/a/.."));
  CHECK_FALSE(safe_relative_path("/a\\..\\b"));
  CHECK_FALSE(safe_relative_path(std::string_view("/a\0b", 4)));
  CHECK_FALSE(safe_relative_path("relative"));
  CHECK_FALSE(safe_relative_path(""));
}

TEST_CASE("content types") {
  CHECK(content_type_for("a/app.wasm").mime == "application/wasm");
  CHECK(content_type_for("m.webmanifest").mime == "application/manifest+json");
  CHECK(content_type_for("x.MJS").mime == "text/javascript; charset=utf-8");
  CHECK(content_type_for("f.otf").mime == "font/otf");
  CHECK(content_type_for("f.woff2").mime == "font/woff2");
  CHECK(content_type_for("i.ico").mime == "image/x-icon");
  CHECK(content_type_for("noext").mime == "application/octet-stream");
  CHECK_FALSE(content_type_for("i.png").compressible);
  CHECK_FALSE(content_type_for("f.woff2").compressible);
  CHECK(content_type_for("app.wasm").compressible);
}

TEST_CASE("HTTP Basic credentials and cookies, with the spaces and tabs HTTP allows around their parts") {
  const auto basic = parse_basic_authorization(" \tBasic \tYWRtaW46cHcgd29yZA== \t");
  REQUIRE(basic);
  CHECK(basic->name == "admin");
  CHECK(basic->password == "pw word");  // the space inside the password is the password's
  CHECK(parse_basic_authorization("bAsIc YWRtaW46cHc=")->password == "pw");
  CHECK_FALSE(parse_basic_authorization("Bearer YWRtaW46cHc="));
  CHECK_FALSE(parse_basic_authorization("Basic \t "));

  httplib::Request req;
  req.headers.emplace("Cookie", "a=1;\tsteward_session=\"tok en\" ; b=2");
  CHECK(cookie_value(req, "steward_session") == "tok en");
  CHECK(cookie_value(req, "b") == "2");
  CHECK_FALSE(cookie_value(req, "c"));
}

TEST_CASE("Accept-Encoding and If-None-Match") {
  CHECK(accepts_gzip("gzip"));
  CHECK(accepts_gzip("gzip, deflate, br"));
  CHECK(accepts_gzip("GZip;Q=0.5"));
  CHECK(accepts_gzip("x-gzip"));
  CHECK(accepts_gzip("*"));
  CHECK(accepts_gzip("br, gzip ; q=0.1"));
  CHECK_FALSE(accepts_gzip(""));
  CHECK_FALSE(accepts_gzip("identity"));
  CHECK_FALSE(accepts_gzip("br"));
  CHECK_FALSE(accepts_gzip("gzip;q=0"));
  CHECK_FALSE(accepts_gzip("gzip;q=0.000"));
  CHECK_FALSE(accepts_gzip("*;q=0"));
  CHECK_FALSE(accepts_gzip("gzip;q=0, *"));

  CHECK(etag_matches("\"abc\"", "\"abc\""));
  CHECK(etag_matches("W/\"abc\"", "\"abc\""));
  CHECK(etag_matches("\"x\", \"abc\"", "\"abc\""));
  CHECK(etag_matches("*", "\"abc\""));
  CHECK_FALSE(etag_matches("\"abcd\"", "\"abc\""));
  CHECK_FALSE(etag_matches("abc", "\"abc\""));
  CHECK_FALSE(etag_matches("", "\"abc\""));
}

TEST_CASE("SqliteStore: a new file gets the schema and the seed, once") {
  TempDir dir;
  const auto file = dir / "steward.sqlite3";
  int seeded = 0;
  auto seed = [&](StoreTransaction& tx) {
    ++seeded;
    tx.put_site("demo", R"({"id":"demo"})");
  };
  {
    auto store = SqliteStore::open(file, seed);
    CHECK(store->created_now());
    CHECK(store->journal_mode() == "wal");
    CHECK(store->site_count() == 1);
    CHECK(store->site_doc("demo") == R"({"id":"demo"})");
    CHECK_FALSE(store->site_doc("other"));
  }
  {
    auto store = SqliteStore::open(file, seed);
    CHECK_FALSE(store->created_now());
    CHECK(store->site_count() == 1);
  }
  CHECK(seeded == 1);
}

TEST_CASE("SqliteStore: a write that throws leaves nothing behind") {
  TempDir dir;
  auto store = SqliteStore::open(dir / "s.sqlite3");
  CHECK_THROWS_AS(store->write([](StoreTransaction& tx) {
    tx.put_site("a", "{}");
    tx.put_site("b", "{}");
    throw std::runtime_error("changed my mind");
  }),
                  std::runtime_error);
  CHECK(store->site_count() == 0);
  store->write([](StoreTransaction& tx) {
    tx.put_site("a", "{\"v\":1}");
    tx.put_site("a", "{\"v\":2}");
  });
  CHECK(store->site_count() == 1);
  CHECK(store->site_doc("a") == "{\"v\":2}");
}

namespace {

std::string open_error(const std::filesystem::path& file) {
  try {
    SqliteStore::open(file);
  } catch (const SqliteError& e) {
    return e.what();
  }
  return "(opened)";
}

void run_sql(const std::filesystem::path& file, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

// Version 5's document and revision tables (migrations 2 and 5), in place of the current ones. Version 4 had the
// same documents table.
constexpr const char* kVersion5DocTables =
    "DROP TABLE couch_docs;"
    "DROP TABLE couch_revs;"
    "CREATE TABLE couch_docs(db INTEGER NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL,"
    "  deleted INTEGER NOT NULL, leaves TEXT NOT NULL, tree TEXT NOT NULL, PRIMARY KEY(db, id)) WITHOUT ROWID;"
    "CREATE UNIQUE INDEX couch_docs_by_seq ON couch_docs(db, seq);"
    "CREATE TABLE couch_revs(db INTEGER NOT NULL, id TEXT NOT NULL, rev TEXT NOT NULL,"
    "  deleted INTEGER NOT NULL, body TEXT NOT NULL, attachments TEXT);"
    "CREATE UNIQUE INDEX couch_revs_by_id ON couch_revs(db, id, rev);";

// Every stored revision as "db id rev deleted body attachments" ("-": none), ordered by db, id, rev.
std::vector<std::string> revision_rows(SqliteStore& store) {
  std::vector<std::string> rows;
  store.read([&](StoreTransaction& tx) {
    Statement q(tx.connection(),
                "SELECT d.db, d.id, r.rev, r.deleted, r.body, ifnull(r.attachments, '-') FROM couch_revs r "
                "JOIN couch_docs d ON d.key = r.doc ORDER BY d.db, d.id, r.rev");
    while (q.step()) {
      rows.push_back(std::to_string(q.integer(0)) + " " + q.text(1) + " " + q.text(2) + " " +
                     std::to_string(q.integer(3)) + " " + q.text(4) + " " + q.text(5));
    }
  });
  return rows;
}

}  // namespace

TEST_CASE("SqliteStore: a version 4 file keeps its revision bodies when migrated") {
  TempDir dir;
  const auto file = dir / "v4.sqlite3";
  SqliteStore::open(file);
  // Back to version 4's shape (bodies in a WITHOUT ROWID table keyed by db, id, rev) with two documents in it.
  run_sql(file, kVersion5DocTables);
  run_sql(file,
          "DROP TABLE couch_revs;"
          "CREATE TABLE couch_revs(db INTEGER NOT NULL, id TEXT NOT NULL, rev TEXT NOT NULL, deleted INTEGER NOT NULL,"
          "  body TEXT NOT NULL, attachments TEXT, PRIMARY KEY(db, id, rev)) WITHOUT ROWID;"
          "INSERT INTO couch_docs VALUES (1, 'visit:a', 1, 0, '1-aa', '[]');"
          "INSERT INTO couch_docs VALUES (1, 'visit:b', 2, 1, '2-bb', '[]');"
          "INSERT INTO couch_revs VALUES (1, 'visit:a', '1-aa', 0, '{\"name\":\"王伟\"}', NULL);"
          "INSERT INTO couch_revs VALUES (1, 'visit:b', '2-bb', 1, '{}', '{\"p.jpg\":{}}');"
          "UPDATE meta SET value = '4' WHERE key = 'schema_version';");
  auto store = SqliteStore::open(file);
  CHECK(revision_rows(*store) ==
        std::vector<std::string>{"1 visit:a 1-aa 0 {\"name\":\"王伟\"} -", "1 visit:b 2-bb 1 {} {\"p.jpg\":{}}"});
}

TEST_CASE("SqliteStore: a version 5 file keeps its documents and revisions when migrated to document keys") {
  TempDir dir;
  const auto file = dir / "v5.sqlite3";
  SqliteStore::open(file);
  // Version 5's shape with documents in two databases (one id in both), a conflicted document with two leaf
  // bodies, a deleted one, attachment stubs, and seqs out of id order.
  run_sql(file, kVersion5DocTables);
  run_sql(file,
          "INSERT INTO couch_docs VALUES (1, 'visit:b', 3, 0, '2-b2 2-b1', '[\"tree b\"]');"
          "INSERT INTO couch_docs VALUES (1, 'visit:a', 5, 1, '3-a3', '[\"tree a\"]');"
          "INSERT INTO couch_docs VALUES (1, 'visit:c', 1, 0, '1-c1', '[\"tree c\"]');"
          "INSERT INTO couch_docs VALUES (2, 'visit:a', 2, 0, '1-x1', '[\"tree x\"]');"
          "INSERT INTO couch_revs VALUES (1, 'visit:b', '2-b1', 0, '{\"n\":1}', NULL);"
          "INSERT INTO couch_revs VALUES (2, 'visit:a', '1-x1', 0, '{\"other\":\"db\"}', NULL);"
          "INSERT INTO couch_revs VALUES (1, 'visit:a', '3-a3', 1, '{}', NULL);"
          "INSERT INTO couch_revs VALUES (1, 'visit:c', '1-c1', 0, '{\"name\":\"王伟\"}', '{\"p.jpg\":{\"stub\":true}}');"
          "INSERT INTO couch_revs VALUES (1, 'visit:b', '2-b2', 0, '{\"n\":2}', NULL);"
          "UPDATE meta SET value = '5' WHERE key = 'schema_version';");
  auto store = SqliteStore::open(file);

  CHECK(revision_rows(*store) == std::vector<std::string>{
                                     "1 visit:a 3-a3 1 {} -",
                                     "1 visit:b 2-b1 0 {\"n\":1} -",
                                     "1 visit:b 2-b2 0 {\"n\":2} -",
                                     "1 visit:c 1-c1 0 {\"name\":\"王伟\"} {\"p.jpg\":{\"stub\":true}}",
                                     "2 visit:a 1-x1 0 {\"other\":\"db\"} -",
                                 });
  std::vector<std::string> docs, indexes;
  store->read([&](StoreTransaction& tx) {
    // Keys are given in seq order within each database.
    Statement q(tx.connection(), "SELECT db, id, seq, deleted, leaves, tree FROM couch_docs ORDER BY key");
    while (q.step()) {
      docs.push_back(std::to_string(q.integer(0)) + " " + q.text(1) + " " + std::to_string(q.integer(2)) + " " +
                     std::to_string(q.integer(3)) + " " + q.text(4) + " " + q.text(5));
    }
    Statement i(tx.connection(),
                "SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('couch_docs', 'couch_revs') "
                "ORDER BY name");
    while (i.step()) indexes.push_back(i.text(0));
    Statement version(tx.connection(), "SELECT value FROM meta WHERE key = 'schema_version'");
    REQUIRE(version.step());
    CHECK(version.text(0) == std::to_string(SqliteStore::kSchemaVersion));
  });
  CHECK(docs == std::vector<std::string>{
                    "1 visit:c 1 0 1-c1 [\"tree c\"]",
                    "1 visit:b 3 0 2-b2 2-b1 [\"tree b\"]",
                    "1 visit:a 5 1 3-a3 [\"tree a\"]",
                    "2 visit:a 2 0 1-x1 [\"tree x\"]",
                });
  // The lookups by id, by seq and by revision are unique indexes, so a second row for any of them is refused.
  CHECK(indexes == std::vector<std::string>{
                       "CREATE UNIQUE INDEX couch_docs_by_id ON couch_docs(db, id)",
                       "CREATE UNIQUE INDEX couch_docs_by_seq ON couch_docs(db, seq)",
                       "CREATE UNIQUE INDEX couch_revs_by_doc ON couch_revs(doc, rev)",
                   });

  // Read and written through CouchTables as any other document: a new one is keyed after the migrated ones.
  store->write([&](StoreTransaction& tx) {
    couch::CouchTables tables(tx);
    auto b = tables.find_doc(1, "visit:b");
    REQUIRE(b);
    CHECK(b->leaf_revs() == std::vector<std::string>{"2-b2", "2-b1"});
    CHECK(tables.find_rev(*b, "2-b1")->body == "{\"n\":1}");
    CHECK(tables.find_rev(*tables.find_doc(2, "visit:a"), "1-x1")->body == "{\"other\":\"db\"}");
    CHECK_FALSE(tables.find_rev(*tables.find_doc(1, "visit:a"), "1-x1"));
    couch::DocRow d{.id = "visit:d", .seq = 6, .leaves = "1-d1", .tree = "[]"};
    tables.save_doc(1, d);
    CHECK(d.key > tables.find_doc(2, "visit:a")->key);
    tables.save_rev(d, "1-d1", couch::RevBody{false, "{\"d\":1}", std::nullopt});
    CHECK(tables.find_rev(*tables.find_doc(1, "visit:d"), "1-d1")->body == "{\"d\":1}");
  });
}

TEST_CASE("CouchTables: deleting a database deletes its documents' revision bodies, and only those") {
  TempDir dir;
  auto store = SqliteStore::open(dir / "store.sqlite3");
  store->write([&](StoreTransaction& tx) {
    couch::CouchTables tables(tx);
    REQUIRE(tables.create_db("doomed"));
    REQUIRE(tables.create_db("kept"));
    for (const char* name : {"doomed", "kept"}) {
      const int64_t db = tables.find_db(name)->id;
      int64_t seq = 0;
      for (const char* id : {"a", "b"}) {
        couch::DocRow row{.id = id, .seq = ++seq, .leaves = "1-aa", .tree = "[]"};
        tables.save_doc(db, row);
        tables.save_rev(row, "1-aa", couch::RevBody{false, std::string("{\"in\":\"") + name + "\"}", std::nullopt});
      }
    }
    tables.delete_db(tables.find_db("doomed")->id);
    Statement q(tx.connection(), "SELECT count(*), min(body), max(body) FROM couch_revs");
    REQUIRE(q.step());
    CHECK(q.integer(0) == 2);
    CHECK(q.text(1) == "{\"in\":\"kept\"}");
    CHECK(q.text(2) == "{\"in\":\"kept\"}");
    const int64_t kept = tables.find_db("kept")->id;
    CHECK(tables.find_rev(*tables.find_doc(kept, "a"), "1-aa"));
  });
}

namespace {

// Commits `count` transactions of about five pages each.
void write_pages(SqliteStore& store, int count) {
  for (int i = 0; i < count; ++i) {
    store.write([&](StoreTransaction& tx) { tx.put_site("site-" + std::to_string(i), std::string(20000, 'x')); });
  }
}

}  // namespace

TEST_CASE("SqliteStore: the WAL is copied back into the database file by the checkpoint thread") {
  TempDir dir;
  const auto file = dir / "wal.sqlite3";
  auto store = SqliteStore::open(file, {}, WalLimits{/*background_pages=*/8, /*request_pages=*/1000000});
  REQUIRE(store->journal_mode() == "wal");
  write_pages(*store, 60);
  for (int i = 0; i < 500 && store->background_checkpoints() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(store->background_checkpoints() > 0);
  CHECK(store->request_checkpoints() == 0);
  CHECK(std::filesystem::file_size(file) > 60 * 20000 / 2);  // the documents reached the database file itself
  store.reset();
  store = SqliteStore::open(file);
  CHECK(store->site_count() == 60);
}

TEST_CASE("SqliteStore: past the hard limit a committing request checkpoints itself, so the WAL stays bounded") {
  TempDir dir;
  const auto file = dir / "bounded.sqlite3";
  auto store = SqliteStore::open(file, {}, WalLimits{/*background_pages=*/1000000, /*request_pages=*/24});
  write_pages(*store, 100);
  CHECK(store->request_checkpoints() > 0);
  CHECK(store->background_checkpoints() == 0);
  // 100 commits of ~5 pages each: 500 pages written, but the WAL starts over after each checkpoint.
  CHECK(std::filesystem::file_size(dir / "bounded.sqlite3-wal") < 64 * 4096);
  CHECK(store->site_count() == 100);
}

TEST_CASE("audit retention: entries before the first one inside the retention go, late uploads inside it stay") {
  TempDir dir;
  auto store = SqliteStore::open(dir / "audit.sqlite3");
  constexpr int64_t kDay = 24 * 3600 * 1000LL;
  const int64_t now = 1795000000000;  // November 2026
  store->write([&](StoreTransaction& tx) {
    CHECK(prune_audit(tx, now) == 0);  // nothing there yet
    for (const auto& [days_ago, who] : std::vector<std::pair<int, std::string>>{
             {400, "oldest"}, {370, "old"}, {10, "recent"}, {380, "late upload"}, {1, "yesterday"}}) {
      append_audit(tx, {now - days_ago * kDay, who, "login", std::nullopt, "test"});
    }
    CHECK(prune_audit(tx, now - 365 * kDay) == 2);
    std::vector<std::string> kept;
    for (const auto& e : read_audit(tx, std::nullopt, 100)) kept.push_back(e.who);
    CHECK(kept == std::vector<std::string>{"yesterday", "late upload", "recent"});
    CHECK(prune_audit(tx, now - 365 * kDay) == 0);  // the late upload waits until an entry after it is inside
    CHECK(prune_audit(tx, now + kDay) == 3);         // all of them older than the retention
    CHECK(read_audit(tx, std::nullopt, 100).empty());
  });
}

TEST_CASE("SqliteStore: files that are not ours, or newer, are refused with their name") {
  TempDir dir;
  SUBCASE("not SQLite at all") {
    const auto file = dir / "junk.sqlite3";
    write_file(file, std::string(4096, 'j'));
    CHECK(open_error(file) == "data file " + file.string() + " is not a Steward database: file is not a database");
  }
  SUBCASE("another application's database") {
    const auto file = dir / "other.sqlite3";
    run_sql(file, "CREATE TABLE t(x); PRAGMA application_id = 42;");
    CHECK(open_error(file) == "data file " + file.string() +
                                  " is not a Steward database: it belongs to another application (application_id "
                                  "0x0000002a)");
  }
  SUBCASE("a database without our meta table") {
    const auto file = dir / "plain.sqlite3";
    run_sql(file, "CREATE TABLE t(x);");
    CHECK(open_error(file) == "data file " + file.string() + " is not a Steward database: it has no meta table");
  }
  SUBCASE("written by a newer Steward") {
    const auto file = dir / "newer.sqlite3";
    SqliteStore::open(file);
    run_sql(file, "UPDATE meta SET value = '99' WHERE key = 'schema_version';");
    CHECK(open_error(file) == "data file " + file.string() +
                                  " was written by a newer Steward (schema version 99; this server knows up to " +
                                  std::to_string(SqliteStore::kSchemaVersion) + ")");
  }
  SUBCASE("its meta table lost the schema version") {
    const auto file = dir / "nometa.sqlite3";
    SqliteStore::open(file);
    run_sql(file, "DELETE FROM meta;");
    CHECK(open_error(file) == "data file " + file.string() +
                                  " is not a Steward database: its meta table has no schema_version");
  }
  SUBCASE("a folder where the file should be") {
    const auto file = dir / "folder.sqlite3";
    std::filesystem::create_directories(file);
    CHECK(open_error(file).rfind("cannot open data file " + file.string() + ": ", 0) == 0);
  }
}
