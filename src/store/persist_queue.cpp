#include "store/persist_queue.hpp"

namespace steward::store {

uint64_t PersistQueue::request(const FileChanges& changes) {
  for (const std::string& name : changes.written) add(name, Op::Write);
  for (const std::string& name : changes.removed) add(name, Op::Remove);
  return ++requested_;
}

std::optional<PersistQueue::Batch> PersistQueue::start() {
  if (in_flight_) return std::nullopt;
  if (pending_.empty()) {
    done_ = requested_;
    return std::nullopt;
  }
  Batch batch;
  batch.generation = requested_;
  for (const auto& [name, op] : pending_) (op == Op::Write ? batch.files.written : batch.files.removed).push_back(name);
  pending_.clear();
  in_flight_ = batch;
  return batch;
}

void PersistQueue::finished(uint64_t generation, bool ok) {
  if (!in_flight_ || in_flight_->generation != generation) return;
  if (ok) {
    done_ = generation;
  } else {
    failed_ = generation;
    // try_emplace keeps a newer operation on the same file: it supersedes the failed one.
    for (const std::string& name : in_flight_->files.written) pending_.try_emplace(name, Op::Write);
    for (const std::string& name : in_flight_->files.removed) pending_.try_emplace(name, Op::Remove);
  }
  in_flight_.reset();
}

}  // namespace steward::store
