// The CouchDB replication API of the real steward-server binary (/couch/...), over loopback: each endpoint's
// answers and errors, conflicts and winners, the changes feed and longpoll, _local documents, attachments,
// atomic requests under kill -9, and ingest/read speed.
#include <doctest/doctest.h>

#include <openssl/evp.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <random>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "sync/gzip.hpp"
#include "test_fixtures.hpp"

using namespace steward::server::testing;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

struct Reply {
  int status = 0;
  json body;
  std::string raw;
  std::string content_type;
};

// A small CouchDB client over httplib: every answer parsed as JSON (which every answer of this API is).
class Couch {
 public:
  // As the demo server admin, who reaches every database, unless another demo account (or "" for none) is named.
  explicit Couch(int port, const std::string& user = "admin") : client_(make_client(port, user)) {
    client_.set_read_timeout(30);
  }

  Reply get(const std::string& path) { return wrap(client_.Get(path.c_str())); }
  Reply put(const std::string& path, const json& body = json::object()) {
    return wrap(client_.Put(path.c_str(), body.dump(), "application/json"));
  }
  Reply put_raw(const std::string& path, const std::string& body) {
    return wrap(client_.Put(path.c_str(), body, "application/json"));
  }
  Reply post(const std::string& path, const json& body) {
    return wrap(client_.Post(path.c_str(), body.dump(), "application/json"));
  }
  Reply post_raw(const std::string& path, const std::string& body) {
    return wrap(client_.Post(path.c_str(), body, "application/json"));
  }
  Reply del(const std::string& path) { return wrap(client_.Delete(path.c_str())); }
  httplib::Client& client() { return client_; }

 private:
  static Reply wrap(const httplib::Result& res) {
    REQUIRE(res);
    Reply r;
    r.status = res->status;
    r.raw = res->body;
    r.content_type = res->get_header_value("Content-Type");
    r.body = json::parse(res->body, nullptr, false);
    return r;
  }
  httplib::Client client_;
};

void check_error(const Reply& r, int status, const std::string& error, const std::string& reason = "") {
  CAPTURE(r.raw);
  CHECK(r.status == status);
  CHECK(r.content_type == "application/json; charset=utf-8");  // the charset keeps httplib from brotli-compressing
  CHECK(r.body["error"] == error);
  if (!reason.empty()) CHECK(r.body["reason"] == reason);
}

std::string hex32(char c) { return std::string(32, c); }

// prefix + n (appended, not "lit" + std::to_string(n): GCC 12 warns wrongly about that, -Wrestrict).
std::string numbered(const char* prefix, int n) {
  std::string out = prefix;
  out += std::to_string(n);
  return out;
}

std::string md5_base64(const std::string& bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_md5(), nullptr);
  std::string out(4 * ((len + 2) / 3) + 1, '\0');
  out.resize(size_t(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), md, int(len))));
  return out;
}

// A server over a data folder that outlives it: for restarts and kills.
struct PersistentServer {
  WebApp app;
  TempDir data;
  std::unique_ptr<ServerProcess> process;

  PersistentServer() { start(); }
  void start() {
    process = std::make_unique<ServerProcess>(
        std::vector<std::string>{"--port", "0", "--data", (data.path() / "data").string(), "--web", app.web().string()});
  }
  int port() const { return process->port(); }
};

const std::string kDb = "/couch/demo-visits";

// CPU seconds (user + system) a process has used so far: a measure of the server's work that a busy machine
// disturbs much less than wall time.
double cpu_seconds(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));  // after "pid (comm) "
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; fields >> field; ++i) {  // field 3 is the state
    if (i == 14) utime = std::stod(field);
    if (i == 15) {
      stime = std::stod(field);
      break;
    }
  }
  return (utime + stime) / double(::sysconf(_SC_CLK_TCK));
}

}  // namespace

TEST_CASE("couch: the root, database info, creation, deletion and name rules") {
  RunningServer server;
  Couch couch(server.process->port());

  auto welcome = couch.get("/couch/");
  CHECK(welcome.status == 200);
  CHECK(welcome.body["couchdb"] == "Welcome");
  CHECK(welcome.body["version"] == "3.3.3");
  CHECK(welcome.body["vendor"]["name"] == "Steward");
  CHECK(welcome.body["uuid"].get<std::string>().size() == 32);
  CHECK(welcome.body["features"] == json::array());
  CHECK(couch.get("/couch").body["uuid"] == welcome.body["uuid"]);

  // The seeded database of the demo site.
  auto info = couch.get(kDb);
  CHECK(info.status == 200);
  CHECK(info.body["db_name"] == "demo-visits");
  CHECK(info.body["update_seq"] == 0);
  CHECK(info.body["doc_count"] == 0);
  CHECK(info.body["doc_del_count"] == 0);
  CHECK(info.body["instance_start_time"] == "0");

  check_error(couch.get("/couch/nothing-here"), 404, "not_found", "Database does not exist.");
  check_error(couch.get("/couch/nothing-here/_changes"), 404, "not_found", "Database does not exist.");
  check_error(couch.put("/couch/nothing-here/doc", {{"a", 1}}), 404, "not_found", "Database does not exist.");

  auto created = couch.put("/couch/tablets_1$(a)+b-c");
  CHECK(created.status == 201);
  CHECK(created.body == json{{"ok", true}});
  check_error(couch.put("/couch/tablets_1$(a)+b-c"), 412, "file_exists");
  CHECK(couch.put("/couch/a%2Fb").status == 201);  // an encoded "/" is part of the name, as in CouchDB
  CHECK(couch.get("/couch/a%2Fb").body["db_name"] == "a/b");

  for (const char* bad : {"/couch/Upper", "/couch/1abc", "/couch/_underscore", "/couch/sp%20ace", "/couch/semi;colon"}) {
    CAPTURE(bad);
    check_error(couch.put(bad), 400, "illegal_database_name");
  }

  auto all = couch.get("/couch/_all_dbs");
  CHECK(all.body == json::array({"a/b", "demo-ops", "demo-owners", "demo-visits", "tablets_1$(a)+b-c"}));

  CHECK(couch.put("/couch/doomed").status == 201);
  CHECK(couch.put("/couch/doomed/d1", {{"x", 1}}).status == 201);
  CHECK(couch.del("/couch/doomed").body == json{{"ok", true}});
  check_error(couch.get("/couch/doomed"), 404, "not_found");
  check_error(couch.del("/couch/doomed"), 404, "not_found");
  CHECK(couch.put("/couch/doomed").status == 201);  // created again: empty
  CHECK(couch.get("/couch/doomed").body["doc_count"] == 0);
  check_error(couch.get("/couch/doomed/d1"), 404, "not_found", "missing");

  auto uuids = couch.get("/couch/_uuids?count=3");
  CHECK(uuids.body["uuids"].size() == 3);
  check_error(couch.post("/couch/", json::object()), 405, "method_not_allowed");
}

