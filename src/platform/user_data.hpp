// The signed-in person's data on this tablet: one store per record family their role sees (core::visible_families),
// in a folder of their own at the site (<mount>/<family>, the mount /steward/u/<person>/<site> being an IndexedDB
// database of its own), each replicated with the site's database of that family on checkpoints of their own. A
// second person on the same tablet has other stores: what their role does not allow is never on the tablet while
// they use it, and what both may see is simply replicated twice.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/access.hpp"
#include "platform/web_transport.hpp"
#include "store/doc_store.hpp"
#include "store/ops_repository.hpp"
#include "store/owner_repository.hpp"
#include "store/store_replica.hpp"
#include "store/visit_repository.hpp"
#include "sync/merge.hpp"
#include "sync/replicator.hpp"

namespace steward::platform {

struct UserDataOptions {
  std::string user;       // the login name
  std::string mount;      // the person's folder at the site ("/steward/u/<person>/<site>"), loaded from IndexedDB
  std::string site;
  core::Role role = core::Role::ShowroomHost;
  bool writer = true;     // false: another tab writes; open read-only and never sync
  std::string device_id;
  // Where a database is on the sync server: "couch/" (this server), or the folder of a chosen CouchDB database URL.
  std::string sync_base = "couch/";
  std::function<sync::Hlc()> stamp;
};

class UserData {
 public:
  // Opens (creating when new) the stores of the role's families. Throws store::StoreError.
  explicit UserData(UserDataOptions options);
  ~UserData();
  UserData(const UserData&) = delete;
  UserData& operator=(const UserData&) = delete;

  const UserDataOptions& options() const { return options_; }
  store::VisitRepository* visits();
  store::OpsRepository* ops();
  store::OwnerRepository* owners();
  // Bytes of torn writes dropped when the stores were opened (their warnings go to the log), for the banner.
  size_t torn_bytes_dropped() const;

  // Compacts the stores that have grown mostly dead.
  void compact_if_worthwhile();
  // Starts replicating every store with its database. `on_docs_changed` gets what pulls and merges changed (the
  // repositories are already up to date); `on_status` any status change.
  void start_sync(std::function<void(core::RecordFamily, const std::vector<sync::ChangedDoc>&)> on_docs_changed,
                  std::function<void()> on_status);
  // The network is back, or the person signed in again: try now instead of waiting out the backoff.
  void retry_sync();
  void stop_sync();
  // A local write: push it soon.
  void local_changed();
  bool syncing() const;
  bool pulling() const;
  // The replications together, as the header shows them: online when every one is, the oldest last success, the
  // sum of what waits to upload, the first problem.
  sync::ReplicatorStatus combined_status() const;
  const sync::ReplicatorStatus* status(core::RecordFamily family) const;
  uint64_t pending_upload() const;
  // The visits' push checkpoint covers every change in their store (pulled ones included): all of it is synced.
  bool visits_all_pushed() const;
  // Routes a fetch answer to the transport that sent it; false when none did.
  bool answered(int request_id, int status, std::string& body);

  // Retention (visits only): removes synced visitor records and access logs older than the cutoff, and from now on
  // refuses such records on pull. Returns how many left.
  size_t apply_retention(int64_t cutoff_ms);

  // Every store's changed files, named relative to the mount ("<folder>/<segment>").
  store::FileChanges take_file_changes();

 private:
  struct Family;
  Family* find(core::RecordFamily family) const;

  UserDataOptions options_;
  std::vector<std::unique_ptr<Family>> families_;
  std::optional<store::VisitRepository> visits_;
  std::optional<store::OpsRepository> ops_;
  std::optional<store::OwnerRepository> owners_;
  int64_t retention_cutoff_ms_ = 0;  // read by the visits pull, which must not bring back what was purged
};

}  // namespace steward::platform
