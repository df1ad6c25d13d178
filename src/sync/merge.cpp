#include "sync/merge.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>

namespace steward::sync {

using nlohmann::json;

namespace {

// The text form is "<16 digits ms>-<4 digits counter>-<node>": fixed width up to the node, so comparing the
// text byte by byte compares (ms, counter, node), exactly like Hlc's operator<=>.
constexpr size_t kMsDigits = 16;
constexpr size_t kCounterDigits = 4;
constexpr int64_t kMsMax = 9'999'999'999'999'999;  // the largest 16-digit value
constexpr uint32_t kCounterMax = 9'999;            // the largest 4-digit value
constexpr size_t kNodeStart = kMsDigits + 1 + kCounterDigits + 1;

// Fields that are not merged as data: metadata (_id, _rev, ...) and the merge bookkeeping itself.
bool is_data_field(const std::string& key) {
  return !key.starts_with('_') && key != "stamps" && key != "merged_from" && key != "merge_detail";
}

bool is_entry_list(const json& value);

// Entry ids of an append-only list value (empty for anything else).
std::set<std::string> entry_ids(const json* value) {
  std::set<std::string> ids;
  if (value && is_entry_list(*value))
    for (const json& entry : *value) ids.insert(entry["id"].get<std::string>());
  return ids;
}

template <class Int>
bool parse_digits(std::string_view text, Int& out) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) return false;
  const auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), out);
  return err == std::errc() && end == text.data() + text.size();
}

// Node ids are printable ASCII without spaces, so a stamp reads unambiguously wherever it is shown or logged.
bool is_valid_node(std::string_view node) {
  return !node.empty() && std::all_of(node.begin(), node.end(), [](char c) { return c > ' ' && c <= '~'; });
}

// CouchDB's winner order between revisions: the higher generation, then the greater hash.
bool rev_less(const RevId& a, const RevId& b) {
  return std::tie(a.generation, a.hash) < std::tie(b.generation, b.hash);
}

// A top-level array whose elements are all objects with a string "id": an append-only list (an empty array
// qualifies, so a list that has no entries yet on one side still merges with the other side's entries).
bool is_entry_list(const json& value) {
  return value.is_array() && std::all_of(value.begin(), value.end(), [](const json& entry) {
           return entry.is_object() && entry.contains("id") && entry["id"].is_string();
         });
}

// List order: by "at" (entries without a number or string "at" first, then numbers, then strings), then "id".
// Ids are unique in a merged list, so this is a total order and the result does not depend on input order.
bool entry_less(const json& a, const json& b) {
  const auto at_kind = [](const json& entry) {
    const auto at = entry.find("at");
    if (at == entry.end()) return 0;
    if (at->is_number()) return 1;
    if (at->is_string()) return 2;
    return 0;
  };
  const int kind_a = at_kind(a), kind_b = at_kind(b);
  if (kind_a != kind_b) return kind_a < kind_b;
  if (kind_a != 0) {
    const json& at_a = a["at"];
    const json& at_b = b["at"];
    if (at_a != at_b) return at_a < at_b;  // numbers compare by value across integer and float, strings bytewise
  }
  return a["id"].get_ref<const json::string_t&>() < b["id"].get_ref<const json::string_t&>();
}

// One leaf's claim to a field's value.
struct Candidate {
  const RevId* rev;
  const json* value;          // nullptr when the leaf lacks the field
  std::optional<Hlc> stamp;   // nullopt when the leaf has no (valid) stamp for the field
};

// The merge rule for one field: a stamped value beats an unstamped one; the greater stamp wins; a leaf that has
// the field beats one that lacks it; then CouchDB's revision order decides.
bool beats(const Candidate& a, const Candidate& b) {
  if (a.stamp.has_value() != b.stamp.has_value()) return a.stamp.has_value();
  if (a.stamp && *a.stamp != *b.stamp) return *b.stamp < *a.stamp;
  if ((a.value != nullptr) != (b.value != nullptr)) return a.value != nullptr;
  return rev_less(*b.rev, *a.rev);
}

