// The tablet replicator (src/sync/replicator) against the real server binary: tablets with their own stores
// push and pull through /couch/<db>, converge, merge conflicts deterministically, and survive a flaky network.
#include <doctest/doctest.h>

#include <httplib.h>

#include <deque>
#include <functional>
#include <map>
#include <random>

#include "core/patrol.hpp"
#include "store/doc_store.hpp"
#include "core/retention.hpp"
#include "store/ops_repository.hpp"
#include "store/owner_repository.hpp"
#include "store/visit_repository.hpp"
#include "store/store_replica.hpp"
#include "sync/merge.hpp"
#include "sync/replicator.hpp"
#include "test_fixtures.hpp"

using namespace steward;
using namespace steward::server::testing;
using nlohmann::json;

namespace {

// HTTP with a real client, callbacks and timers on a deterministic run loop with virtual time. Optionally
// drops a share of requests (no answer) to play a poor network.
class LoopTransport : public sync::Transport {
 public:
  LoopTransport(int port, std::string db) : client_("127.0.0.1", port), prefix_("/couch/" + db + "/") {
    client_.set_read_timeout(60, 0);
    client_.set_basic_auth("admin", kDemoPassword);  // the test databases are no site's: a server admin's
  }
  // A demo person's credentials instead (a site's database, with that person's access).
  void sign_in_as(const std::string& user) { client_.set_basic_auth(user, kDemoPassword); }

  double drop_share = 0.0;  // of requests that get no answer
  int requests = 0;
  int answered = 0;  // answers handed to the replicator so far
  struct Sent {
    std::string what;  // "GET _changes?..."
    int answered;      // how many answers the replicator had seen when it sent this
    std::string body;
  };
  std::vector<Sent> sent;

  void send(const sync::HttpRequest& req, std::function<void(sync::HttpResponse)> done) override {
    ++requests;
    sent.push_back({req.method + " " + req.path, answered, req.body});
    sync::HttpResponse response;
    if (rng_() % 1000 < drop_share * 1000) {
      response.error = "dropped by the test";
      // Half the drops happen after the server did the work: the answer is lost, not the request.
      if (rng_() % 2) perform(req);
    } else {
      response = perform(req);
    }
    queue_.push_back([done = std::move(done), response] { done(response); });
  }

  uint64_t after(int delay_ms, std::function<void()> fn) override {
    timers_[++timer_id_] = {now_ + delay_ms, std::move(fn)};
    return timer_id_;
  }
  void cancel(uint64_t timer) override { timers_.erase(timer); }
  int64_t now_ms() override { return now_; }
  double random() override { return std::uniform_real_distribution<double>(0, 1)(rng_); }

  // Runs callbacks (advancing virtual time to the next timer when idle) until `done()` or nothing is left.
  bool run_until(const std::function<bool()>& done, int max_steps = 20000) {
    for (int step = 0; step < max_steps; ++step) {
      if (done()) return true;
      if (!queue_.empty()) {
        auto fn = std::move(queue_.front());
        queue_.pop_front();
        ++answered;
        fn();
        continue;
      }
      if (timers_.empty()) return done();
      auto next = std::min_element(timers_.begin(), timers_.end(),
                                   [](const auto& a, const auto& b) { return a.second.at < b.second.at; });
      now_ = std::max(now_, next->second.at);
      auto fn = std::move(next->second.fn);
      timers_.erase(next);
      fn();
    }
    return done();
  }

 private:
  sync::HttpResponse perform(const sync::HttpRequest& req) {
    sync::HttpResponse out;
    const std::string path = prefix_ + req.path;
    httplib::Result res = req.method == "GET"    ? client_.Get(path.c_str())
                          : req.method == "PUT"  ? client_.Put(path.c_str(), req.body, "application/json")
                                                 : client_.Post(path.c_str(), req.body, "application/json");
    if (!res) {
      out.error = httplib::to_string(res.error());
      return out;
    }
    out.status = res->status;
    out.body = res->body;
    return out;
  }

  struct Timer {
    int64_t at;
    std::function<void()> fn;
  };
  httplib::Client client_;
  std::string prefix_;
  std::deque<std::function<void()>> queue_;
  std::map<uint64_t, Timer> timers_;
  uint64_t timer_id_ = 0;
  int64_t now_ = 1'700'000'000'000;
  std::mt19937 rng_{7};
};

// A tablet: its own store, replicating one database once (not continuous) whenever asked.
struct Tablet {
  TempDir dir;
  store::DocStore store;
  store::StoreReplica replica{store};
  LoopTransport transport;
  sync::Replicator replicator;
  sync::HlcClock clock;

