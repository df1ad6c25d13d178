#include "store/doc_store.hpp"

#include <algorithm>
#include <memory>
#include <new>
#include <unordered_set>
#include <utility>

#include "store/doc_entry.hpp"
#include "store/files.hpp"
#include "store/record.hpp"
#include "sync/json_dump.hpp"
#include "sync/json_parse.hpp"
#include "sync/revision.hpp"

namespace steward::store {

namespace {

using nlohmann::json;
using Kind = StoreError::Kind;
using detail::DocEntry;
using detail::LeafRecord;
using detail::Location;
using detail::PendingRevision;

constexpr std::string_view kLocalPrefix = "_local/";

// The latest record of a local document; N of its "0-N" revision is kept as the record's seq.
struct LocalEntry {
  Location loc;
  uint64_t number = 0;
};

struct Segment {
  files::File file;
  uint64_t size = 0;
};

// Store APIs throw only StoreError: anything else from inside (allocation, the library) is wrapped.
template <typename F>
auto guarded(const char* operation, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const StoreError&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw StoreError(Kind::Io, std::string(operation) + ": out of memory");
  } catch (const std::exception& e) {
    throw StoreError(Kind::Io, std::string(operation) + ": " + e.what());
  }
}

std::string offset_text(uint64_t offset) { return std::to_string(offset); }

bool is_local_id(std::string_view id) { return id.starts_with(kLocalPrefix); }

// A replicated document id: what put() also requires of "_id".
void check_doc_id(std::string_view id) {
  if (id.empty()) throw StoreError(Kind::BadDocument, "a document needs a non-empty string \"_id\"");
  if (id.size() > record::kMaxIdBytes) throw StoreError(Kind::BadDocument, "\"_id\" is too long");
  if (is_local_id(id)) {
    throw StoreError(Kind::BadDocument, std::string(id) + ": local documents are saved with put_local");
  }
}

// Local documents are named with or without the "_local/" prefix; stored (and returned) with it, as CouchDB does.
std::string local_doc_id(std::string_view id) {
  std::string full = is_local_id(id) ? std::string(id) : std::string(kLocalPrefix) + std::string(id);
  if (full.size() == kLocalPrefix.size()) throw StoreError(Kind::BadDocument, "a local document needs a name");
  if (full.size() > record::kMaxIdBytes) throw StoreError(Kind::BadDocument, "local document id is too long");
  return full;
}

bool has_metadata(const json& body) {
  if (!body.is_object()) return false;
  // Members are kept sorted, so the underscore ones are together, from the first key not below "_".
  const json::object_t& members = body.get_ref<const json::object_t&>();
  const auto first = members.lower_bound("_");
  return first != members.end() && first->first.starts_with('_');
}

std::string dump_body(const json& body, std::string_view id) {
  std::string bytes;
  try {
    bytes = sync::dump_json(body);
  } catch (const json::exception& e) {  // e.g. a string that is not valid UTF-8
    throw StoreError(Kind::BadDocument, std::string(id) + ": " + e.what());
  }
  if (bytes.size() > record::kMaxBodyBytes) {
    throw StoreError(Kind::BadDocument, std::string(id) + ": document is too large");
  }
  return bytes;
}

// A received revision path must name real generations (a root at 1 or above) and hashes a record can hold.
void check_path(std::string_view id, const sync::RevPath& path) {
  bool ok = !path.ids.empty() && path.start >= path.ids.size();
  for (const std::string& hash : path.ids) ok = ok && sync::is_rev_hash(hash) && hash.size() <= record::kMaxHashBytes;
  if (!ok) throw StoreError(Kind::BadDocument, std::string(id) + ": malformed revision path");
}

}  // namespace

struct DocStore::Impl {
  std::string dir;
  Options opts;
  OpenReport report;
  using Index = std::map<std::string, DocEntry, std::less<>>;
  Index index;
  std::map<uint64_t, const std::string*> by_seq;  // each document once, at its latest seq: the changes feed
  std::map<std::string, LocalEntry, std::less<>> locals;
  std::map<uint32_t, Segment> segments;  // by number; the last one is the active (appended) segment
  uint32_t next_segment = 1;
  uint64_t update_seq = 0;
  uint64_t total_bytes = 0;
  uint64_t live_bytes = 0;  // records of current leaves and of local documents

  // Segment numbers written or removed since take_file_changes(); true = written, false = removed.
  std::map<uint32_t, bool> changed;

  std::string path_of(uint32_t number) const { return dir + "/" + files::segment_name(number); }

