// The revision tree, following CouchDB 3.x's couch_key_tree as the database observes it (merge, then stem, in
// the updater). CouchDB stores nested subtrees and may hold one revision twice for a moment (until stemming
// "repairs" the tree); here the tree is a flat list of nodes in a canonical order, and a merge is the union of
// the revisions and parent links the tree and the path know, which is what CouchDB converges to.
#include "sync/rev_tree.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <tuple>

namespace steward::sync {

using nlohmann::json;

namespace {

// The canonical node order: a parent's generation is one less than its child's, so parents come first.
bool rev_less(const RevId& a, const RevId& b) {
  return std::tie(a.generation, a.hash) < std::tie(b.generation, b.hash);
}

// CouchDB's leaf order (couch_doc:to_doc_info): descending by {not deleted, generation, hash}. Hashes compare as
// bytes, which is how std::string compares (char_traits<char> compares as unsigned char).
bool ranks_before(const Leaf& a, const Leaf& b) {
  return std::tuple(!a.deleted, a.rev.generation, std::string_view(a.rev.hash)) >
         std::tuple(!b.deleted, b.rev.generation, std::string_view(b.rev.hash));
}

bool well_formed(const RevPath& path) {
  return !path.ids.empty() && path.start >= path.ids.size() &&  // the oldest revision is generation 1 or later
         std::all_of(path.ids.begin(), path.ids.end(), [](const std::string& id) { return is_rev_hash(id); });
}

// A JSON integer as uint64_t when it is one at or above `min`.
std::optional<uint64_t> unsigned_at_least(const json& j, uint64_t min) {
  if (j.is_number_unsigned()) {
    const auto v = j.get<uint64_t>();
    if (v >= min) return v;
  } else if (j.is_number_integer()) {
    const auto v = j.get<int64_t>();
    if (v >= 0 && static_cast<uint64_t>(v) >= min) return static_cast<uint64_t>(v);
  }
  return std::nullopt;
}

[[noreturn]] void malformed(const std::string& what) {
  throw std::invalid_argument("revision tree: " + what);
}

}  // namespace

// --- RevPath ---------------------------------------------------------------------------------------------------

json RevPath::to_json() const { return {{"start", start}, {"ids", ids}}; }

std::optional<RevPath> RevPath::from_json(const json& revisions) {
  if (!revisions.is_object()) return std::nullopt;
  const auto start = revisions.find("start");
  const auto ids = revisions.find("ids");
  if (start == revisions.end() || ids == revisions.end() || !ids->is_array()) return std::nullopt;
  RevPath path;
  const auto start_gen = unsigned_at_least(*start, 1);
  if (!start_gen) return std::nullopt;
  path.start = *start_gen;
  for (const json& id : *ids) {
    if (!id.is_string()) return std::nullopt;
    path.ids.push_back(id.get<std::string>());
  }
  if (!well_formed(path)) return std::nullopt;
  return path;
}

// --- RevTree: private helpers --------------------------------------------------------------------------------

int RevTree::find(const RevId& rev, size_t among) const {
  const auto end = nodes_.begin() + static_cast<std::ptrdiff_t>(among);
  const auto it = std::lower_bound(nodes_.begin(), end, rev,
                                   [](const Node& node, const RevId& r) { return rev_less(node.rev, r); });
  return it != end && it->rev == rev ? static_cast<int>(it - nodes_.begin()) : -1;
}

std::vector<bool> RevTree::inner_nodes() const {
  std::vector<bool> inner(nodes_.size(), false);
  for (const Node& node : nodes_) {
    if (node.parent >= 0) inner[static_cast<size_t>(node.parent)] = true;
  }
  return inner;
}

void RevTree::canonicalize() {
  std::vector<size_t> order(nodes_.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return rev_less(nodes_[a].rev, nodes_[b].rev); });
  std::vector<int> new_index(nodes_.size());
  for (size_t i = 0; i < order.size(); ++i) new_index[order[i]] = static_cast<int>(i);

  std::vector<Node> sorted;
  sorted.reserve(nodes_.size());
  for (size_t old : order) {
    Node node = std::move(nodes_[old]);
    if (node.parent >= 0) node.parent = new_index[static_cast<size_t>(node.parent)];
    sorted.push_back(std::move(node));
  }
  nodes_ = std::move(sorted);
  // Whether an inner revision was a deletion no longer matters (only leaves are ever reported), and a replica
  // that learnt it from a path never knew; forget it so that equal histories give equal trees.
  for (const Node& node : nodes_) {
    if (node.parent >= 0) nodes_[static_cast<size_t>(node.parent)].deleted = false;
  }
}