TEST_CASE("couch: the server's uuid survives a restart (replicators name their checkpoints after it)") {
  PersistentServer server;
  const auto uuid = Couch(server.port()).get("/couch/").body["uuid"];
  server.process->stop();
  server.start();
  CHECK(Couch(server.port()).get("/couch/").body["uuid"] == uuid);
}

TEST_CASE("couch: documents: create, read, update, conflict, delete") {
  RunningServer server;
  Couch couch(server.process->port());

  auto created = couch.put(kDb + "/visit:1", {{"plate", "A1"}, {"party", 2}});
  CHECK(created.status == 201);
  CHECK(created.body["ok"] == true);
  CHECK(created.body["id"] == "visit:1");
  const std::string rev1 = created.body["rev"];
  CHECK(rev1.rfind("1-", 0) == 0);

  auto doc = couch.get(kDb + "/visit:1");
  CHECK(doc.status == 200);
  CHECK(doc.body == json{{"_id", "visit:1"}, {"_rev", rev1}, {"plate", "A1"}, {"party", 2}});

  auto updated = couch.put(kDb + "/visit:1", {{"_rev", rev1}, {"plate", "A1"}, {"party", 3}});
  CHECK(updated.status == 201);
  const std::string rev2 = updated.body["rev"];
  CHECK(rev2.rfind("2-", 0) == 0);

  // Editing an old revision, or creating over a live document, is a conflict.
  check_error(couch.put(kDb + "/visit:1", {{"_rev", rev1}, {"party", 9}}), 409, "conflict", "Document update conflict.");
  check_error(couch.put(kDb + "/visit:1", {{"party", 9}}), 409, "conflict");
  check_error(couch.put(kDb + "/visit:1?rev=" + rev1, {{"party", 9}}), 409, "conflict");
  check_error(couch.put(kDb + "/never?rev=" + rev1, {{"party", 9}}), 409, "conflict");
  check_error(couch.put(kDb + "/visit:1?rev=" + rev2, {{"_rev", rev1}}), 400, "bad_request");

  // ?rev= reads a revision; a non-leaf one is gone (only leaves keep their bodies).
  CHECK(couch.get(kDb + "/visit:1?rev=" + rev2).body["party"] == 3);
  check_error(couch.get(kDb + "/visit:1?rev=" + rev1), 404, "not_found", "missing");
  check_error(couch.get(kDb + "/visit:1?rev=" + hex32('1')), 400, "bad_request", "Invalid rev format");
  check_error(couch.get(kDb + "/visit:1?rev=3-abc-def"), 400, "bad_request", "Invalid rev format");
  check_error(couch.put(kDb + "/visit:1", {{"_rev", "bogus"}}), 400, "bad_request", "Invalid rev format");
  check_error(couch.get(kDb + "/nobody"), 404, "not_found", "missing");

  // Delete: a tombstone; reading answers "deleted"; the id can be used again (continuing the tombstone).
  check_error(couch.del(kDb + "/visit:1?rev=" + rev1), 409, "conflict");
  check_error(couch.del(kDb + "/visit:1"), 409, "conflict");
  check_error(couch.del(kDb + "/nobody?rev=" + rev1), 404, "not_found", "missing");
  auto deleted = couch.del(kDb + "/visit:1?rev=" + rev2);
  CHECK(deleted.status == 200);
  const std::string rev3 = deleted.body["rev"];
  CHECK(rev3.rfind("3-", 0) == 0);
  check_error(couch.get(kDb + "/visit:1"), 404, "not_found", "deleted");
  CHECK(couch.get(kDb + "/visit:1?rev=" + rev3).body == json{{"_id", "visit:1"}, {"_rev", rev3}, {"_deleted", true}});
  auto info = couch.get(kDb).body;
  CHECK(info["doc_count"] == 0);
  CHECK(info["doc_del_count"] == 1);
  auto again = couch.put(kDb + "/visit:1", {{"plate", "B2"}});
  CHECK(again.status == 201);
  CHECK(again.body["rev"].get<std::string>().rfind("4-", 0) == 0);
  CHECK(couch.get(kDb).body["doc_count"] == 1);

  // POST /db makes an id; design documents are allowed; other _ids are not.
  auto posted = couch.post(kDb, {{"kind", "note"}});
  CHECK(posted.status == 201);
  CHECK(posted.body["id"].get<std::string>().size() == 32);
  CHECK(couch.get(kDb + "/" + posted.body["id"].get<std::string>()).body["kind"] == "note");
  CHECK(couch.put(kDb + "/_design/app", {{"language", "javascript"}}).status == 201);
  CHECK(couch.get(kDb + "/_design/app").body["_id"] == "_design/app");
  check_error(couch.put(kDb + "/_secret", {{"a", 1}}), 400, "illegal_docid");
  check_error(couch.put(kDb + "/doc", {{"_unknown", 1}}), 400, "doc_validation");

  // An id with a "/" travels encoded.
  CHECK(couch.put(kDb + "/a%2Fb", {{"v", 1}}).status == 201);
  CHECK(couch.get(kDb + "/a%2Fb").body["_id"] == "a/b");

  // Malformed bodies.
  check_error(couch.put_raw(kDb + "/x", "{not json"), 400, "bad_request", "invalid UTF-8 JSON");
  check_error(couch.put_raw(kDb + "/x", "[1,2]"), 400, "bad_request");
  check_error(couch.post_raw(kDb + "/_bulk_docs", "{\"docs\": "), 400, "bad_request", "invalid UTF-8 JSON");
  // Nested past any real document: refused before it is parsed (serializing it would overflow the stack; the
  // fuzz target found that), while a deep but sane document is fine.
  const std::string deep = "{\"a\":" + std::string(200000, '[') + std::string(200000, ']') + "}";
  check_error(couch.put_raw(kDb + "/deep", deep), 400, "bad_request", "JSON nested deeper than 100 levels");
  const std::string fine = "{\"a\":" + std::string(90, '[') + std::string(90, ']') + "}";
  CHECK(couch.put_raw(kDb + "/fine", fine).status == 201);
  check_error(couch.get(kDb + "/_all_docs?keys=" + std::string(500, '[')), 400, "bad_request");
  CHECK(couch.get(kDb).status == 200);  // and the server is still there
}

