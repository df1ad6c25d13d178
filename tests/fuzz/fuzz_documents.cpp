// libFuzzer target: documents as they arrive from other replicas or from a form, through everything that reads
// them — the visit reader and validation, revision ids and paths, HLC stamps, and the conflict merge with a
// second leaf made from the same input. Each may refuse the input (an exception of the documented kind), never
// crash, and the merge must not depend on the order of its leaves.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "core/visit.hpp"
#include "sync/merge.hpp"
#include "sync/rev_tree.hpp"
#include "sync/revision.hpp"

using nlohmann::json;
using namespace steward;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);

  // Form input: any text in any field.
  core::VisitDraft draft;
  const size_t third = text.size() / 3;
  draft.name = text.substr(0, third);
  draft.phone = text.substr(third, third);
  draft.notes = text.substr(2 * third);
  draft.car_plate = draft.phone;
  draft.party_size = size > 0 ? int(data[0]) - 100 : 1;
  if (core::validate(draft).empty()) (void)core::make_visit(draft, "visit:fuzz", "demo", 1700000000000, {});
  (void)core::normalize_phone(text);
  (void)core::mask_phone(text);
  (void)sync::parse_rev(text);
  (void)sync::Hlc::parse(text);

  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return 0;
  try {
    (void)core::visit_from_json(doc);
  } catch (const std::invalid_argument&) {
  }
  if (!doc.is_object()) return 0;
  if (const auto revisions = doc.find("_revisions"); revisions != doc.end()) {
    if (const auto path = sync::RevPath::from_json(*revisions)) {
      sync::RevTree tree;
      try {
        tree.merge(*path, false);
        (void)tree.winner();
        (void)tree.leaves();
        tree.stem(3);
      } catch (const std::invalid_argument&) {
      }
    }
  }

  // A conflict between the document and an edit of it: merged the same whichever leaf comes first.
  json edited = doc;
  try {
    sync::stamp_changes(doc, edited, sync::Hlc{1700000000000, 1, "fuzz"});
  } catch (const std::invalid_argument&) {
    return 0;
  }
  edited["fuzzed"] = true;
  const sync::LeafDoc a{sync::RevId{2, "aaaa"}, doc};
  const sync::LeafDoc b{sync::RevId{2, "bbbb"}, edited};
  const json ab = sync::merge_leaves({a, b});
  const json ba = sync::merge_leaves({b, a});
  if (ab != ba) std::abort();
  (void)sync::next_rev(sync::RevId{2, "bbbb"}, ab, false);
  return 0;
}
