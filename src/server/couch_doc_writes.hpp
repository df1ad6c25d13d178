// Writing documents into one database, inside the request's write transaction: CouchDB's two kinds of update.
//   edit       new_edits=true (PUT, DELETE, POST, _bulk_docs by default): the client names the revision it
//              edited (a current leaf), we make the new revision id (sync::next_rev)
//   replicate  new_edits=false (a replicator's _bulk_docs): the revision arrives with its ancestry
//              (_revisions) and is merged into the tree as it is, conflicts included
// Each changed document gets the database's next seq. Per-document failures (conflict, missing attachment
// stub) are thrown as DocError before anything of that document is written, so _bulk_docs can report them
// in its answer and go on; other CouchErrors fail the whole request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/couch_db.hpp"
#include "server/couch_documents.hpp"
#include "server/couch_error.hpp"

namespace steward::server::couch {

class DocWriter {
 public:
  DocWriter(CouchTables& tables, DbInfo& db) : tables_(tables), db_(db) {}

  // Returns the new revision. `id` is the document's id (doc.id is ignored; the caller resolved it).
  std::string edit(const std::string& id, const IncomingDoc& doc);
  // Returns whether anything changed (false: every revision on the path was known already).
  bool replicate(const std::string& id, const IncomingDoc& doc);

  // Writes the database's update_seq and counts; call once, after the last edit/replicate of the request.
  void finish();
  bool changed() const { return changed_; }

  // The access logs (documents "access_log:..." of type "access_log") this writer stored a new revision of, with
  // their content: the server copies each into its audit log in the same transaction.
  const std::vector<std::pair<std::string, nlohmann::json>>& access_logs() const { return access_logs_; }

 private:
  struct Stored {
    std::optional<DocRow> row;
    sync::RevTree tree;
  };
  Stored load(const std::string& id);
  // Writes a document as new, with its whole tree and its one leaf `rev` (no attachments): false, and nothing
  // written, when the id is taken. Writing first and looking up only when that fails saves a new document's
  // second lookup of its id.
  bool create(const std::string& id, const IncomingDoc& doc, const sync::RevTree& tree, const sync::RevId& rev);
  // Saves the tree (and the document row with a new seq) after a change, keeping bodies for leaves only.
  // Returns the saved row, which the new revision's body is then saved under.
  DocRow save(const std::string& id, const Stored& before, const sync::RevTree& tree);
  // The document row for a changed tree (stemmed to revs_limit), with the next seq; counted by count_saved().
  DocRow next_row(const std::string& id, sync::RevTree tree) const;
  void count_saved(const DocRow& row);
  sync::RevId rev_for(const std::optional<sync::RevId>& parent, const IncomingDoc& doc,
                      const std::optional<nlohmann::json>& attachments);

  void note_access_log(const std::string& id, const IncomingDoc& doc);

  CouchTables& tables_;
  DbInfo& db_;
  bool changed_ = false;
  std::vector<std::pair<std::string, nlohmann::json>> access_logs_;
};

// _local documents: `rev` is the "0-N" the client sent, if any. Returns the new "0-N" ("0-0" for a delete).
// Throws CouchError 409 when rev is not the current one, 404 when deleting a missing document.
std::string put_local(CouchTables& tables, int64_t db, const std::string& id, const nlohmann::json& body,
                      const std::optional<std::string>& rev);
std::string delete_local(CouchTables& tables, int64_t db, const std::string& id, const std::optional<std::string>& rev);

}  // namespace steward::server::couch
