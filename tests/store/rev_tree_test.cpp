#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <stdexcept>

#include "sync/rev_tree.hpp"

using namespace steward::sync;
using nlohmann::json;

namespace {

// Short hashes keep the trees readable; parse_rev accepts any alphanumeric hash.
RevId rev(const std::string& s) { return *parse_rev(s); }

RevPath path(uint64_t start, std::vector<std::string> ids) { return RevPath{start, std::move(ids)}; }

std::vector<std::string> leaf_strs(const RevTree& tree) {
  std::vector<std::string> out;
  for (const Leaf& leaf : tree.leaves()) out.push_back(leaf.rev.str() + (leaf.deleted ? " deleted" : ""));
  return out;
}

std::vector<std::string> strs(const std::vector<RevId>& revs) {
  std::vector<std::string> out;
  for (const RevId& r : revs) out.push_back(r.str());
  return out;
}

using Strings = std::vector<std::string>;

// A tree from paths, each merged as a live leaf.
RevTree tree_of(std::initializer_list<RevPath> paths) {
  RevTree tree;
  for (const RevPath& p : paths) tree.merge(p, false);
  return tree;
}

}  // namespace

TEST_CASE("rev tree: empty") {
  const RevTree tree;
  CHECK(tree.empty());
  CHECK_FALSE(tree.winner());
  CHECK(tree.leaves().empty());
  CHECK(tree.conflicts().empty());
  CHECK_FALSE(tree.contains(rev("1-a")));
  CHECK_FALSE(tree.path_to(rev("1-a")));
  CHECK(tree.to_json() == json::array());
  CHECK(RevTree::from_json(json::array()) == tree);
}

TEST_CASE("rev tree: one path, path_to and contains") {
  RevTree tree;
  CHECK(tree.merge(path(3, {"c", "b", "a"}), false) == RevTree::MergeResult::NewLeaf);
  CHECK_FALSE(tree.empty());
  CHECK(leaf_strs(tree) == Strings{"3-c"});
  CHECK(tree.winner()->rev == rev("3-c"));
  CHECK(tree.conflicts().empty());
  for (const char* r : {"1-a", "2-b", "3-c"}) CHECK(tree.contains(rev(r)));
  // The generation is part of the revision.
  CHECK_FALSE(tree.contains(rev("2-a")));
  CHECK_FALSE(tree.contains(rev("4-c")));

  const auto leaf_path = tree.path_to(rev("3-c"));
  REQUIRE(leaf_path);
  CHECK(leaf_path->start == 3);
  CHECK(leaf_path->ids == Strings{"c", "b", "a"});
  CHECK(leaf_path->leaf() == rev("3-c"));
  const auto inner_path = tree.path_to(rev("2-b"));
  REQUIRE(inner_path);
  CHECK(inner_path->start == 2);
  CHECK(inner_path->ids == Strings{"b", "a"});
  CHECK_FALSE(tree.path_to(rev("4-d")));
}

TEST_CASE("rev tree: merging what is known") {
  RevTree tree = tree_of({path(3, {"c", "b", "a"})});
  const RevTree before = tree;
  SUBCASE("the same path twice") { CHECK(tree.merge(path(3, {"c", "b", "a"}), false) == RevTree::MergeResult::AlreadyKnown); }
  SUBCASE("an ancestor's path") { CHECK(tree.merge(path(2, {"b", "a"}), false) == RevTree::MergeResult::AlreadyKnown); }
  SUBCASE("a stemmed copy of the path") { CHECK(tree.merge(path(3, {"c", "b"}), false) == RevTree::MergeResult::AlreadyKnown); }
  SUBCASE("a known inner revision sent as a deleted leaf keeps its place") {
    CHECK(tree.merge(path(2, {"b"}), true) == RevTree::MergeResult::AlreadyKnown);
  }
  CHECK(tree == before);
  CHECK(leaf_strs(tree) == Strings{"3-c"});
}

TEST_CASE("rev tree: a path overlapping the tree partially extends it") {
  RevTree tree = tree_of({path(2, {"b", "a"})});
  CHECK(tree.merge(path(4, {"d", "c", "b", "a"}), false) == RevTree::MergeResult::NewLeaf);
  CHECK(leaf_strs(tree) == Strings{"4-d"});
  CHECK(tree.path_to(rev("4-d"))->ids == Strings{"d", "c", "b", "a"});
  CHECK(tree.conflicts().empty());
}

