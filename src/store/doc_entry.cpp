#include "store/doc_entry.hpp"

#include <algorithm>
#include <charconv>
#include <span>
#include <stdexcept>
#include <utility>

namespace steward::store::detail {

namespace {

// A record's "N-hash". Its checksum shows it is what this store wrote, and the store writes only revisions it
// checked, so replay only splits it (the hash check of parse_rev is a measurable share of start-up).
std::optional<sync::RevId> parse_stored_rev(std::string_view rev) {
  const size_t dash = rev.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == rev.size()) return std::nullopt;
  sync::RevId id;
  const auto [end, err] = std::from_chars(rev.data(), rev.data() + dash, id.generation);
  if (err != std::errc() || end != rev.data() + dash || id.generation == 0) return std::nullopt;
  id.hash.assign(rev.substr(dash + 1));
  return id;
}

// The hashes of a path's ancestors (all but its first, the revision itself), for a record.
std::string encode_ancestors(const sync::RevPath& path) {
  std::string out;
  if (path.ids.size() > 1) record::encode_ancestry(out, std::span(path.ids).subspan(1));
  return out;
}

// At most revs_limit revisions on a chain ending at generation `generation`: the leaf and revs_limit - 1 ancestors.
std::string_view stem_chain(std::string_view ancestry, uint64_t generation, size_t revs_limit) {
  return generation > revs_limit ? record::first_ancestors(ancestry, revs_limit - 1) : ancestry;
}

// The chain of a new child of `parent`, whose own chain is `parent_chain`.
std::string child_chain(const sync::RevId& parent, std::string_view parent_chain, size_t revs_limit) {
  std::string out;
  record::encode_ancestry(out, std::span(&parent.hash, 1));
  out += parent_chain;
  const std::string_view stemmed = stem_chain(out, parent.generation + 1, revs_limit);
  out.resize(stemmed.size());
  return out;
}

sync::RevPath chain_path(const sync::RevId& leaf, std::string_view chain) {
  sync::RevPath path{leaf.generation, {leaf.hash}};
  std::vector<std::string> ancestors;
  if (!record::decode_ancestry(chain, ancestors)) throw std::invalid_argument("malformed ancestry");
  path.ids.insert(path.ids.end(), std::make_move_iterator(ancestors.begin()), std::make_move_iterator(ancestors.end()));
  return path;
}

// Stems only when some path can be longer than the limit (a leaf's generation bounds its path's length), so
// documents with short histories never pay for it.
void stem_if_needed(sync::RevTree& tree, const std::vector<sync::Leaf>& leaves, size_t revs_limit) {
  uint64_t top = 0;
  for (const sync::Leaf& l : leaves) top = std::max(top, l.rev.generation);
  if (top > revs_limit) tree.stem(revs_limit);
}

}  // namespace

// ---- questions -------------------------------------------------------------------------------------------------

const LeafRecord* DocEntry::find_leaf(const sync::RevId& rev) const {
  for (const LeafRecord& l : leaves_) {
    if (l.rev == rev) return &l;
  }
  return nullptr;
}

std::vector<sync::Leaf> DocEntry::plain_leaves() const {
  std::vector<sync::Leaf> out;
  out.reserve(leaves_.size());
  for (const LeafRecord& l : leaves_) out.push_back({l.rev, l.deleted});
  return out;
}

std::vector<sync::RevId> DocEntry::conflicts() const {
  std::vector<sync::RevId> revs;
  for (size_t i = 1; i < leaves_.size(); ++i) {
    if (!leaves_[i].deleted) revs.push_back(leaves_[i].rev);
  }
  return revs;
}

sync::RevTree DocEntry::tree() const {
  if (tree_) return *tree_;
  sync::RevTree t;
  if (!leaves_.empty()) t.merge(chain_path(winner().rev, chain_), winner().deleted);
  return t;
}

bool DocEntry::knows(const sync::RevId& rev) const {
  if (tree_) return tree_->contains(rev);
  if (leaves_.empty() || rev.generation > winner().rev.generation) return false;
  if (rev.generation == winner().rev.generation) return rev == winner().rev;
  // The chain holds one revision per generation, newest first: skip to the one of rev's generation.
  record::AncestryReader reader(chain_);
  std::string hash;
  for (uint64_t g = winner().rev.generation - 1; reader.next(hash); --g) {
    if (g == rev.generation) return hash == rev.hash;
  }
  return false;
}

std::optional<sync::RevPath> DocEntry::path_to_leaf(const sync::RevId& rev) const {
  if (!find_leaf(rev)) return std::nullopt;
  return tree_ ? tree_->path_to(rev) : chain_path(rev, chain_);
}

std::string DocEntry::ancestry_of(const sync::RevId& rev) const {
  if (!tree_) return chain_;
  const std::optional<sync::RevPath> path = tree_->path_to(rev);
  return path ? encode_ancestors(*path) : std::string();
}

void DocEntry::relocate(const sync::RevId& rev, const Location& loc) {
  for (LeafRecord& l : leaves_) {
    if (l.rev == rev) l.loc = loc;
  }
}

// ---- replay ----------------------------------------------------------------------------------------------------