  Tablet(const std::string& name, int port, const std::string& db)
      : Tablet(name, port, db, options(name)) {}
  Tablet(const std::string& name, int port, const std::string& db, const sync::ReplicatorOptions& o)
      : store(store::DocStore::open((dir.path() / "store").string())),
        transport(port, db),
        replicator(replica, transport, o),
        clock(name) {}

  static sync::ReplicatorOptions options(const std::string& name) {
    sync::ReplicatorOptions o;
    o.replication_id = "tablet-" + name;
    o.batch_size = 50;
    o.continuous = false;
    return o;
  }

  // An edit as the app makes it: stamped fields, a new revision on the winner.
  void edit(const std::string& id, const json& fields) {
    std::optional<json> before = store.get(id);
    json after = before ? *before : json{{"_id", id}};
    after.erase("_conflicts");
    for (auto it = fields.begin(); it != fields.end(); ++it) after[it.key()] = it.value();
    sync::stamp_changes(before ? *before : json(nullptr), after, clock.now(transport.now_ms()));
    store.put(after);
    replicator.local_changed();
  }

  bool idle() const { return !replicator.status().pulling && !replicator.status().pushing; }

  // Push and pull until both are caught up (retrying through failures).
  void sync() {
    replicator.start();
    REQUIRE(transport.run_until([&] {
      return idle() && replicator.status().consecutive_failures == 0 && replicator.status().pending_upload == 0;
    }));
  }

  json contents() const {
    json all = json::object();
    store.for_each([&](const json& doc) { all[doc["_id"].get<std::string>()] = doc; });
    return all;
  }
};

RunningServer& shared_server() {
  static RunningServer server;
  return server;
}

std::string fresh_db(const std::string& name) {
  static int n = 0;
  const std::string db = name + "-" + std::to_string(++n);
  auto client = shared_server().client();
  auto res = client.Put(("/couch/" + db).c_str(), "", "application/json");
  REQUIRE(res);
  REQUIRE(res->status == 201);
  return db;
}

}  // namespace

TEST_CASE("a tablet's records reach another tablet through the server") {
  const int port = shared_server().process->port();
  const std::string db = fresh_db("visits");
  Tablet a("a", port, db), b("b", port, db);
  for (int i = 0; i < 120; ++i) a.edit("visit:" + std::to_string(i), {{"name", "访客" + std::to_string(i)}, {"n", i}});
  CHECK(a.replicator.status().pending_upload == 120);
  a.sync();
  CHECK(a.replicator.status().pending_upload == 0);
  b.sync();
  CHECK(b.contents() == a.contents());
  CHECK(b.contents().size() == 120);

  // Updates and deletions travel too.
  a.edit("visit:1", {{"name", "改名"}});
  json gone = *a.store.get("visit:2");
  gone["_deleted"] = true;
  a.store.put(gone);
  a.replicator.local_changed();
  a.sync();
  b.sync();
  CHECK(b.contents() == a.contents());
  CHECK_FALSE(b.store.get("visit:2"));
  CHECK(b.store.get("visit:1").value()["name"] == "改名");
}

TEST_CASE("what a tablet downloaded does not wait to upload; the last sync is kept across a restart") {
  const int port = shared_server().process->port();
  const std::string db = fresh_db("pending");
  Tablet a("a", port, db), b("b", port, db);
  for (int i = 0; i < 30; ++i) a.edit("visit:" + std::to_string(i), {{"name", "访客" + std::to_string(i)}});
  a.sync();
  b.sync();
  REQUIRE(b.contents().size() == 30);
  CHECK(b.replicator.status().pending_upload == 0);
  const int64_t synced_at = b.replicator.status().last_success_ms;
  CHECK(synced_at > 0);
  // One edit on b (offline: nothing runs): one record waits, not the thirty it downloaded.
  b.edit("visit:3", {{"name", "改名"}});
  CHECK(b.replicator.status().pending_upload == 1);
  // The tablet restarts before it could push (a reload): the same count, and when it last synced.
  {
    sync::Replicator restarted(b.replica, b.transport, Tablet::options("b"));
    CHECK(restarted.status().pending_upload == 1);
    CHECK(restarted.status().last_success_ms == synced_at);
  }
  b.sync();
  CHECK(b.replicator.status().pending_upload == 0);
  a.sync();
  CHECK(a.store.get("visit:3").value()["name"] == "改名");
  // More arrives while b has nothing waiting: still nothing to upload.
  a.edit("visit:31", {{"name", "新访客"}});
  a.sync();
  b.sync();
  CHECK(b.store.get("visit:31"));
  CHECK(b.replicator.status().pending_upload == 0);
  b.edit("visit:32", {{"name", "又一位"}});
  CHECK(b.replicator.status().pending_upload == 1);
}