TEST_CASE("couch: _bulk_docs with new edits reports each document's outcome") {
  RunningServer server;
  Couch couch(server.process->port());
  const std::string rev = couch.put(kDb + "/taken", {{"v", 1}}).body["rev"];

  auto res = couch.post(kDb + "/_bulk_docs", {{"docs", json::array({json{{"_id", "new"}, {"v", 1}},
                                                                       json{{"_id", "taken"}, {"v", 2}},
                                                                       json{{"_id", "taken"}, {"_rev", rev}, {"v", 3}},
                                                                       json{{"v", 4}},
                                                                       json{{"_id", "new"}, {"v", 5}}})}});
  CHECK(res.status == 201);
  REQUIRE(res.body.size() == 5);
  CHECK(res.body[0]["ok"] == true);
  CHECK(res.body[0]["id"] == "new");
  CHECK(res.body[1] == json{{"id", "taken"}, {"error", "conflict"}, {"reason", "Document update conflict."}});
  CHECK(res.body[2]["ok"] == true);
  CHECK(res.body[2]["rev"].get<std::string>().rfind("2-", 0) == 0);
  CHECK(res.body[3]["id"].get<std::string>().size() == 32);
  CHECK(res.body[4]["error"] == "conflict");  // the first "new" of this same request came before it
  CHECK(couch.get(kDb + "/taken").body["v"] == 3);
  CHECK(couch.get(kDb).body["doc_count"] == 3);
  // A refused document takes no seq: the put, then the three written here.
  CHECK(couch.get(kDb).body["update_seq"] == 4);
  CHECK(couch.get(kDb + "/_changes").body["results"].size() == 3);

  // A malformed document fails the whole request, and nothing of it is written.
  check_error(couch.post(kDb + "/_bulk_docs", {{"docs", json::array({json{{"_id", "ok1"}}, json{{"_id", "bad"}, {"_rev", "x"}}})}}),
              400, "bad_request", "Invalid rev format");
  check_error(couch.post(kDb + "/_bulk_docs", {{"docs", json::array({json{{"_id", "ok1"}}, 5})}}), 400, "bad_request");
  check_error(couch.post(kDb + "/_bulk_docs", {{"documents", json::array()}}), 400, "bad_request");
  check_error(couch.post(kDb + "/_bulk_docs", {{"docs", json::array()}, {"new_edits", "no"}}), 400, "bad_request");
  check_error(couch.get(kDb + "/ok1"), 404, "not_found");
  // The same in a body of 200, the malformed one near its end: none of the 199 before it is written.
  json many = json::array();
  for (int i = 0; i < 200; ++i) many.push_back(json{{"_id", "many" + std::to_string(i)}, {"v", i}});
  many[198] = json{{"_id", "many198"}, {"_rev", "x"}};
  check_error(couch.post(kDb + "/_bulk_docs", {{"docs", many}}), 400, "bad_request", "Invalid rev format");
  check_error(couch.get(kDb + "/many0"), 404, "not_found");
  CHECK(couch.get(kDb).body["update_seq"] == 4);
  many[198] = json{{"_id", "many198"}, {"v", 198}};
  CHECK(couch.post(kDb + "/_bulk_docs", {{"docs", many}}).status == 201);
  CHECK(couch.get(kDb + "/many199").body["v"] == 199);
  CHECK(couch.get(kDb).body["update_seq"] == 204);
}

