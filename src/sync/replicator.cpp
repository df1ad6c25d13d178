#include "sync/replicator.hpp"

#include <algorithm>
#include <unordered_map>

#include "sync/json_dump.hpp"
#include "sync/json_limits.hpp"
#include "sync/json_parse.hpp"
#include "sync/merge.hpp"

namespace steward::sync {

using nlohmann::json;

namespace {

std::string reason_of(const std::string& body) {
  try {
    const json j = json::parse(body);
    if (j.is_object()) return j.value("error", std::string()) + ": " + j.value("reason", std::string());
  } catch (const json::exception&) {
  }
  return body.substr(0, 200);
}

SyncProblem problem_of_status(int status) {
  if (status == 401) return SyncProblem::NotSignedIn;
  if (status == 403) return SyncProblem::NotAllowed;
  if (status == 404) return SyncProblem::NoDatabase;
  if (status == 413) return SyncProblem::TooLarge;
  if (status >= 500) return SyncProblem::ServerError;
  return SyncProblem::Other;
}

}  // namespace

std::string seq_param(const json& seq) {
  if (seq.is_string()) return seq.get<std::string>();
  if (seq.is_number_unsigned() || seq.is_number_integer()) return std::to_string(seq.get<int64_t>());
  return "0";
}

struct Replicator::Loop {
  std::string checkpoint_id;       // _local/<this>, on both sides
  bool running = false;            // a run (batches, or the longpoll wait) is under way
  // Bumped when a run starts and when it fails: answers to requests of an earlier run are dropped, so that
  // a second answer failing in the same run (parallel fetches) cannot schedule a second retry.
  uint64_t run = 0;
  bool again = false;              // a local write came during a push run: run once more
  int failures = 0;
  uint64_t retry_timer = 0;
  std::string remote_checkpoint_rev;  // the remote _local doc's _rev, for the next PUT
};

struct Replicator::Loops {
  Loop pull;
  Loop push;
  uint64_t push_since = 0;  // local seq the push checkpoint is at
  std::string state_id;  // _local/<this>-state: what the status shows across restarts
  // Documents a pull stored (above the push checkpoint) whose only leaf is the revision it brought: the remote has
  // them, so the push passes them without asking (_revs_diff) and they never count as waiting to upload. An entry
  // whose document changed here since is dropped when next looked at.
  std::unordered_map<std::string, RevId> pulled;
  bool pulled_this_round = false;
};

// Up to changes_batch_size changes being fetched, then checkpointed: their missing revisions in _bulk_get batches,
// a few in flight at once. The round's listing comes in two parts (see pull_batch).
struct Replicator::PullRound {
  std::vector<json> batches;  // {"docs": [{id[, rev]}...]} bodies
  size_t next = 0;            // the next batch to send
  int in_flight = 0;
  size_t listed = 0;          // changes listed so far
  bool listing = false;       // the rest of the listing is being fetched
  json last_seq;
  bool more = false;          // _changes has more after last_seq
};

Replicator::Replicator(LocalReplica& local, Transport& transport, ReplicatorOptions options)
    : local_(local), transport_(transport), options_(std::move(options)), loops_(new Loops), round_(new PullRound) {
  if (options_.batch_size == 0) options_.batch_size = 1;
  if (options_.changes_batch_size < options_.batch_size) options_.changes_batch_size = options_.batch_size;
  if (options_.parallel_fetches < 1) options_.parallel_fetches = 1;
  loops_->pull.checkpoint_id = options_.replication_id + "-pull";
  loops_->push.checkpoint_id = options_.replication_id + "-push";
  loops_->state_id = options_.replication_id + "-state";
  if (auto cp = local_.get_local(loops_->push.checkpoint_id); cp && cp->value("last_seq", json()).is_number())
    loops_->push_since = (*cp)["last_seq"].get<uint64_t>();
  // The last sync as the previous session left it: a tablet reloaded offline still says when it last synced.
  if (auto state = local_.get_local(loops_->state_id); state && state->is_object()) {
    const json& last = (*state)["last_success_ms"];
    if (last.is_number_integer()) status_.last_success_ms = last.get<int64_t>();
  }
  update_pending_upload();
}

Replicator::~Replicator() {
  stop();
  delete loops_;
  delete round_;
}

void Replicator::start() {
  for (Loop* loop : {&loops_->pull, &loops_->push}) {
    if (loop->retry_timer) {
      transport_.cancel(loop->retry_timer);
      loop->retry_timer = 0;
    }
  }
  pull_start();
  push_start();
}

void Replicator::stop() {
  ++epoch_;
  for (Loop* loop : {&loops_->pull, &loops_->push}) {
    if (loop->retry_timer) transport_.cancel(loop->retry_timer);
    loop->retry_timer = 0;
    loop->running = false;
    loop->again = false;
    ++loop->run;
  }
  status_.pulling = status_.pushing = false;
}

void Replicator::local_changed() {
  if (!options_.push) return;
  update_pending_upload();
  if (loops_->push.retry_timer) return;  // waiting out a failure: the retry will carry this write too
  push_start();
}

uint64_t Replicator::pushed_seq() const { return loops_->push_since; }

void Replicator::notify() {
  if (on_status) on_status();
}

namespace {

// The document is exactly the revision pulled: nothing edited here since, no other branch.
bool only_leaf(const std::vector<Leaf>& leaves, const RevId& rev) {
  return leaves.size() == 1 && leaves.front().rev == rev;
}

// `rev` is the document's live winner and no other live leaf conflicts with it.
bool wins_outright(const std::vector<Leaf>& leaves, const RevId& rev) {
  if (leaves.empty() || leaves.front().rev != rev || leaves.front().deleted) return false;
  return std::all_of(leaves.begin() + 1, leaves.end(), [](const Leaf& l) { return l.deleted; });
}

}  // namespace

bool Replicator::still_as_pulled(const std::string& id, const RevId& rev) const {
  return only_leaf(local_.leaves(id), rev);
}

void Replicator::update_pending_upload(bool recheck) {
  if (!options_.push) {
    status_.pending_upload = 0;
    return;
  }
  // Exact, as signing out decides on it: what pulls brought counts only while it is still as brought.
  if (recheck) {
    for (auto it = loops_->pulled.begin(); it != loops_->pulled.end();) {
      it = still_as_pulled(it->first, it->second) ? std::next(it) : loops_->pulled.erase(it);
    }
  }
  const uint64_t changed = local_.count_changes_since(loops_->push_since);
  const uint64_t as_pulled = loops_->pulled.size();
  status_.pending_upload = changed > as_pulled ? changed - as_pulled : 0;
}

void Replicator::save_state() { local_.put_local(loops_->state_id, {{"last_success_ms", status_.last_success_ms}}); }

// ---- requests, failures, backoff ------------------------------------------------------------------------

void Replicator::request(Loop& loop, HttpRequest req, std::function<void(json&)> on_ok,
                         std::vector<int> accepted) {
  if (req.timeout_ms <= 0) req.timeout_ms = options_.request_timeout_ms;
  const uint64_t epoch = epoch_;
  const uint64_t run = loop.run;
  const std::string what = req.method + " " + req.path.substr(0, req.path.find('?'));
  transport_.send(req, [this, &loop, epoch, run, what, on_ok = std::move(on_ok),
                        accepted = std::move(accepted)](HttpResponse r) {
    if (epoch != epoch_ || run != loop.run) return;  // stopped, or that run failed, since
    if (r.status == 0) {
      status_.online = false;
      fail(loop, r.timed_out ? SyncProblem::TimedOut : SyncProblem::NoConnection,
           "no answer (" + what + "): " + r.error);
      return;
    }
    status_.online = true;
    if (std::find(accepted.begin(), accepted.end(), r.status) == accepted.end()) {
      fail(loop, problem_of_status(r.status), what + " answered " + std::to_string(r.status) + " " + reason_of(r.body));
      return;
    }
    if (!json_depth_within(r.body)) {
      fail(loop, SyncProblem::BadAnswer, what + " answered with JSON nested too deep");
      return;
    }
    json body;
    try {
      body = r.body.empty() ? json() : parse_json(r.body);
    } catch (const json::exception&) {
      fail(loop, SyncProblem::BadAnswer, what + " answered with malformed JSON");
      return;
    }
    try {
      on_ok(body);
    } catch (const std::exception& e) {
      fail(loop, SyncProblem::BadAnswer, what + ": " + e.what());
    }
  });
}

void Replicator::fail(Loop& loop, SyncProblem problem, const std::string& why) {
  const bool pull = &loop == &loops_->pull;
  loop.running = false;
  loop.again = false;
  ++loop.run;
  ++loop.failures;
  (pull ? status_.pulling : status_.pushing) = false;
  status_.consecutive_failures = std::max(loops_->pull.failures, loops_->push.failures);
  status_.problem = problem;
  status_.last_error = why;
  // Exponential backoff with jitter, so tablets that lost the same network do not all return at once.
  const int shift = std::min(loop.failures - 1, 16);
  const int64_t ceiling = std::min<int64_t>(options_.max_backoff_ms, int64_t(options_.min_backoff_ms) << shift);
  const int delay = int(ceiling * (0.5 + 0.5 * transport_.random()));
  status_.next_retry_ms = transport_.now_ms() + delay;
  loop.retry_timer = transport_.after(delay, [this, &loop, pull] {
    loop.retry_timer = 0;
    pull ? pull_start() : push_start();
  });
  notify();
}

void Replicator::succeeded(Loop& loop) {
  loop.failures = 0;
  status_.consecutive_failures = std::max(loops_->pull.failures, loops_->push.failures);
  if (status_.consecutive_failures == 0) {
    status_.next_retry_ms = 0;
    // Refused documents stay refused: that is said until a push goes through without any.
    if (status_.problem != SyncProblem::Rejected) {
      status_.problem = SyncProblem::None;
      status_.last_error.clear();
    }
  }
  status_.last_success_ms = transport_.now_ms();
  save_state();
  notify();
}

// ---- checkpoints -----------------------------------------------------------------------------------------

void Replicator::read_checkpoint(Loop& loop, std::function<void(json since)> then) {
  const std::optional<json> here = local_.get_local(loop.checkpoint_id);
  if (!here || !here->contains("last_seq")) {
    // Nothing here: the run starts from 0 whatever the remote holds, so it starts now (a first pull gains a round
    // trip). The remote checkpoint's revision, which the next save names, comes back meanwhile; a save that goes
    // first learns it from the 409 instead, and then this late answer must not overwrite the newer revision.
    loop.remote_checkpoint_rev.clear();
    request(loop, {"GET", "_local/" + loop.checkpoint_id, "", 0},
            [&loop](const json& remote) {
              if (loop.remote_checkpoint_rev.empty() && remote.is_object())
                loop.remote_checkpoint_rev = remote.value("_rev", std::string());
            },
            {200, 404});
    then(0);
    return;
  }
  request(loop, {"GET", "_local/" + loop.checkpoint_id, "", 0},
          [&loop, here, then = std::move(then)](const json& remote) {
            loop.remote_checkpoint_rev = remote.is_object() ? remote.value("_rev", std::string()) : std::string();
            // Both sides must agree on where the last run got to; otherwise start over (safe: every batch is
            // idempotent, only slower).
            json since = 0;
            if (here && remote.is_object() && remote.contains("last_seq") && here->contains("last_seq") &&
                (*here)["last_seq"] == remote["last_seq"])
              since = remote["last_seq"];
            then(since);
          },
          {200, 404});
}

void Replicator::save_checkpoint(Loop& loop, const json& last_seq, std::function<void()> then) {
  const json doc = {{"last_seq", last_seq}, {"replicator", "steward"}, {"version", 1}};
  local_.put_local(loop.checkpoint_id, doc);
  if (&loop == &loops_->push && last_seq.is_number()) loops_->push_since = last_seq.get<uint64_t>();
  put_remote_checkpoint(loop, doc, std::move(then), false);
}

void Replicator::put_remote_checkpoint(Loop& loop, const json& doc, std::function<void()> then, bool retried) {
  json body = doc;
  if (!loop.remote_checkpoint_rev.empty()) body["_rev"] = loop.remote_checkpoint_rev;
  request(loop, {"PUT", "_local/" + loop.checkpoint_id, body.dump(), 0},
          [this, &loop, doc, then, retried](const json& answer) {
            if (answer.is_object() && answer.contains("rev")) {
              loop.remote_checkpoint_rev = answer["rev"].get<std::string>();
              then();
              return;
            }
            // 409: the remote checkpoint moved (another session of ours); take its revision and write over it.
            if (retried) throw std::runtime_error("the remote checkpoint keeps changing");  // -> BadAnswer
            request(loop, {"GET", "_local/" + loop.checkpoint_id, "", 0},
                    [this, &loop, doc, then](const json& current) {
                      loop.remote_checkpoint_rev = current.is_object() ? current.value("_rev", std::string()) : "";
                      put_remote_checkpoint(loop, doc, then, true);
                    },
                    {200, 404});
          },
          {200, 201, 409});
}

// ---- pull --------------------------------------------------------------------------------------------------

namespace {

std::optional<uint64_t> pending_of(const json& changes) {
  const auto it = changes.find("pending");
  if (it == changes.end() || !it->is_number_unsigned()) return std::nullopt;
  return it->get<uint64_t>();
}

}  // namespace

void Replicator::pull_start() {
  Loop& loop = loops_->pull;
  if (loop.running) return;
  loop.running = true;
  ++loop.run;
  status_.pulling = true;
  status_.pulled = 0;
  status_.pull_total = 0;
  notify();
  read_checkpoint(loop, [this](json since) { pull_batch(since); });
}

// A round lists its first batch_size changes alone, then asks for the rest of its changes_batch_size at once: the
// first fetches go out after a short listing instead of after the server has listed, and the tablet has read,
// thousands of changes, and the rest of the listing arrives while they are fetched.
void Replicator::pull_batch(const json& since) {
  status_.pulling = true;
  *round_ = PullRound{};
  pull_list(since, options_.batch_size);
}

void Replicator::pull_list(const json& since, size_t limit) {
  round_->listing = true;
  request(loops_->pull,
          {"GET", "_changes?style=all_docs&since=" + seq_param(since) + "&limit=" + std::to_string(limit), "", 0},
          [this, limit](json& changes) {
            round_->listing = false;
            pull_fetch(changes.at("results"), changes.at("last_seq"), pending_of(changes), limit);
          });
}

// Adds a listing to the round: what it lists that is missing here is fetched.
void Replicator::pull_fetch(const json& results, const json& last_seq, std::optional<uint64_t> pending,
                            size_t limit) {
  PullRound& round = *round_;
  const bool first_part = round.listed == 0;
  round.last_seq = last_seq;
  round.listed += results.size();
  // The server says how many changes are left (CouchDB 2 and later, ours); one that does not may have more behind a
  // listing as long as asked for.
  round.more = pending ? *pending > 0 : results.size() >= limit;
  if (round.more && round.listed < options_.changes_batch_size)
    pull_list(last_seq, options_.changes_batch_size - round.listed);
  json wanted = json::array();
  size_t total = 0;
  // The first fetch of a round is smaller: the tablet has nothing to store until it answers, and a quarter of a
  // batch comes back sooner, so storing starts while the server reads the next ones.
  size_t limit_now = first_part ? std::max<size_t>(1, options_.batch_size / 4) : options_.batch_size;
  for (const json& change : results) {
    const std::string& id = change.at("id").get_ref<const std::string&>();
    const std::optional<RevTree> tree = local_.rev_tree(id);
    const json& revs = change.at("changes");
    // A live document with one leaf is asked for by id alone: the server sends its winner, which is that leaf, or
    // a later revision (a change since, which a later listing lists again). That leaves 40 bytes of every 90 in a
    // _bulk_get request behind, and on a tablet's mobile link the upload is the slow direction. Conflicts and
    // deletions (a deleted document has no winner to send) are asked for by revision.
    const bool by_id = revs.size() == 1 && !change.value("deleted", false);
    for (const json& c : revs) {
      const std::string& rev = c.at("rev").get_ref<const std::string&>();
      const std::optional<RevId> parsed = parse_rev(rev);
      if (!parsed) throw std::runtime_error("bad revision " + rev + " for " + id);
      if (tree && tree->contains(*parsed)) continue;
      wanted.push_back(by_id ? json{{"id", id}} : json{{"id", id}, {"rev", rev}});
      ++total;
      if (wanted.size() >= limit_now) {
        round.batches.push_back({{"docs", std::move(wanted)}});
        wanted = json::array();
        limit_now = options_.batch_size;
      }
    }
  }
  if (!wanted.empty()) round.batches.push_back({{"docs", std::move(wanted)}});
  // The total counted the changes the server said it still had; those this part listed now count as the
  // revisions they want.
  if (first_part) {
    status_.pull_total = status_.pulled + total + pending.value_or(0);
  } else {
    const uint64_t counted = pending ? std::min<uint64_t>(status_.pull_total, results.size()) : 0;
    status_.pull_total = status_.pull_total - counted + total;
  }
  notify();
  while (round.in_flight < options_.parallel_fetches && round.next < round.batches.size()) pull_fetch_next();
  pull_maybe_round_done();
}

void Replicator::pull_fetch_next() {
  PullRound& round = *round_;
  const std::string body = dump_json(round.batches[round.next]);
  round.batches[round.next] = json();  // sent: its memory is not needed any more
  ++round.next;
  ++round.in_flight;
  request(loops_->pull, {"POST", "_bulk_get?revs=true&attachments=true", body, 0}, [this](json& answer) {
    PullRound& round = *round_;
    --round.in_flight;
    // The next request goes out before this answer is stored, so the server works while the tablet does.
    if (round.next < round.batches.size()) pull_fetch_next();
    pull_store(answer);
    pull_maybe_round_done();
  });
}

void Replicator::pull_maybe_round_done() {
  const PullRound& round = *round_;
  if (round.in_flight == 0 && round.next == round.batches.size() && !round.listing) pull_round_done();
}

void Replicator::pull_store(json& bulk_get) {
  struct Received {
    std::string id;
    RevPath path;
    bool deleted;
    json* doc;
  };
  std::vector<Received> received;
  if (bulk_get.contains("results")) {
    for (json& result : bulk_get["results"]) {
      for (json& d : result.at("docs")) {
        if (!d.contains("ok")) continue;  // gone from the source since (compacted or purged): nothing to copy
        json& doc = d["ok"];
        std::string id = doc.at("_id").get<std::string>();
        std::optional<RevPath> path;
        if (doc.contains("_revisions")) path = RevPath::from_json(doc["_revisions"]);
        if (!path) {
          const std::optional<RevId> rev = parse_rev(doc.at("_rev").get<std::string>());
          if (!rev) throw std::runtime_error("bad revision for " + id);
          path = RevPath{rev->generation, {rev->hash}};
        }
        const bool deleted = doc.value("_deleted", false);
        // Stripped here rather than by the replica, which would have to copy the document to do it.
        strip_revision_metadata(doc);
        // Asked first: it accepts most documents, and looking the id up here costs more (a large first pull).
        if (options_.accept_new_doc && !options_.accept_new_doc(id, doc) && local_.leaves(id).empty()) continue;
        received.push_back({std::move(id), std::move(*path), deleted, &doc});
      }
    }
  }
  // Stored as one batch: the replica writes their records together.
  std::vector<ReplicatedRevision> revisions;
  revisions.reserve(received.size());
  for (const Received& r : received) revisions.push_back({r.id, &r.path, r.deleted, r.doc});
  StoredLeaves stored = local_.store_replicated(revisions);

  std::vector<ChangedDoc> changed;
  for (size_t i = 0; i < received.size(); ++i) {
    if (!stored[i]) continue;
    Received& r = received[i];
    const std::vector<Leaf>& leaves = *stored[i];
    ++status_.pulled;
    ++status_.pulled_total;
    loops_->pulled_this_round = true;
    if (options_.push && only_leaf(leaves, r.path.leaf())) loops_->pulled[r.id] = r.path.leaf();
    else loops_->pulled.erase(r.id);
    // What the app shows is the winner: when this revision is it (no conflict), hand it over as pulled.
    std::optional<json> winner;
    if (wins_outright(leaves, r.path.leaf())) {
      (*r.doc)["_id"] = r.id;
      (*r.doc)["_rev"] = r.path.leaf().str();
      winner = std::move(*r.doc);
    }
    changed.push_back({std::move(r.id), std::move(winner)});
  }
  merge_conflicts(changed);  // a merge is a local edit: it waits to upload
  // The pulled list is exact already: each document above was entered or dropped as it was stored, and a merge
  // dropped its own. Checking every earlier one again after each batch made a large first pull quadratic.
  update_pending_upload(false);
  if (!changed.empty() && on_docs_changed) on_docs_changed(changed);
  notify();
}

void Replicator::pull_round_done() {
  const json last_seq = round_->last_seq;
  const bool more = round_->more;
  save_checkpoint(loops_->pull, last_seq, [this, last_seq, more] {
    if (more) {
      pull_batch(last_seq);
      return;
    }
    status_.pulling = false;
    status_.pull_caught_up_ms = transport_.now_ms();
    // What the pull stored is above the push checkpoint: a push run takes the checkpoint past it (without asking
    // the remote about it), so "synced" (retention, signing out) covers pulled records too.
    if (loops_->pulled_this_round) {
      loops_->pulled_this_round = false;
      if (!loops_->push.retry_timer) push_start();
    }
    succeeded(loops_->pull);
    if (options_.continuous)
      pull_listen(last_seq);
    else
      loops_->pull.running = false;
  });
}

void Replicator::pull_listen(const json& since) {
  HttpRequest req{"GET",
                  "_changes?feed=longpoll&style=all_docs&since=" + seq_param(since) +
                      "&timeout=" + std::to_string(options_.longpoll_timeout_ms) +
                      "&limit=" + std::to_string(options_.changes_batch_size),
                  "", options_.longpoll_timeout_ms + 15000};
  request(loops_->pull, req, [this, since](json& changes) {
    const json& results = changes.at("results");
    const json last_seq = changes.value("last_seq", since);
    if (results.empty()) {
      pull_listen(last_seq);
      return;
    }
    status_.pulling = true;
    status_.pulled = 0;
    *round_ = PullRound{};
    pull_fetch(results, last_seq, pending_of(changes), options_.changes_batch_size);
  });
}

// ---- conflicts ---------------------------------------------------------------------------------------------

void Replicator::merge_conflicts(std::vector<ChangedDoc>& changed) {
  bool merged_any = false;
  for (ChangedDoc& c : changed) {
    if (c.winner) continue;  // the pulled revision won outright: no conflict
    const std::string& id = c.id;
    const std::optional<RevTree> tree = local_.rev_tree(id);
    if (!tree || tree->conflicts().empty()) continue;
    std::vector<LeafDoc> bodies;
    for (const Leaf& leaf : tree->leaves()) {
      if (leaf.deleted) continue;
      const std::optional<json> doc = local_.revision(id, leaf.rev);
      if (!doc) continue;  // a leaf whose body this replica never got cannot take part
      json body = *doc;
      strip_revision_metadata(body);
      bodies.push_back({leaf.rev, std::move(body)});
    }
    const std::optional<Resolution> resolution = resolve_conflict(*tree, bodies);
    if (!resolution) continue;
    loops_->pulled.erase(id);
    local_.store_local_edit(id, resolution->parent, resolution->merged, false);
    for (const RevId& loser : resolution->losers) local_.store_local_edit(id, loser, json::object(), true);
    ++status_.merged;
    merged_any = true;
  }
  if (merged_any) local_changed();
}

// ---- push --------------------------------------------------------------------------------------------------

void Replicator::push_start() {
  Loop& loop = loops_->push;
  if (!options_.push) return;
  if (loop.running) {
    loop.again = true;
    return;
  }
  loop.running = true;
  ++loop.run;
  status_.pushing = true;
  notify();
  read_checkpoint(loop, [this](json since) { push_batch(since.is_number() ? since.get<uint64_t>() : 0); });
}

void Replicator::push_batch(uint64_t since) {
  Loop& loop = loops_->push;
  const std::vector<ReplicaChange> changes = local_.changes_since(since, options_.batch_size);
  if (changes.empty()) {
    loop.running = false;
    status_.pushing = false;
    update_pending_upload();
    succeeded(loop);
    if (loop.again) {
      loop.again = false;
      push_start();
    }
    return;
  }
  json diff = json::object();
  for (const ReplicaChange& c : changes) {
    if (auto p = loops_->pulled.find(c.id); p != loops_->pulled.end()) {
      const bool as_pulled = c.leaves.size() == 1 && c.leaves.front().rev == p->second;
      loops_->pulled.erase(p);
      if (as_pulled) continue;  // the remote gave it: nothing to ask
    }
    json revs = json::array();
    for (const Leaf& leaf : c.leaves) revs.push_back(leaf.rev.str());
    diff[c.id] = revs;
  }
  const uint64_t last_seq = changes.back().seq;
  if (diff.empty()) {
    push_send(json::object(), last_seq);
    return;
  }
  request(loop, {"POST", "_revs_diff", diff.dump(), 0},
          [this, last_seq](const json& answer) { push_send(answer, last_seq); });
}

void Replicator::push_send(const json& diff, uint64_t last_seq) {
  json docs = json::array();
  for (auto it = diff.begin(); it != diff.end(); ++it) {
    for (const json& rev : it.value().value("missing", json::array())) {
      const std::optional<RevId> parsed = parse_rev(rev.get<std::string>());
      if (!parsed) continue;
      if (std::optional<json> doc = local_.revision(it.key(), *parsed)) docs.push_back(std::move(*doc));
    }
  }
  auto checkpoint = [this, last_seq] {
    save_checkpoint(loops_->push, last_seq, [this, last_seq] {
      update_pending_upload();
      notify();
      push_batch(last_seq);
    });
  };
  if (docs.empty()) {
    checkpoint();
    return;
  }
  request(loops_->push, {"POST", "_bulk_docs", dump_json(json{{"docs", docs}, {"new_edits", false}}), 0},
          [this, checkpoint](const json& answer) {
            // With new_edits=false a document is refused only by the server's rules (e.g. access): note it,
            // go on with the others, as CouchDB's replicator counts doc_write_failures.
            uint64_t rejected = 0;
            if (answer.is_array())
              for (const json& r : answer)
                if (r.is_object() && r.contains("error")) {
                  ++rejected;
                  status_.last_error = r.value("id", std::string()) + ": " + r.value("reason", std::string());
                }
            status_.rejected = rejected;
            if (rejected > 0) status_.problem = SyncProblem::Rejected;
            else if (status_.problem == SyncProblem::Rejected) status_.problem = SyncProblem::None;
            checkpoint();
          });
}

}  // namespace steward::sync
