// A site's operations (运营) as the app works with them: tickets (工单), patrol templates and rounds, kept in
// the site's operations database: a DocStore of its own, replicated with "<site>-ops" on the server, so the
// visitor log's database and this one sync (and can be compacted, reset or moved) independently.
// Loads every record once at start-up; afterwards each save writes one document and updates its list in place.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/access_log.hpp"
#include "core/patrol.hpp"
#include "core/ticket.hpp"
#include "store/doc_list.hpp"
#include "store/doc_store.hpp"
#include "sync/merge.hpp"
#include "sync/replicator.hpp"

namespace steward::store {

// A photo as the page hands it over: already downscaled and JPEG-encoded, in base64 (CouchDB's inline form), so
// it is stored and replicated without being decoded here.
struct Photo {
  std::string name;  // the attachment name, e.g. "photo-<uuid>.jpg"
  std::string content_type = "image/jpeg";
  std::string base64;
};

// The ops database of a site on the sync server.
std::string ops_db_name(const std::string& site_id);  // "demo" -> "demo-ops"

class OpsRepository {
 public:
  // `stamp`: the hybrid-logical-clock stamp of an edit made now (as VisitRepository's).
  explicit OpsRepository(DocStore& store, std::function<sync::Hlc()> stamp = {});

  // Reads every ticket, template and round; a document that does not parse is skipped and counted.
  void load();
  size_t skipped_documents() const;
  // Changes whenever a list does: lets screens cache what they derive from it.
  uint64_t version() const { return version_; }

  const std::vector<core::Ticket>& tickets() const { return tickets_.all(); }
  const std::vector<core::PatrolTemplate>& templates() const { return templates_.all(); }
  const std::vector<core::PatrolRound>& rounds() const { return rounds_.all(); }
  const core::Ticket* find_ticket(const std::string& id) const { return tickets_.find(id); }
  const core::PatrolTemplate* find_template(const std::string& id) const { return templates_.find(id); }
  const core::PatrolRound* find_round(const std::string& id) const { return rounds_.find(id); }

  // Stores a new record (no rev yet) or a changed one (carrying its current rev); returns it with its new rev.
  // A ticket's new photos become attachments of the same revision, and must be named in ticket.photos (else
  // std::invalid_argument, nothing written). Throws StoreError; on failure the lists are unchanged.
  const core::Ticket& save_ticket(core::Ticket ticket, const std::vector<Photo>& new_photos = {});
  const core::PatrolTemplate& save_template(core::PatrolTemplate tpl);
  const core::PatrolRound& save_round(core::PatrolRound round);
  // Deletes a route (its document's next revision is a tombstone, which syncs); `rev` is the revision the person
  // saw, so a route another tablet changed meanwhile is not deleted (StoreError conflict). Rounds keep the route
  // they started with. Throws StoreError.
  void delete_template(const std::string& id, const std::string& rev);

  // A ticket's photo as stored (base64), for thumbnails; nullopt when the ticket or the photo is not here (yet:
  // a pull may bring the document before a later revision brings its attachment).
  std::optional<Photo> photo(const std::string& ticket_id, const std::string& name) const;

  // An access log (revealing a phone number here): a document of its own in this store, synced like a record.
  // Throws StoreError.
  void log_access(const core::AccessLogEntry& entry);

  // Documents that sync changed (pulled, merged, deleted).
  void reload(const std::vector<sync::ChangedDoc>& changed);

 private:
  DocStore& store_;
  std::function<sync::Hlc()> stamp_;
  DocList<core::Ticket> tickets_;
  DocList<core::PatrolTemplate> templates_;
  DocList<core::PatrolRound> rounds_;
  uint64_t version_ = 0;
};

}  // namespace steward::store
