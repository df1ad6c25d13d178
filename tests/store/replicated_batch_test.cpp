// Revisions received in one batch of a pull (DocStore::put_replicated of a list): stored as one by one would store
// them, with their records written together.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "store/doc_store.hpp"
#include "store/files.hpp"
#include "support.hpp"
#include "sync/revision.hpp"

using namespace steward::store;
using namespace steward::store::testing;
using steward::sync::ReplicatedRevision;
using steward::sync::RevPath;
using steward::sync::StoredLeaves;
using nlohmann::json;

namespace {

struct Received {
  std::string id;
  RevPath path;
  bool deleted = false;
  json body;
};

std::string hash_of(int n, char fill) {
  std::string h(32, fill);
  const std::string digits = std::to_string(n);
  h.replace(0, digits.size(), digits);
  return h;
}

// Visit n as received in a pull: its first revision, the revision members stripped.
Received received_visit(int n) {
  json doc = visit_doc(n);
  const std::string id = doc["_id"];
  steward::sync::strip_revision_metadata(doc);
  return {id, RevPath{1, {hash_of(n, 'a')}}, false, doc};
}

// A pull's worth of revisions: many new documents, a document with two revisions in a row (the second a child of
// the first), one with two conflicting siblings, a deletion, and a revision the store has already.
std::vector<Received> pull_batch(const std::string& known_id, const RevPath& known_path) {
  std::vector<Received> out;
  for (int i = 0; i < 300; ++i) {
    out.push_back(received_visit(i));
    const std::string id = out.back().id;
    if (i == 40) out.push_back({id, RevPath{2, {hash_of(i, 'b'), hash_of(i, 'a')}}, false, {{"name", "second"}}});
    if (i == 80) out.push_back({id, RevPath{1, {hash_of(i, 'f')}}, false, {{"name", "sibling"}}});
    if (i == 120) out.push_back({id, RevPath{2, {hash_of(i, 'c'), hash_of(i, 'a')}}, true, json::object()});
    if (i == 200) out.push_back({known_id, known_path, false, {{"v", 1}}});
  }
  return out;
}

std::vector<ReplicatedRevision> as_revisions(const std::vector<Received>& received) {
  std::vector<ReplicatedRevision> out;
  for (const Received& r : received) out.push_back({r.id, &r.path, r.deleted, &r.body});
  return out;
}

std::vector<uint64_t> segment_sizes(const std::string& dir) {
  std::vector<uint64_t> out;
  for (uint32_t n : files::list_segments(dir)) out.push_back(file_size(dir + "/" + files::segment_name(n)));
  return out;
}

}  // namespace

TEST_CASE("a batch of replicated revisions ends as storing them one by one does, segment for segment") {
  Options opts;
  opts.segment_bytes = 16 * 1024;  // the batch fills many segments
  TempDir batched_dir, single_dir;
  DocStore batched = DocStore::open(batched_dir.path(), opts);
  DocStore single = DocStore::open(single_dir.path(), opts);
  const RevPath known{1, {hash_of(0, 'e')}};
  for (DocStore* s : {&batched, &single}) REQUIRE(s->put_replicated("known", known, false, {{"v", 1}}));

  const std::vector<Received> received = pull_batch("known", known);
  const StoredLeaves stored = batched.put_replicated(as_revisions(received));
  REQUIRE(stored.size() == received.size());
  for (size_t i = 0; i < received.size(); ++i) {
    const Received& r = received[i];
    CAPTURE(r.id);
    std::vector<steward::sync::Leaf> leaves;
    const bool was_new = single.put_replicated(r.id, r.path, r.deleted, r.body, &leaves);
    CHECK(stored[i].has_value() == was_new);
    if (stored[i] && was_new) CHECK(leaf_strs(*stored[i]) == leaf_strs(leaves));
  }
  for (size_t i = 0; i < received.size(); ++i) CHECK(stored[i].has_value() == (received[i].id != "known"));

  CHECK(contents(batched) == contents(single));
  CHECK(batched.update_seq() == single.update_seq());
  CHECK(batched.update_seq() == 1 + 300 + 3);
  CHECK(batched.changes_since(0, 1000).size() == single.changes_since(0, 1000).size());
  CHECK(batched.rev_tree(received[81].id) == single.rev_tree(received[81].id));
  CHECK(batched.stats().total_bytes == single.stats().total_bytes);
  CHECK(batched.stats().live_bytes == single.stats().live_bytes);
  const std::vector<uint64_t> sizes = segment_sizes(batched_dir.path());
  CHECK(sizes.size() >= 8);
  CHECK(sizes == segment_sizes(single_dir.path()));

  DocStore reopened = DocStore::open(batched_dir.path(), opts);
  CHECK(reopened.open_report().warnings.empty());
  CHECK(contents(reopened) == contents(single));
  CHECK(reopened.update_seq() == single.update_seq());
}

TEST_CASE("a refused revision stops a batch there: those before it are stored, it and those after are not") {
  TempDir dir;
  DocStore store = DocStore::open(dir.path());
  std::vector<Received> received;
  for (int i = 0; i < 8; ++i) received.push_back(received_visit(i));
  received[5].body = json::array({1, 2});  // not an object
  CHECK(kind_of([&] { store.put_replicated(as_revisions(received)); }) == StoreError::Kind::BadDocument);
  CHECK(store.update_seq() == 5);
  for (int i = 0; i < 8; ++i) CHECK(store.leaves(received[i].id).empty() == (i >= 5));

  DocStore reopened = DocStore::open(dir.path());
  CHECK(reopened.update_seq() == 5);
  CHECK(contents(reopened) == contents(store));
}