TEST_CASE("offline edits of the same record on two tablets merge field by field and converge") {
  const int port = shared_server().process->port();
  const std::string db = fresh_db("conflicts");
  Tablet a("a", port, db), b("b", port, db);
  a.edit("visit:x", {{"name", "张伟"}, {"phone", "13812345678"}, {"notes", ""}, {"orders", json::array()}});
  a.sync();
  b.sync();

  // Both offline: a changes the notes and adds a drink order, b renames and adds another order.
  a.edit("visit:x", {{"notes", "想看三房"}, {"orders", json::array({{{"id", "o-a"}, {"at", 1}, {"drink", "茶"}}})}});
  b.edit("visit:x", {{"name", "张伟（先生）"}, {"orders", json::array({{{"id", "o-b"}, {"at", 2}, {"drink", "咖啡"}}})}});

  a.sync();
  b.sync();  // b pulls a's edit: a conflict, merged on b, pushed
  a.sync();  // a pulls the merge
  b.sync();

  const json on_a = a.store.get("visit:x").value();
  const json on_b = b.store.get("visit:x").value();
  CHECK(on_a == on_b);
  CHECK_FALSE(on_a.contains("_conflicts"));
  CHECK(on_a["notes"] == "想看三房");
  CHECK(on_a["name"] == "张伟（先生）");
  CHECK(on_a["orders"].size() == 2);
  CHECK(on_a["merged_from"].size() == 2);

  // The server holds the same winner and no live conflict.
  auto client = shared_server().client();
  auto res = client.Get(("/couch/" + db + "/visit:x?conflicts=true").c_str());
  REQUIRE(res);
  const json on_server = json::parse(res->body);
  CHECK(on_server["_rev"] == on_a["_rev"]);
  CHECK_FALSE(on_server.contains("_conflicts"));
}

TEST_CASE("two tablets that merge the same conflict at the same time make the same revisions") {
  const int port = shared_server().process->port();
  const std::string db = fresh_db("same-merge");
  Tablet a("a", port, db), b("b", port, db);
  a.edit("visit:y", {{"name", "李娜"}, {"party_size", 1}});
  a.sync();
  b.sync();
  a.edit("visit:y", {{"party_size", 3}});
  b.edit("visit:y", {{"name", "李娜娜"}});
  // Both push their edit first, then both pull the other's: each merges on its own.
  a.replicator.start();
  b.replicator.start();
  REQUIRE(a.transport.run_until([&] { return a.idle(); }));
  REQUIRE(b.transport.run_until([&] { return b.idle(); }));
  a.sync();
  b.sync();
  a.sync();
  const json on_a = a.store.get("visit:y").value();
  const json on_b = b.store.get("visit:y").value();
  CHECK(on_a["_rev"] == on_b["_rev"]);
  CHECK_FALSE(on_a.contains("_conflicts"));
  CHECK(on_a["party_size"] == 3);
  CHECK(on_a["name"] == "李娜娜");
}

TEST_CASE("a flaky network (lost requests and lost answers) loses no edit and makes no duplicate") {
  const int port = shared_server().process->port();
  const std::string db = fresh_db("flaky");
  Tablet a("a", port, db), b("b", port, db), c("c", port, db);
  for (Tablet* t : {&a, &b, &c}) t->transport.drop_share = 0.3;
  std::mt19937 rng(11);
  for (int round = 0; round < 6; ++round) {
    for (Tablet* t : {&a, &b, &c}) {
      for (int k = 0; k < 5; ++k) {
        const std::string id = "visit:" + std::to_string(rng() % 12);
        t->edit(id, {{"by_" + t->clock.now(t->transport.now_ms()).node, int(rng() % 100)}});
      }
      t->sync();
    }
  }
  for (Tablet* t : {&a, &b, &c}) t->transport.drop_share = 0;
  for (int i = 0; i < 2; ++i)
    for (Tablet* t : {&a, &b, &c}) t->sync();
  CHECK(a.contents() == b.contents());
  CHECK(b.contents() == c.contents());
  const json all = a.contents();  // held: items() of a temporary would dangle inside the loop
  for (const auto& [id, doc] : all.items()) CHECK_FALSE(doc.contains("_conflicts"));
  CHECK(a.transport.requests > 0);
}