// The valid stamps of a body's data fields.
std::map<std::string, Hlc> read_stamps(const json& body) {
  std::map<std::string, Hlc> stamps;
  const auto it = body.find("stamps");
  if (it == body.end() || !it->is_object()) return stamps;
  for (const auto& [key, text] : it->items()) {
    if (!is_data_field(key) || !text.is_string()) continue;
    if (auto stamp = Hlc::parse(text.get_ref<const json::string_t&>())) stamps.emplace(key, std::move(*stamp));
  }
  return stamps;
}

// The union by id of the candidates' lists (best candidate first): for an id in several lists, the entry from
// the best candidate is kept.
json merge_entry_lists(const std::vector<Candidate>& ranked) {
  std::map<std::string, const json*> by_id;
  for (const Candidate& candidate : ranked) {
    if (candidate.value == nullptr || !candidate.value->is_array()) continue;  // absent or null: no entries
    for (const json& entry : *candidate.value) {
      by_id.emplace(entry["id"].get<std::string>(), &entry);  // keeps the first (best) entry for an id
    }
  }
  std::vector<const json*> entries;
  entries.reserve(by_id.size());
  for (const auto& [id, entry] : by_id) entries.push_back(entry);
  std::sort(entries.begin(), entries.end(), [](const json* a, const json* b) { return entry_less(*a, *b); });
  json list = json::array();
  for (const json* entry : entries) list.push_back(*entry);
  return list;
}

}  // namespace

// ---- hybrid logical clock ---------------------------------------------------------------------------------

std::string Hlc::str() const {
  // Fixed width only for ms in [0, kMsMax] and counter <= kCounterMax: HlcClock and parse() never produce others.
  char prefix[64];
  std::snprintf(prefix, sizeof prefix, "%016lld-%04lu-", static_cast<long long>(ms),
                static_cast<unsigned long>(counter));
  return prefix + node;
}

std::optional<Hlc> Hlc::parse(std::string_view s) {
  if (s.size() <= kNodeStart || s[kMsDigits] != '-' || s[kMsDigits + 1 + kCounterDigits] != '-') {
    return std::nullopt;
  }
  Hlc stamp;
  if (!parse_digits(s.substr(0, kMsDigits), stamp.ms)) return std::nullopt;
  if (!parse_digits(s.substr(kMsDigits + 1, kCounterDigits), stamp.counter)) return std::nullopt;
  const std::string_view node = s.substr(kNodeStart);
  if (!is_valid_node(node)) return std::nullopt;
  stamp.node = std::string(node);
  return stamp;
}

Hlc HlcClock::now(int64_t wall_ms) {
  // A wall clock set before 1970 or absurdly far ahead is clamped, so every stamp keeps the fixed-width form.
  wall_ms = std::clamp<int64_t>(wall_ms, 0, kMsMax);
  if (wall_ms > last_.ms) {
    last_.ms = wall_ms;
    last_.counter = 0;
  } else if (last_.counter < kCounterMax) {
    // The wall clock has not moved past the last stamp (same millisecond, clock set back, or a stamp from a
    // replica whose clock runs ahead): count on from the last stamp instead.
    ++last_.counter;
  } else {
    // The counter's digits are used up: borrow the next millisecond rather than widen the text form.
    ++last_.ms;
    last_.counter = 0;
  }
  last_.node = node_;
  return last_;
}

void HlcClock::observe(const Hlc& seen) {
  // Only (ms, counter) matter: the next stamp issued here is above them whatever the nodes, since it counts on.
  if (std::tie(seen.ms, seen.counter) > std::tie(last_.ms, last_.counter)) {
    last_.ms = seen.ms;
    last_.counter = seen.counter;
  }
}

// ---- stamping an edit ---------------------------------------------------------------------------------------

void stamp_changes(const json& before, json& after, const Hlc& stamp) {
  if (!after.is_object()) throw std::invalid_argument("stamp_changes: the document is not a JSON object");
  const bool has_before = before.is_object();  // null (a new document): every field is new

  // The stamps of unchanged fields carry over: from `after` (normally an edited copy of `before`), or from
  // `before` when the caller built `after` without them.
  json stamps = json::object();
  if (after.contains("stamps") && after["stamps"].is_object()) {
    stamps = after["stamps"];
  } else if (has_before && before.contains("stamps") && before["stamps"].is_object()) {
    stamps = before["stamps"];
  }

  const std::string text = stamp.str();
  for (const auto& [key, value] : after.items()) {
    if (!is_data_field(key)) continue;
    const auto old = has_before ? before.find(key) : before.end();
    if (!has_before || old == before.end() || *old != value) stamps[key] = text;
  }
  // A removed field is kept as a stamped null: a deletion is an edit like any other, and must beat older
  // values of the field in a merge (an absent, unstamped field would lose to them).
  if (has_before) {
    for (const auto& [key, old] : before.items()) {
      if (is_data_field(key) && !old.is_null() && !after.contains(key)) {
        after[key] = nullptr;
        stamps[key] = text;
      }
    }
  }
  after["stamps"] = std::move(stamps);
  after.erase("merged_from");
  after.erase("merge_detail");
}