// --- RevTree: changes ----------------------------------------------------------------------------------------

RevTree::MergeResult RevTree::merge(const RevPath& path, bool deleted) {
  if (!well_formed(path)) throw std::invalid_argument("revision path: malformed");

  // Walk the path from its newest revision to its oldest, adding what is unknown and linking each revision to
  // its parent. Nodes appended on the way go after the first `known` (sorted) nodes; a path never names a
  // revision twice, so lookups only need the sorted part.
  const size_t known = nodes_.size();
  bool changed = false;
  int child = -1;  // the path's previous (newer) revision
  for (size_t i = 0; i < path.ids.size(); ++i) {
    const RevId rev{path.start - i, path.ids[i]};
    if (child >= 0 && nodes_[static_cast<size_t>(child)].parent >= 0) {
      // The tree already knows the child's parent. Normally it is this revision, and we walk on: further up
      // the tree may have been stemmed and the path may give it back its older ancestors. A different parent
      // cannot happen with revision ids derived from the parent; if a peer sends one anyway, the tree's
      // ancestry stands and the rest of the path is ignored (CouchDB would keep both copies of the child).
      child = nodes_[static_cast<size_t>(child)].parent;
      if (nodes_[static_cast<size_t>(child)].rev != rev) break;
      continue;
    }
    int index = find(rev, known);
    if (index < 0) {
      // A known revision keeps its deleted flag (CouchDB keeps the stored value too); a new one is a deletion
      // only if it is the path's leaf.
      nodes_.push_back(Node{rev, -1, i == 0 && deleted});
      index = static_cast<int>(nodes_.size() - 1);
      changed = true;
    }
    if (child >= 0) {
      // The child was new, or a root (stemmed here, or the top of a branch that arrived stemmed): link it.
      nodes_[static_cast<size_t>(child)].parent = index;
      changed = true;
    }
    child = index;
  }
  if (!changed) return MergeResult::AlreadyKnown;
  canonicalize();
  return MergeResult::NewLeaf;
}

bool RevTree::add_child(const std::optional<RevId>& parent, const RevId& child, bool deleted) {
  if (!is_rev_hash(child.hash) || find(child) >= 0) return false;
  int parent_index = -1;
  if (parent) {
    parent_index = find(*parent);
    if (parent_index < 0 || inner_nodes()[static_cast<size_t>(parent_index)]) return false;  // not a leaf
    if (child.generation != parent->generation + 1) return false;
  } else {
    // A document that exists (even deleted) is edited from one of its leaves: re-creating a deleted one is a
    // child of its deleted winner, as in CouchDB, and never a second root.
    if (!empty() || child.generation != 1) return false;
  }
  nodes_.push_back(Node{child, parent_index, deleted});
  canonicalize();
  return true;
}

void RevTree::stem(size_t revs_limit) {
  if (revs_limit == 0) throw std::invalid_argument("stem: revs_limit must be at least 1");
  // Each node's distance to the nearest leaf below it. Children sort after their parents, so walking backwards
  // sees every child before its parent; a node no child has reached by then is a leaf.
  constexpr size_t kUnreached = std::numeric_limits<size_t>::max();
  std::vector<size_t> to_leaf(nodes_.size(), kUnreached);
  for (size_t i = nodes_.size(); i-- > 0;) {
    if (to_leaf[i] == kUnreached) to_leaf[i] = 0;
    if (const int p = nodes_[i].parent; p >= 0) {
      to_leaf[static_cast<size_t>(p)] = std::min(to_leaf[static_cast<size_t>(p)], to_leaf[i] + 1);
    }
  }
  // Keep the nodes within revs_limit of some leaf (CouchDB's stem_tree); a kept node whose parent goes becomes a
  // root. Filtering keeps the canonical order. A kept inner node always keeps the child towards its nearest
  // leaf, so leaves stay exactly the leaves.
  std::vector<int> new_index(nodes_.size(), -1);
  std::vector<Node> kept;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (to_leaf[i] >= revs_limit) continue;
    Node node = std::move(nodes_[i]);
    node.parent = node.parent >= 0 ? new_index[static_cast<size_t>(node.parent)] : -1;
    new_index[i] = static_cast<int>(kept.size());
    kept.push_back(std::move(node));
  }
  nodes_ = std::move(kept);
}

