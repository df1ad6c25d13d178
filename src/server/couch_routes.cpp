#include "server/couch_routes.hpp"

#include <httplib.h>

#include <functional>
#include <regex>

#include "core/access.hpp"
#include "core/access_log.hpp"
#include "server/audit_log.hpp"
#include "server/auth.hpp"
#include "server/couch_bulk_body.hpp"
#include "server/couch_doc_reads.hpp"
#include "server/couch_doc_writes.hpp"
#include "server/couch_error.hpp"
#include "server/couch_feed.hpp"
#include "server/couch_request.hpp"
#include "server/http_routes.hpp"
#include "server/sqlite_store.hpp"
#include "server/version.hpp"

namespace steward::server::couch {

using nlohmann::json;

namespace {

constexpr const char* kCouchVersion = "3.3.3";  // the CouchDB whose API this follows

// ordered_json where a person may read the answer (curl): CouchDB's member order.
template <typename Json>
std::string dump(const Json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

void check_db_name(const std::string& name) {
  static const std::regex valid("^[a-z][a-z0-9_$()+/-]*$");
  if (name.size() > 238 || !std::regex_match(name, valid)) {
    throw CouchError(400, "illegal_database_name",
                     "Name: '" + name +
                         "'. Only lowercase characters (a-z), digits (0-9), and any of the characters _, $, (, ), "
                         "+, -, and / are allowed. Must begin with a letter.");
  }
}

CouchError method_not_allowed(const std::string& allowed) {
  return {405, "method_not_allowed", "Only " + allowed + " allowed"};
}

std::string join(const std::vector<std::string>& parts, size_t from) {
  std::string out;
  for (size_t i = from; i < parts.size(); ++i) out += (i > from ? "/" : "") + parts[i];
  return out;
}

// A _local document in a _bulk_docs. Replicated (new_edits=false) it simply overwrites what is there.
std::string bulk_put_local(CouchTables& tables, int64_t db, const std::string& id, const json& doc, bool new_edits) {
  std::optional<std::string> rev;
  if (!new_edits) {
    if (auto current = tables.find_local(db, id)) rev = "0-" + std::to_string(current->rev);
  } else if (auto r = doc.find("_rev"); r != doc.end() && r->is_string()) {
    rev = r->get<std::string>();
  }
  return put_local(tables, db, id, doc, rev);
}

// One request against one database: the transactions it runs and the answer it gives.
class Call {
 public:
  Call(SqliteStore& store, ChangeNotifier& notifier, const httplib::Request& req, httplib::Response& res,
       std::string db, const Principal& principal)
      : store_(store), notifier_(notifier), req_(req), res_(res), params_(req), db_(std::move(db)),
        principal_(principal), site_db_(core::parse_database_name(db_)) {}

  const std::string& method() const { return req_.method; }
  bool is_get() const { return req_.method == "GET" || req_.method == "HEAD"; }

  void db_request();
  void changes();
  void bulk_docs();
  void bulk_get();
  void revs_diff();
  void all_docs();
  void ensure_full_commit();
  void revs_limit();
  void local_doc(const std::string& id);
  void doc(const std::string& id);
  void attachment(const std::string& id, const std::string& name);

 private:
  // Reads in one transaction; fn(tables, db) returns the answer's JSON.
  template <typename Fn>
  std::string read(Fn&& fn) {
    std::string out;
    store_.read([&](StoreTransaction& tx) {
      CouchTables tables(tx);
      auto db = tables.find_db(db_);
      if (!db) throw db_not_found();
      out = fn(tables, *db);
    });
    return out;
  }
  // Writes in one transaction (committed before returning), then wakes the longpolls on this database.
  template <typename Fn>
  std::string write(Fn&& fn) {
    std::string out;
    bool changed = false;
    store_.write([&](StoreTransaction& tx) {
      CouchTables tables(tx);
      auto db = tables.find_db(db_);
      if (!db) throw db_not_found();
      DocWriter writer(tables, *db);
      out = fn(tables, *db, writer);
      writer.finish();
      changed = writer.changed();
      for (const auto& [id, log] : writer.access_logs()) append_audit(tx, access_log_entry(id, log));
    });
    if (changed) notifier_.notify(db_);
    return out;
  }
  void reply(int status, const std::string& body) {
    if (status == 200 && is_owners_db()) audit_owner_reads(owner_reads_in(body));
    send_couch_json(res_, status, body);
  }

  bool is_owners_db() const { return site_db_ && site_db_->family == core::RecordFamily::Owners; }
  // The owner files an answer hands out: every document in it (at the depths the read endpoints put them) that
  // is not deleted, a _local document or an access log.
  static std::vector<std::string> owner_reads_in(const std::string& answer);
  void audit_owner_reads(const std::vector<std::string>& what) const {
    audit_owner_reads(store_, principal_.name, site_db_->site, endpoint(), what);
  }
  static void audit_owner_reads(SqliteStore& store, const std::string& who, const std::string& site,
                                const std::string& endpoint, const std::vector<std::string>& what);
  std::string endpoint() const {
    auto path = path_segments(req_);
    return req_.method + " " + (path.size() > 2 && path[2].starts_with("_") ? path[2] : path.size() > 2 ? "document" : "database");
  }
  AuditEntry access_log_entry(const std::string& id, const json& log) const;

  SqliteStore& store_;
  ChangeNotifier& notifier_;
  const httplib::Request& req_;
  httplib::Response& res_;
  Params params_;
  std::string db_;
  const Principal& principal_;
  std::optional<core::SiteDatabase> site_db_;
};

std::vector<std::string> Call::owner_reads_in(const std::string& answer) {
  std::vector<std::string> ids;
  const json parsed = json::parse(answer, nullptr, false);
  // GET: the document, or [{"ok": doc}]; _bulk_get: {"results":[{"docs":[{"ok": doc}]}]}; _all_docs and
  // _changes: {"rows"|"results":[{"doc": doc}]}.
  std::function<void(const json&, int)> visit = [&](const json& j, int depth) {
    if (depth > 6) return;  // _bulk_get's documents are the deepest, at 5
    if (j.is_object()) {
      auto id = j.find("_id");
      if (id != j.end() && id->is_string()) {
        const auto& text = id->get_ref<const std::string&>();
        const bool deleted = j.value("_deleted", false) == true;
        if (!deleted && !text.starts_with("_local/") && !text.starts_with("access_log:")) ids.push_back(text);
        return;
      }
      for (const auto& [key, value] : j.items()) {
        if (value.is_structured()) visit(value, depth + 1);
      }
    } else if (j.is_array()) {
      for (const auto& item : j) visit(item, depth + 1);
    }
  };
  visit(parsed, 0);
  return ids;
}

void Call::audit_owner_reads(SqliteStore& store, const std::string& who, const std::string& site,
                             const std::string& endpoint, const std::vector<std::string>& what) {
  if (what.empty()) return;
  const int64_t at = now_ms();
  store.write([&](StoreTransaction& tx) {
    for (const std::string& id : what) append_audit(tx, {at, who, audit_action::kOwnerFileRead, site, id + " (" + endpoint + ")"});
  });
}

AuditEntry Call::access_log_entry(const std::string& id, const json& body) const {
  json doc = body;
  doc["_id"] = id;
  AuditEntry e;
  const std::string where = " (" + id + " in " + db_ + ", uploaded by " + principal_.name + ")";
  const auto fallback_site = site_db_ ? std::optional<std::string>(site_db_->site) : std::nullopt;
  try {
    const core::AccessLogEntry log = core::access_log_from_json(doc);
    e = {log.at_ms, log.who, log.action, core::valid_site_id(log.site) ? log.site : fallback_site,
         "record " + log.record_id + " on device " + log.device + where};
  } catch (const std::invalid_argument& why) {
    // Stored all the same (it is the tablet's record): the audit says it arrived and what is wrong with it.
    e = {now_ms(), principal_.name, "access_log", fallback_site, std::string("unreadable access log: ") + why.what() + where};
  }
  return e;
}

// --- the database ------------------------------------------------------------------------------------------

void Call::db_request() {
  if (is_get()) {
    return reply(200, read([&](CouchTables&, const DbInfo& db) {
                   return dump(nlohmann::ordered_json{{"db_name", db.name},
                                    {"purge_seq", 0},
                                    {"update_seq", db.update_seq},
                                    {"sizes", {{"file", 0}, {"external", 0}, {"active", 0}}},
                                    {"props", nlohmann::ordered_json::object()},
                                    {"doc_del_count", db.doc_del_count},
                                    {"doc_count", db.doc_count},
                                    {"disk_format_version", 8},
                                    {"compact_running", false},
                                    {"cluster", {{"q", 1}, {"n", 1}, {"w", 1}, {"r", 1}}},
                                    {"instance_start_time", "0"}});
                 }));
  }
  if (method() == "PUT") {
    bool created = false;
    store_.write([&](StoreTransaction& tx) { created = CouchTables(tx).create_db(db_); });
    if (!created) {
      throw CouchError(412, "file_exists", "The database could not be created, the file already exists.");
    }
    return reply(201, R"({"ok":true})");
  }
  if (method() == "DELETE") {
    store_.write([&](StoreTransaction& tx) {
      CouchTables tables(tx);
      auto db = tables.find_db(db_);
      if (!db) throw db_not_found();
      tables.delete_db(db->id);
    });
    notifier_.notify(db_);  // a longpoll on it answers now
    return reply(200, R"({"ok":true})");
  }
  if (method() == "POST") {
    const IncomingDoc doc = IncomingDoc::parse(body_json(req_));
    const std::string id = doc.id.value_or(random_uuid());
    if (id.starts_with("_local/")) return local_doc(id.substr(7));
    check_doc_id(id);
    return reply(201, write([&](CouchTables&, DbInfo&, DocWriter& writer) { return ok_id_rev(id, writer.edit(id, doc)); }));
  }
  throw method_not_allowed("DELETE,GET,HEAD,POST,PUT");
}

// --- documents ---------------------------------------------------------------------------------------------

RenderOptions render_options(const Params& params) {
  RenderOptions r;
  r.revs = params.flag("revs");
  r.conflicts = params.flag("conflicts");
  r.deleted_conflicts = params.flag("deleted_conflicts");
  r.attachments = params.flag("attachments");
  if (params.flag("meta")) r.conflicts = r.deleted_conflicts = true;
  return r;
}

std::vector<std::string> string_list(const json& j, const char* what) {
  if (!j.is_array()) throw bad_request(std::string(what) + " must be a JSON array");
  std::vector<std::string> out;
  for (const auto& item : j) {
    if (!item.is_string()) throw bad_request(std::string(what) + " must hold strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

void Call::doc(const std::string& id) {
  if (is_get()) {
    DocQuery query;
    query.rev = params_.text("rev");
    query.latest = params_.flag("latest");
    query.render = render_options(params_);
    if (auto open = params_.text("open_revs")) {
      if (*open == "all") {
        query.all_open_revs = true;
      } else {
        query.open_revs = string_list(*params_.json("open_revs"), "open_revs");
      }
    }
    return reply(200, read([&](CouchTables& tables, const DbInfo& db) { return get_doc(tables, db, id, query); }));
  }
  if (method() == "PUT") {
    const json body = body_json(req_);
    IncomingDoc doc = IncomingDoc::parse(body);
    if (doc.id && *doc.id != id) throw bad_request("Document id in the body does not match the URL");
    if (auto rev = params_.text("rev")) {
      auto parsed = sync::parse_rev(*rev);
      if (!parsed) throw invalid_rev();
      if (doc.rev && *doc.rev != *parsed) {
        throw bad_request("Document rev from request body and query string have different values");
      }
      doc.rev = parsed;
    }
    const bool new_edits = params_.flag("new_edits", true);
    return reply(201, write([&](CouchTables&, DbInfo&, DocWriter& writer) {
                   if (new_edits) return ok_id_rev(id, writer.edit(id, doc));
                   writer.replicate(id, doc);
                   return ok_id_rev(id, doc.rev ? doc.rev->str() : "");
                 }));
  }
  if (method() == "DELETE") {
    IncomingDoc doc;
    doc.deleted = true;
    std::string rev = params_.text("rev").value_or(req_.get_header_value("If-Match"));
    if (rev.size() >= 2 && rev.front() == '"' && rev.back() == '"') rev = rev.substr(1, rev.size() - 2);
    if (!rev.empty()) {
      doc.rev = sync::parse_rev(rev);
      if (!doc.rev) throw invalid_rev();
    }
    return reply(200, write([&](CouchTables& tables, DbInfo& db, DocWriter& writer) {
                   if (!tables.find_doc(db.id, id)) throw not_found("missing");
                   if (!doc.rev) throw conflict();  // as CouchDB: a delete names the revision it deletes
                   return ok_id_rev(id, writer.edit(id, doc));
                 }));
  }
  throw method_not_allowed("DELETE,GET,HEAD,PUT");
}

void Call::attachment(const std::string& id, const std::string& name) {
  if (!is_get()) throw method_not_allowed("GET,HEAD");
  std::string content_type;
  const std::string bytes = read([&](CouchTables& tables, const DbInfo& db) {
    auto row = tables.find_doc(db.id, id);
    if (!row) throw not_found("missing");
    const std::string rev = params_.text("rev").value_or(row->winner());
    if (!params_.text("rev") && row->deleted) throw not_found("deleted");
    auto body = tables.find_rev(*row, rev);
    if (!body) throw not_found("missing");
    const json stubs = body->attachments ? json::parse(*body->attachments) : json::object();
    auto stub = stubs.find(name);
    if (stub == stubs.end()) throw not_found("Document is missing attachment");
    content_type = stub->value("content_type", "application/octet-stream");
    auto data = tables.attachment(db.id, stub->value("digest", ""));
    if (!data) throw not_found("Document is missing attachment");
    return *data;
  });
  if (is_owners_db() && !id.starts_with("access_log:")) audit_owner_reads({id + ", attachment " + name});
  res_.status = 200;
  res_.set_header("Cache-Control", "no-store");
  res_.set_content(bytes, content_type);
}

void Call::local_doc(const std::string& id) {
  if (id.empty()) throw CouchError(400, "illegal_docid", "Document id must not be empty");
  if (is_get()) {
    return reply(200, read([&](CouchTables& tables, const DbInfo& db) {
                   auto doc = tables.find_local(db.id, id);
                   if (!doc) throw not_found("missing");
                   return render_local(id, *doc);
                 }));
  }
  const std::string full_id = "_local/" + id;
  if (method() == "PUT" || method() == "POST") {
    const json body = body_json(req_);
    std::optional<std::string> rev = params_.text("rev");
    if (!rev && body.is_object() && body.contains("_rev") && body["_rev"].is_string()) rev = body["_rev"].get<std::string>();
    return reply(201, write([&](CouchTables& tables, DbInfo& db, DocWriter&) {
                   return ok_id_rev(full_id, put_local(tables, db.id, id, body, rev));
                 }));
  }
  if (method() == "DELETE") {
    return reply(200, write([&](CouchTables& tables, DbInfo& db, DocWriter&) {
                   return ok_id_rev(full_id, delete_local(tables, db.id, id, params_.text("rev")));
                 }));
  }
  throw method_not_allowed("DELETE,GET,HEAD,PUT");
}

// --- bulk endpoints ----------------------------------------------------------------------------------------

void Call::bulk_docs() {
  if (method() != "POST") throw method_not_allowed("POST");
  // Parsed (and so validated) before the transaction: a malformed document fails the request as a whole.
  const BulkDocsBody body = parse_bulk_docs(req_.body);
  const bool new_edits = body.new_edits;
  const std::vector<BulkDocsItem>& items = body.items;

  reply(201, write([&](CouchTables& tables, DbInfo& db, DocWriter& writer) {
    std::string out = "[";
    auto add = [&](const std::string& item) {
      if (out.size() > 1) out += ',';
      out += item;
    };
    for (const BulkDocsItem& item : items) {
      try {
        if (item.local) {
          add(ok_id_rev(item.id, bulk_put_local(tables, db.id, item.id.substr(7), *item.local, new_edits)));
        } else if (new_edits) {
          add(ok_id_rev(item.id, writer.edit(item.id, item.doc)));
        } else {
          writer.replicate(item.id, item.doc);  // CouchDB lists only failures for new_edits=false
        }
      } catch (const DocError& e) {
        json failure = {{"id", item.id}, {"error", e.error}, {"reason", e.what()}};
        if (!new_edits && item.doc.rev) failure["rev"] = item.doc.rev->str();
        add(dump(failure));
      }
    }
    return out + "]";
  }));
}

void Call::bulk_get() {
  if (method() != "POST") throw method_not_allowed("POST");
  const json body = body_json(req_);
  const RenderOptions render = render_options(params_);
  const bool latest = params_.flag("latest");
  reply(200, read([&](CouchTables& tables, const DbInfo& db) { return couch::bulk_get(tables, db, body, render, latest); }));
}

void Call::revs_diff() {
  if (method() != "POST") throw method_not_allowed("POST");
  const json body = body_json(req_);
  reply(200, read([&](CouchTables& tables, const DbInfo& db) { return couch::revs_diff(tables, db, body); }));
}

void Call::all_docs() {
  AllDocsQuery query;
  if (method() == "POST") {
    const json body = body_json(req_);
    if (!body.is_object()) throw bad_request("Request body must be a JSON object");
    if (body.contains("keys")) query.keys = string_list(body["keys"], "keys");
  } else if (!is_get()) {
    throw method_not_allowed("GET,HEAD,POST");
  }
  if (auto keys = params_.json("keys")) query.keys = string_list(*keys, "keys");
  if (auto key = params_.json("key")) {
    if (!key->is_string()) throw bad_request("key must be a string");
    query.keys = std::vector<std::string>{key->get<std::string>()};
  }
  auto string_param = [&](const char* a, const char* b) -> std::optional<std::string> {
    auto v = params_.json(a);
    if (!v) v = params_.json(b);
    if (!v) return std::nullopt;
    if (!v->is_string()) throw bad_request(std::string(a) + " must be a string");
    return v->get<std::string>();
  };
  query.range.start = string_param("startkey", "start_key");
  query.range.end = string_param("endkey", "end_key");
  query.range.descending = params_.flag("descending");
  query.range.inclusive_end = params_.flag("inclusive_end", true);
  query.range.limit = params_.integer("limit").value_or(-1);
  query.range.skip = std::max<int64_t>(0, params_.integer("skip").value_or(0));
  query.include_docs = params_.flag("include_docs");
  query.update_seq = params_.flag("update_seq");
  query.render = render_options(params_);
  query.render.revs = false;
  reply(200, read([&](CouchTables& tables, const DbInfo& db) { return couch::all_docs(tables, db, query); }));
}

void Call::ensure_full_commit() {
  if (method() != "POST") throw method_not_allowed("POST");
  // Nothing to flush: every write was committed (and synced) before it was answered.
  read([](CouchTables&, const DbInfo&) { return std::string(); });
  reply(201, R"({"ok":true,"instance_start_time":"0"})");
}

void Call::revs_limit() {
  if (is_get()) {
    return reply(200, read([](CouchTables&, const DbInfo& db) { return std::to_string(db.revs_limit); }));
  }
  if (method() != "PUT") throw method_not_allowed("GET,HEAD,PUT");
  const json body = body_json(req_);
  if (!body.is_number_integer() || body.get<int64_t>() < 1) throw bad_request("revs_limit must be a positive integer");
  reply(200, write([&](CouchTables& tables, DbInfo& db, DocWriter&) {
    tables.set_revs_limit(db.id, body.get<int64_t>());
    return std::string(R"({"ok":true})");
  }));
}

void Call::changes() {
  if (!is_get() && method() != "POST") throw method_not_allowed("GET,HEAD,POST");
  FeedRequest feed = parse_feed_request(params_, method() == "POST" ? body_json(req_) : json());
  AnswerObserver on_answer;
  if (is_owners_db() && feed.query.include_docs) {
    // By value: a longpoll answers after this call has returned.
    on_answer = [&store = store_, who = principal_.name, site = site_db_->site, endpoint = endpoint()](const std::string& answer) {
      audit_owner_reads(store, who, site, endpoint, owner_reads_in(answer));
    };
  }
  serve_changes(store_, notifier_, db_, std::move(feed), res_, std::move(on_answer));
}

// What a request to a database needs of the user (couch_routes.hpp says why _local needs Read only).
enum class Need { Read, ReadWrite, ServerAdmin };

Need need_of(const std::vector<std::string>& path, const std::string& method) {
  const bool get = method == "GET" || method == "HEAD";
  if (path.size() == 1) return get ? Need::Read : method == "POST" ? Need::ReadWrite : Need::ServerAdmin;
  const std::string& what = path[1];
  if (path.size() == 2) {
    if (what == "_changes" || what == "_bulk_get" || what == "_revs_diff" || what == "_all_docs" ||
        what == "_ensure_full_commit") {
      return Need::Read;
    }
    if (what == "_bulk_docs") return Need::ReadWrite;
    if (what == "_revs_limit") return get ? Need::Read : Need::ServerAdmin;
  }
  if (what == "_local") return Need::Read;
  return get ? Need::Read : Need::ReadWrite;
}

void authorize(const Principal& principal, const std::vector<std::string>& path, const std::string& method) {
  const Need need = need_of(path, method);
  if (need == Need::ServerAdmin) {
    if (!principal.server_admin()) throw forbidden("Only a server admin may create or delete databases or change their settings.");
    return;
  }
  const core::Access access = principal.access_to(path[0]);
  if (access == core::Access::None) throw forbidden();
  if (need == Need::ReadWrite && access != core::Access::ReadWrite) {
    throw forbidden("You may read this database but not change it.");
  }
}

}  // namespace

// --- the service -------------------------------------------------------------------------------------------

CouchService::CouchService(SqliteStore& store, Authenticator& auth, size_t max_body_bytes)
    : store_(store), auth_(auth), max_body_bytes_(max_body_bytes) {
  store_.read([&](StoreTransaction& tx) {
    Statement q(tx.connection(), "SELECT value FROM meta WHERE key = 'couch_uuid'");
    if (q.step()) uuid_ = q.text(0);
  });
}

namespace {
// Everything under /couch but AccountApi's /couch/_session: httplib tries routes that read their own bodies
// before all others, so these must leave that one alone.
constexpr const char* kBodyReadingPaths = R"(/couch(?!/_session/?$)(/.*)?)";
}  // namespace

bool inflates_gzip_within_limit(const httplib::Request& req) {
  static const std::regex paths(kBodyReadingPaths);
  return (req.method == "POST" || req.method == "PUT") && std::regex_match(req.path, paths);
}

void CouchService::install(httplib::Server& http) {
  const std::string pattern = R"(/couch(/.*)?)";
  auto handler = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); };
  // Bodies are read here rather than by httplib, so that a gzip body (what a tablet sends over a slow uplink, as
  // CouchDB accepts it) is inflated only up to the limit: httplib's own reading stops a body at the limit only by
  // its Content-Length, the compressed size.
  auto with_body = [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& content) {
    httplib::Request full = req;
    bool too_large = false;
    const bool read = content([&](const char* data, size_t size) {
      too_large = full.body.size() + size > max_body_bytes_;
      if (!too_large) full.body.append(data, size);
      return !too_large;
    });
    if (!read) {
      res.set_header("Connection", "close");  // the rest of the body is still on the connection, unread
      send_couch_error(res, too_large || res.status == 413
                                ? CouchError(413, "too_large", "the request body is larger than this server accepts")
                                : bad_request("the request body could not be read (a broken gzip stream, or cut short)"));
      return;
    }
    handle(full, res);
  };
  http.Get(pattern, handler);
  http.Put(kBodyReadingPaths, with_body);
  http.Post(kBodyReadingPaths, with_body);
  // What those leave out (/couch/_session) is answered as before: a POST by AccountApi, a PUT here.
  http.Put(pattern, handler);
  http.Post(pattern, handler);
  http.Delete(pattern, handler);
}

void CouchService::handle(const httplib::Request& req, httplib::Response& res) {
  try {
    std::vector<std::string> path = path_segments(req);
    path.erase(path.begin());  // "couch"
    const bool get = req.method == "GET" || req.method == "HEAD";

    if (path.empty()) {
      if (!get) throw method_not_allowed("GET,HEAD");
      return send_couch_json(res, 200, dump(nlohmann::ordered_json{{"couchdb", "Welcome"},
                                                 {"version", kCouchVersion},
                                                 {"vendor", {{"name", "Steward"}, {"version", kVersion}}},
                                                 {"uuid", uuid_},
                                                 {"features", nlohmann::ordered_json::array()}}));
    }
    if (path.size() == 1 && path[0] == "_up") return send_couch_json(res, 200, R"({"status":"ok"})");

    const Principal principal = auth_.require(req, res);
    if (path.size() == 1 && path[0] == "_all_dbs") {
      if (!get) throw method_not_allowed("GET,HEAD");
      std::vector<std::string> names;
      store_.read([&](StoreTransaction& tx) { names = CouchTables(tx).db_names(); });
      std::erase_if(names, [&](const std::string& db) { return principal.access_to(db) == core::Access::None; });
      return send_couch_json(res, 200, dump(json(names)));
    }
    if (path.size() == 1 && path[0] == "_uuids") {
      const int64_t count = std::clamp<int64_t>(Params(req).integer("count").value_or(1), 1, 1000);
      json uuids = json::array();
      for (int64_t i = 0; i < count; ++i) uuids.push_back(random_uuid());
      return send_couch_json(res, 200, dump(json{{"uuids", uuids}}));
    }

    check_db_name(path[0]);
    authorize(principal, path, req.method);
    Call call(store_, notifier_, req, res, path[0], principal);
    if (path.size() == 1) return call.db_request();

    const std::string& what = path[1];
    if (path.size() == 2) {
      if (what == "_changes") return call.changes();
      if (what == "_bulk_docs") return call.bulk_docs();
      if (what == "_bulk_get") return call.bulk_get();
      if (what == "_revs_diff") return call.revs_diff();
      if (what == "_all_docs") return call.all_docs();
      if (what == "_ensure_full_commit") return call.ensure_full_commit();
      if (what == "_revs_limit") return call.revs_limit();
    }
    if (what == "_local") return call.local_doc(join(path, 2));
    if (what == "_design") {
      if (path.size() < 3 || path[2].empty()) throw CouchError(400, "illegal_docid", "Document id must not be empty");
      const std::string id = "_design/" + path[2];
      return path.size() == 3 ? call.doc(id) : call.attachment(id, join(path, 3));
    }
    check_doc_id(what);
    return path.size() == 2 ? call.doc(what) : call.attachment(what, join(path, 2));
  } catch (const CouchError& e) {
    send_couch_error(res, e);
  } catch (const json::exception& e) {
    // A member of the client's JSON with the wrong type (e.g. "new_edits": "yes") met a typed read.
    send_couch_json(res, 400, error_json("bad_request", e.what()));
  }
}

}  // namespace steward::server::couch