// ---- merging leaves ----------------------------------------------------------------------------------------

json merge_leaves(std::vector<LeafDoc> leaves) {
  if (leaves.empty()) throw std::invalid_argument("merge_leaves: no leaves");

  // The result is a function of the set of leaves: order them (winner order), and drop repeats of a revision.
  std::sort(leaves.begin(), leaves.end(), [](const LeafDoc& a, const LeafDoc& b) {
    if (a.rev != b.rev) return rev_less(b.rev, a.rev);
    return a.body.dump() < b.body.dump();  // only for malformed input: one revision with two bodies
  });
  leaves.erase(std::unique(leaves.begin(), leaves.end(),
                           [](const LeafDoc& a, const LeafDoc& b) { return a.rev == b.rev; }),
               leaves.end());

  static const json kNoFields = json::object();
  std::vector<const json*> bodies;
  std::vector<std::map<std::string, Hlc>> stamps;
  std::set<std::string> fields;  // every data field in any leaf (or only in its stamps: a deletion)
  for (const LeafDoc& leaf : leaves) {
    const json* body = leaf.body.is_object() ? &leaf.body : &kNoFields;
    bodies.push_back(body);
    stamps.push_back(read_stamps(*body));
    for (const auto& [key, value] : body->items()) {
      if (is_data_field(key)) fields.insert(key);
    }
    for (const auto& [key, stamp] : stamps.back()) fields.insert(key);
  }

  json merged = json::object();
  json merged_stamps = json::object();
  // For people: which leaf each disputed field was taken from (fields all leaves agree on are nobody's edit).
  std::vector<json> taken(leaves.size(), json::array());
  for (const std::string& key : fields) {
    std::vector<Candidate> ranked;
    bool any_list = false, all_lists = true;  // over the leaves' non-null values
    for (size_t i = 0; i < leaves.size(); ++i) {
      Candidate candidate{&leaves[i].rev, nullptr, std::nullopt};
      if (const auto it = bodies[i]->find(key); it != bodies[i]->end()) candidate.value = &*it;
      if (const auto it = stamps[i].find(key); it != stamps[i].end()) candidate.stamp = it->second;
      if (candidate.value && !candidate.value->is_null()) {
        const bool list = is_entry_list(*candidate.value);
        any_list = any_list || list;
        all_lists = all_lists && list;
      }
      ranked.push_back(std::move(candidate));
    }
    std::sort(ranked.begin(), ranked.end(), beats);
    const Candidate& best = ranked.front();
    if (best.value == nullptr && !best.stamp) continue;  // only invalid stamps named it

    if (any_list && all_lists) {
      // Append-only: nothing any leaf added is lost. A null or missing list contributes no entries (entries
      // are never deleted, so neither is the list).
      merged[key] = merge_entry_lists(ranked);
      // Every leaf with an entry that another leaf lacks added to the merge.
      std::vector<std::set<std::string>> ids;
      for (size_t i = 0; i < leaves.size(); ++i) {
        const auto it = bodies[i]->find(key);
        ids.push_back(entry_ids(it != bodies[i]->end() ? &*it : nullptr));
      }
      for (size_t i = 0; i < leaves.size(); ++i) {
        const bool adds = std::any_of(ids.begin(), ids.end(), [&](const std::set<std::string>& other) {
          return !std::includes(other.begin(), other.end(), ids[i].begin(), ids[i].end());
        });
        if (adds) taken[i].push_back(key);
      }
    } else {
      // Missing from the best leaf, but stamped there: a deletion, kept as a stamped null (see stamp_changes).
      merged[key] = best.value ? *best.value : json(nullptr);
      const bool disputed = std::any_of(ranked.begin(), ranked.end(), [&](const Candidate& c) {
        return (c.value ? *c.value : json(nullptr)) != merged[key];
      });
      if (disputed) {
        for (size_t i = 0; i < leaves.size(); ++i)
          if (leaves[i].rev == *best.rev) taken[i].push_back(key);
      }
    }
    if (best.stamp) merged_stamps[key] = best.stamp->str();
  }
  merged["stamps"] = std::move(merged_stamps);

  // Attachments (photos of a finding, say) are evidence: the merge keeps every one any leaf has, by name, the
  // version of the leaf first in winner order when two leaves have the same name.
  json attachments = json::object();
  std::vector<std::set<std::string>> attachment_names(leaves.size());
  for (size_t i = 0; i < leaves.size(); ++i) {
    const auto it = bodies[i]->find("_attachments");
    if (it == bodies[i]->end() || !it->is_object()) continue;
    for (const auto& [name, attachment] : it->items()) {
      attachment_names[i].insert(name);
      if (!attachments.contains(name)) attachments[name] = attachment;
    }
  }
  if (!attachments.empty()) merged["_attachments"] = std::move(attachments);
  for (size_t i = 0; i < leaves.size(); ++i) {
    const bool adds = std::any_of(attachment_names.begin(), attachment_names.end(), [&](const std::set<std::string>& other) {
      return !std::includes(other.begin(), other.end(), attachment_names[i].begin(), attachment_names[i].end());
    });
    if (adds) taken[i].push_back("_attachments");
  }

  // Each leaf's part, in revision order like merged_from: its latest edit (who and when, from its stamps) and
  // the fields the merge took from it.
  json detail = json::array();
  for (size_t n = leaves.size(); n-- > 0;) {
    json edit = {{"rev", leaves[n].rev.str()}, {"fields", std::move(taken[n])}};
    const Hlc* latest = nullptr;
    for (const auto& [key, stamp] : stamps[n])
      if (!latest || *latest < stamp) latest = &stamp;
    if (latest) {
      edit["by"] = latest->node;
      edit["at"] = latest->ms;
    }
    detail.push_back(std::move(edit));
  }
  merged["merge_detail"] = std::move(detail);

  // The direct leaves, in revision order (generation, then hash), for people to see what the merge combined.
  json merged_from = json::array();
  for (auto it = leaves.rbegin(); it != leaves.rend(); ++it) merged_from.push_back(it->rev.str());
  merged["merged_from"] = std::move(merged_from);
  return merged;
}