TEST_CASE("couch: replicated revisions (new_edits=false) make conflicts with CouchDB's winner") {
  RunningServer server;
  Couch couch(server.process->port());
  const std::string a = hex32('a'), b = hex32('b'), c = hex32('c'), d = hex32('d'), e = hex32('e');

  // 1-a -> 2-b on one side, 1-a -> 2-c -> 3-d on another (the longer branch wins), and 2-e deleted.
  auto res = couch.post(kDb + "/_bulk_docs",
                        {{"new_edits", false},
                         {"docs", json::array({
                                      json{{"_id", "doc"}, {"_rev", "2-" + b}, {"_revisions", {{"start", 2}, {"ids", {b, a}}}}, {"side", "b"}},
                                      json{{"_id", "doc"}, {"_rev", "3-" + d}, {"_revisions", {{"start", 3}, {"ids", {d, c, a}}}}, {"side", "d"}},
                                      json{{"_id", "doc"}, {"_rev", "2-" + e}, {"_revisions", {{"start", 2}, {"ids", {e, a}}}}, {"_deleted", true}},
                                  })}});
  CHECK(res.status == 201);
  CHECK(res.body == json::array());  // as CouchDB: only failures are listed with new_edits=false

  auto doc = couch.get(kDb + "/doc?conflicts=true&deleted_conflicts=true&revs=true");
  CHECK(doc.body["_rev"] == "3-" + d);
  CHECK(doc.body["side"] == "d");
  CHECK(doc.body["_conflicts"] == json::array({"2-" + b}));
  CHECK(doc.body["_deleted_conflicts"] == json::array({"2-" + e}));
  CHECK(doc.body["_revisions"] == json{{"start", 3}, {"ids", {d, c, a}}});

  // open_revs=all: every leaf (deleted included); a list: each asked revision or "missing".
  auto all = couch.get(kDb + "/doc?open_revs=all&revs=true");
  REQUIRE(all.body.is_array());
  std::set<std::string> leaves;
  for (const auto& entry : all.body) leaves.insert(entry["ok"]["_rev"].get<std::string>());
  CHECK(leaves == std::set<std::string>{"2-" + b, "3-" + d, "2-" + e});
  auto some = couch.get(kDb + "/doc?open_revs=" + httplib::detail::encode_query_param(json::array({"2-" + b, "9-" + a}).dump()));
  REQUIRE(some.body.size() == 2);
  CHECK(some.body[0]["ok"]["side"] == "b");
  CHECK(some.body[1] == json{{"missing", "9-" + a}});
  // latest=true: an inner revision stands for its leaves.
  auto latest = couch.get(kDb + "/doc?latest=true&open_revs=" + httplib::detail::encode_query_param(json::array({"2-" + c}).dump()));
  REQUIRE(latest.body.size() == 1);
  CHECK(latest.body[0]["ok"]["_rev"] == "3-" + d);
  check_error(couch.get(kDb + "/doc?open_revs=nonsense"), 400, "bad_request");

  // Sending a known path again changes nothing (no new seq).
  const auto seq = couch.get(kDb).body["update_seq"];
  couch.post(kDb + "/_bulk_docs", {{"new_edits", false},
                                   {"docs", json::array({json{{"_id", "doc"}, {"_rev", "2-" + b}, {"_revisions", {{"start", 2}, {"ids", {b, a}}}}}})}});
  CHECK(couch.get(kDb).body["update_seq"] == seq);

  // Deleting the winner makes the other live leaf win.
  auto del = couch.del(kDb + "/doc?rev=3-" + d);
  CHECK(del.status == 200);
  CHECK(couch.get(kDb + "/doc").body["_rev"] == "2-" + b);

  // new_edits=false without _rev, or with _revisions that do not match, fails the request.
  check_error(couch.post(kDb + "/_bulk_docs", {{"new_edits", false}, {"docs", json::array({json{{"_id", "x"}}})}}), 400, "bad_request");
  check_error(couch.post(kDb + "/_bulk_docs", {{"new_edits", false},
                                               {"docs", json::array({json{{"_id", "x"}, {"_rev", "2-" + b}, {"_revisions", {{"start", 2}, {"ids", {c, a}}}}}})}}),
              400, "bad_request");
  // PUT ?new_edits=false does the same for one document.
  auto put = couch.put(kDb + "/single?new_edits=false", {{"_rev", "1-" + a}, {"v", 1}});
  CHECK(put.status == 201);
  CHECK(couch.get(kDb + "/single").body["_rev"] == "1-" + a);
}

TEST_CASE("couch: the winner is the same whichever order the branches arrive in") {
  RunningServer server;
  Couch couch(server.process->port());
  const std::string a = hex32('a'), b = hex32('b'), c = hex32('c');
  const json left = {{"_id", "x"}, {"_rev", "2-" + b}, {"_revisions", {{"start", 2}, {"ids", {b, a}}}}, {"v", "b"}};
  const json right = {{"_id", "x"}, {"_rev", "2-" + c}, {"_revisions", {{"start", 2}, {"ids", {c, a}}}}, {"v", "c"}};
  CHECK(couch.put("/couch/one").status == 201);
  CHECK(couch.put("/couch/two").status == 201);
  couch.post("/couch/one/_bulk_docs", {{"new_edits", false}, {"docs", {left, right}}});
  couch.post("/couch/two/_bulk_docs", {{"new_edits", false}, {"docs", {right}}});
  couch.post("/couch/two/_bulk_docs", {{"new_edits", false}, {"docs", {left}}});
  for (const char* db : {"/couch/one/x?conflicts=true", "/couch/two/x?conflicts=true"}) {
    auto doc = couch.get(db).body;
    CHECK(doc["_rev"] == "2-" + c);  // same generation: the greater hash
    CHECK(doc["_conflicts"] == json::array({"2-" + b}));
  }
}

TEST_CASE("couch: _revs_diff and _bulk_get") {
  RunningServer server;
  Couch couch(server.process->port());
  const std::string a = hex32('a'), b = hex32('b'), c = hex32('c');
  couch.post(kDb + "/_bulk_docs", {{"new_edits", false},
                                   {"docs", json::array({json{{"_id", "d1"}, {"_rev", "2-" + b}, {"_revisions", {{"start", 2}, {"ids", {b, a}}}}, {"v", 2}}})}});

  auto diff = couch.post(kDb + "/_revs_diff", {{"d1", {"1-" + a, "2-" + b, "3-" + c}}, {"d2", {"1-" + a}}});
  CHECK(diff.status == 200);
  CHECK(diff.body == json{{"d1", {{"missing", {"3-" + c}}, {"possible_ancestors", {"2-" + b}}}}, {"d2", {{"missing", {"1-" + a}}}}});
  CHECK(couch.post(kDb + "/_revs_diff", {{"d1", {"2-" + b}}}).body == json::object());
  check_error(couch.post(kDb + "/_revs_diff", json::array()), 400, "bad_request");

  auto got = couch.post(kDb + "/_bulk_get?revs=true",
                        {{"docs", json::array({json{{"id", "d1"}, {"rev", "2-" + b}}, json{{"id", "d1"}, {"rev", "1-" + a}},
                                               json{{"id", "nope"}}, json{{"id", "d1"}}})}});
  CHECK(got.status == 200);
  const json& results = got.body["results"];
  REQUIRE(results.size() == 4);
  CHECK(results[0]["id"] == "d1");
  CHECK(results[0]["docs"][0]["ok"] ==
        json{{"_id", "d1"}, {"_rev", "2-" + b}, {"v", 2}, {"_revisions", {{"start", 2}, {"ids", {b, a}}}}});
  CHECK(results[1]["docs"][0]["error"] == json{{"id", "d1"}, {"rev", "1-" + a}, {"error", "not_found"}, {"reason", "missing"}});
  CHECK(results[2]["docs"][0]["error"]["error"] == "not_found");
  CHECK(results[3]["docs"][0]["ok"]["_rev"] == "2-" + b);
  check_error(couch.post(kDb + "/_bulk_get", {{"docs", 1}}), 400, "bad_request");
}