  FileChanges take_file_changes() {
    FileChanges c;
    for (const auto& [number, written] : changed)
      (written ? c.written : c.removed).push_back(files::segment_name(number));
    changed.clear();
    return c;
  }

  // ---- opening ------------------------------------------------------------------------------------------

  void replay() {
    const std::vector<uint32_t> numbers = files::list_segments(dir);
    std::string buf;  // one buffer reused for every segment: replay reads each file whole, once
    for (size_t i = 0; i < numbers.size(); ++i) {
      const bool last = i + 1 == numbers.size();
      const auto mode = (last && !opts.read_only) ? files::File::Mode::ReadWrite : files::File::Mode::ReadOnly;
      Segment seg{files::File::open(path_of(numbers[i]), mode), 0};
      seg.file.read_all(buf);
      seg.size = replay_segment(numbers[i], buf, last, seg.file);
      total_bytes += seg.size;
      segments.emplace(numbers[i], std::move(seg));
    }
    if (!numbers.empty()) next_segment = numbers.back() + 1;
    finish_index();
    report.segments = segments.size();
  }

  // Once every record is in: winners first, the changes feed, and what is live.
  void finish_index() {
    std::vector<std::pair<uint64_t, const std::string*>> feed;
    feed.reserve(index.size());
    for (auto& [id, doc] : index) {
      for (const LeafRecord& l : doc.leaves()) live_bytes += l.loc.length;
      if (doc.live()) ++report.documents;
      feed.emplace_back(doc.seq, &id);
    }
    std::sort(feed.begin(), feed.end());
    for (const auto& entry : feed) by_seq.emplace_hint(by_seq.end(), entry);
    for (const auto& [id, local] : locals) live_bytes += local.loc.length;
  }

  // Returns the segment's size as kept (shorter than the file when a torn tail was cut off in memory).
  uint64_t replay_segment(uint32_t number, std::string_view bytes, bool last, files::File& file) {
    const std::string name = files::segment_name(number);
    size_t pos = 0;
    while (pos < bytes.size()) {
      const record::Decoded d = record::decode(bytes.substr(pos));
      if (d.status == record::Status::Ok) {
        apply(number, pos, d.view);
        pos += d.view.length;
        continue;
      }
      const std::string problem = name + ": " + record::describe(d.status) + " at offset " + offset_text(pos);
      // A valid record further on means damage inside the file, not a torn append: skip just the damage.
      const size_t next = record::find_next_valid(bytes, pos + 1);
      if (next != std::string_view::npos) {
        report.warnings.push_back(problem + "; " + std::to_string(next - pos) + " bytes skipped");
        pos = next;
        continue;
      }
      if (!last) {
        // An earlier segment was complete when the next one was started, so this is not a torn write:
        // leave the file alone for inspection.
        report.warnings.push_back(problem + "; rest of segment ignored");
        return bytes.size();
      }
      // The tail of the last segment: a write cut off by a crash. Everything before it is kept.
      report.torn_bytes_dropped += bytes.size() - pos;
      if (opts.read_only) {
        report.warnings.push_back(problem + "; torn tail ignored (read-only)");
      } else {
        file.truncate(pos);
        changed[number] = true;
        report.warnings.push_back(problem + "; tail dropped");
      }
      return pos;
    }
    return bytes.size();
  }

  void apply(uint32_t segment, uint64_t offset, const record::View& r) {
    ++report.records;
    const Location loc{segment, offset, static_cast<uint32_t>(r.length)};
    if (r.local) {
      apply_local(loc, r);
      return;
    }
    update_seq = std::max(update_seq, r.seq);
    if (r.purge) {  // what came before is forgotten; finish_index builds the feed from what is left
      if (const auto gone = index.find(r.id); gone != index.end()) index.erase(gone);
      return;
    }
    auto it = index.lower_bound(r.id);  // one search, whether the document is new or not
    if (it == index.end() || it->first != r.id) it = index.emplace_hint(it, std::string(r.id), DocEntry{});
    DocEntry& doc = it->second;
    // update_seq counts even a record ignored below: its seq must not be reused.
    if (doc.replay(r, loc, opts.revs_limit) == DocEntry::Replayed::Malformed) {
      report.warnings.push_back(files::segment_name(segment) + ": unreadable revision of " + std::string(r.id) +
                                " at offset " + offset_text(offset) + "; ignored");
      if (doc.leaves().empty()) index.erase(it);
      return;
    }
    doc.seq = std::max(doc.seq, r.seq);
  }