DocEntry::Replayed DocEntry::replay(const record::View& r, const Location& loc, size_t revs_limit) {
  const std::optional<sync::RevId> rev = parse_stored_rev(r.rev);
  const std::optional<size_t> ancestors = record::count_ancestry(r.ancestry);
  if (!rev || !ancestors || *ancestors >= rev->generation) return Replayed::Malformed;

  for (LeafRecord& l : leaves_) {
    if (l.rev == *rev) {
      l.loc = loc;  // the same revision again can only be a copy of its record: either is as good
      return Replayed::Copy;
    }
  }

  // The usual cases, a document's first record or a child of its only leaf: the record's ancestry is the chain.
  if (is_chain()) {
    bool extends_leaf = leaves_.empty();
    if (!extends_leaf && rev->generation == winner().rev.generation + 1) {
      record::AncestryReader reader(r.ancestry);
      std::string parent_hash;
      extends_leaf = reader.next(parent_hash) && parent_hash == winner().rev.hash;
    }
    if (extends_leaf) {
      leaves_.assign(1, LeafRecord{*rev, r.deleted, loc});
      chain_.assign(stem_chain(r.ancestry, rev->generation, revs_limit));
      return Replayed::NewLeaf;
    }
  }

  // Otherwise (a branch, a replicated path joining further up): merge the whole path into the tree.
  sync::RevTree next = tree();
  if (next.contains(*rev)) return Replayed::Superseded;
  try {
    next.merge(chain_path(*rev, r.ancestry), r.deleted);
  } catch (const std::invalid_argument&) {  // a hash the tree refuses: the record was never written by this code
    return Replayed::Malformed;
  }
  return adopt(std::move(next), *rev, r.deleted, loc, revs_limit) ? Replayed::NewLeaf : Replayed::Malformed;
}

bool DocEntry::adopt(sync::RevTree&& next, const sync::RevId& rev, bool deleted, const Location& loc,
                     size_t revs_limit) {
  const std::vector<sync::Leaf> leaves_after = next.leaves();
  stem_if_needed(next, leaves_after, revs_limit);
  std::vector<LeafRecord> records;
  records.reserve(leaves_after.size());
  for (const sync::Leaf& l : leaves_after) {
    if (l.rev == rev) {
      records.push_back({rev, deleted, loc});
    } else if (const LeafRecord* known = find_leaf(l.rev)) {
      records.push_back(*known);
    } else {
      return false;  // a leaf without a record: not something a merge of one path can make
    }
  }
  leaves_ = std::move(records);
  if (leaves_.size() == 1) {
    chain_ = encode_ancestors(*next.path_to(rev));
    tree_.reset();
  } else {
    chain_.clear();
    tree_ = std::make_unique<sync::RevTree>(std::move(next));
  }
  return true;
}

// ---- writing ---------------------------------------------------------------------------------------------------

std::optional<PendingRevision> DocEntry::edit(const std::optional<sync::RevId>& parent, const sync::RevId& rev,
                                              bool deleted, size_t revs_limit) const {
  if (is_chain()) {
    // A new document, or a child of the only leaf: the new chain is the parent and the parent's chain.
    const bool fits = leaves_.empty() ? !parent && rev.generation == 1
                                      : parent && *parent == winner().rev && rev.generation == parent->generation + 1;
    if (!fits) return std::nullopt;
    PendingRevision p{rev, deleted, {{rev, deleted, {}}}, std::nullopt, {}};
    if (parent) p.ancestry = child_chain(*parent, chain_, revs_limit);
    return p;
  }
  sync::RevTree next = *tree_;
  if (!next.add_child(parent, rev, deleted)) return std::nullopt;
  return pending_from_tree(std::move(next), rev, deleted, revs_limit);
}

std::optional<PendingRevision> DocEntry::replicated(const sync::RevPath& path, bool deleted,
                                                    size_t revs_limit) const {
  sync::RevTree next = tree();
  next.merge(path, deleted);
  return pending_from_tree(std::move(next), path.leaf(), deleted, revs_limit);
}

std::optional<PendingRevision> DocEntry::pending_from_tree(sync::RevTree&& next, const sync::RevId& rev, bool deleted,
                                                           size_t revs_limit) const {
  const std::vector<sync::Leaf> leaves_after = next.leaves();
  stem_if_needed(next, leaves_after, revs_limit);
  PendingRevision p{rev, deleted, {}, std::nullopt, {}};
  // Every leaf but the new one was a leaf before, with a record; anything else would be a leaf without a body.
  for (const sync::Leaf& l : leaves_after) {
    if (l.rev == rev) {
      p.leaves.push_back({rev, deleted, {}});
    } else if (const LeafRecord* known = find_leaf(l.rev)) {
      p.leaves.push_back(*known);
    } else {
      return std::nullopt;
    }
  }
  const std::optional<sync::RevPath> path = next.path_to(rev);
  if (!path) return std::nullopt;
  p.ancestry = encode_ancestors(*path);
  if (p.leaves.size() > 1) p.tree = std::move(next);
  return p;
}

uint64_t DocEntry::commit(PendingRevision&& p, const Location& loc, uint64_t new_seq) {
  uint64_t dead = 0;
  for (const LeafRecord& old : leaves_) {
    const bool still_leaf =
        std::any_of(p.leaves.begin(), p.leaves.end(), [&](const LeafRecord& l) { return l.rev == old.rev; });
    if (!still_leaf) dead += old.loc.length;
  }
  for (LeafRecord& l : p.leaves) {
    if (l.rev == p.rev) l.loc = loc;
  }
  leaves_ = std::move(p.leaves);
  if (p.tree) {
    tree_ = std::make_unique<sync::RevTree>(std::move(*p.tree));
    chain_.clear();
  } else {
    tree_.reset();
    chain_ = std::move(p.ancestry);
  }
  seq = new_seq;
  return dead;
}

}  // namespace steward::store::detail