TEST_CASE("couch: the changes feed: once per document at its latest seq, tombstones, styles, limits, filters") {
  RunningServer server;
  Couch couch(server.process->port());
  const std::string a = hex32('a'), b = hex32('b');
  std::map<std::string, std::string> revs;
  for (const char* id : {"p", "q", "r"}) revs[id] = couch.put(kDb + "/" + id, {{"n", id}}).body["rev"];
  revs["p"] = couch.put(kDb + "/p", {{"_rev", revs["p"]}, {"n", "p2"}}).body["rev"];  // p moves to the end
  revs["q"] = couch.del(kDb + "/q?rev=" + revs["q"]).body["rev"];
  couch.post(kDb + "/_bulk_docs", {{"new_edits", false},
                                   {"docs", json::array({json{{"_id", "r"}, {"_rev", "1-" + b}, {"v", 1}}})}});

  auto feed = couch.get(kDb + "/_changes").body;
  REQUIRE(feed["results"].size() == 3);
  CHECK(feed["results"][0] == json{{"seq", 4}, {"id", "p"}, {"changes", {{{"rev", revs["p"]}}}}});
  CHECK(feed["results"][1] == json{{"seq", 5}, {"id", "q"}, {"changes", {{{"rev", revs["q"]}}}}, {"deleted", true}});
  CHECK(feed["results"][2]["seq"] == 6);
  CHECK(feed["results"][2]["changes"].size() == 1);  // main_only: the winner
  CHECK(feed["last_seq"] == 6);
  CHECK(feed["pending"] == 0);

  auto all = couch.get(kDb + "/_changes?style=all_docs&since=5").body;
  REQUIRE(all["results"].size() == 1);
  CHECK(all["results"][0]["changes"].size() == 2);
  const std::string winner = std::max(revs["r"], "1-" + b);
  CHECK(all["results"][0]["changes"][0]["rev"] == winner);

  auto docs = couch.get(kDb + "/_changes?include_docs=true&since=3").body;
  CHECK(docs["results"][0]["doc"] == json{{"_id", "p"}, {"_rev", revs["p"]}, {"n", "p2"}});
  CHECK(docs["results"][1]["doc"] == json{{"_id", "q"}, {"_rev", revs["q"]}, {"_deleted", true}});
  auto conflicts = couch.get(kDb + "/_changes?include_docs=true&conflicts=true&since=5").body;
  CHECK(conflicts["results"][0]["doc"]["_conflicts"].size() == 1);

  auto limited = couch.get(kDb + "/_changes?limit=2").body;
  CHECK(limited["results"].size() == 2);
  CHECK(limited["last_seq"] == 5);
  CHECK(limited["pending"] == 1);
  auto rest = couch.get(kDb + "/_changes?since=5").body;
  CHECK(rest["results"].size() == 1);
  CHECK(rest["last_seq"] == 6);
  auto none = couch.get(kDb + "/_changes?since=now").body;
  CHECK(none["results"].empty());
  CHECK(none["last_seq"] == 6);
  auto desc = couch.get(kDb + "/_changes?descending=true&limit=2").body;
  CHECK(desc["results"][0]["seq"] == 6);
  CHECK(desc["results"][1]["seq"] == 5);

  auto by_get = couch.get(kDb + "/_changes?filter=_doc_ids&doc_ids=" + httplib::detail::encode_query_param(R"(["q","zz"])")).body;
  REQUIRE(by_get["results"].size() == 1);
  CHECK(by_get["results"][0]["id"] == "q");
  auto by_post = couch.post(kDb + "/_changes?filter=_doc_ids", {{"doc_ids", {"p", "r"}}}).body;
  REQUIRE(by_post["results"].size() == 2);
  CHECK(by_post["results"][0]["id"] == "p");
  CHECK(by_post["results"][1]["id"] == "r");
  CHECK(by_post["last_seq"] == 6);

  check_error(couch.get(kDb + "/_changes?since=abc"), 400, "bad_request");
  check_error(couch.get(kDb + "/_changes?limit=x"), 400, "query_parse_error");
  check_error(couch.get(kDb + "/_changes?feed=continuous"), 400, "bad_request");
  check_error(couch.get(kDb + "/_changes?filter=app/by_type"), 400, "bad_request");
  check_error(couch.get(kDb + "/_changes?style=weird"), 400, "bad_request");
}