// ---- resolving a conflict ------------------------------------------------------------------------------------

std::optional<Resolution> resolve_conflict(const RevTree& tree, const std::vector<LeafDoc>& bodies) {
  std::vector<RevId> live;
  for (const Leaf& leaf : tree.leaves()) {
    if (!leaf.deleted) live.push_back(leaf.rev);
  }
  if (live.size() < 2) return std::nullopt;
  // Losers in winner order, so the Resolution is the same on every replica.
  std::sort(live.begin(), live.end(), [](const RevId& a, const RevId& b) { return rev_less(b, a); });

  const std::optional<Leaf> winner = tree.winner();
  // With a non-deleted leaf present, CouchDB's rule never picks a deleted one.
  if (!winner || winner->deleted) throw std::logic_error("resolve_conflict: the winning leaf is deleted");

  std::vector<LeafDoc> docs;
  for (const RevId& rev : live) {
    const auto body = std::find_if(bodies.begin(), bodies.end(), [&](const LeafDoc& doc) { return doc.rev == rev; });
    if (body == bodies.end()) throw std::invalid_argument("resolve_conflict: no body for leaf " + rev.str());
    docs.push_back(*body);
  }

  Resolution resolution;
  resolution.parent = winner->rev;
  resolution.merged = merge_leaves(std::move(docs));
  resolution.merged_rev = next_rev(resolution.parent, resolution.merged, false);
  for (const RevId& rev : live) {
    if (rev == resolution.parent) continue;
    resolution.losers.push_back(rev);
    resolution.tombstones.push_back(next_rev(rev, json::object(), true));
  }
  return resolution;
}

}  // namespace steward::sync