// --- RevTree: queries ----------------------------------------------------------------------------------------

bool RevTree::empty() const { return nodes_.empty(); }

bool RevTree::contains(const RevId& rev) const { return find(rev) >= 0; }

std::vector<Leaf> RevTree::leaves() const {
  const std::vector<bool> inner = inner_nodes();
  std::vector<Leaf> result;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (!inner[i]) result.push_back(Leaf{nodes_[i].rev, nodes_[i].deleted});
  }
  std::sort(result.begin(), result.end(), ranks_before);
  return result;
}

std::optional<Leaf> RevTree::winner() const {
  std::vector<Leaf> all = leaves();
  if (all.empty()) return std::nullopt;
  return all.front();
}

std::vector<RevId> RevTree::conflicts() const {
  std::vector<RevId> result;
  const std::vector<Leaf> all = leaves();
  for (size_t i = 1; i < all.size(); ++i) {
    if (!all[i].deleted) result.push_back(all[i].rev);
  }
  return result;
}

std::optional<RevPath> RevTree::path_to(const RevId& rev) const {
  int index = find(rev);
  if (index < 0) return std::nullopt;
  RevPath path{rev.generation, {}};
  for (; index >= 0; index = nodes_[static_cast<size_t>(index)].parent) {
    path.ids.push_back(nodes_[static_cast<size_t>(index)].rev.hash);
  }
  return path;
}

// --- RevTree: storage ----------------------------------------------------------------------------------------

// [[generation, hash, parent index or -1, deleted], ...] in the canonical order.
json RevTree::to_json() const {
  json j = json::array();
  for (const Node& node : nodes_) j.push_back({node.rev.generation, node.rev.hash, node.parent, node.deleted});
  return j;
}

// Accepts exactly what to_json produces, so that a loaded tree is canonical and compares equal to the original.
RevTree RevTree::from_json(const json& j) {
  if (!j.is_array()) malformed("not an array");
  RevTree tree;
  for (const json& e : j) {
    const std::string at = "node " + std::to_string(tree.nodes_.size());
    if (!e.is_array() || e.size() != 4) malformed(at + ": not [generation, hash, parent, deleted]");
    Node node;
    const auto generation = unsigned_at_least(e[0], 1);
    if (!generation) malformed(at + ": generation is not an integer >= 1");
    if (!e[1].is_string() || !is_rev_hash(e[1].get_ref<const std::string&>())) malformed(at + ": bad hash");
    node.rev = RevId{*generation, e[1].get<std::string>()};
    if (!e[3].is_boolean()) malformed(at + ": deleted is not a boolean");
    node.deleted = e[3].get<bool>();

    if (!tree.nodes_.empty() && !rev_less(tree.nodes_.back().rev, node.rev)) {
      malformed(at + ": out of order or repeated");
    }
    if (const auto parent = unsigned_at_least(e[2], 0)) {
      if (*parent >= tree.nodes_.size()) malformed(at + ": parent index out of range");
      node.parent = static_cast<int>(*parent);
      const Node& p = tree.nodes_[*parent];
      if (p.rev.generation + 1 != node.rev.generation) malformed(at + ": parent is not one generation older");
      if (p.deleted) malformed(at + ": an inner node is marked deleted");
    } else if (!(e[2].is_number_integer() && e[2].get<int64_t>() == -1)) {
      malformed(at + ": parent is neither an index nor -1");
    }
    tree.nodes_.push_back(std::move(node));
  }
  return tree;
}

// --- _revs_diff ----------------------------------------------------------------------------------------------

Missing revs_missing(const RevTree& tree, const std::vector<std::string>& revs) {
  Missing result;
  uint64_t highest_missing = 0;
  for (const std::string& rev : revs) {
    if (std::find(result.missing.begin(), result.missing.end(), rev) != result.missing.end()) continue;
    const std::optional<RevId> id = parse_rev(rev);
    if (id && tree.contains(*id)) continue;
    result.missing.push_back(rev);
    if (id) highest_missing = std::max(highest_missing, id->generation);
  }
  // couch_db:find_missing: a leaf is a possible ancestor if its generation is below any missing revision's.
  for (const Leaf& leaf : tree.leaves()) {
    if (leaf.rev.generation < highest_missing) result.possible_ancestors.push_back(leaf.rev.str());
  }
  return result;
}

}  // namespace steward::sync
