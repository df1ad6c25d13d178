#include "server/sqlite_store.hpp"

#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <iterator>
#include <mutex>

namespace steward::server {

namespace fs = std::filesystem;

namespace {

// "STWD": marks the file as ours in its header, so `file` and the sqlite3 shell can tell, and so opening some
// other application's database is refused before anything is written to it.
constexpr int32_t kApplicationId = 0x53545744;

// Migration i brings the schema from version i to i + 1. Only ever append.
constexpr const char* kMigrations[] = {
    // 1: the meta table and the site documents.
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE sites(id TEXT PRIMARY KEY, doc TEXT NOT NULL);",

    // 2: CouchDB-shaped databases for replication; couch_db.hpp describes each table. The demo site's visits
    // database ("demo-visits") is created here rather than in the first-start seed so that an existing
    // install gets it too.
    "CREATE TABLE couch_dbs(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    "  update_seq INTEGER NOT NULL DEFAULT 0, doc_count INTEGER NOT NULL DEFAULT 0,"
    "  doc_del_count INTEGER NOT NULL DEFAULT 0, revs_limit INTEGER NOT NULL DEFAULT 1000);"
    // WITHOUT ROWID: every access is by (db, id[, rev]), and a _bulk_docs then writes one b-tree per table
    // (plus the seq index) instead of two.
    "CREATE TABLE couch_docs(db INTEGER NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL,"
    "  deleted INTEGER NOT NULL, leaves TEXT NOT NULL, tree TEXT NOT NULL, PRIMARY KEY(db, id)) WITHOUT ROWID;"
    "CREATE UNIQUE INDEX couch_docs_by_seq ON couch_docs(db, seq);"
    "CREATE TABLE couch_revs(db INTEGER NOT NULL, id TEXT NOT NULL, rev TEXT NOT NULL, deleted INTEGER NOT NULL,"
    "  body TEXT NOT NULL, attachments TEXT, PRIMARY KEY(db, id, rev)) WITHOUT ROWID;"
    "CREATE TABLE couch_local(db INTEGER NOT NULL, id TEXT NOT NULL, rev INTEGER NOT NULL, body TEXT NOT NULL,"
    "  PRIMARY KEY(db, id));"
    "CREATE TABLE couch_attachments(db INTEGER NOT NULL, digest TEXT NOT NULL, data BLOB NOT NULL,"
    "  PRIMARY KEY(db, digest));"
    "INSERT INTO couch_dbs(name) VALUES ('demo-visits');"
    // The server's CouchDB uuid (GET /couch/): replicators name their checkpoints after it, so it must not
    // change across restarts.
    "INSERT INTO meta(key, value) VALUES ('couch_uuid', lower(hex(randomblob(16))));",

    // 3: the demo site's operations database (tickets, patrol templates and rounds), apart from its visits so
    // each syncs on its own. Its templates are seeded at start-up (startup.cpp), where documents can be written.
    "INSERT INTO couch_dbs(name) VALUES ('demo-ops');",

    // 4: accounts, sessions and the audit log (accounts.hpp, audit_log.hpp), and the demo site's owner files
    // database. Its files and the demo accounts are seeded at start-up (startup.cpp).
    "CREATE TABLE users(name TEXT PRIMARY KEY, display_name TEXT NOT NULL, password_hash TEXT NOT NULL,"
    "  disabled INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);"
    "CREATE TABLE grants(user TEXT NOT NULL REFERENCES users(name), site TEXT NOT NULL, role TEXT NOT NULL,"
    "  PRIMARY KEY(user, site, role)) WITHOUT ROWID;"
    "CREATE TABLE sessions(token_digest TEXT PRIMARY KEY, user TEXT NOT NULL, created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL);"
    "CREATE INDEX sessions_by_user ON sessions(user);"
    "CREATE TABLE audit(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL,"
    "  site TEXT, detail TEXT NOT NULL);"
    "CREATE INDEX audit_by_site ON audit(site, id);"
    "INSERT INTO couch_dbs(name) VALUES ('demo-owners');",

    // 5: revision bodies in a rowid table, so a _bulk_docs appends them at the end of the file instead of
    // inserting them at random places (document ids are UUIDs) and rewriting most of the table's pages into
    // the WAL on every batch. Only the small (db, id, rev) index takes random inserts.
    "CREATE TABLE couch_revs_new(db INTEGER NOT NULL, id TEXT NOT NULL, rev TEXT NOT NULL,"
    "  deleted INTEGER NOT NULL, body TEXT NOT NULL, attachments TEXT);"
    "INSERT INTO couch_revs_new(db, id, rev, deleted, body, attachments)"
    "  SELECT db, id, rev, deleted, body, attachments FROM couch_revs;"
    "DROP TABLE couch_revs;"
    "ALTER TABLE couch_revs_new RENAME TO couch_revs;"
    "CREATE UNIQUE INDEX couch_revs_by_id ON couch_revs(db, id, rev);",

    // 6: documents in a rowid table, their `key` (the rowid) what their revision bodies refer to instead of
    // (db, id). New documents get increasing keys, so a _bulk_docs of new documents appends its document rows,
    // revision rows and their (db, seq) and (doc, rev) index entries at the end of each b-tree; only the small
    // (db, id) index still takes inserts at random places (ids are UUIDs). Existing documents get their keys in
    // seq order; bodies of no document (none are written) would have no key to go to and are left behind.
    "CREATE TABLE couch_docs_new(key INTEGER PRIMARY KEY, db INTEGER NOT NULL, id TEXT NOT NULL,"
    "  seq INTEGER NOT NULL, deleted INTEGER NOT NULL, leaves TEXT NOT NULL, tree TEXT NOT NULL);"
    "INSERT INTO couch_docs_new(db, id, seq, deleted, leaves, tree)"
    "  SELECT db, id, seq, deleted, leaves, tree FROM couch_docs ORDER BY db, seq;"
    "CREATE TABLE couch_revs_new(doc INTEGER NOT NULL, rev TEXT NOT NULL, deleted INTEGER NOT NULL,"
    "  body TEXT NOT NULL, attachments TEXT);"
    "INSERT INTO couch_revs_new(doc, rev, deleted, body, attachments)"
    "  SELECT d.key, r.rev, r.deleted, r.body, r.attachments FROM couch_revs r"
    "  JOIN couch_docs_new d ON d.db = r.db AND d.id = r.id ORDER BY d.key, r.rev;"
    "DROP TABLE couch_revs;"
    "DROP TABLE couch_docs;"
    "ALTER TABLE couch_docs_new RENAME TO couch_docs;"
    "ALTER TABLE couch_revs_new RENAME TO couch_revs;"
    "CREATE UNIQUE INDEX couch_docs_by_id ON couch_docs(db, id);"
    "CREATE UNIQUE INDEX couch_docs_by_seq ON couch_docs(db, seq);"
    "CREATE UNIQUE INDEX couch_revs_by_doc ON couch_revs(doc, rev);",
};
static_assert(std::size(kMigrations) == SqliteStore::kSchemaVersion);

// A refusal already phrased for a person (not ours, too new): passed on as it is, not reworded.
struct Refusal : SqliteError {
  using SqliteError::SqliteError;
};

[[noreturn]] void fail(sqlite3* db, int code, std::string_view doing) {
  const char* message = db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  throw SqliteError(code, "sqlite: " + std::string(doing) + ": " + message);
}

void exec(sqlite3* db, const char* sql) {
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) fail(db, rc, sql);
}

// Each query's statement ends with the function: a statement left mid-way holds locks on the file.
int64_t query_int(sqlite3* db, const char* sql) {
  Statement q(db, sql);
  return q.step() ? q.integer(0) : 0;
}

std::optional<std::string> query_text(sqlite3* db, const char* sql) {
  Statement q(db, sql);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

}  // namespace

// A second connection to the same file and a thread that runs PASSIVE checkpoints on it when asked: they copy
// what is committed back into the database file while the server's connection goes on committing, and never
// block it (SQLite's WAL allows one checkpoint alongside a writer).
class WalCheckpointer {
 public:
  explicit WalCheckpointer(const fs::path& file) {
    const int rc = sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      const std::string why = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close_v2(db_);
      throw SqliteError(rc, "cannot open data file " + file.string() + " for checkpoints: " + why);
    }
    exec(db_, "PRAGMA synchronous=FULL");  // the checkpoint syncs the database file before the WAL is reused
    thread_ = std::thread([this] { run(); });
  }