TEST_CASE("rev tree: a path stemmed on the other side attaches where it shares revisions") {
  RevTree tree = tree_of({path(3, {"c", "b", "a"})});
  // The sender kept only its newest two revisions: the path starts above the tree's root.
  CHECK(tree.merge(path(5, {"e", "d", "c"}), false) == RevTree::MergeResult::NewLeaf);
  CHECK(leaf_strs(tree) == Strings{"5-e"});
  CHECK(tree.path_to(rev("5-e"))->ids == Strings{"e", "d", "c", "b", "a"});
  CHECK(tree.path_to(rev("5-e"))->start == 5);
  // The next edit with just its parent attaches the same way.
  CHECK(tree.merge(path(6, {"f", "e"}), false) == RevTree::MergeResult::NewLeaf);
  CHECK(tree.path_to(rev("6-f"))->ids == Strings{"f", "e", "d", "c", "b", "a"});
}

TEST_CASE("rev tree: a path reaching above a stemmed root gives it back its ancestors") {
  RevTree tree = tree_of({path(4, {"d", "c", "b", "a"})});
  tree.stem(2);
  REQUIRE(tree.path_to(rev("4-d"))->ids == Strings{"d", "c"});
  CHECK(tree.merge(path(4, {"d", "c", "b", "a"}), false) == RevTree::MergeResult::NewLeaf);
  CHECK(tree == tree_of({path(4, {"d", "c", "b", "a"})}));
  CHECK(tree.merge(path(4, {"d", "c", "b", "a"}), false) == RevTree::MergeResult::AlreadyKnown);
}

TEST_CASE("rev tree: a path sharing nothing becomes a separate branch") {
  RevTree tree = tree_of({path(2, {"b", "a"})});
  CHECK(tree.merge(path(5, {"e", "x"}), false) == RevTree::MergeResult::NewLeaf);
  CHECK(leaf_strs(tree) == Strings{"5-e", "2-b"});
  CHECK(strs(tree.conflicts()) == Strings{"2-b"});
  CHECK(tree.path_to(rev("5-e"))->ids == Strings{"e", "x"});
  CHECK(tree.path_to(rev("5-e"))->start == 5);

  SUBCASE("a later path linking both joins them, even when it brings no new leaf") {
    CHECK(tree.merge(path(5, {"e", "x", "c", "b"}), false) == RevTree::MergeResult::NewLeaf);
    CHECK(leaf_strs(tree) == Strings{"5-e"});
    CHECK(tree.conflicts().empty());
    CHECK(tree.path_to(rev("5-e"))->ids == Strings{"e", "x", "c", "b", "a"});
    CHECK(tree == tree_of({path(5, {"e", "x", "c", "b", "a"})}));
  }
  SUBCASE("linking two known revisions is a change, though every revision was known") {
    tree.merge(path(3, {"c", "b"}), false);
    REQUIRE(leaf_strs(tree) == Strings{"5-e", "3-c"});
    CHECK(tree.merge(path(4, {"x", "c"}), false) == RevTree::MergeResult::NewLeaf);
    CHECK(leaf_strs(tree) == Strings{"5-e"});
    CHECK(tree.merge(path(4, {"x", "c"}), false) == RevTree::MergeResult::AlreadyKnown);
  }
}

TEST_CASE("rev tree: a path contradicting the tree's ancestry does not rewrite it") {
  // Cannot happen with revision ids derived from the parent; a misbehaving peer must not corrupt the tree.
  RevTree tree = tree_of({path(3, {"c", "b", "a"})});
  const RevTree before = tree;
  CHECK(tree.merge(path(3, {"c", "y"}), false) == RevTree::MergeResult::AlreadyKnown);
  CHECK(tree == before);
  CHECK(tree.merge(path(4, {"d", "c", "y"}), false) == RevTree::MergeResult::NewLeaf);
  CHECK_FALSE(tree.contains(rev("2-y")));
  CHECK(tree.path_to(rev("4-d"))->ids == Strings{"d", "c", "b", "a"});
}

TEST_CASE("rev tree: two branches from a common ancestor conflict") {
  RevTree tree = tree_of({path(2, {"b", "a"}), path(2, {"c", "a"})});
  CHECK(leaf_strs(tree) == Strings{"2-c", "2-b"});
  CHECK(tree.winner()->rev == rev("2-c"));  // same generation: the greater hash
  CHECK(strs(tree.conflicts()) == Strings{"2-b"});
  // Merge order does not matter.
  CHECK(tree == tree_of({path(2, {"c", "a"}), path(2, {"b", "a"})}));

  SUBCASE("the longer branch wins") {
    tree.merge(path(3, {"d", "b", "a"}), false);
    CHECK(tree.winner()->rev == rev("3-d"));
    CHECK(strs(tree.conflicts()) == Strings{"2-c"});
  }
  SUBCASE("deleting the losing branch resolves the conflict") {
    tree.merge(path(3, {"d", "b", "a"}), true);
    CHECK(tree.winner()->rev == rev("2-c"));
    CHECK(tree.conflicts().empty());
    CHECK(leaf_strs(tree) == Strings{"2-c", "3-d deleted"});
  }
}