  void apply_local(const Location& loc, const record::View& r) {
    LocalEntry& local = locals[std::string(r.id)];
    // An equal number is the same record copied by compaction: pointing at the later copy is as good.
    if (r.seq >= local.number) local = {loc, r.seq};
  }

  // ---- writing ------------------------------------------------------------------------------------------

  void require_writable() const {
    if (opts.read_only) throw StoreError(Kind::ReadOnly, "the store is open read-only");
  }

  // Appends one encoded record in a single write, rolling to a new segment when the active one is full. On
  // failure nothing is left behind: the file is cut back and a segment created for this record removed.
  Location append(std::string_view rec) {
    const bool roll = segments.empty() || (segments.rbegin()->second.size > 0 &&
                                           segments.rbegin()->second.size + rec.size() > opts.segment_bytes);
    uint32_t number = 0;
    Segment fresh;
    Segment* target = nullptr;
    if (roll) {
      number = next_segment;
      fresh.file = files::File::open(path_of(number), files::File::Mode::Create);
      target = &fresh;
    } else {
      number = segments.rbegin()->first;
      target = &segments.rbegin()->second;
    }

    const uint64_t offset = target->size;
    try {
      target->file.write_at(offset, rec);
    } catch (const StoreError&) {
      if (roll) {
        fresh.file.close();
        files::remove_file(path_of(number));
      } else {
        // Cut off what part of the record made it. If even that fails, the next append still writes at
        // `offset` (pwrite, not O_APPEND), overwriting the fragment.
        try {
          target->file.truncate(offset);
        } catch (const StoreError&) {
        }
      }
      throw;
    }

    target->size += rec.size();
    total_bytes += rec.size();
    changed[number] = true;
    if (roll) {
      segments.emplace(number, std::move(fresh));
      next_segment = number + 1;
    }
    return {number, offset, static_cast<uint32_t>(rec.size())};
  }

  std::string put(json doc) {
    require_writable();
    if (!doc.is_object()) throw StoreError(Kind::BadDocument, "a document must be a JSON object");

    const auto id_it = doc.find("_id");
    if (id_it == doc.end() || !id_it->is_string()) {
      throw StoreError(Kind::BadDocument, "a document needs a non-empty string \"_id\"");
    }
    const std::string id = id_it->get<std::string>();
    check_doc_id(id);

    std::optional<std::string> given_rev;
    if (const auto r = doc.find("_rev"); r != doc.end()) {
      if (!r->is_string()) throw StoreError(Kind::BadDocument, id + ": \"_rev\" is not a string");
      given_rev = r->get<std::string>();
    }
    bool deleted = false;
    if (const auto del = doc.find("_deleted"); del != doc.end()) {
      if (!del->is_boolean()) throw StoreError(Kind::BadDocument, id + ": \"_deleted\" is not a boolean");
      deleted = del->get<bool>();
    }

    const Index::iterator place = index_place(id);
    const DocEntry* entry = entry_at(place, id);
    const std::optional<sync::RevId> parent = parent_for_edit(id, entry, given_rev);

    sync::strip_revision_metadata(doc);
    const std::string body = dump_body(doc, id);
    // Other underscore members (_attachments) are stored but not hashed.
    const sync::RevId rev = has_metadata(doc) ? sync::next_rev(parent, doc, deleted)
                                              : sync::next_rev_of_dump(parent, body, deleted);

    std::optional<PendingRevision> pending = entry_or_empty(entry).edit(parent, rev, deleted, opts.revs_limit);
    if (!pending) throw conflict(id, entry, given_rev);
    store_revision(id, place, std::move(*pending), body);
    return rev.str();
  }

  // A new document's revisions are worked out against an empty entry.
  static const DocEntry& entry_or_empty(const DocEntry* entry) {
    static const DocEntry empty;
    return entry ? *entry : empty;
  }

  // The revision a local edit descends from: the given _rev if it is a current leaf; for a document without one,
  // nothing when it is new, the winning tombstone when it was deleted (so replicas see one history).
  static std::optional<sync::RevId> parent_for_edit(const std::string& id, const DocEntry* entry,
                                                    const std::optional<std::string>& given_rev) {
    if (given_rev) {
      const std::optional<sync::RevId> rev = sync::parse_rev(*given_rev);
      if (!entry || !rev || !entry->find_leaf(*rev)) throw conflict(id, entry, given_rev);
      return rev;
    }
    if (!entry) return std::nullopt;
    if (!entry->winner().deleted) throw conflict(id, entry, given_rev);
    return entry->winner().rev;
  }

