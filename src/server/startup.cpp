#include "server/startup.hpp"

#include <httplib.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "core/access.hpp"
#include "core/patrol.hpp"
#include "core/site.hpp"
#include "server/account_admin.hpp"
#include "server/account_api.hpp"
#include "server/accounts.hpp"
#include "server/auth.hpp"
#include "server/couch_db.hpp"
#include "server/couch_doc_writes.hpp"
#include "server/couch_documents.hpp"
#include "server/couch_routes.hpp"
#include "server/data_folder.hpp"
#include "server/demo_seed.hpp"
#include "server/http_routes.hpp"
#include "server/log.hpp"
#include "server/passwords.hpp"
#include "server/sqlite_store.hpp"
#include "server/startup_error.hpp"
#include "server/static_files.hpp"
#include "server/stop_signals.hpp"

namespace steward::server {

namespace fs = std::filesystem;

namespace {

// Idle keep-alive connections hold a worker each (up to 5 s), and a browser opens about six per server;
// httplib's default pool (one per core, at least 8) would make a few tablets queue behind each other.
constexpr size_t kWorkerThreads = 32;
constexpr size_t kRequestsPerConnection = 100;

std::string host_for_url(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

std::string lowercase_first(std::string s) {
  if (!s.empty()) s[0] = char(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

// httplib's bind only says "failed". Repeat the bind ourselves to learn why (in use, no such address, ...).
std::string why_cannot_listen(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    return lowercase_first(gai_strerror(rc));
  }
  std::string reason = "unknown error";
  for (addrinfo* ai = found; ai; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
      reason = lowercase_first(std::strerror(errno));
      continue;
    }
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);  // as httplib does
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || ::listen(fd, 1) != 0) {
      reason = lowercase_first(std::strerror(errno));
    }
    ::close(fd);
  }
  freeaddrinfo(found);
  return reason;
}

// The web app folder: --web if given (it must exist), else the WASM build's output next to this binary's
// build folder (build/native/steward-server -> build/wasm/web). Without one the API still works.
std::optional<fs::path> find_web_folder(const ServerOptions& options) {
  std::error_code ec;
  if (options.web_dir) {
    if (!fs::is_directory(*options.web_dir, ec)) {
      throw StartupError("web folder " + options.web_dir->string() + " does not exist or is not a folder");
    }
    return *options.web_dir;
  }
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  const fs::path candidate = (exe.parent_path() / ".." / "wasm" / "web").lexically_normal();
  if (!ec && fs::is_directory(candidate, ec)) return candidate;
  log_line("warning: no web app at " + candidate.string() +
           " (build it, or pass --web DIR); only the API is served");
  return std::nullopt;
}

void seed_demo_site(StoreTransaction& tx) {
  const core::Site demo = core::demo_site();
  nlohmann::json doc = core::to_json(demo);
  const SiteSettings settings;  // the demo keeps the defaults: lock after 5 minutes, visitors kept 30 days
  doc["idle_lock_minutes"] = settings.idle_lock_minutes;
  doc["retention_days"] = settings.retention_days;
  tx.put_site(demo.id, doc.dump());
}

// --no-demo: the migrations made the demo site's (empty) databases for installs that have the demo site.
void seed_without_demo(StoreTransaction& tx) {
  couch::CouchTables tables(tx);
  for (core::RecordFamily family : core::kAllRecordFamilies) {
    if (auto db = tables.find_db(core::database_name(core::demo_site().id, family))) tables.delete_db(db->id);
  }
}

// The demo site's patrol routes in its operations database, written once: a template the database has ever
// held (a supervisor may have edited or deleted it) is left as it is.
void seed_demo_patrol_templates(SqliteStore& store) {
  const std::string db_name = "demo-ops";
  store.write([&](StoreTransaction& tx) {
    couch::CouchTables tables(tx);
    std::optional<couch::DbInfo> db = tables.find_db(db_name);
    if (!db) return;  // removed by hand: not ours to bring back
    couch::DocWriter writer(tables, *db);
    for (const core::PatrolTemplate& t : core::demo_patrol_templates(core::demo_site().id)) {
      if (tables.find_doc(db->id, t.id)) continue;
      writer.edit(t.id, couch::IncomingDoc::parse(core::to_json(t)));
    }
    writer.finish();
  });
}

// OpenSSL's queued errors as one line (they name what failed: "no start line", "key values mismatch", ...).
std::string openssl_errors() {
  std::string out;
  while (unsigned long code = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    out += (out.empty() ? "" : "; ") + std::string(text);
  }
  return out.empty() ? "unknown TLS error" : out;
}

// An HTTPS server with the certificate chain and key, TLS 1.2 and newer only. Throws StartupError naming the file
// and what is wrong with it.
std::unique_ptr<httplib::Server> https_server(const fs::path& cert, const fs::path& key) {
  for (const fs::path& file : {cert, key}) {
    std::FILE* f = std::fopen(file.c_str(), "rb");
    if (!f) throw StartupError("cannot read " + file.string() + ": " + lowercase_first(std::strerror(errno)));
    std::fclose(f);
  }
  std::string problem;
  auto server = std::make_unique<httplib::SSLServer>([&](SSL_CTX& ctx) {
    ERR_clear_error();
    SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    if (SSL_CTX_use_certificate_chain_file(&ctx, cert.c_str()) != 1) {
      problem = "the certificate " + cert.string() + " cannot be used: " + openssl_errors();
    } else if (SSL_CTX_use_PrivateKey_file(&ctx, key.c_str(), SSL_FILETYPE_PEM) != 1) {
      const bool mismatch = ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH;
      problem = mismatch ? "the private key " + key.string() + " does not belong to the certificate " + cert.string()
                         : "the private key " + key.string() + " cannot be used: " + openssl_errors();
    } else if (SSL_CTX_check_private_key(&ctx) != 1) {
      problem = "the private key " + key.string() + " does not belong to the certificate " + cert.string();
    }
    return problem.empty();
  });
  if (!server->is_valid()) throw StartupError(problem.empty() ? "cannot set up TLS: " + openssl_errors() : problem);
  return server;
}

}  // namespace

