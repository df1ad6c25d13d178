// What every repository does with one record type: the records of a document-id prefix, loaded once and then
// kept up to date in place by the app's own saves and by what sync changed; and how the app saves an edit.
#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/doc_store.hpp"
#include "sync/merge.hpp"
#include "sync/replicator.hpp"

namespace steward::store {

// Saves an edit made on this tablet: `doc` (with "_id", and "_rev" unless new) gets the stamps of the stored
// revision and a stamp for every field it changes, so concurrent edits merge field by field; the stored
// revision's attachments are kept (the record types do not carry them), with `new_attachments` added by name.
// Returns the new rev. Throws StoreError.
std::string put_edit(DocStore& store, nlohmann::json doc, const std::function<sync::Hlc()>& stamp,
                     const nlohmann::json& new_attachments = nlohmann::json::object());

template <class Record>
class DocList {
 public:
  using Parse = Record (*)(const nlohmann::json&);  // throws std::invalid_argument on a malformed document

  DocList(std::string prefix, Parse parse) : prefix_(std::move(prefix)), parse_(parse) {}

  const std::string& prefix() const { return prefix_; }
  const std::vector<Record>& all() const { return records_; }
  size_t skipped() const { return skipped_; }

  // Reads every document of the prefix; one that does not parse is skipped and counted.
  void load(const DocStore& store) {
    records_.clear();
    index_.clear();
    skipped_ = 0;
    store.for_each_with_prefix(prefix_, [&](const nlohmann::json& doc) {
      try {
        upsert(parse_(doc));
      } catch (const std::invalid_argument&) {
        ++skipped_;
      }
    });
  }

  const Record* find(const std::string& id) const {
    auto it = index_.find(id);
    return it == index_.end() ? nullptr : &records_[it->second];
  }

  const Record& upsert(Record r) {
    const auto [it, added] = index_.try_emplace(r.id, records_.size());
    if (!added) return records_[it->second] = std::move(r);
    records_.push_back(std::move(r));
    return records_.back();
  }

  // Documents that sync changed: taken as given when the winner came with them, else re-read from the store;
  // other prefixes are ignored; a deleted or malformed document leaves the list. True when the list changed.
  bool reload(const DocStore& store, const std::vector<sync::ChangedDoc>& changed) {
    bool any = false;
    std::deque<std::optional<nlohmann::json>> read_back;  // stable addresses
    for (const sync::ChangedDoc& c : changed) {
      if (!c.id.starts_with(prefix_)) continue;
      any = true;
      const std::optional<nlohmann::json>& doc = c.winner ? c.winner : read_back.emplace_back(store.get(c.id));
      if (!doc) {
        remove(c.id);
        continue;
      }
      try {
        upsert(parse_(*doc));
      } catch (const std::invalid_argument&) {
        remove(c.id);
        ++skipped_;
      }
    }
    return any;
  }

  // Several at once, in one pass over the list (a retention purge takes many).
  void remove_many(const std::vector<std::string>& ids) {
    const std::unordered_set<std::string> gone(ids.begin(), ids.end());
    std::erase_if(records_, [&](const Record& r) { return gone.count(r.id) > 0; });
    index_.clear();
    for (size_t i = 0; i < records_.size(); ++i) index_[records_[i].id] = i;
  }

  void remove(const std::string& id) {
    auto it = index_.find(id);
    if (it == index_.end()) return;
    const size_t at = it->second;
    index_.erase(it);
    records_.erase(records_.begin() + at);
    for (auto& [other, position] : index_)
      if (position > at) --position;
  }

 private:
  std::string prefix_;
  Parse parse_;
  std::vector<Record> records_;
  std::unordered_map<std::string, size_t> index_;  // _id -> position in records_
  size_t skipped_ = 0;
};

}  // namespace steward::store
