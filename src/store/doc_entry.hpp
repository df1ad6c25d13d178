// One document in the store's in-memory index: its revision tree (stemmed to revs_limit) and, for each current
// leaf, where that revision's record is. Bodies of superseded revisions are not kept (CouchDB drops them too), so
// only leaves have records. How a replayed record, a local edit or a replicated revision changes an entry lives
// here; the store around it does the file work. Internal to the store.
//
// Two forms, for start-up speed and memory: nearly every document has one leaf, and then its tree is a single
// chain, exactly the leaf's ancestry as its record carries it. Such a document keeps just that encoded ancestry
// (no RevTree; replaying or editing it is a copy of bytes). A document with several leaves keeps a RevTree. Both
// answer the same questions; tree() builds the RevTree of a chain on demand.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/record.hpp"
#include "sync/rev_tree.hpp"

namespace steward::store::detail {

// Where a record lives.
struct Location {
  uint32_t segment = 0;
  uint64_t offset = 0;
  uint32_t length = 0;
};

struct LeafRecord {
  sync::RevId rev;
  bool deleted = false;
  Location loc;
};

// A revision ready to be stored: the leaves the document will have (winner first; the new revision's location is
// filled in by commit), its tree when that has several leaves, and the record's encoded ancestry. Made before the
// record is written, so a refused or failed write leaves the entry as it was.
struct PendingRevision {
  sync::RevId rev;
  bool deleted = false;
  std::vector<LeafRecord> leaves;
  std::optional<sync::RevTree> tree;  // only with several leaves; one leaf's tree is its ancestry
  std::string ancestry;
};

class DocEntry {
 public:
  uint64_t seq = 0;  // the seq of the document's latest change

  // The tree's leaves with their records, winner first (CouchDB's order, as RevTree::leaves()).
  const std::vector<LeafRecord>& leaves() const { return leaves_; }
  const LeafRecord& winner() const { return leaves_.front(); }
  // The leaves without their records, as the replicator sees them.
  std::vector<sync::Leaf> plain_leaves() const;
  // The winner exists and is not deleted: the document is visible to get() and for_each.
  bool live() const { return !leaves_.empty() && !leaves_.front().deleted; }
  const LeafRecord* find_leaf(const sync::RevId& rev) const;
  // Non-deleted leaves other than the winner ("_conflicts"), in the tree's order.
  std::vector<sync::RevId> conflicts() const;

  sync::RevTree tree() const;
  // Whether the tree holds `rev` (a leaf or an ancestor), without building the tree of a chain.
  bool knows(const sync::RevId& rev) const;
  // The path from a current leaf to its root; nullopt if `rev` is not a current leaf.
  std::optional<sync::RevPath> path_to_leaf(const sync::RevId& rev) const;
  // The encoded ancestry a record of `rev` (a current leaf) should carry now, to compare with the stored one.
  std::string ancestry_of(const sync::RevId& rev) const;

  // Compaction moved the record of leaf `rev`.
  void relocate(const sync::RevId& rev, const Location& loc);

  // ---- replay ------------------------------------------------------------------------------------------------
  enum class Replayed {
    NewLeaf,     // a revision the entry did not know: now a leaf
    Copy,        // a leaf's record again (compaction's copy): the entry now points at this one
    Superseded,  // a revision that already has descendants here (an older record): ignored
    Malformed,   // the record's revision or ancestry cannot be read: ignored
  };
  // Adds one record's revision.
  Replayed replay(const record::View& r, const Location& loc, size_t revs_limit);

  // ---- writing -------------------------------------------------------------------------------------------------
  // A new revision made here as a child of `parent` (a current leaf, deleted or not), or of nothing for a new
  // document. nullopt when the tree refuses it (a conflict).
  std::optional<PendingRevision> edit(const std::optional<sync::RevId>& parent, const sync::RevId& rev, bool deleted,
                                      size_t revs_limit) const;
  // A revision received with its ancestry (new_edits=false), which must not be known(). nullopt if the result would
  // have a leaf without a record (a damaged index).
  std::optional<PendingRevision> replicated(const sync::RevPath& path, bool deleted, size_t revs_limit) const;
  // Takes the pending revision once its record is written at `loc` with `seq`. Returns the bytes of the records
  // that stopped being leaves (now dead).
  uint64_t commit(PendingRevision&& p, const Location& loc, uint64_t seq);

 private:
  bool is_chain() const { return !tree_; }
  // The pending revision `rev` makes of `next` (this entry's tree with `rev` added), stemmed.
  std::optional<PendingRevision> pending_from_tree(sync::RevTree&& next, const sync::RevId& rev, bool deleted,
                                                   size_t revs_limit) const;
  // Takes a tree with `rev` (the record at `loc`) newly merged, stemmed and in whichever form fits it. False,
  // changing nothing, if the tree has a leaf without a record.
  bool adopt(sync::RevTree&& next, const sync::RevId& rev, bool deleted, const Location& loc, size_t revs_limit);

  std::vector<LeafRecord> leaves_;
  std::string chain_;                     // one leaf: its encoded ancestry, which is the whole tree
  std::unique_ptr<sync::RevTree> tree_;   // several leaves
};

}  // namespace steward::store::detail
