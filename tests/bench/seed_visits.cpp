// Writes a tablet store with N realistic visits (the real DocStore and domain code), for the benchmarks that
// measure start-up and saving with a full store. usage: seed_visits DIR N [NOW_EPOCH_MS [SPREAD_MINUTES]]
// Visits arrive over the SPREAD_MINUTES before NOW (default 180 days); a few minutes put them all in today's list.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "core/site.hpp"
#include "core/visit.hpp"
#include "store/doc_store.hpp"

using namespace steward;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s DIR N [NOW_EPOCH_MS [SPREAD_MINUTES]]\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const int n = std::atoi(argv[2]);
  const int64_t now = argc > 3 && std::atoll(argv[3]) > 0
                          ? std::atoll(argv[3])
                          : std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch()).count();
  const int64_t spread_ms = (argc > 4 ? std::atoll(argv[4]) : 180LL * 24 * 60) * 60000;
  const core::Site site = core::demo_site();
  const char* surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"};
  const char* given[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明"};
  std::mt19937 rng(20261123);
  auto store = store::DocStore::open(dir);
  std::vector<core::Visit> visits;
  visits.reserve(n);
  for (int i = 0; i < n; ++i) {
    core::VisitDraft d;
    d.name = std::string(surnames[rng() % 16]) + given[rng() % 16] + (rng() % 2 ? given[rng() % 16] : "");
    // Some phones recur: repeat visitors.
    d.phone = "13" + std::to_string(100000000 + (int)(rng() % (n * 3 / 4 + 1)));
    d.party_size = 1 + rng() % 4;
    d.channel = core::kAllChannels[rng() % core::kAllChannels.size()];
    if (rng() % 3 == 0) d.car_plate = "粤B" + std::to_string(10000 + rng() % 89999);
    if (rng() % 4 == 0) d.appointed_consultant = site.consultants[rng() % site.consultants.size()];
    d.notes = rng() % 2 ? "关注三房户型，预算三百万左右，周末再来看样板房" : "";
    // Spread over the last 180 days (or the spread asked for), the newest today.
    const int64_t arrived = now - (int64_t)(n - i) * (spread_ms / std::max(n, 1));
    char uuid[40];
    std::snprintf(uuid, sizeof uuid, "bench-%08x-%08x", (unsigned)i, (unsigned)rng());
    core::Visit v = core::make_visit(d, std::string("visit:") + uuid, site.id, arrived, visits);
    if (rng() % 10 != 0) {
      core::mark_received(v, site.consultants[rng() % site.consultants.size()], arrived + 5 * 60000);
      core::mark_left(v, arrived + 60 * 60000);
    }
    v.rev = store.put(core::to_json(v));
    visits.push_back(v);
  }
  store.put(core::to_json(site));
  const auto stats = store.stats();
  std::printf("%d visits, %zu segments, %llu bytes\n", n, stats.segments, (unsigned long long)stats.total_bytes);
  return 0;
}