TEST_CASE("a pull in many small batches, several in flight, through lost requests: everything arrives once") {
  const int port = shared_server().process->port();
  const std::string db = fresh_db("batches");
  Tablet a("a", port, db);
  for (int i = 0; i < 150; ++i) a.edit("visit:" + std::to_string(i), {{"name", "访客" + std::to_string(i)}});
  json gone = *a.store.get("visit:7");
  gone["_deleted"] = true;
  a.store.put(gone);
  a.replicator.local_changed();
  a.sync();

  sync::ReplicatorOptions o = Tablet::options("b");
  o.batch_size = 10;          // 15 _bulk_gets
  o.changes_batch_size = 40;  // 4 listings, each checkpointed
  o.parallel_fetches = 3;
  Tablet b("b", port, db, o);
  std::map<std::string, int> handed_over;  // id -> times reported
  std::vector<sync::ChangedDoc> reported;
  b.replicator.on_docs_changed = [&](const std::vector<sync::ChangedDoc>& changed) {
    for (const sync::ChangedDoc& c : changed) {
      ++handed_over[c.id];
      reported.push_back(c);
    }
  };
  b.transport.drop_share = 0.3;
  b.sync();
  b.transport.drop_share = 0;
  b.sync();
  CHECK(b.contents() == a.contents());
  CHECK(b.contents().size() == 149);
  // Every document reported, once (a lost answer is fetched again, but stored only once), and the winner handed
  // over exactly as the store now has it; the deleted one is left for the app to read back.
  CHECK(handed_over.size() == 150);
  for (const auto& [id, times] : handed_over) CHECK_MESSAGE(times == 1, id);
  for (const sync::ChangedDoc& c : reported) {
    if (c.id == "visit:7") {
      CHECK_FALSE(c.winner);
      continue;
    }
    REQUIRE(c.winner);
    CHECK(*c.winner == b.store.get(c.id).value());
  }
}

TEST_CASE("a pulled conflict is merged, and reported without a winner so the app reads the merge back") {
  const int port = shared_server().process->port();
  const std::string db = fresh_db("handover-merge");
  Tablet a("a", port, db), b("b", port, db);
  a.edit("visit:m", {{"name", "周敏"}, {"party_size", 1}});
  a.sync();
  b.sync();
  a.edit("visit:m", {{"party_size", 2}});
  b.edit("visit:m", {{"name", "周敏敏"}});
  a.sync();
  std::vector<sync::ChangedDoc> reported;
  b.replicator.on_docs_changed = [&](const std::vector<sync::ChangedDoc>& changed) {
    reported.insert(reported.end(), changed.begin(), changed.end());
  };
  b.sync();
  REQUIRE(reported.size() == 1);
  CHECK(reported[0].id == "visit:m");
  CHECK_FALSE(reported[0].winner);
  const json merged = b.store.get("visit:m").value();
  CHECK(merged["party_size"] == 2);
  CHECK(merged["name"] == "周敏敏");
}

TEST_CASE("what went wrong is told by kind, and cleared by the next success") {
  const int port = shared_server().process->port();
  Tablet lost("lost", port, "no-such-db");
  lost.replicator.start();
  REQUIRE(lost.transport.run_until([&] { return lost.replicator.status().consecutive_failures > 0; }));
  CHECK(lost.replicator.status().problem == sync::SyncProblem::NoDatabase);
  CHECK(lost.replicator.status().online);
  CHECK_FALSE(lost.replicator.status().last_error.empty());  // the technical text, for the log

  const std::string db = fresh_db("problems");
  Tablet a("a", port, db);
  a.transport.drop_share = 1.0;
  a.edit("visit:p", {{"name", "钱多多"}});
  a.replicator.start();
  REQUIRE(a.transport.run_until([&] { return a.replicator.status().consecutive_failures > 0; }));
  CHECK(a.replicator.status().problem == sync::SyncProblem::NoConnection);
  CHECK_FALSE(a.replicator.status().online);
  a.transport.drop_share = 0;
  a.sync();
  CHECK(a.replicator.status().problem == sync::SyncProblem::None);
  CHECK(a.replicator.status().last_error.empty());
}