int run_server(const ServerOptions& options) {
  block_stop_signals();  // before any thread exists, so that every thread inherits it

  init_sodium();
  // First: a certificate that cannot be used stops the start before anything is written. Its listening has
  // ended before the handlers' objects below are destroyed.
  const bool tls = options.tls_cert.has_value();
  std::unique_ptr<httplib::Server> server =
      tls ? https_server(*options.tls_cert, *options.tls_key) : std::make_unique<httplib::Server>();
  httplib::Server& http = *server;

  DataFolder data = DataFolder::open(options.data_dir);
  auto store = SqliteStore::open(data.file("steward.sqlite3"), options.demo ? seed_demo_site : seed_without_demo);
  if (store->journal_mode() != "wal") {
    log_line("warning: SQLite could not use WAL on " + store->file().string() + " (journal mode " +
             store->journal_mode() + ")");
  }
  log_line("data folder " + data.path().string() + ": " + std::to_string(store->site_count()) + " site(s)" +
           (store->created_now() ? (options.demo ? ", new database with the demo site" : ", new database") : ""));

  seed_demo_patrol_templates(*store);
  seed_demo_owner_files(*store);

  AuthSettings auth_settings;
  auth_settings.tls = tls;
  auth_settings.audit_kept = std::chrono::days(options.audit_days);
  if (seed_demo_accounts(*store, auth_settings.cost)) {
    log_line("created the demo accounts host, frontdesk, butler, supervisor and admin (password " +
             std::string(kDemoPassword) + "); disable them before this server faces anyone else");
  }
  size_t users = 0;
  store->read([&](StoreTransaction& tx) { users = AccountTables(tx).user_count(); });
  if (users == 0) {
    log_line("no accounts yet: create a server admin with  steward-server admin --data " + data.path().string() +
             " add-user NAME DISPLAY_NAME  and  ... grant NAME '*' admin");
  }

  StaticFiles files(find_web_folder(options));
  if (files.root()) log_line("web app from " + files.root()->string());

  Authenticator auth(*store, auth_settings);
  if (const int64_t pruned = auth.prune_audit_log()) {
    log_line("removed " + std::to_string(pruned) + " audit entries older than " + std::to_string(options.audit_days) +
             " days");
  }
  AccountAdmin admin(*store, auth_settings.cost);
  AccountApi accounts(*store, auth, admin);
  couch::CouchService couch(*store, auth, options.max_body_bytes);
  http.new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  http.set_payload_max_length(options.max_body_bytes);
  // cpp-httplib writes a response's headers and body in two sends. With Nagle's algorithm the body then waits
  // for the client's delayed ACK of the headers: about 40 ms on every request of a kept-alive connection (a
  // tablet's pull is a chain of such requests).
  http.set_tcp_nodelay(true);
  // httplib closes a kept-alive connection after 5 requests by default. A tablet in a basement then pays a
  // new connection (and over TLS a new handshake) every 5 requests, a round trip or two of 150 ms or more each;
  // a pull is a chain of requests. After 100 a connection still ends, so one busy tablet cannot hold a worker
  // for ever.
  http.set_keep_alive_max_count(kRequestsPerConnection);
  install_routes(http, *store, files, accounts, couch, options.sync_origins, tls);

  int port = options.port;
  const bool bound = port == 0 ? (port = http.bind_to_any_port(options.host)) > 0
                               : http.bind_to_port(options.host, port);
  if (!bound) {
    throw StartupError("cannot listen on " + host_for_url(options.host) + ":" + std::to_string(options.port) + ": " +
                       why_cannot_listen(options.host, options.port));
  }

  // Started after the bind: the signals stay blocked (so pending) until then, and the watcher thread then
  // sees the listening socket fully set up.
  StopSignals signals(http, [&couch] { couch.shutdown(); });

  if (signals.requested()) {  // Ctrl-C while starting: don't announce a server that is about to stop
    log_line("stopped");
    return 0;
  }
  // The one line on stdout: scripts and tests wait for it, and only print it once connections are accepted
  // (the socket listens from bind on; the workers pick connections up as soon as listen_after_bind runs).
  std::printf("Steward is running at %s://%s:%d/\n", tls ? "https" : "http", host_for_url(options.host).c_str(), port);
  std::fflush(stdout);

  if (!http.listen_after_bind() && !signals.requested()) {
    throw StartupError("the server stopped listening unexpectedly");
  }
  log_line("stopped");
  return 0;
}

}  // namespace steward::server
