// Visits and the site's roster, as the app works with them, kept in the local DocStore.
// Loads every visit once at start-up; afterwards each save writes one record and updates the list in place.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/access_log.hpp"
#include "core/site.hpp"
#include "core/visit.hpp"
#include "store/doc_list.hpp"
#include "store/doc_store.hpp"
#include "sync/merge.hpp"
#include "sync/replicator.hpp"

namespace steward::store {

class VisitRepository {
 public:
  // `stamp` gives the hybrid-logical-clock stamp for an edit made now; every changed field is stamped with it,
  // so concurrent edits on other tablets merge field by field (sync/merge). Without it nothing is stamped.
  explicit VisitRepository(DocStore& store, std::function<sync::Hlc()> stamp = {});

  // Reads all visit documents; a document that is not a valid visit is skipped and counted.
  void load();
  size_t skipped_documents() const { return visits_.skipped(); }

  const std::vector<core::Visit>& visits() const { return visits_.all(); }
  // Changes whenever the list does: lets screens cache what they derive from it.
  uint64_t version() const { return version_; }
  const core::Visit* find(const std::string& id) const { return visits_.find(id); }

  // Stores a new visit (no rev yet) or a changed one (carrying its current rev); returns it with its new rev.
  // Throws StoreError; on failure the list is unchanged.
  const core::Visit& save(core::Visit visit);

  // An access log (revealing a phone number here): a document of its own in this store, synced like a record.
  // Throws StoreError.
  void log_access(const core::AccessLogEntry& entry);

  // Documents that sync changed (pulled, merged, deleted): taken as given when the winner came with them,
  // else re-read from the store; ids that are not visits are ignored.
  void reload(const std::vector<sync::ChangedDoc>& changed);

  // Retention: removes from this tablet (DocStore::purge, nothing replicated) the visits and access logs past
  // `cutoff_ms` (core::past_retention) whose latest change is at or before `pushed_seq` (the push checkpoint):
  // what still waits to upload stays. Returns how many documents left.
  size_t purge_past_retention(int64_t cutoff_ms, uint64_t pushed_seq);

  // The site as the server last gave it (the roster), kept for offline starts as a local document: never
  // replicated (the server keeps sites apart from the records).
  std::optional<core::Site> site(const std::string& site_id) const;
  void save_site(const core::Site& site);

 private:
  DocStore& store_;
  std::function<sync::Hlc()> stamp_;
  DocList<core::Visit> visits_{"visit:", &core::visit_from_json};
  uint64_t version_ = 0;
};

}  // namespace steward::store