  ~WalCheckpointer() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
    sqlite3_close_v2(db_);
  }

  void request() {
    {
      std::lock_guard lock(mutex_);
      wanted_ = true;
    }
    wake_.notify_one();
  }

  int64_t completed() const { return completed_; }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return wanted_ || stop_; });
      if (stop_) return;
      wanted_ = false;
      lock.unlock();
      int wal_pages = 0, copied = 0;
      // SQLITE_BUSY (another checkpoint is running: the admin command's, or a request's own) is left to the next
      // commit's request.
      if (sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_pages, &copied) == SQLITE_OK &&
          copied == wal_pages) {
        ++completed_;
      }
      lock.lock();
    }
  }

  sqlite3* db_ = nullptr;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool wanted_ = false;
  bool stop_ = false;
  std::atomic<int64_t> completed_ = 0;
  std::thread thread_;
};

// --- Statement -----------------------------------------------------------------------------------------

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  if (rc != SQLITE_OK) fail(db, rc, sql);
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, std::string_view text) {
  int rc = sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) fail(db_, rc, sqlite3_sql(stmt_));
  return *this;
}

Statement& Statement::bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) fail(db_, rc, sqlite3_sql(stmt_));
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  // A zero-length blob is still a blob (not NULL): SQLite wants a non-null pointer for that.
  const char* data = bytes.data() ? bytes.data() : "";
  int rc = sqlite3_bind_blob(stmt_, index, data, static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) fail(db_, rc, sqlite3_sql(stmt_));
  return *this;
}