TEST_CASE("photos added on two tablets to the same record offline both survive the merge, everywhere") {
  const int port = shared_server().process->port();
  const std::string db = fresh_db("photos");
  Tablet a("a", port, db), b("b", port, db);
  a.edit("ticket:t1", {{"type", "ticket"}, {"description", "地下车库B2漏水"}});
  a.sync();
  b.sync();
  a.edit("ticket:t1", {{"_attachments", {{"leak.jpg", {{"content_type", "image/jpeg"}, {"data", "/9j/AAEC"}}}}},
                       {"status", "in_progress"}});
  b.edit("ticket:t1", {{"_attachments", {{"crack.jpg", {{"content_type", "image/jpeg"}, {"data", "/9j/AwQF"}}}}}});
  a.sync();
  b.sync();
  a.sync();
  for (Tablet* t : {&a, &b}) {
    const json doc = t->store.get("ticket:t1").value();
    CHECK_FALSE(doc.contains("_conflicts"));
    REQUIRE(doc.contains("_attachments"));
    CHECK(doc["_attachments"].contains("leak.jpg"));
    CHECK(doc["_attachments"].contains("crack.jpg"));
    CHECK(doc["status"] == "in_progress");
  }
  CHECK(a.store.get("ticket:t1").value()["_rev"] == b.store.get("ticket:t1").value()["_rev"]);
  auto client = shared_server().client();
  auto res = client.Get(("/couch/" + db + "/ticket:t1").c_str());
  REQUIRE(res);
  const json on_server = json::parse(res->body);
  CHECK(on_server["_attachments"].contains("leak.jpg"));
  CHECK(on_server["_attachments"].contains("crack.jpg"));
  CHECK_FALSE(on_server.contains("_conflicts"));
}

TEST_CASE("the demo ops database: seeded patrol routes; a finding's ticket and its photo reach a second tablet") {
  const int port = shared_server().process->port();
  Tablet a("ops-a", port, "demo-ops"), b("ops-b", port, "demo-ops");
  store::OpsRepository ops_a(a.store, [&] { return a.clock.now(a.transport.now_ms()); });
  store::OpsRepository ops_b(b.store);
  a.replicator.on_docs_changed = [&](const std::vector<sync::ChangedDoc>& c) { ops_a.reload(c); };
  b.replicator.on_docs_changed = [&](const std::vector<sync::ChangedDoc>& c) { ops_b.reload(c); };
  ops_a.load();
  ops_b.load();

  a.sync();
  REQUIRE(ops_a.templates().size() == 2);  // the server seeded the demo site's routes
  const core::PatrolTemplate* daily = ops_a.find_template("patrol_template:demo-daily");
  REQUIRE(daily);
  CHECK(core::validate(*daily).empty());

  const int64_t now = a.transport.now_ms();
  core::PatrolRound round = core::start_round(*daily, "patrol_round:srv1", "王管家", now, "srv1-start");
  const std::string checkpoint = round.route[3].checkpoints[1].key;  // 地下车库 B2
  core::FindingDraft finding;
  finding.category = "渗漏";
  finding.description = "B2 车库顶板渗水";
  finding.photos = {"photo-srv1.jpg"};
  const core::Ticket ticket = core::make_ticket(core::finding_ticket_draft(round, checkpoint, finding),
                                                "ticket:srv1", "demo", {"王管家", core::Role::Butler}, now,
                                                "srv1-create", ops_a.tickets());
  ops_a.save_ticket(ticket, {{"photo-srv1.jpg", "image/jpeg", "/9j/4AAQSkZJRgABAQ=="}});
  core::RoundEvent e;
  e.id = "srv1-e1";
  e.at_ms = now + 1000;
  e.kind = core::RoundEventKind::Result;
  e.checkpoint = checkpoint;
  e.result = core::CheckResult::Finding;
  e.ticket = ticket.id;
  REQUIRE_FALSE(core::append_event(round, "王管家", e));
  ops_a.save_round(round);
  a.replicator.local_changed();
  a.sync();

  auto client = shared_server().client();
  auto res = client.Get("/couch/demo-ops/ticket:srv1?attachments=true");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  CHECK(json::parse(res->body)["_attachments"]["photo-srv1.jpg"]["data"] == "/9j/4AAQSkZJRgABAQ==");

  b.sync();
  REQUIRE(ops_b.find_ticket("ticket:srv1"));
  CHECK(ops_b.find_ticket("ticket:srv1")->place == "地下车库 B2 车库");
  CHECK(ops_b.find_ticket("ticket:srv1")->patrol_round == "patrol_round:srv1");
  const auto photo = ops_b.photo("ticket:srv1", "photo-srv1.jpg");
  REQUIRE(photo);
  CHECK(photo->base64 == "/9j/4AAQSkZJRgABAQ==");
  REQUIRE(ops_b.find_round("patrol_round:srv1"));
  CHECK(core::derive_round(*ops_b.find_round("patrol_round:srv1")).tickets == std::vector<std::string>{"ticket:srv1"});
}