  static StoreError conflict(const std::string& id, const DocEntry* entry, const std::optional<std::string>& given) {
    const std::string stored = entry ? "stored " + entry->winner().rev.str() : std::string("not stored");
    return StoreError(Kind::Conflict,
                      id + ": document update conflict (" + stored + ", given " + given.value_or("none") + ")");
  }

  // A revision whose record is encoded, waiting for its run to be written.
  struct StagedRevision {
    size_t item;  // index into the caller's list
    Index::iterator place;
    PendingRevision pending;
    uint64_t offset;  // within the run's bytes
    uint32_t length;
  };

  sync::StoredLeaves put_replicated(const std::vector<sync::ReplicatedRevision>& items) {
    require_writable();
    sync::StoredLeaves out(items.size());
    std::vector<StagedRevision> run;
    std::string bytes;                         // the run's records, one after another
    std::unordered_set<std::string_view> ids;  // the run's documents
    // Taken out first: a run whose write failed is not written again (by the handler below).
    auto write_run = [&] {
      if (run.empty()) return;
      std::vector<StagedRevision> staged = std::exchange(run, {});
      const std::string block_bytes = std::exchange(bytes, {});
      ids.clear();
      const Location block = append(block_bytes);
      for (StagedRevision& s : staged) {
        const Location loc{block.segment, block.offset + s.offset, s.length};
        const DocEntry& doc = commit_revision(items[s.item].id, s.place, std::move(s.pending), loc, update_seq + 1);
        out[s.item] = doc.plain_leaves();
      }
    };
    try {
      for (size_t i = 0; i < items.size(); ++i) {
        const sync::ReplicatedRevision& r = items[i];
        const std::string_view id = r.id;
        check_doc_id(id);
        check_path(id, *r.path);
        if (!r.body->is_object()) {
          throw StoreError(Kind::BadDocument, std::string(id) + ": a body must be a JSON object");
        }
        // A second revision of a document is worked out against the first, which must be in memory by then.
        if (ids.contains(id)) write_run();

        const Index::iterator place = index_place(id);
        const DocEntry* entry = entry_at(place, id);
        if (entry && entry->knows(r.path->leaf())) continue;  // known already: nothing changes, no seq
        std::optional<PendingRevision> pending =
            entry_or_empty(entry).replicated(*r.path, r.deleted, opts.revs_limit);
        if (!pending) throw StoreError(Kind::Corrupt, std::string(id) + ": revision tree has a leaf without a record");

        std::string body;
        if (has_metadata(*r.body)) {
          json clean = *r.body;
          sync::strip_revision_metadata(clean);
          body = dump_body(clean, id);
        } else {
          body = dump_body(*r.body, id);
        }
        std::string rec;
        encode_revision(rec, id, *pending, update_seq + 1 + run.size(), body);
        // A run fills the active segment as single appends would, no further.
        const uint64_t active = segments.empty() ? 0 : segments.rbegin()->second.size;
        if (!run.empty() && active + bytes.size() + rec.size() > opts.segment_bytes) write_run();  // same seq after
        run.push_back({i, place, std::move(*pending), bytes.size(), static_cast<uint32_t>(rec.size())});
        bytes += rec;
        ids.insert(id);
      }
    } catch (const StoreError&) {
      write_run();  // what was accepted before the refused one is stored, as one by one
      throw;
    }
    write_run();
    return out;
  }

  // Where a document is in the index, or would go: one search serves both looking it up and adding it (in a large
  // pull the searches of a 10,000-entry map were a good part of storing a document).
  Index::iterator index_place(std::string_view id) { return index.lower_bound(id); }
  DocEntry* entry_at(Index::iterator place, std::string_view id) {
    return place != index.end() && place->first == id ? &place->second : nullptr;
  }

  static void encode_revision(std::string& out, std::string_view id, const PendingRevision& pending, uint64_t seq,
                              std::string_view body) {
    if (pending.ancestry.size() > record::kMaxAncestryBytes) {
      throw StoreError(Kind::BadDocument, std::string(id) + ": revision history too long for a record");
    }
    const std::string rev = pending.rev.str();
    record::encode(out, {.seq = seq, .deleted = pending.deleted, .local = false, .id = id, .rev = rev,
                         .ancestry = pending.ancestry, .body = body});
  }

  // Writes the record of a new revision, then (only then) updates memory. `place` is index_place(id), taken with no
  // change to the index since.
  const DocEntry& store_revision(std::string_view id, Index::iterator place, PendingRevision&& pending,
                                 std::string_view body) {
    const uint64_t seq = update_seq + 1;
    std::string rec;
    encode_revision(rec, id, pending, seq, body);
    const Location loc = append(rec);
    return commit_revision(id, place, std::move(pending), loc, seq);
  }

