#include "platform/user_data.hpp"

#include <algorithm>
#include <cstdio>

#include "core/account.hpp"
#include "core/retention.hpp"

namespace steward::platform {

struct UserData::Family {
  core::RecordFamily family;
  std::string folder;  // the store's folder under the mount: "visits", "ops", "owners"
  std::string db;      // its database on the server: "<site>-<family>"
  std::optional<store::DocStore> store;
  std::optional<store::StoreReplica> replica;
  std::optional<WebTransport> transport;
  std::optional<sync::Replicator> replicator;
  std::string last_error;  // logged once per new error
};

UserData::UserData(UserDataOptions options) : options_(std::move(options)) {
  store::Options store_options;
  store_options.read_only = !options_.writer;
  for (core::RecordFamily f : core::visible_families(options_.role)) {
    auto family = std::make_unique<Family>();
    family->family = f;
    family->folder = std::string(core::family_key(f));
    family->db = core::database_name(options_.site, f);
    family->store.emplace(store::DocStore::open(options_.mount + "/" + family->folder, store_options));
    for (const std::string& w : family->store->open_report().warnings)
      std::fprintf(stderr, "store %s: %s\n", family->folder.c_str(), w.c_str());
    switch (f) {
      case core::RecordFamily::Visits:
        visits_.emplace(*family->store, options_.stamp);
        visits_->load();
        break;
      case core::RecordFamily::Ops:
        ops_.emplace(*family->store, options_.stamp);
        ops_->load();
        break;
      case core::RecordFamily::Owners:
        owners_.emplace(*family->store);
        owners_->load();
        break;
    }
    families_.push_back(std::move(family));
  }
}

UserData::~UserData() { stop_sync(); }

UserData::Family* UserData::find(core::RecordFamily family) const {
  for (const auto& f : families_)
    if (f->family == family) return f.get();
  return nullptr;
}

store::VisitRepository* UserData::visits() { return visits_ ? &*visits_ : nullptr; }
store::OpsRepository* UserData::ops() { return ops_ ? &*ops_ : nullptr; }
store::OwnerRepository* UserData::owners() { return owners_ ? &*owners_ : nullptr; }

size_t UserData::torn_bytes_dropped() const {
  size_t bytes = 0;
  for (const auto& f : families_) bytes += f->store->open_report().torn_bytes_dropped;
  return bytes;
}

void UserData::compact_if_worthwhile() {
  if (!options_.writer) return;
  for (const auto& f : families_)
    if (f->store->compaction_worthwhile()) f->store->compact();
}

void UserData::start_sync(std::function<void(core::RecordFamily, const std::vector<sync::ChangedDoc>&)> on_docs_changed,
                          std::function<void()> on_status) {
  if (!options_.writer) return;  // one replicator per profile: the writing tab's
  for (const auto& fp : families_) {
    Family& f = *fp;
    const std::string url = options_.sync_base + f.db + "/";
    f.replica.emplace(*f.store);
    f.transport.emplace(url);
    sync::ReplicatorOptions o;
    // Checkpoints belong to this tablet, this person and this database: two people on one tablet each resume
    // where their own replication got to.
    o.replication_id = "tablet-" + options_.device_id + "-" + options_.user + "-" + sync::hash128_hex(url).substr(0, 12);
    o.push = core::family_access(options_.role, f.family) == core::Access::ReadWrite;
    if (f.family == core::RecordFamily::Visits)
      o.accept_new_doc = [this](std::string_view id, const nlohmann::json& body) {
        return !core::past_retention(id, body, retention_cutoff_ms_);
      };
    f.replicator.emplace(*f.replica, *f.transport, o);
    f.replicator->on_docs_changed = [this, &f, on_docs_changed](const std::vector<sync::ChangedDoc>& changed) {
      switch (f.family) {
        case core::RecordFamily::Visits: visits_->reload(changed); break;
        case core::RecordFamily::Ops: ops_->reload(changed); break;
        case core::RecordFamily::Owners: owners_->reload(changed); break;
      }
      on_docs_changed(f.family, changed);
    };
    f.replicator->on_status = [&f, on_status] {
      // The screen says what went wrong in plain words; the details are for whoever reads the console.
      const std::string& error = f.replicator->status().last_error;
      if (!error.empty() && error != f.last_error) std::fprintf(stderr, "sync %s: %s\n", f.db.c_str(), error.c_str());
      f.last_error = error;
      on_status();
    };
  }
  for (const auto& f : families_)
    if (f->replicator) f->replicator->start();
}

void UserData::retry_sync() {
  for (const auto& f : families_)
    if (f->replicator) f->replicator->start();
}

void UserData::stop_sync() {
  for (const auto& f : families_)
    if (f->replicator) f->replicator->stop();
}

void UserData::local_changed() {
  for (const auto& f : families_)
    if (f->replicator) f->replicator->local_changed();
}

bool UserData::syncing() const {
  return std::any_of(families_.begin(), families_.end(), [](const auto& f) { return f->replicator.has_value(); });
}

bool UserData::pulling() const {
  return std::any_of(families_.begin(), families_.end(),
                     [](const auto& f) { return f->replicator && f->replicator->status().pulling; });
}

const sync::ReplicatorStatus* UserData::status(core::RecordFamily family) const {
  const Family* f = find(family);
  return f && f->replicator ? &f->replicator->status() : nullptr;
}

sync::ReplicatorStatus UserData::combined_status() const {
  sync::ReplicatorStatus all;
  bool first = true;
  for (const auto& fp : families_) {
    if (!fp->replicator) continue;
    const sync::ReplicatorStatus& s = fp->replicator->status();
    if (first) {
      all = s;
      first = false;
      continue;
    }
    all.online = all.online && s.online;
    all.pulling = all.pulling || s.pulling;
    all.pushing = all.pushing || s.pushing;
    all.last_success_ms = std::min(all.last_success_ms, s.last_success_ms);
    all.pulled += s.pulled;
    all.pulled_total += s.pulled_total;
    all.pull_caught_up_ms = std::min(all.pull_caught_up_ms, s.pull_caught_up_ms);
    all.pull_total += s.pull_total;
    all.pending_upload += s.pending_upload;
    all.merged += s.merged;
    all.rejected += s.rejected;
    all.consecutive_failures = std::max(all.consecutive_failures, s.consecutive_failures);
    all.next_retry_ms = std::max(all.next_retry_ms, s.next_retry_ms);
    if (all.problem == sync::SyncProblem::None && s.problem != sync::SyncProblem::None) {
      all.problem = s.problem;
      all.last_error = s.last_error;
    }
  }
  return all;
}

uint64_t UserData::pending_upload() const {
  uint64_t pending = 0;
  for (const auto& f : families_)
    if (f->replicator) pending += f->replicator->status().pending_upload;
  return pending;
}

bool UserData::visits_all_pushed() const {
  const Family* f = find(core::RecordFamily::Visits);
  return f && f->replicator && !f->replicator->status().pushing && f->replicator->pushed_seq() >= f->store->update_seq();
}

bool UserData::answered(int request_id, int status, std::string& body) {
  for (const auto& f : families_)
    if (f->transport && f->transport->expects(request_id)) return f->transport->answered(request_id, status, std::move(body));
  return false;
}

size_t UserData::apply_retention(int64_t cutoff_ms) {
  retention_cutoff_ms_ = cutoff_ms;
  Family* f = find(core::RecordFamily::Visits);
  if (!f || !visits_ || !f->replicator || !options_.writer) return 0;
  return visits_->purge_past_retention(cutoff_ms, f->replicator->pushed_seq());
}

store::FileChanges UserData::take_file_changes() {
  store::FileChanges all;
  for (const auto& f : families_) {
    const store::FileChanges c = f->store->take_file_changes();
    for (const std::string& name : c.written) all.written.push_back(f->folder + "/" + name);
    for (const std::string& name : c.removed) all.removed.push_back(f->folder + "/" + name);
  }
  return all;
}

}  // namespace steward::platform