Statement& Statement::reset() {
  sqlite3_reset(stmt_);  // its return code repeats the last step's error, which was reported then
  sqlite3_clear_bindings(stmt_);
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, rc, sqlite3_sql(stmt_));
}

std::string Statement::text(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
}

int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

// --- StoreTransaction ------------------------------------------------------------------------------------

size_t StoreTransaction::site_count() {
  Statement count(db_, "SELECT count(*) FROM sites");
  count.step();
  return static_cast<size_t>(count.integer(0));
}

std::optional<std::string> StoreTransaction::site_doc(std::string_view site_id) {
  Statement get(db_, "SELECT doc FROM sites WHERE id = ?1");
  get.bind(1, site_id);
  if (!get.step()) return std::nullopt;
  return get.text(0);
}

void StoreTransaction::put_site(std::string_view site_id, std::string_view doc_json) {
  Statement put(db_, "INSERT INTO sites(id, doc) VALUES (?1, ?2) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc");
  put.bind(1, site_id).bind(2, doc_json);
  put.step();
}

// --- SqliteStore -------------------------------------------------------------------------------------------

std::unique_ptr<SqliteStore> SqliteStore::open(const fs::path& file, const Seed& seed, WalLimits wal_limits) {
  // SQLite counts the memory it allocates under a process-wide mutex, on every allocation of the thousands a
  // _bulk_docs makes; nothing here reads those counts. Settable only before SQLite initializes, so once, first.
  static std::once_flag configured;
  std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  sqlite3* db = nullptr;
  // NOMUTEX: the store's own mutex already serializes every use of the connection, so SQLite's per-call
  // locking would only cost time on each of the thousands of steps a _bulk_docs makes.
  int rc = sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  // The handle exists even when opening failed, and must be closed either way: hand it to the owner at once.
  std::unique_ptr<SqliteStore> store(new SqliteStore(file, db));
  const std::string name = file.string();
  if (rc != SQLITE_OK) {
    throw SqliteError(rc, "cannot open data file " + name + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 5000);

  try {
    {
      // The first statement that reads the file: a file that isn't SQLite fails here. Scoped: a statement
      // that has not run to its end keeps the file locked.
      Statement wal(db, "PRAGMA journal_mode=WAL");
      if (wal.step()) store->journal_mode_ = wal.text(0);
    }
    exec(db, "PRAGMA synchronous=FULL");
    // Documents arrive with random ids (UUIDs), so each _bulk_docs touches pages all over the b-trees: keep
    // them in memory (64 MB) rather than reading them back from the OS for every insert.
    exec(db, "PRAGMA cache_size=-65536");
    store->prepare_schema(seed);
    store->wal_limits_ = wal_limits;
    if (store->journal_mode_ == "wal") {
      store->checkpointer_ = std::make_unique<WalCheckpointer>(file);
      sqlite3_wal_hook(db, &SqliteStore::on_commit, store.get());  // in place of SQLite's automatic checkpoints
    }
  } catch (const Refusal&) {
    throw;
  } catch (const SqliteError& e) {
    switch (e.code & 0xff) {
      case SQLITE_NOTADB:
        throw SqliteError(e.code, "data file " + name + " is not a Steward database: " + sqlite3_errstr(e.code));
      case SQLITE_CORRUPT:
        throw SqliteError(e.code, "data file " + name + " is damaged: " + sqlite3_errstr(e.code));
      case SQLITE_BUSY:
        throw SqliteError(e.code, "data file " + name + " is locked by another program: " + sqlite3_errstr(e.code));
      default:
        throw SqliteError(e.code, "cannot open data file " + name + ": " + e.what());
    }
  }
  return store;
}

SqliteStore::SqliteStore(fs::path file, sqlite3* db) : file_(std::move(file)), db_(db) {}

SqliteStore::~SqliteStore() {
  checkpointer_.reset();  // its thread stops before the file closes
  sqlite3_close_v2(db_);
}

int SqliteStore::on_commit(void* context, sqlite3* db, const char*, int wal_pages) {
  auto* store = static_cast<SqliteStore*>(context);
  if (wal_pages >= store->wal_limits_.request_pages) {
    // The background never got the whole WAL copied between commits: this request waits for it once, so the
    // WAL starts over at the next write instead of growing without end.
    sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    ++store->request_checkpoints_;
  } else if (wal_pages >= store->wal_limits_.background_pages) {
    store->checkpointer_->request();
  }
  return SQLITE_OK;
}

int64_t SqliteStore::background_checkpoints() const { return checkpointer_ ? checkpointer_->completed() : 0; }

void SqliteStore::prepare_schema(const Seed& seed) {
  const std::string name = file_.string();
  auto not_ours = [&](const std::string& why) {
    return Refusal(SQLITE_ERROR, "data file " + name + " is not a Steward database: " + why);
  };

  write([&](StoreTransaction& tx) {
    const bool empty = query_int(db_, "SELECT count(*) FROM sqlite_schema") == 0;
    int version = 0;
    if (!empty) {
      // 0 is SQLite's default: a plain database, told apart by its missing meta table just below.
      const auto id = static_cast<int32_t>(query_int(db_, "PRAGMA application_id"));
      if (id != kApplicationId && id != 0) {
        char hex[16];
        std::snprintf(hex, sizeof hex, "0x%08x", static_cast<unsigned>(id));
        throw not_ours("it belongs to another application (application_id " + std::string(hex) + ")");
      }
      if (!query_text(db_, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name = 'meta'")) {
        throw not_ours("it has no meta table");
      }
      const auto text = query_text(db_, "SELECT value FROM meta WHERE key = 'schema_version'");
      if (!text) throw not_ours("its meta table has no schema_version");
      try {
        size_t used = 0;
        version = std::stoi(*text, &used);
        if (used != text->size() || version < 1) throw std::invalid_argument(*text);
      } catch (const std::logic_error&) {
        throw not_ours("its schema_version \"" + *text + "\" is not a number");
      }
      if (version > kSchemaVersion) {
        throw Refusal(SQLITE_ERROR, "data file " + name + " was written by a newer Steward (schema version " +
                                        std::to_string(version) + "; this server knows up to " +
                                        std::to_string(kSchemaVersion) + ")");
      }
    }

    for (int v = version; v < kSchemaVersion; ++v) exec(db_, kMigrations[v]);
    if (version != kSchemaVersion) {
      Statement set(db_, "INSERT INTO meta(key, value) VALUES ('schema_version', ?1) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
      set.bind(1, std::to_string(kSchemaVersion));
      set.step();
    }
    if (empty) {
      exec(db_, ("PRAGMA application_id = " + std::to_string(kApplicationId)).c_str());
      created_now_ = true;
      if (seed) seed(tx);
    }
  });
}

void SqliteStore::run_transaction(const char* begin, const std::function<void(StoreTransaction&)>& fn) {
  std::lock_guard lock(mutex_);
  exec(db_, begin);
  try {
    StoreTransaction tx(db_);
    fn(tx);
    exec(db_, "COMMIT");
  } catch (...) {
    // Fails harmlessly when SQLite already rolled back on its own (e.g. after SQLITE_FULL).
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

void SqliteStore::read(const std::function<void(StoreTransaction&)>& fn) { run_transaction("BEGIN", fn); }

void SqliteStore::write(const std::function<void(StoreTransaction&)>& fn) { run_transaction("BEGIN IMMEDIATE", fn); }

size_t SqliteStore::site_count() {
  size_t n = 0;
  read([&](StoreTransaction& tx) { n = tx.site_count(); });
  return n;
}

std::optional<std::string> SqliteStore::site_doc(std::string_view site_id) {
  std::optional<std::string> doc;
  read([&](StoreTransaction& tx) { doc = tx.site_doc(site_id); });
  return doc;
}

}  // namespace steward::server