  // Memory after a revision's record is written at `loc`. `place` is index_place(id), taken before any change to
  // the index other than adding other documents.
  const DocEntry& commit_revision(std::string_view id, Index::iterator place, PendingRevision&& pending,
                                  const Location& loc, uint64_t seq) {
    const auto it = entry_at(place, id) ? place : index.emplace_hint(place, std::string(id), DocEntry{});
    DocEntry& doc = it->second;
    if (doc.seq != 0) by_seq.erase(doc.seq);
    live_bytes -= doc.commit(std::move(pending), loc, seq);
    live_bytes += loc.length;
    by_seq.emplace_hint(by_seq.end(), seq, &it->first);
    update_seq = seq;
    return doc;
  }

  void put_local(std::string_view name, const json& body) {
    require_writable();
    const std::string id = local_doc_id(name);
    if (!body.is_object()) throw StoreError(Kind::BadDocument, id + ": a local document must be a JSON object");
    json clean = body;
    sync::strip_revision_metadata(clean);
    const std::string bytes = dump_body(clean, id);

    const auto existing = locals.find(id);
    const uint64_t number = existing != locals.end() ? existing->second.number + 1 : 1;
    const std::string rev = "0-" + std::to_string(number);
    std::string rec;
    record::encode(rec, {.seq = number, .deleted = false, .local = true, .id = id, .rev = rev, .ancestry = {},
                         .body = bytes});
    const Location loc = append(rec);

    if (existing != locals.end()) live_bytes -= existing->second.loc.length;
    locals[id] = {loc, number};
    live_bytes += loc.length;
  }

  size_t purge(const std::vector<std::string>& ids) {
    require_writable();
    std::string recs;
    std::vector<std::string> purged;
    for (const std::string& id : ids) {
      check_doc_id(id);
      const DocEntry* doc = find(id);
      if (!doc || std::find(purged.begin(), purged.end(), id) != purged.end()) continue;
      const std::string rev = doc->winner().rev.str();
      record::encode(recs, {.seq = update_seq, .deleted = false, .local = false, .purge = true, .id = id, .rev = rev,
                            .ancestry = {}, .body = {}});
      purged.push_back(id);
    }
    if (purged.empty()) return 0;
    append(recs);  // one write for all: either every removal is recorded or none
    for (const std::string& id : purged) {
      auto it = index.find(id);
      for (const LeafRecord& l : it->second.leaves()) live_bytes -= l.loc.length;
      by_seq.erase(it->second.seq);
      index.erase(it);
    }
    return purged.size();
  }

  // ---- reading ------------------------------------------------------------------------------------------

  static json to_doc(const record::View& r) {
    json doc;
    try {
      doc = sync::parse_json(r.body);
    } catch (const json::exception&) {  // parse_error, or out_of_range for a number too large
    }
    if (!doc.is_object()) {
      throw StoreError(Kind::Corrupt, std::string(r.id) + ": stored body is not a JSON object");
    }
    doc["_id"] = std::string(r.id);
    doc["_rev"] = std::string(r.rev);
    if (r.deleted) doc["_deleted"] = true;
    return doc;
  }

  // The record the index points at, checked again: the file may have been damaged since it was opened.
  static record::View decode_at(std::string_view bytes, const Location& loc, std::string_view id) {
    const record::Decoded d = record::decode(bytes);
    const auto where = " in " + files::segment_name(loc.segment) + " at offset " + offset_text(loc.offset);
    if (d.status != record::Status::Ok || d.view.length != loc.length) {
      throw StoreError(Kind::Corrupt, std::string(id) + ": " + record::describe(d.status) + where);
    }
    if (d.view.id != id) throw StoreError(Kind::Corrupt, std::string(id) + ": another document's record" + where);
    return d.view;
  }

  const Segment& segment(uint32_t number) const {
    const auto it = segments.find(number);
    if (it == segments.end()) throw StoreError(Kind::Corrupt, "index refers to a missing segment");
    return it->second;
  }

  json read_doc(std::string_view id, const Location& loc) const {
    std::string bytes;
    segment(loc.segment).file.read_at(loc.offset, loc.length, bytes);
    return to_doc(decode_at(bytes, loc, id));
  }

  const DocEntry* find(std::string_view id) const {
    const auto it = index.find(id);
    return it == index.end() ? nullptr : &it->second;
  }