TEST_CASE("rev tree: winner order") {
  SUBCASE("a live leaf beats a longer deleted branch") {
    RevTree tree = tree_of({path(3, {"c", "b", "a"})});
    tree.merge(path(5, {"f", "e", "d", "a"}), true);
    CHECK(leaf_strs(tree) == Strings{"3-c", "5-f deleted"});
    CHECK(tree.winner()->rev == rev("3-c"));
    CHECK_FALSE(tree.winner()->deleted);
    CHECK(tree.conflicts().empty());  // deleted leaves are not conflicts
  }
  SUBCASE("all deleted: the highest generation, reported deleted, and no conflicts") {
    RevTree tree;
    tree.merge(path(3, {"c", "b", "a"}), true);
    tree.merge(path(4, {"f", "e", "d", "a"}), true);
    CHECK(tree.winner()->rev == rev("4-f"));
    CHECK(tree.winner()->deleted);
    CHECK(tree.conflicts().empty());
  }
  SUBCASE("generations compare as numbers") {
    RevTree tree;
    tree.merge(path(10, {"a"}), false);
    tree.merge(path(9, {"z"}), false);
    CHECK(tree.winner()->rev == rev("10-a"));
  }
  SUBCASE("hashes compare as bytes: digits < upper case < lower case, and a prefix sorts first") {
    RevTree tree = tree_of({path(2, {"B", "a"}), path(2, {"a", "a"}), path(2, {"9z", "a"}), path(2, {"ab", "a"})});
    CHECK(leaf_strs(tree) == Strings{"2-ab", "2-a", "2-B", "2-9z"});
    CHECK(strs(tree.conflicts()) == Strings{"2-a", "2-B", "2-9z"});
  }
}

TEST_CASE("rev tree: stemming") {
  SUBCASE("a single branch keeps its newest revs_limit revisions") {
    RevTree tree = tree_of({path(5, {"e", "d", "c", "b", "a"})});
    tree.stem(3);
    CHECK(tree.path_to(rev("5-e"))->ids == Strings{"e", "d", "c"});
    CHECK_FALSE(tree.contains(rev("2-b")));
    CHECK(leaf_strs(tree) == Strings{"5-e"});
    const RevTree before = tree;
    tree.stem(3);
    CHECK(tree == before);
    tree.stem(100);
    CHECK(tree == before);
    tree.stem(1);
    CHECK(tree == tree_of({path(5, {"e"})}));
  }
  SUBCASE("every leaf keeps its newest revisions; what only a far leaf needs goes, and its top becomes a root") {
    // 1-a 2-b 3-x
    //         3-c 4-d 5-e 6-f
    RevTree tree = tree_of({path(3, {"x", "b", "a"}), path(6, {"f", "e", "d", "c", "b", "a"})});
    tree.stem(2);
    // 2-b stays (one below 3-x), 3-c and 4-d go (3-c is three above 6-f, and 3-x is not below it).
    CHECK(leaf_strs(tree) == Strings{"6-f", "3-x"});
    CHECK(tree.path_to(rev("3-x"))->ids == Strings{"x", "b"});
    CHECK(tree.path_to(rev("6-f"))->ids == Strings{"f", "e"});
    for (const char* gone : {"1-a", "3-c", "4-d"}) CHECK_FALSE(tree.contains(rev(gone)));
    // The same tree, stemmed, whatever order it was merged in.
    RevTree other = tree_of({path(6, {"f", "e", "d", "c", "b", "a"}), path(3, {"x", "b", "a"})});
    other.stem(2);
    CHECK(other == tree);
  }
  SUBCASE("a branch kept whole keeps its ancestors shared with a longer branch") {
    RevTree tree = tree_of({path(2, {"x", "a"}), path(4, {"d", "c", "b", "a"})});
    tree.stem(2);
    CHECK(tree.path_to(rev("2-x"))->ids == Strings{"x", "a"});
    CHECK(tree.path_to(rev("4-d"))->ids == Strings{"d", "c"});
    CHECK_FALSE(tree.contains(rev("2-b")));
  }
  SUBCASE("separate roots are stemmed alike") {
    RevTree tree = tree_of({path(3, {"c", "b", "a"}), path(7, {"g", "f", "e"})});
    tree.stem(1);
    CHECK(tree == tree_of({path(3, {"c"}), path(7, {"g"})}));
  }
  SUBCASE("deleted leaves are kept and stay deleted") {
    RevTree tree;
    tree.merge(path(3, {"c", "b", "a"}), true);
    tree.stem(1);
    CHECK(leaf_strs(tree) == Strings{"3-c deleted"});
  }
  SUBCASE("as in CouchDB, a stemmed-away revision sent again comes back as a separate leaf") {
    // Why revs_limit must exceed the edits a replica can fall behind by.
    RevTree tree = tree_of({path(4, {"d", "c", "b", "a"})});
    tree.stem(2);
    CHECK(tree.merge(path(2, {"b", "a"}), false) == RevTree::MergeResult::NewLeaf);
    CHECK(leaf_strs(tree) == Strings{"4-d", "2-b"});
  }
  CHECK_THROWS_AS(RevTree().stem(0), std::invalid_argument);
}

