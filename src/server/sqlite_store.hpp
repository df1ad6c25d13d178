// The server's database: one SQLite file, DATA/steward.sqlite3.
//
// WAL with synchronous=FULL: a commit that has returned survives a power cut, and readers (a backup, the
// sqlite3 shell) never block the server's writes. The schema version lives in the `meta` table and grows by
// appending to the migration list in sqlite_store.cpp: migration 2 added the CouchDB-shaped replication tables
// (couch_db.hpp says what they hold).
//
// One connection behind a mutex: a server for one site's few tablets is nowhere near needing parallel reads,
// and a single connection makes "one request = one transaction" trivially true. WAL checkpoints (copying
// committed pages back into the database file, and its fsync) run on a thread of their own with a second
// connection, so a request never waits for one; only a WAL that grows past a hard limit (the background could
// not finish a checkpoint between commits for that long) is checkpointed by the committing request itself.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

struct sqlite3;
struct sqlite3_stmt;

namespace steward::server {

// Carries SQLite's result code; the message is already phrased for a person (it names the file and what failed).
struct SqliteError : std::runtime_error {
  int code;
  SqliteError(int c, const std::string& what) : std::runtime_error(what), code(c) {}
};

// A prepared statement, finalized when it goes out of scope. Bind indexes start at 1, columns at 0.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, int64_t value);
  Statement& bind_blob(int index, std::string_view bytes);
  // Makes the statement ready to run again with new bindings (a statement reused within a transaction).
  Statement& reset();
  // true: a row is ready to read; false: the statement has finished. Throws SqliteError.
  bool step();
  std::string text(int column) const;
  int64_t integer(int column) const;
  bool is_null(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// What can be done inside one transaction. Only SqliteStore::read/write hand these out.
class StoreTransaction {
 public:
  size_t site_count();
  std::optional<std::string> site_doc(std::string_view site_id);
  // Inserts or replaces the site's document (JSON text).
  void put_site(std::string_view site_id, std::string_view doc_json);

  // The connection, for the data access of other tables (couch_db.cpp), which prepares its own statements.
  // Valid only inside the transaction.
  sqlite3* connection() const { return db_; }

 private:
  friend class SqliteStore;
  explicit StoreTransaction(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

// When the WAL is checkpointed, in pages (SQLite's page is 4 KB).
struct WalLimits {
  int background_pages = 8192;  // the checkpoint thread starts once a commit leaves this many in the WAL
  int request_pages = 65536;    // the committing request checkpoints itself past this many (256 MB)
};

// Checkpoints the WAL of one database on a thread of its own (sqlite_store.cpp).
class WalCheckpointer;

class SqliteStore {
 public:
  static constexpr int kSchemaVersion = 6;
  using Seed = std::function<void(StoreTransaction&)>;

  // Opens the file, creating it when absent. A new database gets its schema and then `seed` in one
  // transaction, so a crash mid-way leaves either nothing or a seeded database. Throws SqliteError
  // (e.g. "data file X is not a Steward database: file is not a database").
  static std::unique_ptr<SqliteStore> open(const std::filesystem::path& file, const Seed& seed = {},
                                           WalLimits wal_limits = {});

  ~SqliteStore();
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // Runs fn inside one transaction: write() takes the write lock up front (BEGIN IMMEDIATE) and commits
  // when fn returns; an exception from fn rolls everything back and propagates.
  void read(const std::function<void(StoreTransaction&)>& fn);
  void write(const std::function<void(StoreTransaction&)>& fn);

  // One-statement conveniences, each its own transaction.
  size_t site_count();
  std::optional<std::string> site_doc(std::string_view site_id);

  const std::filesystem::path& file() const { return file_; }
  bool created_now() const { return created_now_; }   // this open made the database (first start)
  const std::string& journal_mode() const { return journal_mode_; }
  // Checkpoints the background thread has completed (all of the WAL copied back) and ones a request had to
  // run itself; for tests and the log.
  int64_t background_checkpoints() const;
  int64_t request_checkpoints() const { return request_checkpoints_; }

 private:
  SqliteStore(std::filesystem::path file, sqlite3* db);  // in the .cpp, where WalCheckpointer is complete
  void prepare_schema(const Seed& seed);
  void run_transaction(const char* begin, const std::function<void(StoreTransaction&)>& fn);
  static int on_commit(void* store, sqlite3* db, const char* schema, int wal_pages);

  std::filesystem::path file_;
  sqlite3* db_;
  std::mutex mutex_;
  bool created_now_ = false;
  std::string journal_mode_;
  WalLimits wal_limits_;
  std::unique_ptr<WalCheckpointer> checkpointer_;  // only in WAL mode
  std::atomic<int64_t> request_checkpoints_ = 0;
};

}  // namespace steward::server
