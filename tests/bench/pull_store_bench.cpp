// What a tablet's first pull does with each _bulk_get answer, in WASM under node, without the page or the network:
// parse the answer (nlohmann), strip each document's revision members, store the answer's revisions as one batch
// (DocStore on Emscripten's in-memory file system, as in the app before it persists), read each into a Visit.
// 10 answers of 1,000 visits like the sync benchmark's; prints the best of 7 runs, each into a fresh store.
// Run by scripts/bench: node build/wasm/pull_store_bench.js
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/visit.hpp"
#include "store/doc_store.hpp"
#include "sync/json_parse.hpp"
#include "sync/revision.hpp"

using nlohmann::json;
using steward::sync::ReplicatedRevision;
using steward::sync::RevPath;

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

std::vector<std::string> bulk_get_answers(int answers, int per_answer) {
  std::mt19937 rng(20240601);
  auto hex = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += "0123456789abcdef"[rng() % 16];
    return s;
  };
  const char* names[] = {"王芳", "李伟", "张敏", "刘洋", "陈静"};
  const char* notes[] = {"", "周末再来", "想看三居室", "关注学区"};
  std::vector<std::string> out;
  for (int a = 0; a < answers; ++a) {
    json results = json::array();
    for (int i = 0; i < per_answer; ++i) {
      const std::string id = "visit:" + hex(8) + "-" + hex(4) + "-4" + hex(3) + "-a" + hex(3) + "-" + hex(12);
      const std::string hash = hex(32);
      const int64_t arrived = 1767574800000 + (a * per_answer + i) * 900000LL;
      json doc = {{"_id", id}, {"_rev", "1-" + hash}, {"_revisions", {{"start", 1}, {"ids", {hash}}}},
                  {"type", "visit"}, {"site", "demo"}, {"name", names[rng() % 5]},
                  {"phone", "138" + std::to_string(10000000 + rng() % 89999999)}, {"party_size", 1 + rng() % 4},
                  {"channel", "walk_in"}, {"appointed_consultant", ""}, {"received_by", "陈浩"},
                  {"car_plate", rng() % 2 ? "粤B12345" : ""}, {"notes", notes[rng() % 4]}, {"visit_number", 1},
                  {"arrived_ms", arrived}, {"received_ms", arrived + 60000}, {"left_ms", 0},
                  {"created_ms", arrived}, {"updated_ms", arrived + 60000}};
      results.push_back({{"id", id}, {"docs", {{{"ok", doc}}}}});
    }
    out.push_back(json{{"results", results}}.dump());
  }
  return out;
}

struct Received {
  std::string id;
  RevPath path;
  json* doc;
};

}  // namespace

int main() {
  const std::vector<std::string> answers = bulk_get_answers(10, 1000);
  double best = 1e9, best_parse = 1e9, best_store = 1e9, first = 0;
  size_t visits = 0;
  for (int run = 0; run < 7; ++run) {
    try {
      steward::store::DocStore store = steward::store::DocStore::open("/tmp/pull-" + std::to_string(run));
      double parse = 0, stored = 0;
      visits = 0;
      const auto start = Clock::now();
      for (const std::string& text : answers) {
        auto t = Clock::now();
        json answer = steward::sync::parse_json(text);
        parse += ms_since(t);
        std::vector<Received> received;
        for (json& result : answer["results"]) {
          for (json& d : result.at("docs")) {
            json& doc = d["ok"];
            received.push_back({doc.at("_id").get<std::string>(), *RevPath::from_json(doc["_revisions"]), &doc});
            steward::sync::strip_revision_metadata(doc);
          }
        }
        std::vector<ReplicatedRevision> revisions;
        for (const Received& r : received) revisions.push_back({r.id, &r.path, false, r.doc});
        t = Clock::now();
        const steward::sync::StoredLeaves leaves = store.put_replicated(revisions);
        stored += ms_since(t);
        for (size_t i = 0; i < received.size(); ++i) {
          if (!leaves[i]) continue;
          json& doc = *received[i].doc;
          doc["_id"] = received[i].id;
          doc["_rev"] = received[i].path.leaf().str();
          visits += steward::core::visit_from_json(doc).id.empty() ? 0 : 1;
        }
      }
      if (run == 0) first = ms_since(start);
      best = std::min(best, ms_since(start));
      best_parse = std::min(best_parse, parse);
      best_store = std::min(best_store, stored);
    } catch (const std::exception& e) {
      std::printf("pull_store_bench failed: %s\n", e.what());
      return 1;
    }
  }
  // The first run is what a tablet's first pull meets: the engine has not optimized the code yet.
  std::printf("what a pull does with 10 answers of 1,000 visits (WASM, best of 7): %.1f ms in all; parsing %.1f ms, "
              "storing %.1f ms; %zu visits; the first run %.1f ms\n", best, best_parse, best_store, visits, first);
  return visits == 10000 ? 0 : 1;
}