  std::optional<json> get(std::string_view id) const {
    const DocEntry* doc = find(id);
    if (!doc || !doc->live()) return std::nullopt;
    json result = read_doc(id, doc->winner().loc);
    const std::vector<sync::RevId> conflicts = doc->conflicts();
    if (!conflicts.empty()) {
      json& list = result["_conflicts"] = json::array();
      for (const sync::RevId& rev : conflicts) list.push_back(rev.str());
    }
    return result;
  }

  std::optional<json> get_rev(std::string_view id, const sync::RevId& rev, bool with_revisions) const {
    const DocEntry* doc = find(id);
    const LeafRecord* leaf = doc ? doc->find_leaf(rev) : nullptr;
    if (!leaf) return std::nullopt;
    json result = read_doc(id, leaf->loc);
    if (with_revisions) {
      const std::optional<sync::RevPath> path = doc->path_to_leaf(rev);
      if (!path) throw StoreError(Kind::Corrupt, std::string(id) + ": a leaf missing from its revision tree");
      result["_revisions"] = path->to_json();
    }
    return result;
  }

  std::optional<sync::RevTree> rev_tree(std::string_view id) const {
    const DocEntry* doc = find(id);
    if (!doc) return std::nullopt;
    return doc->tree();
  }

  std::vector<Change> changes_since(uint64_t since, size_t limit) const {
    std::vector<Change> changes;
    for (auto it = by_seq.upper_bound(since); it != by_seq.end() && changes.size() < limit; ++it) {
      Change& c = changes.emplace_back();
      c.seq = it->first;
      c.id = *it->second;
      c.leaves = index.find(*it->second)->second.plain_leaves();
    }
    return changes;
  }

  size_t count_changes_since(uint64_t since) const {
    // Walking the map costs what it counts: all of it after each batch of a first pull (nothing pushed yet),
    // which made that pull quadratic, so that case is answered from the size.
    if (by_seq.empty() || since < by_seq.begin()->first) return by_seq.size();
    return static_cast<size_t>(std::distance(by_seq.upper_bound(since), by_seq.end()));
  }

  std::optional<json> get_local(std::string_view name) const {
    const std::string id = local_doc_id(name);
    const auto it = locals.find(id);
    if (it == locals.end()) return std::nullopt;
    return read_doc(id, it->second.loc);
  }

  // The records to visit, in _id order, with their bytes. A segment holding a good share of the wanted
  // records is read whole, in one sequential read, instead of one pread per document.
  struct Batch {
    struct Item {
      const std::string* id;
      Location loc;
      std::string_view bytes;
    };
    std::vector<Item> items;
    std::map<uint32_t, std::string> whole_segments;
    std::vector<std::string> single_records;  // reserved up front: views into it must not move
  };

  Batch gather(std::string_view prefix) const {
    Batch b;
    std::map<uint32_t, uint64_t> wanted_bytes;
    for (auto it = index.lower_bound(prefix); it != index.end() && it->first.starts_with(prefix); ++it) {
      if (!it->second.live()) continue;
      const Location& loc = it->second.winner().loc;
      b.items.push_back({&it->first, loc, {}});
      wanted_bytes[loc.segment] += loc.length;
    }
    for (const auto& [number, wanted] : wanted_bytes) {
      const Segment& seg = segment(number);
      if (wanted * 4 >= seg.size) seg.file.read_all(b.whole_segments[number]);
    }
    b.single_records.reserve(b.items.size());
    for (auto& item : b.items) {
      if (const auto w = b.whole_segments.find(item.loc.segment); w != b.whole_segments.end()) {
        if (item.loc.offset + item.loc.length > w->second.size()) {
          throw StoreError(Kind::Corrupt,
                           *item.id + ": record past the end of " + files::segment_name(item.loc.segment));
        }
        item.bytes = std::string_view(w->second).substr(item.loc.offset, item.loc.length);
      } else {
        std::string& rec = b.single_records.emplace_back();
        segment(item.loc.segment).file.read_at(item.loc.offset, item.loc.length, rec);
        item.bytes = rec;
      }
    }
    return b;
  }

  // ---- compaction -----------------------------------------------------------------------------------------

  bool compaction_worthwhile() const {
    const uint64_t dead = total_bytes - live_bytes;
    return dead >= opts.compact_min_dead_bytes &&
           static_cast<double>(dead) >= opts.compact_dead_ratio * static_cast<double>(total_bytes);
  }

  // A record compaction keeps: a current leaf of a document, or a local document's latest.
  struct Kept {
    const std::string* id;
    Location loc;
    DocEntry* doc = nullptr;  // with the leaf's rev
    sync::RevId rev;
    LocalEntry* local = nullptr;