TEST_CASE("a tablet without a checkpoint lists changes at once; one that lost its store overwrites its old one") {
  const int port = shared_server().process->port();
  const std::string db = fresh_db("fresh-start");
  Tablet a("fresh-a", port, db);
  for (int i = 0; i < 60; ++i) a.edit("visit:" + std::to_string(i), {{"name", "访客"}, {"n", i}});
  a.sync();

  sync::ReplicatorOptions o = Tablet::options("fresh-b");
  o.push = false;  // only the pull's requests in the log
  auto first_pull = [&](Tablet& b) {
    b.sync();
    CHECK(b.contents() == a.contents());
    CHECK(b.replicator.status().consecutive_failures == 0);
    REQUIRE(b.transport.sent.size() >= 2);
    CHECK(b.transport.sent[0].what.starts_with("GET _local/"));
    // The listing went out before the remote checkpoint's answer came back: with nothing here, it could not
    // change where the pull starts.
    CHECK(b.transport.sent[1].what.starts_with("GET _changes?"));
    CHECK(b.transport.sent[1].answered == 0);
  };
  {
    Tablet b("fresh-b", port, db, o);
    first_pull(b);
  }
  // The same tablet and person after its store was lost: its checkpoint on the server is from the earlier
  // install. The pull starts over from 0 and writes over that checkpoint (it knows the revision by then, or learns
  // it from the refusal), so the next run resumes instead of starting over again.
  Tablet again("fresh-b", port, db, o);
  first_pull(again);
  const auto remote = shared_server().client().Get(
      ("/couch/" + db + "/_local/" + again.transport.sent[0].what.substr(std::string("GET _local/").size())).c_str());
  REQUIRE(remote);
  REQUIRE(remote->status == 200);
  CHECK(json::parse(remote->body)["last_seq"] == 60);
  const size_t before = again.transport.sent.size();
  again.sync();
  REQUIRE(again.transport.sent.size() > before + 1);
  CHECK(again.transport.sent[before + 1].what.find("since=60") != std::string::npos);
}

TEST_CASE("a pull trusts the server's count of changes left: a listing as long as the limit is not followed by an empty one") {
  const int port = shared_server().process->port();
  const std::string db = fresh_db("pending");
  Tablet a("pending-a", port, db);
  for (int i = 0; i < 60; ++i) a.edit("visit:" + std::to_string(i), {{"name", "访客"}, {"n", i}});
  a.sync();

  sync::ReplicatorOptions o = Tablet::options("pending-b");
  o.push = false;
  o.changes_batch_size = 30;
  Tablet b("pending-b", port, db, o);
  b.sync();
  CHECK(b.contents() == a.contents());
  const auto listings = std::count_if(b.transport.sent.begin(), b.transport.sent.end(),
                                      [](const auto& s) { return s.what.starts_with("GET _changes?"); });
  CHECK(listings == 2);  // 30 with 30 pending, then 30 with none
}

TEST_CASE("a round lists its first batch alone and the rest of its changes while those are fetched; the total holds") {
  const int port = shared_server().process->port();
  const std::string db = fresh_db("two-part");
  Tablet a("two-part-a", port, db);
  for (int i = 0; i < 60; ++i) a.edit("visit:" + std::to_string(i), {{"name", "访客"}, {"n", i}});
  a.sync();

  sync::ReplicatorOptions o = Tablet::options("two-part-b");
  o.push = false;
  o.batch_size = 10;
  o.changes_batch_size = 40;  // two rounds: 10 + 30, then 10 + 10
  Tablet b("two-part-b", port, db, o);
  std::vector<uint64_t> totals;
  b.replicator.on_status = [&] {
    if (b.replicator.status().pull_total) totals.push_back(b.replicator.status().pull_total);
  };
  b.sync();
  CHECK(b.contents() == a.contents());

  std::vector<LoopTransport::Sent> listings, fetches;
  for (const auto& s : b.transport.sent) {
    if (s.what.starts_with("GET _changes?")) listings.push_back(s);
    if (s.what.starts_with("POST _bulk_get")) fetches.push_back(s);
  }
  REQUIRE(listings.size() == 4);
  CHECK(listings[0].what.find("since=0&limit=10") != std::string::npos);
  CHECK(listings[1].what.find("since=10&limit=30") != std::string::npos);
  CHECK(listings[2].what.find("since=40&limit=10") != std::string::npos);
  CHECK(listings[3].what.find("since=50&limit=30") != std::string::npos);
  // The rest of the listing was asked for on the first part's answer, with the first fetches, not after them.
  REQUIRE(!fetches.empty());
  CHECK(fetches[0].answered == listings[1].answered);
  // The progress bar's total is the whole pull from the first listing on: the server's count of what is left,
  // replaced by what each part wants as it arrives.
  REQUIRE(!totals.empty());
  for (const uint64_t total : totals) CHECK(total == 60);
}

