#include "store/doc_store.hpp"

#include <algorithm>
#include <memory>
#include <new>
#include <utility>

#include "store/files.hpp"
#include "store/record.hpp"
#include "sync/revision.hpp"

namespace steward::store {

namespace {

using nlohmann::json;
using Kind = StoreError::Kind;

// Where a record lives.
struct Location {
  uint32_t segment = 0;
  uint64_t offset = 0;
  uint32_t length = 0;
};

// The index entry of one document: its latest record. Bodies stay on disk.
struct Entry {
  Location loc;
  uint64_t seq = 0;
  std::string rev;
  bool deleted = false;
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

}  // namespace

struct DocStore::Impl {
  std::string dir;
  Options opts;
  OpenReport report;
  std::map<std::string, Entry, std::less<>> index;
  std::map<uint32_t, Segment> segments;  // by number; the last one is the active (appended) segment
  uint32_t next_segment = 1;
  uint64_t update_seq = 0;
  uint64_t total_bytes = 0;
  uint64_t live_bytes = 0;

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

    for (const auto& [id, e] : index) {
      live_bytes += e.loc.length;
      if (!e.deleted) ++report.documents;
    }
    report.segments = segments.size();
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
    update_seq = std::max(update_seq, r.seq);
    auto it = index.find(r.id);
    if (it == index.end()) {
      it = index.emplace(std::string(r.id), Entry{}).first;
    } else if (r.seq < it->second.seq) {
      return;  // an older revision (or a stale copy left by an interrupted compaction)
    }
    // Equal seq is the same record copied by compaction: pointing at the later copy is as good.
    Entry& e = it->second;
    e.loc = {segment, offset, static_cast<uint32_t>(r.length)};
    e.seq = r.seq;
    e.rev.assign(r.rev);
    e.deleted = r.deleted;
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
    if (id_it == doc.end() || !id_it->is_string() || id_it->get_ref<const std::string&>().empty()) {
      throw StoreError(Kind::BadDocument, "a document needs a non-empty string \"_id\"");
    }
    const std::string id = id_it->get<std::string>();
    if (id.size() > record::kMaxIdBytes) throw StoreError(Kind::BadDocument, "\"_id\" is too long");

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

    const auto existing = index.find(id);
    std::optional<sync::RevId> parent;
    if (existing != index.end()) {
      const Entry& e = existing->second;
      // A deleted document may be recreated without a _rev (get() cannot show the tombstone's rev); the new
      // revision still descends from the tombstone, so replicas see one history.
      const bool rev_ok = given_rev ? *given_rev == e.rev : e.deleted;
      if (!rev_ok) {
        throw StoreError(Kind::Conflict, id + ": document update conflict (stored " + e.rev + ", given " +
                                             (given_rev ? *given_rev : std::string("none")) + ")");
      }
      parent = sync::parse_rev(e.rev);
      if (!parent) throw StoreError(Kind::Corrupt, id + ": stored revision \"" + e.rev + "\" is malformed");
    } else if (given_rev) {
      throw StoreError(Kind::Conflict, id + ": document update conflict (not stored, given " + *given_rev + ")");
    }

    doc.erase("_id");
    doc.erase("_rev");
    doc.erase("_deleted");
    std::string body;
    std::string rev;
    try {
      body = doc.dump();
      rev = sync::next_rev(parent, doc, deleted).str();
    } catch (const json::exception& e) {  // e.g. a string that is not valid UTF-8
      throw StoreError(Kind::BadDocument, id + ": " + e.what());
    }
    if (body.size() > record::kMaxBodyBytes) throw StoreError(Kind::BadDocument, id + ": document is too large");

    const uint64_t seq = update_seq + 1;
    std::string rec;
    record::encode(rec, seq, deleted, id, rev, body);
    const Location loc = append(rec);

    // Only now, with the record written, does memory change.
    if (existing != index.end()) {
      live_bytes -= existing->second.loc.length;
      existing->second = Entry{loc, seq, rev, deleted};
    } else {
      index.emplace(id, Entry{loc, seq, rev, deleted});
    }
    live_bytes += loc.length;
    update_seq = seq;
    return rev;
  }

  // ---- reading ------------------------------------------------------------------------------------------

  static json to_doc(const record::View& r) {
    json doc = json::parse(r.body.begin(), r.body.end(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object()) {
      throw StoreError(Kind::Corrupt, std::string(r.id) + ": stored body is not a JSON object");
    }
    doc["_id"] = std::string(r.id);
    doc["_rev"] = std::string(r.rev);
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

  std::optional<json> get(std::string_view id) const {
    const auto it = index.find(id);
    if (it == index.end() || it->second.deleted) return std::nullopt;
    const Location& loc = it->second.loc;
    std::string bytes;
    segment(loc.segment).file.read_at(loc.offset, loc.length, bytes);
    return to_doc(decode_at(bytes, loc, id));
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
      if (it->second.deleted) continue;
      b.items.push_back({&it->first, it->second.loc, {}});
      wanted_bytes[it->second.loc.segment] += it->second.loc.length;
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

  void compact() {
    require_writable();
    // The latest record of every id (tombstones too: replicas must still learn of deletions), grouped by the
    // segment it is in and in file order, so each old segment is read once, front to back.
    struct Live {
      const std::string* id;
      Entry* entry;
    };
    std::map<uint32_t, std::vector<Live>> by_segment;
    for (auto& [id, e] : index) by_segment[e.loc.segment].push_back({&id, &e});
    for (auto& [number, list] : by_segment) {
      std::sort(list.begin(), list.end(),
                [](const Live& a, const Live& b) { return a.entry->loc.offset < b.entry->loc.offset; });
    }

    struct Written {
      uint32_t number;
      Segment seg;
    };
    std::vector<Written> written;
    std::vector<std::pair<Entry*, Location>> moves;
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
        for (const Live& live : list) {
          const Location& loc = live.entry->loc;
          if (loc.offset + loc.length > old.size()) {
            throw StoreError(Kind::Corrupt, *live.id + ": record past the end of " + files::segment_name(old_number));
          }
          // Checked before copying: compaction deletes the old files, so it must not carry damage forward.
          decode_at(std::string_view(old).substr(loc.offset, loc.length), loc, *live.id);
          if (!out.empty() && out.size() + loc.length > opts.segment_bytes) flush();
          // Records are copied byte for byte: same seq, same checksum, nothing to re-encode.
          moves.push_back({live.entry, {number, out.size(), loc.length}});
          out.append(old, loc.offset, loc.length);
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
    // old and new side by side, which replay resolves by seq.
    for (auto& [e, loc] : moves) e->loc = loc;
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