TEST_CASE("rev tree: add_child") {
  RevTree tree;
  SUBCASE("a new document") {
    CHECK_FALSE(tree.add_child(std::nullopt, rev("2-a"), false));  // generation 1 only
    CHECK(tree.add_child(std::nullopt, rev("1-a"), false));
    CHECK(leaf_strs(tree) == Strings{"1-a"});
    CHECK_FALSE(tree.add_child(std::nullopt, rev("1-b"), false));  // the document exists now
  }
  SUBCASE("a document created deleted (CouchDB allows it)") {
    CHECK(tree.add_child(std::nullopt, rev("1-a"), true));
    CHECK(tree.winner()->deleted);
  }

  SUBCASE("edits") {
    REQUIRE(tree.add_child(std::nullopt, rev("1-a"), false));
    REQUIRE(tree.add_child(rev("1-a"), rev("2-b"), false));
    CHECK(tree == tree_of({path(2, {"b", "a"})}));
    const RevTree before = tree;
    CHECK_FALSE(tree.add_child(rev("1-a"), rev("2-c"), false));   // the parent is no longer a leaf
    CHECK_FALSE(tree.add_child(rev("2-x"), rev("3-c"), false));   // unknown parent
    CHECK_FALSE(tree.add_child(rev("2-b"), rev("4-c"), false));   // not the next generation
    CHECK_FALSE(tree.add_child(rev("2-b"), rev("2-c"), false));
    CHECK_FALSE(tree.add_child(rev("2-b"), RevId{3, "c-d"}, false));  // not a revision hash
    CHECK_FALSE(tree.add_child(rev("2-b"), RevId{3, ""}, false));
    CHECK(tree == before);

    SUBCASE("a revision already in the tree") {
      tree.merge(path(3, {"c", "x"}), false);  // 3-c arrived on its own branch
      const RevTree with_branch = tree;
      CHECK_FALSE(tree.add_child(rev("2-b"), rev("3-c"), false));
      CHECK(tree == with_branch);
    }
    SUBCASE("a conflicting leaf can be edited too (e.g. to delete it)") {
      tree.merge(path(3, {"d", "c", "a"}), false);
      REQUIRE(strs(tree.conflicts()) == Strings{"2-b"});
      CHECK(tree.add_child(rev("2-b"), rev("3-t"), true));
      CHECK(tree.conflicts().empty());
      CHECK(tree.winner()->rev == rev("3-d"));
    }
    SUBCASE("delete, then re-create from the deleted winner") {
      REQUIRE(tree.add_child(rev("2-b"), rev("3-t"), true));
      CHECK(tree.winner()->rev == rev("3-t"));
      CHECK(tree.winner()->deleted);
      const RevTree deleted = tree;
      // Re-creating is not a second root, as in CouchDB.
      CHECK_FALSE(tree.add_child(std::nullopt, rev("1-n"), false));
      CHECK(tree == deleted);
      CHECK(tree.add_child(rev("3-t"), rev("4-n"), false));
      CHECK(leaf_strs(tree) == Strings{"4-n"});
      CHECK(tree.path_to(rev("4-n"))->ids == Strings{"n", "t", "b", "a"});
      // The tombstone is an inner node now, and forgets it was one: equal to a tree that learnt it by merging.
      CHECK(tree == tree_of({path(4, {"n", "t", "b", "a"})}));
    }
  }
}

TEST_CASE("rev tree: merging a malformed path throws") {
  RevTree tree;
  CHECK_THROWS_AS(tree.merge(path(1, {}), false), std::invalid_argument);
  CHECK_THROWS_AS(tree.merge(path(1, {"b", "a"}), false), std::invalid_argument);  // would reach generation 0
  CHECK_THROWS_AS(tree.merge(path(0, {"a"}), false), std::invalid_argument);
  CHECK_THROWS_AS(tree.merge(path(2, {"b", "a-x"}), false), std::invalid_argument);
  CHECK_THROWS_AS(tree.merge(path(2, {"b", ""}), false), std::invalid_argument);
  CHECK(tree.empty());
}