    void moved_to(const Location& to) const {
      if (doc) doc->relocate(rev, to);
      if (local) local->loc = to;
    }
  };

  // Every record to keep, grouped by the segment it is in and in file order, so each old segment is read once,
  // front to back (and the copies keep their seq order).
  std::map<uint32_t, std::vector<Kept>> records_to_keep() {
    std::map<uint32_t, std::vector<Kept>> by_segment;
    for (auto& [id, doc] : index) {
      for (const LeafRecord& l : doc.leaves()) by_segment[l.loc.segment].push_back({&id, l.loc, &doc, l.rev, nullptr});
    }
    for (auto& [id, local] : locals) by_segment[local.loc.segment].push_back({&id, local.loc, nullptr, {}, &local});
    for (auto& [number, list] : by_segment) {
      std::sort(list.begin(), list.end(), [](const Kept& a, const Kept& b) { return a.loc.offset < b.loc.offset; });
    }
    return by_segment;
  }

  // Appends the record to keep to `out`: byte for byte (same seq, same checksum) when it already carries the
  // revision's whole path as the tree now knows it; re-encoded with that path (same seq) when the tree has learnt
  // more since it was written, so a store rebuilt from the kept records alone has the same trees.
  static void copy_kept(std::string& out, std::string_view old_record, const Kept& kept) {
    const record::View r = decode_at(old_record, kept.loc, *kept.id);
    if (kept.doc) {
      const std::string ancestry = kept.doc->ancestry_of(kept.rev);
      if (ancestry != r.ancestry) {
        record::encode(out, {.seq = r.seq, .deleted = r.deleted, .local = false, .id = r.id, .rev = r.rev,
                             .ancestry = ancestry, .body = r.body});
        return;
      }
    }
    out.append(old_record);
  }

  void compact() {
    require_writable();
    const std::map<uint32_t, std::vector<Kept>> by_segment = records_to_keep();

    struct Written {
      uint32_t number;
      Segment seg;
    };
    std::vector<Written> written;
    std::vector<std::pair<const Kept*, Location>> moves;
    std::string out;
    uint32_t number = next_segment;

    auto flush = [&] {
      if (out.empty()) return;
      Written w{number, {files::File::open(path_of(number), files::File::Mode::Create), out.size()}};
      written.push_back(std::move(w));  // listed before writing, so a failed write is cleaned up too
      written.back().seg.file.write_at(0, out);
      written.back().seg.file.sync();
      ++number;
      out.clear();
    };

    try {
      std::string old;
      for (const auto& [old_number, list] : by_segment) {
        segment(old_number).file.read_all(old);
        for (const Kept& kept : list) {
          const Location& loc = kept.loc;
          if (loc.offset + loc.length > old.size()) {
            throw StoreError(Kind::Corrupt, *kept.id + ": record past the end of " + files::segment_name(old_number));
          }
          // Checked (by decoding) before copying: compaction deletes the old files, so it must not carry damage
          // forward.
          std::string rec;
          copy_kept(rec, std::string_view(old).substr(loc.offset, loc.length), kept);
          if (!out.empty() && out.size() + rec.size() > opts.segment_bytes) flush();
          moves.push_back({&kept, {number, out.size(), static_cast<uint32_t>(rec.size())}});
          out += rec;
        }
      }
      flush();
      files::sync_directory(dir);
    } catch (...) {
      for (Written& w : written) {
        w.seg.file.close();
        files::remove_file(path_of(w.number));
      }
      throw;
    }

    // The new segments are complete: switch over, then delete the old ones. A crash from here on leaves
    // old and new side by side, which replay resolves (a leaf's record twice is the same revision).
    live_bytes = 0;
    for (const auto& [kept, moved] : moves) {
      kept->moved_to(moved);
      live_bytes += moved.length;
    }
    std::map<uint32_t, Segment> old_segments = std::move(segments);
    segments.clear();
    total_bytes = 0;
    for (Written& w : written) {
      total_bytes += w.seg.size;
      changed[w.number] = true;
      segments.emplace(w.number, std::move(w.seg));
    }
    next_segment = number;
    for (auto& [old_number, seg] : old_segments) {
      seg.file.close();
      files::remove_file(path_of(old_number));
      changed[old_number] = false;
    }
    files::sync_directory(dir);
  }
};

// ---- the public face: every call guarded so only StoreError escapes ------------------------------------

DocStore DocStore::open(const std::string& dir, Options opts) {
  return guarded("open", [&] {
    auto impl = std::make_unique<Impl>();
    impl->dir = dir;
    impl->opts = opts;
    impl->opts.revs_limit = std::max<size_t>(opts.revs_limit, 1);  // CouchDB's minimum: the leaf itself
    if (!opts.read_only) files::create_directories(dir);
    impl->replay();
    return DocStore(impl.release());
  });
}

