// Owner files of a site, as the tablet keeps them: the site's owners database ("<site>-owners"), a store of its own
// replicated like the others. Read only here (files are kept on the server's side); the tablet writes only the
// access logs of the files opened on it, into the same database, so they sync with it.
#pragma once

#include <string>
#include <vector>

#include "core/access_log.hpp"
#include "core/owner_file.hpp"
#include "store/doc_list.hpp"
#include "store/doc_store.hpp"
#include "sync/replicator.hpp"

namespace steward::store {

class OwnerRepository {
 public:
  explicit OwnerRepository(DocStore& store) : store_(store) {}

  void load();
  size_t skipped_documents() const { return files_.skipped(); }
  uint64_t version() const { return version_; }
  const std::vector<core::OwnerFile>& files() const { return files_.all(); }
  const core::OwnerFile* find(const std::string& id) const { return files_.find(id); }

  // Throws StoreError.
  void log_access(const core::AccessLogEntry& entry);
  void reload(const std::vector<sync::ChangedDoc>& changed);

 private:
  DocStore& store_;
  DocList<core::OwnerFile> files_{"owner_file:", &core::owner_file_from_json};
  uint64_t version_ = 0;
};

}  // namespace steward::store