TEST_CASE("RevPath json") {
  const RevPath p = path(3, {"c", "b", "a"});
  CHECK(p.to_json() == json::parse(R"({"start":3,"ids":["c","b","a"]})"));
  const auto back = RevPath::from_json(p.to_json());
  REQUIRE(back);
  CHECK(back->start == 3);
  CHECK(back->ids == p.ids);
  CHECK(RevPath::from_json(json::parse(R"({"start":7,"ids":["0123456789abcdef0123456789abcdef"],"x":1})")));
  for (const char* bad : {R"([])", R"(null)", R"({"ids":["a"]})", R"({"start":1})", R"({"start":"1","ids":["a"]})",
                          R"({"start":1.0,"ids":["a"]})", R"({"start":-1,"ids":["a"]})", R"({"start":0,"ids":["a"]})",
                          R"({"start":1,"ids":[]})", R"({"start":1,"ids":"a"})", R"({"start":1,"ids":[1]})",
                          R"({"start":1,"ids":["a-b"]})", R"({"start":1,"ids":[""]})", R"({"start":2,"ids":["c","b","a"]})"}) {
    CAPTURE(bad);
    CHECK_FALSE(RevPath::from_json(json::parse(bad)));
  }
}

TEST_CASE("rev tree json") {
  RevTree tree;
  tree.merge(path(2, {"b", "a"}), true);
  CHECK(tree.to_json() == json::parse(R"([[1,"a",-1,false],[2,"b",0,true]])"));

  // Two roots, conflicts, a deleted leaf, a stemmed root.
  tree = tree_of({path(3, {"c", "b", "a"}), path(3, {"d", "b", "a"}), path(9, {"z", "y"})});
  tree.merge(path(4, {"e", "c"}), true);
  const RevTree back = RevTree::from_json(json::parse(tree.to_json().dump()));
  CHECK(back == tree);
  CHECK(back.to_json() == tree.to_json());
  CHECK(leaf_strs(back) == leaf_strs(tree));

  for (const char* bad : {
           R"({})", R"([{}])", R"([[1,"a",-1]])", R"([[1,"a",-1,false,0]])",
           R"([[0,"a",-1,false]])", R"([[-1,"a",-1,false]])", R"([[1.5,"a",-1,false]])",
           R"([["1","a",-1,false]])", R"([[1,"",-1,false]])", R"([[1,"a-b",-1,false]])", R"([[1,7,-1,false]])",
           R"([[1,"a",-2,false]])", R"([[1,"a",0,false]])", R"([[1,"a",null,false]])", R"([[1,"a",-1,0]])",
           R"([[1,"a",-1,false],[2,"b",1,false]])",                      // parent not before the child
           R"([[1,"a",-1,false],[3,"b",0,false]])",                      // parent not one generation older
           R"([[1,"a",-1,false],[1,"a",-1,false]])",                     // repeated
           R"([[2,"a",-1,false],[1,"b",-1,false]])",                     // out of order
           R"([[1,"b",-1,false],[1,"a",-1,false]])",                     // out of order (hash)
           R"([[1,"a",-1,true],[2,"b",0,false]])",                       // an inner node marked deleted
       }) {
    CAPTURE(bad);
    CHECK_THROWS_AS(RevTree::from_json(json::parse(bad)), std::invalid_argument);
  }
}