TEST_CASE("a pull asks for a live document with one leaf by id alone, and for conflicts and deletions by revision") {
  const int port = shared_server().process->port();
  const std::string db = fresh_db("by-id");
  Tablet a("by-id-a", port, db);
  a.edit("visit:plain", {{"name", "王芳"}});
  a.edit("visit:gone", {{"name", "李娜"}});
  a.edit("visit:both", {{"name", "张伟"}});
  a.sync();
  json gone = *a.store.get("visit:gone");
  gone["_deleted"] = true;
  a.store.put(gone);
  a.replicator.local_changed();
  a.edit("visit:both", {{"party_size", 2}});
  a.sync();
  // Another tablet's edit of the same record, from the same first revision, replicated in: two leaves.
  const sync::RevTree tree_a = *a.replica.rev_tree("visit:both");
  const sync::RevPath path_a = *tree_a.path_to(tree_a.leaves().front().rev);
  json other = {{"_id", "visit:both"}, {"name", "张伟"}, {"notes", "周末再来"},
                {"_rev", "2-" + std::string(32, 'c')},
                {"_revisions", {{"start", 2}, {"ids", {std::string(32, 'c'), path_a.ids.back()}}}}};
  auto res = shared_server().client().Post(("/couch/" + db + "/_bulk_docs").c_str(),
                                           json{{"docs", {other}}, {"new_edits", false}}.dump(), "application/json");
  REQUIRE(res);
  REQUIRE(res->status == 201);

  sync::ReplicatorOptions o = Tablet::options("by-id-b");
  o.push = false;
  Tablet b("by-id-b", port, db, o);
  b.sync();
  std::vector<json> asked;
  for (const auto& s : b.transport.sent) {
    if (!s.what.starts_with("POST _bulk_get")) continue;
    const json body = json::parse(s.body);  // held: the loop would otherwise walk a destroyed temporary
    for (const json& d : body["docs"]) asked.push_back(d);
  }
  const auto entries = [&](const std::string& id) {
    std::vector<json> out;
    for (const json& d : asked)
      if (d["id"] == id) out.push_back(d);
    return out;
  };
  REQUIRE(entries("visit:plain").size() == 1);
  CHECK_FALSE(entries("visit:plain")[0].contains("rev"));
  REQUIRE(entries("visit:gone").size() == 1);
  CHECK(entries("visit:gone")[0].contains("rev"));
  REQUIRE(entries("visit:both").size() == 2);
  for (const json& d : entries("visit:both")) CHECK(d.contains("rev"));
  // Everything arrived: the record, the deletion, and both sides of the conflict.
  CHECK(b.store.get("visit:plain").value()["name"] == "王芳");
  CHECK_FALSE(b.store.get("visit:gone"));
  const std::optional<sync::RevTree> tree = b.replica.rev_tree("visit:both");
  REQUIRE(tree);
  CHECK(tree->leaves().size() >= 2);
}

TEST_CASE("pulled records count as synced: nothing waits to upload, and the push checkpoint passes them") {
  const int port = shared_server().process->port();
  const std::string db = fresh_db("pulled");
  Tablet a("pulled-a", port, db), b("pulled-b", port, db);
  for (int i = 0; i < 30; ++i) a.edit("visit:" + std::to_string(i), {{"name", "访客"}, {"n", i}});
  a.sync();
  const int before = b.transport.requests;
  b.sync();
  CHECK(b.contents().size() == 30);
  CHECK(b.replicator.status().pending_upload == 0);
  CHECK(b.replicator.pushed_seq() == b.store.update_seq());
  // The checkpoint moved without asking the server about what it gave: no _revs_diff, no _bulk_docs.
  CHECK(b.transport.requests - before < 12);

  // A pulled record edited here waits again, and only that one.
  b.edit("visit:3", {{"name", "改过"}});
  CHECK(b.replicator.status().pending_upload == 1);
  b.sync();
  a.sync();
  CHECK(a.store.get("visit:3").value()["name"] == "改过");
}

