// Which store files still have to reach durable storage, and which saves are durable: the bookkeeping between
// the store (which knows what it changed) and a platform that persists files asynchronously (IndexedDB on the
// tablet). One batch is in flight at a time; a batch carries every file changed before it started, so when it
// succeeds every save up to its generation is durable. A failed batch's files wait for the next one.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/doc_store.hpp"

namespace steward::store {

class PersistQueue {
 public:
  struct Batch {
    uint64_t generation = 0;
    FileChanges files;
  };

  // Records changed files and returns the generation that will cover them (also with no files: a retry).
  uint64_t request(const FileChanges& changes);

  // The batch to start now, if none is in flight and files wait. With nothing to write, the requested
  // generations are durable already and `done` moves up at once.
  std::optional<Batch> start();

  // The batch `generation` ended. On failure its files wait again, unless changed again since.
  void finished(uint64_t generation, bool ok);

  uint64_t requested() const { return requested_; }
  uint64_t done() const { return done_; }      // every save up to this generation is durable
  uint64_t failed() const { return failed_; }  // the newest generation whose batch failed (0: none)
  bool in_flight() const { return in_flight_.has_value(); }

 private:
  enum class Op { Write, Remove };
  void add(const std::string& name, Op op) { pending_[name] = op; }

  std::map<std::string, Op> pending_;  // latest operation per file
  std::optional<Batch> in_flight_;
  uint64_t requested_ = 0;
  uint64_t done_ = 0;
  uint64_t failed_ = 0;
};

}  // namespace steward::store