TEST_CASE("revs_missing") {
  // 1-a 2-b 3-c 4-d
  //         3-x (deleted)
  //     9-z (separate root)
  RevTree tree = tree_of({path(4, {"d", "c", "b", "a"}), path(9, {"z", "y"})});
  tree.merge(path(3, {"x", "b", "a"}), true);

  SUBCASE("known revisions, leaves or inner, are not missing") {
    const Missing m = revs_missing(tree, {"4-d", "2-b", "3-x", "8-y"});
    CHECK(m.missing.empty());
    CHECK(m.possible_ancestors.empty());
  }
  SUBCASE("possible ancestors: leaves, deleted or not, below the highest missing generation; winner first") {
    const Missing m = revs_missing(tree, {"5-e", "4-d", "3-q"});
    CHECK(m.missing == Strings{"5-e", "3-q"});
    CHECK(m.possible_ancestors == Strings{"4-d", "3-x"});
    CHECK(revs_missing(tree, {"10-k"}).possible_ancestors == Strings{"9-z", "4-d", "3-x"});
  }
  SUBCASE("no leaf below the missing generation") {
    const Missing m = revs_missing(tree, {"3-q", "2-r"});
    CHECK(m.missing == Strings{"3-q", "2-r"});
    CHECK(m.possible_ancestors.empty());
  }
  SUBCASE("repeats once; an unparsable revision is missing but suggests no ancestors") {
    const Missing m = revs_missing(tree, {"3-q", "bogus", "3-q", "7-a-b"});
    CHECK(m.missing == Strings{"3-q", "bogus", "7-a-b"});
    CHECK(m.possible_ancestors.empty());
  }
  SUBCASE("stemmed-away revisions are missing") {
    tree.stem(1);
    CHECK(revs_missing(tree, {"1-a", "4-d"}).missing == Strings{"1-a"});
  }
  SUBCASE("an unknown document misses everything and has no ancestors") {
    const Missing m = revs_missing(RevTree(), {"1-a", "2-b"});
    CHECK(m.missing == Strings{"1-a", "2-b"});
    CHECK(m.possible_ancestors.empty());
  }
}

// --- properties --------------------------------------------------------------------------------------------

namespace {

// A random edit history (the "truth"): every node a child of an earlier one, so it has linear stretches,
// branches (conflicts), several roots at generation 1 (independent creations) and some deleted revisions.
struct History {
  std::vector<RevId> revs;
  std::vector<int> parent;
  std::vector<bool> deleted;

  RevPath path_to(size_t i, size_t max_len) const {
    RevPath p{revs[i].generation, {}};
    for (int n = static_cast<int>(i); n >= 0 && p.ids.size() < max_len; n = parent[static_cast<size_t>(n)]) {
      p.ids.push_back(revs[static_cast<size_t>(n)].hash);
    }
    return p;
  }
  std::vector<size_t> leaves() const {
    std::vector<bool> inner(revs.size(), false);
    for (int p : parent) {
      if (p >= 0) inner[static_cast<size_t>(p)] = true;
    }
    std::vector<size_t> out;
    for (size_t i = 0; i < revs.size(); ++i) {
      if (!inner[i]) out.push_back(i);
    }
    return out;
  }
};

History random_history(std::mt19937& rng) {
  // Short hashes over the whole alphabet, so ties within a generation are decided by byte order of mixed forms.
  static const std::string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  auto random_hash = [&] {
    std::string h(1 + rng() % 3, ' ');
    for (char& c : h) c = alphabet[rng() % alphabet.size()];
    return h;
  };
  History h;
  const size_t size = 1 + rng() % 30;
  std::set<std::pair<uint64_t, std::string>> used;
  for (size_t i = 0; i < size; ++i) {
    int parent = -1;
    if (i > 0 && rng() % 8 != 0) {
      // Mostly extend one of the newest revisions: long branches, with some forks further back.
      const size_t back = std::min<size_t>(i, 1 + rng() % 4);
      parent = static_cast<int>(i - 1 - rng() % back);
    }
    const uint64_t generation = parent < 0 ? 1 : h.revs[static_cast<size_t>(parent)].generation + 1;
    std::string hash;
    do hash = random_hash(); while (!used.insert({generation, hash}).second);
    h.revs.push_back(RevId{generation, hash});
    h.parent.push_back(parent);
    h.deleted.push_back(rng() % 4 == 0);
  }
  return h;
}

struct Sent {
  RevPath path;
  bool deleted;
};

}  // namespace