DocStore::DocStore(Impl* impl) : impl_(impl) {}
DocStore::DocStore(DocStore&& o) noexcept : impl_(std::exchange(o.impl_, nullptr)) {}
DocStore& DocStore::operator=(DocStore&& o) noexcept {
  if (this != &o) {
    delete impl_;
    impl_ = std::exchange(o.impl_, nullptr);
  }
  return *this;
}
DocStore::~DocStore() { delete impl_; }

std::string DocStore::put(nlohmann::json doc) {
  return guarded("put", [&] { return impl_->put(std::move(doc)); });
}

std::optional<nlohmann::json> DocStore::get(std::string_view id) const {
  return guarded("get", [&] { return impl_->get(id); });
}

bool DocStore::put_replicated(std::string_view id, const sync::RevPath& path, bool deleted,
                              const nlohmann::json& body, std::vector<sync::Leaf>* leaves_after) {
  sync::StoredLeaves stored = put_replicated({sync::ReplicatedRevision{id, &path, deleted, &body}});
  if (!stored[0]) return false;
  if (leaves_after) *leaves_after = std::move(*stored[0]);
  return true;
}

sync::StoredLeaves DocStore::put_replicated(const std::vector<sync::ReplicatedRevision>& revisions) {
  return guarded("put_replicated", [&] { return impl_->put_replicated(revisions); });
}

std::optional<sync::RevTree> DocStore::rev_tree(std::string_view id) const {
  return guarded("rev_tree", [&] { return impl_->rev_tree(id); });
}

std::vector<sync::Leaf> DocStore::leaves(std::string_view id) const {
  const detail::DocEntry* doc = impl_->find(id);
  return doc ? doc->plain_leaves() : std::vector<sync::Leaf>{};
}

std::optional<nlohmann::json> DocStore::get_rev(std::string_view id, const sync::RevId& rev,
                                                bool with_revisions) const {
  return guarded("get_rev", [&] { return impl_->get_rev(id, rev, with_revisions); });
}

std::vector<DocStore::Change> DocStore::changes_since(uint64_t since, size_t limit) const {
  return guarded("changes_since", [&] { return impl_->changes_since(since, limit); });
}

size_t DocStore::count_changes_since(uint64_t since) const { return impl_->count_changes_since(since); }

size_t DocStore::purge(const std::vector<std::string>& ids) {
  return guarded("purge", [&] { return impl_->purge(ids); });
}

uint64_t DocStore::doc_seq(std::string_view id) const {
  const detail::DocEntry* doc = impl_->find(id);
  return doc ? doc->seq : 0;
}

std::optional<nlohmann::json> DocStore::get_local(std::string_view id) const {
  return guarded("get_local", [&] { return impl_->get_local(id); });
}

void DocStore::put_local(std::string_view id, const nlohmann::json& body) {
  guarded("put_local", [&] { impl_->put_local(id, body); });
}

void DocStore::for_each(const std::function<void(const nlohmann::json& doc)>& fn) const {
  for_each_with_prefix("", fn);
}

void DocStore::for_each_with_prefix(std::string_view prefix,
                                    const std::function<void(const nlohmann::json& doc)>& fn) const {
  const Impl::Batch batch = guarded("for_each", [&] { return impl_->gather(prefix); });
  for (const auto& item : batch.items) {
    const nlohmann::json doc =
        guarded("for_each", [&] { return Impl::to_doc(Impl::decode_at(item.bytes, item.loc, *item.id)); });
    fn(doc);  // outside the guard: the caller's own exceptions pass through unchanged
  }
}

const OpenReport& DocStore::open_report() const { return impl_->report; }

Stats DocStore::stats() const {
  return {impl_->segments.size(), impl_->total_bytes, impl_->live_bytes, impl_->index.size(), impl_->update_seq};
}

uint64_t DocStore::update_seq() const { return impl_->update_seq; }

bool DocStore::compaction_worthwhile() const { return impl_->compaction_worthwhile(); }

void DocStore::compact() {
  guarded("compact", [&] { impl_->compact(); });
}

FileChanges DocStore::take_file_changes() { return impl_->take_file_changes(); }

std::vector<std::string> DocStore::segment_files() const {
  std::vector<std::string> names;
  for (const auto& [number, seg] : impl_->segments) names.push_back(files::segment_name(number));
  return names;
}

}  // namespace steward::store