TEST_CASE("couch: longpoll wakes up on a write, times out otherwise, and sends heartbeats") {
  RunningServer server;
  Couch couch(server.process->port());

  SUBCASE("times out with an empty result") {
    const auto start = Clock::now();
    auto res = couch.get(kDb + "/_changes?feed=longpoll&since=now&timeout=400");
    const auto waited = Clock::now() - start;
    CHECK(res.status == 200);
    CHECK(res.body == json{{"results", json::array()}, {"last_seq", 0}, {"pending", 0}});
    CHECK(waited >= std::chrono::milliseconds(350));
    CHECK(waited < std::chrono::milliseconds(3000));
  }
  SUBCASE("answers at once when there are changes already") {
    couch.put(kDb + "/early", {{"v", 1}});
    const auto start = Clock::now();
    auto res = couch.get(kDb + "/_changes?feed=longpoll&since=0&timeout=10000");
    CHECK(res.body["results"].size() == 1);
    CHECK(Clock::now() - start < std::chrono::milliseconds(2000));
  }
  SUBCASE("wakes up when a write commits, not at the timeout") {
    std::atomic<bool> answered{false};
    Reply res;
    Clock::time_point answered_at;
    std::thread waiter([&] {
      Couch c(server.process->port());
      res = c.get(kDb + "/_changes?feed=longpoll&since=0&timeout=20000");
      answered_at = Clock::now();
      answered = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK_FALSE(answered.load());
    // A write to another database does not wake it with anything.
    couch.put("/couch/other");
    couch.put("/couch/other/x", {{"v", 1}});
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK_FALSE(answered.load());
    const auto wrote_at = Clock::now();
    couch.put(kDb + "/late", {{"v", 1}});
    waiter.join();
    CHECK(answered_at - wrote_at < std::chrono::milliseconds(1500));
    REQUIRE(res.body["results"].size() == 1);
    CHECK(res.body["results"][0]["id"] == "late");
    CHECK(res.body["last_seq"] == 1);
  }
  SUBCASE("with filter=_doc_ids it keeps waiting through changes to other documents") {
    std::atomic<bool> answered{false};
    Reply res;
    std::thread waiter([&] {
      Couch c(server.process->port());
      res = c.post(kDb + "/_changes?feed=longpoll&filter=_doc_ids&timeout=20000", {{"doc_ids", {"wanted"}}});
      answered = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    couch.put(kDb + "/unwanted", {{"v", 1}});
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK_FALSE(answered.load());
    couch.put(kDb + "/wanted", {{"v", 1}});
    waiter.join();
    REQUIRE(res.body["results"].size() == 1);
    CHECK(res.body["results"][0]["id"] == "wanted");
  }
  SUBCASE("heartbeat newlines while waiting") {
    std::string raw;
    auto res = couch.client().Get((kDb + "/_changes?feed=longpoll&since=now&timeout=1000&heartbeat=200").c_str(),
                                  httplib::Headers{{"Accept-Encoding", "gzip"}},
                                  [&](const char* data, size_t len) {
                                    raw.append(data, len);
                                    return true;
                                  });
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK_FALSE(res->has_header("Content-Encoding"));
    const size_t newlines = raw.find('{');
    CHECK(newlines >= 3);
    CHECK(raw.substr(0, newlines) == std::string(newlines, '\n'));
    CHECK(json::parse(raw)["results"].empty());
  }
}

TEST_CASE("couch: a stopping server ends a waiting longpoll instead of waiting out its heartbeat feed") {
  RunningServer server;
  std::thread waiter([&] {
    Couch c(server.process->port());
    c.client().set_read_timeout(30);
    c.client().Get((kDb + "/_changes?feed=longpoll&since=now&heartbeat=10000").c_str());
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto start = Clock::now();
  CHECK(server.process->stop(SIGTERM) == 0);
  CHECK(Clock::now() - start < std::chrono::seconds(3));
  waiter.join();
}

TEST_CASE("couch: _local documents") {
  RunningServer server;
  Couch couch(server.process->port());
  auto first = couch.put(kDb + "/_local/checkpoint-1", {{"last_seq", 5}});
  CHECK(first.status == 201);
  CHECK(first.body == json{{"ok", true}, {"id", "_local/checkpoint-1"}, {"rev", "0-1"}});
  CHECK(couch.get(kDb + "/_local/checkpoint-1").body == json{{"_id", "_local/checkpoint-1"}, {"_rev", "0-1"}, {"last_seq", 5}});
  check_error(couch.put(kDb + "/_local/checkpoint-1", {{"last_seq", 6}}), 409, "conflict");
  CHECK(couch.put(kDb + "/_local/checkpoint-1", {{"_rev", "0-1"}, {"last_seq", 6}}).body["rev"] == "0-2");
  CHECK(couch.get(kDb + "/_local/checkpoint-1").body["last_seq"] == 6);
  check_error(couch.get(kDb + "/_local/none"), 404, "not_found", "missing");

  // Not documents of the database: not in the feed, counts or seq.
  auto info = couch.get(kDb).body;
  CHECK(info["update_seq"] == 0);
  CHECK(info["doc_count"] == 0);
  CHECK(couch.get(kDb + "/_changes").body["results"].empty());
  CHECK(couch.get(kDb + "/_all_docs").body["rows"].empty());

  check_error(couch.del(kDb + "/_local/checkpoint-1?rev=0-1"), 409, "conflict");
  CHECK(couch.del(kDb + "/_local/checkpoint-1?rev=0-2").status == 200);
  check_error(couch.get(kDb + "/_local/checkpoint-1"), 404, "not_found");
  check_error(couch.del(kDb + "/_local/checkpoint-1"), 404, "not_found");

  // Through _bulk_docs too.
  auto bulk = couch.post(kDb + "/_bulk_docs", {{"docs", {{{"_id", "_local/x"}, {"v", 1}}}}});
  CHECK(bulk.body[0]["rev"] == "0-1");
  CHECK(couch.get(kDb + "/_local/x").body["v"] == 1);
  auto next = couch.post(kDb + "/_bulk_docs", {{"docs", {{{"_id", "_local/x"}, {"_rev", "0-1"}, {"v", 2}}}}});
  CHECK(next.body[0]["rev"] == "0-2");
  auto stale = couch.post(kDb + "/_bulk_docs", {{"docs", {{{"_id", "_local/x"}, {"_rev", "0-1"}, {"v", 3}}}}});
  CHECK(stale.body[0]["error"] == "conflict");
  CHECK(couch.get(kDb + "/_local/x").body["v"] == 2);
}

TEST_CASE("couch: inline attachments round trip as stubs and data") {
  RunningServer server;
  Couch couch(server.process->port());
  const std::string bytes = std::string("photo\0bytes\xff", 12);
  const std::string data = [&] {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    out.resize(size_t(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()), int(bytes.size()))));
    return out;
  }();
  const std::string digest = "md5-" + md5_base64(bytes);

  auto put = couch.put(kDb + "/with-photo", {{"v", 1}, {"_attachments", {{"p.jpg", {{"content_type", "image/jpeg"}, {"data", data}}}}}});
  CHECK(put.status == 201);
  const std::string rev1 = put.body["rev"];

  auto stubbed = couch.get(kDb + "/with-photo").body;
  CHECK(stubbed["_attachments"]["p.jpg"] ==
        json{{"content_type", "image/jpeg"}, {"digest", digest}, {"length", 12}, {"revpos", 1}, {"stub", true}});
  auto inline_data = couch.get(kDb + "/with-photo?attachments=true").body;
  CHECK(inline_data["_attachments"]["p.jpg"]["data"] == data);
  CHECK(inline_data["_attachments"]["p.jpg"]["digest"] == digest);
  auto raw = couch.client().Get((kDb + "/with-photo/p.jpg").c_str());
  REQUIRE(raw);
  CHECK(raw->body == bytes);
  CHECK(raw->get_header_value("Content-Type") == "image/jpeg");
  check_error(couch.get(kDb + "/with-photo/other.jpg"), 404, "not_found");

  // An edit that keeps the stub keeps the bytes (revpos stays); the old revision's body is dropped.
  auto edited = couch.put(kDb + "/with-photo", {{"_rev", rev1}, {"v", 2}, {"_attachments", {{"p.jpg", {{"stub", true}}}}}});
  CHECK(edited.status == 201);
  auto after = couch.get(kDb + "/with-photo?attachments=true").body;
  CHECK(after["v"] == 2);
  CHECK(after["_attachments"]["p.jpg"]["data"] == data);
  CHECK(after["_attachments"]["p.jpg"]["revpos"] == 1);

  // A replicator sends a later revision with a stub for bytes we hold (by digest), and one we do not.
  const std::string a = hex32('a'), b = hex32('b');
  auto replicated = couch.post(
      kDb + "/_bulk_docs",
      {{"new_edits", false},
       {"docs", json::array({json{{"_id", "copy"}, {"_rev", "1-" + a},
                                  {"_attachments", {{"p.jpg", {{"stub", true}, {"digest", digest}, {"revpos", 1}, {"content_type", "image/jpeg"}, {"length", 12}}}}}},
                             json{{"_id", "lost"}, {"_rev", "1-" + b},
                                  {"_attachments", {{"x.jpg", {{"stub", true}, {"digest", "md5-AAAAAAAAAAAAAAAAAAAAAA=="}, {"revpos", 1}}}}}}})}});
  CHECK(replicated.status == 201);
  REQUIRE(replicated.body.size() == 1);
  CHECK(replicated.body[0]["id"] == "lost");
  CHECK(replicated.body[0]["error"] == "missing_stub");
  CHECK(couch.get(kDb + "/copy?attachments=true").body["_attachments"]["p.jpg"]["data"] == data);
  check_error(couch.get(kDb + "/lost"), 404, "not_found");

  // _bulk_get with attachments=true carries the bytes.
  auto bulk = couch.post(kDb + "/_bulk_get?revs=true&attachments=true", {{"docs", {{{"id", "copy"}}}}}).body;
  CHECK(bulk["results"][0]["docs"][0]["ok"]["_attachments"]["p.jpg"]["data"] == data);

  check_error(couch.put(kDb + "/bad-att", {{"_attachments", {{"x", {{"data", "not base64!"}}}}}}), 400, "bad_request");
  check_error(couch.put(kDb + "/bad-stub", {{"_attachments", {{"x", {{"stub", true}}}}}}), 412, "missing_stub");
}

TEST_CASE("couch: _all_docs with keys, ranges, limits and documents") {
  RunningServer server;
  Couch couch(server.process->port());
  json docs = json::array();
  for (const char* id : {"a", "b", "c", "d", "e"}) docs.push_back({{"_id", id}, {"v", id}});
  couch.post(kDb + "/_bulk_docs", {{"docs", docs}});
  const std::string rev_c = couch.get(kDb + "/c").body["_rev"];
  couch.del(kDb + "/c?rev=" + rev_c);

  auto all = couch.get(kDb + "/_all_docs").body;
  CHECK(all["total_rows"] == 4);
  CHECK(all["offset"] == 0);
  REQUIRE(all["rows"].size() == 4);
  CHECK(all["rows"][0]["id"] == "a");
  CHECK(all["rows"][0]["key"] == "a");
  CHECK(all["rows"][0]["value"]["rev"].is_string());

  auto range = couch.get(kDb + "/_all_docs?startkey=%22b%22&endkey=%22d%22&include_docs=true").body;
  REQUIRE(range["rows"].size() == 2);
  CHECK(range["offset"] == 1);
  CHECK(range["rows"][1]["doc"]["v"] == "d");
  auto exclusive = couch.get(kDb + "/_all_docs?start_key=%22b%22&end_key=%22d%22&inclusive_end=false").body;
  CHECK(exclusive["rows"].size() == 1);
  auto desc = couch.get(kDb + "/_all_docs?descending=true&limit=2&skip=1").body;
  REQUIRE(desc["rows"].size() == 2);
  CHECK(desc["rows"][0]["id"] == "d");

  auto keys = couch.get(kDb + "/_all_docs?include_docs=true&keys=" + httplib::detail::encode_query_param(R"(["e","c","zz"])")).body;
  REQUIRE(keys["rows"].size() == 3);
  CHECK(keys["rows"][0]["doc"]["v"] == "e");
  CHECK(keys["rows"][1]["value"]["deleted"] == true);
  CHECK(keys["rows"][1]["doc"].is_null());
  CHECK(keys["rows"][2] == json{{"key", "zz"}, {"error", "not_found"}});
  auto posted = couch.post(kDb + "/_all_docs", {{"keys", {"a"}}}).body;
  REQUIRE(posted["rows"].size() == 1);
  CHECK(posted["rows"][0]["id"] == "a");
  check_error(couch.get(kDb + "/_all_docs?keys=notjson"), 400, "bad_request");

  auto commit = couch.post(kDb + "/_ensure_full_commit", json::object());
  CHECK(commit.status == 201);
  CHECK(commit.body == json{{"ok", true}, {"instance_start_time", "0"}});
  CHECK(couch.get(kDb + "/_revs_limit").body == 1000);
  CHECK(couch.put(kDb + "/_revs_limit", 3).status == 200);
  CHECK(couch.get(kDb + "/_revs_limit").body == 3);
}

TEST_CASE("couch: revs_limit stems long histories") {
  RunningServer server;
  Couch couch(server.process->port());
  CHECK(couch.put(kDb + "/_revs_limit", 3).status == 200);
  std::string rev = couch.put(kDb + "/long", {{"n", 0}}).body["rev"];
  for (int i = 1; i < 6; ++i) rev = couch.put(kDb + "/long", {{"_rev", rev}, {"n", i}}).body["rev"];
  auto doc = couch.get(kDb + "/long?revs=true").body;
  CHECK(doc["_revisions"]["start"] == 6);
  CHECK(doc["_revisions"]["ids"].size() == 3);
}

// Every request is one transaction: kill -9 at random moments while batches are posted; after each restart
// every acknowledged batch is there in full and no batch is there in part.
TEST_CASE("couch: a _bulk_docs batch is all or nothing across kill -9, and acknowledged batches survive") {
  PersistentServer server;
  constexpr int kKills = 20;
  constexpr int kDocsPerBatch = 40;
  std::mt19937 rng(1234);
  std::set<int> acknowledged;
  int next_batch = 0;

  // A session cookie, as a tablet has: it outlives the restarts (sessions are in the database), where checked
  // Basic credentials would be hashed again after each (half a second, longer than most rounds last).
  auto login = make_client(server.port()).Post("/couch/_session", R"({"name":"admin","password":"steward-demo"})",
                                               "application/json");
  REQUIRE(login);
  REQUIRE(login->status == 200);
  const std::string cookie = login->get_header_value("Set-Cookie").substr(0, login->get_header_value("Set-Cookie").find(';'));

  for (int round = 0; round < kKills; ++round) {
    std::atomic<bool> stop{false};
    std::thread poster([&, port = server.port()] {
      httplib::Client client = make_client(port);
      client.set_default_headers({{"Cookie", cookie}});
      while (!stop) {
        const int batch = next_batch++;
        json docs = json::array();
        for (int i = 0; i < kDocsPerBatch; ++i) {
          docs.push_back({{"_id", numbered("b", batch) + numbered("-", i)}, {"batch", batch}, {"pad", std::string(200, 'x')}});
        }
        auto res = client.Post((kDb + "/_bulk_docs").c_str(), json{{"docs", docs}}.dump(), "application/json");
        if (!res) break;  // killed mid-request: unknown outcome, must be all or nothing
        if (res->status == 201) acknowledged.insert(batch);
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(20, 120)(rng)));
    server.process->stop(SIGKILL);
    stop = true;
    poster.join();
    server.start();
  }

  Couch couch(server.port());
  auto all = couch.get(kDb + "/_all_docs?include_docs=true").body;
  std::map<int, int> per_batch;
  for (const auto& row : all["rows"]) per_batch[row["doc"]["batch"].get<int>()]++;
  for (const auto& [batch, count] : per_batch) {
    CAPTURE(batch);
    CHECK(count == kDocsPerBatch);
  }
  for (int batch : acknowledged) {
    CAPTURE(batch);
    CHECK(per_batch.count(batch) == 1);
  }
  CHECK(acknowledged.size() >= size_t(kKills / 2));  // the loop did real work
  // The counters and the feed agree with the documents.
  auto info = couch.get(kDb).body;
  CHECK(info["doc_count"] == all["rows"].size());
  auto feed = couch.get(kDb + "/_changes").body;
  CHECK(feed["results"].size() == all["rows"].size());
  CHECK(info["update_seq"] == feed["last_seq"]);
  MESSAGE(acknowledged.size() << " batches acknowledged, " << per_batch.size() << " present, over " << kKills << " kills");
}

TEST_CASE("couch: ingest of 1,000-document batches and reading 10,000 changes are fast") {
  RunningServer server;
  Couch couch(server.process->port());
  constexpr int kBatches = 10, kPerBatch = 1000;
  std::vector<std::string> bodies;
  for (int b = 0; b < kBatches; ++b) {
    json docs = json::array();
    for (int i = 0; i < kPerBatch; ++i) {
      docs.push_back({{"_id", "visit:" + std::to_string(b * kPerBatch + i)},
                      {"_rev", "1-" + hex32('a' + char(i % 6))},
                      {"type", "visit"},
                      {"plate", numbered("A", i)},
                      {"party", i % 7},
                      {"note", "regular customer, prefers the window table"}});
    }
    bodies.push_back(json{{"docs", docs}, {"new_edits", false}}.dump());
  }
  const pid_t pid = server.process->pid();
  const double cpu_before = cpu_seconds(pid);
  const auto start = Clock::now();
  for (const auto& body : bodies) REQUIRE(couch.post_raw(kDb + "/_bulk_docs", body).status == 201);
  const double ingest_s = std::chrono::duration<double>(Clock::now() - start).count();
  const double ingest_cpu_s = cpu_seconds(pid) - cpu_before;
  const double docs = kBatches * kPerBatch;

  const auto read_start = Clock::now();
  auto feed = couch.get(kDb + "/_changes?style=all_docs");
  const double read_ms = std::chrono::duration<double, std::milli>(Clock::now() - read_start).count();
  CHECK(feed.body["results"].size() == size_t(docs));

  MESSAGE("ingest (new_edits=false, 1,000 per request): " << int(docs / ingest_s) << " docs/s, "
                                                           << int(docs / std::max(ingest_cpu_s, 0.01))
                                                           << " docs per server CPU second; _changes of 10,000 docs: "
                                                           << int(read_ms) << " ms");
  // Bounds with room for a busy machine (wall time suffers most there); the figures above are what to watch.
  CHECK(docs / std::max(ingest_cpu_s, 0.01) > 20000);
  CHECK(read_ms < 3000);
}

TEST_CASE("CouchDB answers are gzipped when the client accepts gzip (what a pull reads harder), never brotli-compressed") {
  RunningServer server;
  auto client = server.client();
  client.set_decompress(false);
  json docs = json::array();
  for (int i = 0; i < 200; ++i) docs.push_back({{"_id", "visit:" + std::to_string(i)}, {"name", "张伟"}, {"notes", std::string(200, 'x')}});
  auto put = client.Post("/couch/demo-visits/_bulk_docs", json{{"docs", docs}}.dump(), "application/json");
  REQUIRE(put);
  REQUIRE(put->status == 201);

  auto plain = client.Get("/couch/demo-visits/_changes?include_docs=true", httplib::Headers{{"Accept-Encoding", "identity"}});
  auto zipped = client.Get("/couch/demo-visits/_changes?include_docs=true", httplib::Headers{{"Accept-Encoding", "br, gzip"}});
  REQUIRE(plain);
  REQUIRE(zipped);
  CHECK_FALSE(plain->has_header("Content-Encoding"));
  CHECK(zipped->get_header_value("Content-Encoding") == "gzip");
  CHECK(zipped->body.size() < plain->body.size() / 3);
  CHECK(gunzip_bytes(zipped->body) == plain->body);
  // What a pull downloads is compressed harder than the fastest level: fewer bytes over a tablet's slow link.
  CHECK(zipped->body.size() < steward::sync::gzip_compress(plain->body, 1).size());

  // Small answers go as they are.
  auto small = client.Get("/couch/demo-visits", httplib::Headers{{"Accept-Encoding", "br, gzip"}});
  REQUIRE(small);
  CHECK_FALSE(small->has_header("Content-Encoding"));
}