TEST_CASE("rev tree property: the same paths in any order give the same tree") {
  std::mt19937 rng(20240611);
  size_t with_conflicts = 0, with_separate_roots = 0, stemmed_something = 0;
  for (int iteration = 0; iteration < 300; ++iteration) {
    CAPTURE(iteration);
    const History truth = random_history(rng);
    // Paths as replicas would send them: to leaves and to revisions that were leaves once, with the sender's
    // own stemming cutting them short, some sent twice. Every leaf is sent at least once.
    std::vector<Sent> bag;
    for (size_t leaf : truth.leaves()) bag.push_back({truth.path_to(leaf, 1 + rng() % 8), truth.deleted[leaf]});
    for (size_t k = rng() % 12; k > 0; --k) {
      const size_t i = rng() % truth.revs.size();
      bag.push_back({truth.path_to(i, 1 + rng() % 8), truth.deleted[i]});
    }
    for (size_t k = rng() % 3; k > 0; --k) bag.push_back(bag[rng() % bag.size()]);

    const size_t revs_limit = 1 + rng() % 4;
    std::vector<RevTree> replicas(4);
    for (RevTree& replica : replicas) {
      std::shuffle(bag.begin(), bag.end(), rng);
      for (const Sent& s : bag) replica.merge(s.path, s.deleted);
    }
    const RevTree first = replicas.front();  // a copy: the replicas are stemmed below
    for (const RevTree& replica : replicas) {
      CHECK(replica == first);
      CHECK(replica.to_json() == first.to_json());
      CHECK(RevTree::from_json(replica.to_json()) == replica);
    }
    // The leaves are the revisions nothing sent links a child to: the history's leaves, and inner revisions
    // sent only on paths cut too short to link them (a separate branch until a longer path arrives). The
    // winner is CouchDB's.
    std::map<std::pair<uint64_t, std::string>, bool> heads;  // -> deleted
    std::set<std::pair<uint64_t, std::string>> parents;
    for (const Sent& sent : bag) {
      heads.emplace(std::pair(sent.path.start, sent.path.ids.front()), sent.deleted);
      for (size_t i = 1; i < sent.path.ids.size(); ++i) parents.emplace(sent.path.start - i, sent.path.ids[i]);
    }
    std::vector<Leaf> expected;
    for (const auto& [head, deleted] : heads) {
      if (!parents.contains(head)) expected.push_back({RevId{head.first, head.second}, deleted});
    }
    for (size_t leaf : truth.leaves()) {
      CHECK(std::any_of(expected.begin(), expected.end(), [&](const Leaf& l) { return l.rev == truth.revs[leaf]; }));
    }
    std::sort(expected.begin(), expected.end(), [](const Leaf& a, const Leaf& b) {
      return std::tuple(!a.deleted, a.rev.generation, a.rev.hash) > std::tuple(!b.deleted, b.rev.generation, b.rev.hash);
    });
    const std::vector<Leaf> leaves = first.leaves();
    REQUIRE(leaves.size() == expected.size());
    for (size_t i = 0; i < leaves.size(); ++i) {
      CHECK(leaves[i].rev == expected[i].rev);
      CHECK(leaves[i].deleted == expected[i].deleted);
    }
    CHECK(first.winner()->rev == expected.front().rev);
    with_conflicts += first.conflicts().empty() ? 0 : 1;
    // Every path the tree reports is a stretch of the true history.
    for (const Leaf& leaf : leaves) {
      const RevPath p = *first.path_to(leaf.rev);
      const auto i = static_cast<size_t>(std::find(truth.revs.begin(), truth.revs.end(), leaf.rev) - truth.revs.begin());
      CHECK(truth.path_to(i, p.ids.size()).ids == p.ids);
    }
    const json stored = first.to_json();
    with_separate_roots += std::count_if(stored.begin(), stored.end(), [](const json& n) { return n[2] == -1; }) > 1;

    // Stemming the same tree gives the same tree on every replica, and keeps every leaf with its newest
    // min(revs_limit, what was known) revisions.
    for (RevTree& replica : replicas) replica.stem(revs_limit);
    for (const RevTree& replica : replicas) CHECK(replica == replicas.front());
    const RevTree& stemmed = replicas.front();
    stemmed_something += stemmed.to_json().size() < first.to_json().size() ? 1 : 0;
    REQUIRE(stemmed.leaves().size() == leaves.size());
    for (const Leaf& leaf : leaves) {
      const RevPath before = *first.path_to(leaf.rev);
      const RevPath after = *stemmed.path_to(leaf.rev);
      CHECK(after.ids.size() >= std::min(revs_limit, before.ids.size()));
      CHECK(std::equal(after.ids.begin(), after.ids.end(), before.ids.begin()));
    }
  }
  // The random cases exercised what they are meant to.
  CHECK(with_conflicts > 30);
  CHECK(with_separate_roots > 30);
  CHECK(stemmed_something > 30);
}