TEST_CASE("a database the person may only read is pulled, never pushed, and nothing of it waits to upload") {
  const int port = shared_server().process->port();
  sync::ReplicatorOptions o = Tablet::options("owners-butler");
  o.push = false;
  Tablet butler("owners-butler", port, "demo-owners", o);
  butler.transport.sign_in_as("butler");
  store::OwnerRepository owners(butler.store);
  butler.replicator.on_docs_changed = [&](const std::vector<sync::ChangedDoc>& c) { owners.reload(c); };
  owners.load();
  butler.sync();
  CHECK(owners.files().size() == 5);  // the demo site's owner files
  CHECK(butler.replicator.status().problem == sync::SyncProblem::None);
  const core::OwnerFile* file = owners.find("owner_file:1-1-1202");
  REQUIRE(file);
  CHECK(file->unit == "1栋1单元1202");
  REQUIRE(file->people.size() == 2);
  CHECK(file->people[0].phone == "13816620937");

  // Even a document written here does not go up (the server would refuse it: 403).
  butler.store.put({{"_id", "note:here"}, {"type", "note"}});
  butler.replicator.local_changed();
  CHECK(butler.replicator.status().pending_upload == 0);
  butler.sync();
  auto res = shared_server().client().Get("/couch/demo-owners/note:here");
  REQUIRE(res);
  CHECK(res->status == 404);

  // Pushing it anyway is what the server refuses: a reader may not write.
  Tablet pusher("owners-pusher", port, "demo-owners");
  pusher.transport.sign_in_as("butler");
  pusher.edit("note:pushed", {{"type", "note"}});
  pusher.replicator.start();
  pusher.transport.run_until([&] { return pusher.replicator.status().problem != sync::SyncProblem::None; });
  CHECK(pusher.replicator.status().problem == sync::SyncProblem::NotAllowed);
}

TEST_CASE("retention: visitor records past it are not pulled, and a purged one is not pulled back when it changes") {
  const int port = shared_server().process->port();
  const std::string db = fresh_db("retention");
  Tablet server_side("retention-writer", port, db);
  const int64_t now = server_side.transport.now_ms();
  const int64_t day = 24 * 60 * 60 * 1000;
  auto visit = [&](const std::string& name, int64_t arrived) {
    return json{{"type", "visit"}, {"site", "demo"}, {"name", name}, {"phone", "13900000000"}, {"arrived_ms", arrived}};
  };
  server_side.edit("visit:old", visit("四十天前", now - 40 * day));
  server_side.edit("visit:recent", visit("十天前", now - 10 * day));
  server_side.edit("access_log:old", {{"type", "access_log"}, {"who", "host"}, {"at", now - 40 * day},
                                      {"action", "reveal_phone"}, {"site", "demo"}, {"record_id", "visit:old"}});
  server_side.sync();

  // The site keeps 30 days on tablets (0 before: no retention yet).
  int64_t cutoff = core::retention_cutoff_ms(now, 30);
  sync::ReplicatorOptions o = Tablet::options("retention-tablet");
  o.accept_new_doc = [&](std::string_view id, const json& body) { return !core::past_retention(id, body, cutoff); };

  SUBCASE("a fresh tablet never stores what is past retention") {
    Tablet fresh("retention-fresh", port, db, o);
    fresh.sync();
    CHECK(fresh.contents().size() == 1);
    CHECK(fresh.store.get("visit:recent"));
    CHECK(fresh.replicator.status().pending_upload == 0);
  }
  SUBCASE("a tablet that held them purges the synced ones, and does not pull them back") {
    cutoff = 0;  // pulled while the site had no retention
    Tablet held("retention-held", port, db, o);
    held.sync();
    REQUIRE(held.contents().size() == 3);
    cutoff = core::retention_cutoff_ms(now, 30);
    store::VisitRepository repo(held.store);
    repo.load();
    CHECK(repo.purge_past_retention(cutoff, held.replicator.pushed_seq()) == 2);
    CHECK(held.contents().size() == 1);

    // The old visit changes on the server: the next pull leaves it there, and the purge stays done here.
    server_side.edit("visit:old", {{"notes", "服务器上改过"}});
    server_side.sync();
    held.sync();
    CHECK(held.contents().size() == 1);
    CHECK_FALSE(held.store.get("visit:old"));
    CHECK(held.replicator.status().pending_upload == 0);
    auto res = shared_server().client().Get(("/couch/" + db + "/visit:old").c_str());
    REQUIRE(res);
    CHECK(res->status == 200);
  }
}