TEST_CASE("rev tree property: replicas editing, replicating and stemming converge on the same leaves") {
  // Replicas edit locally (add_child with next_rev, deletions, re-creations, concurrent creations) and
  // replicate as CouchDB's replicator does: _revs_diff of the source's leaves, then each missing leaf's path
  // stemmed to revs_limit, merged with new_edits=false, and the target stems after every merge as CouchDB's
  // updater does. Whatever the order, all replicas end with the same leaves, winner and conflicts. (Their tree
  // shapes may differ where one of them stemmed before learning a link, as in CouchDB.)
  std::mt19937 rng(7);
  size_t conflicts_seen = 0, stems_that_dropped = 0;
  for (int iteration = 0; iteration < 150; ++iteration) {
    CAPTURE(iteration);
    const size_t revs_limit = 2 + rng() % 5;
    std::vector<RevTree> replicas(2 + rng() % 3);

    auto edit = [&](RevTree& tree) {
      const json body = {{"n", rng() % 3}};  // few bodies: replicas sometimes make the very same edit
      if (tree.empty()) {
        REQUIRE(tree.add_child(std::nullopt, next_rev(std::nullopt, body, false), false));
        return;
      }
      const std::vector<Leaf> leaves = tree.leaves();
      // Mostly edit the winner; sometimes a conflicting leaf (e.g. to delete it).
      const Leaf& parent = rng() % 4 == 0 ? leaves[rng() % leaves.size()] : leaves.front();
      const bool deleted = !parent.deleted && rng() % 5 == 0;
      const RevId child = next_rev(parent.rev, deleted ? json::object() : body, deleted);
      if (!tree.add_child(parent.rev, child, deleted)) {
        // Only when this very edit is known already: the parent is a stemmed-away revision that came back as a
        // leaf while its child stayed (the store reports a conflict, as CouchDB does).
        CHECK(tree.contains(child));
        return;
      }
      // An edit made when the parent is not a leaf any more is refused.
      CHECK_FALSE(tree.add_child(parent.rev, next_rev(parent.rev, {{"n", 99}}, false), false));
      const size_t before = tree.to_json().size();
      tree.stem(revs_limit);
      stems_that_dropped += tree.to_json().size() < before ? 1 : 0;
    };
    auto replicate = [&](const RevTree& source, RevTree& target) {
      const std::vector<Leaf> source_leaves = source.leaves();
      std::map<std::string, bool> deleted_by_rev;
      std::vector<std::string> leaf_revs;
      for (const Leaf& leaf : source_leaves) {
        leaf_revs.push_back(leaf.rev.str());
        deleted_by_rev[leaf.rev.str()] = leaf.deleted;
      }
      for (const std::string& missing : revs_missing(target, leaf_revs).missing) {
        RevPath p = *source.path_to(*parse_rev(missing));
        if (p.ids.size() > revs_limit) p.ids.resize(revs_limit);
        const bool deleted = deleted_by_rev.at(missing);
        const RevTree copy = RevTree::from_json(target.to_json());  // storage round trip on the way
        target = copy;
        CHECK(target.merge(p, deleted) == RevTree::MergeResult::NewLeaf);
        const size_t before = target.to_json().size();
        target.stem(revs_limit);
        stems_that_dropped += target.to_json().size() < before ? 1 : 0;
      }
    };

    for (int step = 0, steps = 10 + static_cast<int>(rng() % 40); step < steps; ++step) {
      const size_t a = rng() % replicas.size();
      if (rng() % 3 != 0) {
        edit(replicas[a]);
      } else {
        const size_t b = rng() % replicas.size();
        if (a != b) replicate(replicas[a], replicas[b]);
      }
    }
    // Everyone replicates with everyone, in random order, until nothing is missing anywhere.
    for (int round = 0;; ++round) {
      REQUIRE(round < 10);
      std::vector<std::pair<size_t, size_t>> pairs;
      for (size_t a = 0; a < replicas.size(); ++a) {
        for (size_t b = 0; b < replicas.size(); ++b) {
          if (a != b) pairs.emplace_back(a, b);
        }
      }
      std::shuffle(pairs.begin(), pairs.end(), rng);
      bool changed = false;
      for (auto [a, b] : pairs) {
        const RevTree before = replicas[b];
        replicate(replicas[a], replicas[b]);
        changed = changed || !(replicas[b] == before);
      }
      if (!changed) break;
    }

    const RevTree& first = replicas.front();
    for (const RevTree& replica : replicas) {
      REQUIRE(leaf_strs(replica) == leaf_strs(first));
      CHECK(replica.winner()->rev == first.winner()->rev);
      CHECK(strs(replica.conflicts()) == strs(first.conflicts()));
      // Where two replicas both know a leaf's ancestry, they agree on it.
      for (const Leaf& leaf : first.leaves()) {
        const RevPath mine = *replica.path_to(leaf.rev);
        const RevPath theirs = *first.path_to(leaf.rev);
        const size_t common = std::min(mine.ids.size(), theirs.ids.size());
        CHECK(common >= std::min<size_t>(revs_limit, leaf.rev.generation));
        CHECK(std::equal(mine.ids.begin(), mine.ids.begin() + static_cast<std::ptrdiff_t>(common), theirs.ids.begin()));
      }
    }
    conflicts_seen += first.conflicts().empty() ? 0 : 1;
  }
  CHECK(conflicts_seen > 10);
  CHECK(stems_that_dropped > 50);
}
