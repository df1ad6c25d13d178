// Writes a tablet operations store with N realistic tickets (the real DocStore and domain code), for the benchmark
// that opens the butler's lists with a full store. usage: seed_tickets DIR N [NOW_EPOCH_MS]
// Tickets arrive over the 90 days before NOW; most are closed, the recent ones at every earlier step; about a third
// are the demo butler's (王管家), so "my open items" has real work in it.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "core/ticket.hpp"
#include "store/doc_store.hpp"

using namespace steward;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s DIR N [NOW_EPOCH_MS]\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const int n = std::atoi(argv[2]);
  const int64_t now = argc > 3 && std::atoll(argv[3]) > 0
                          ? std::atoll(argv[3])
                          : std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch()).count();
  constexpr int64_t kMinute = 60'000, kDay = 24 * 60 * kMinute;
  const core::Actor butlers[] = {{"王管家", core::Role::Butler}, {"李管家", core::Role::Butler},
                                 {"张管家", core::Role::Butler}, {"前台小陈", core::Role::FrontDesk}};
  const core::Actor supervisor{"周主管", core::Role::Supervisor};
  const char* categories[] = {"水电", "门窗", "电梯", "卫生", "噪音", "停车", "绿化", "消防"};
  const char* departments[] = {"工程部", "保洁部", "安保部", "绿化部"};
  const char* descriptions[] = {"厨房水龙头漏水", "卫生间地漏返味", "入户门锁损坏", "楼上装修周末施工噪音",
                                "地下车库B2顶板渗水", "电梯按钮失灵", "楼道灯不亮", "垃圾未及时清运"};
  std::mt19937 rng(20261123);
  auto store = store::DocStore::open(dir);
  int step_id = 0;
  auto entry = [&](core::StepKind kind, int64_t at) {
    core::TimelineEntry e;
    e.id = "bench-step-" + std::to_string(++step_id);
    e.at_ms = at;
    e.kind = kind;
    return e;
  };
  for (int i = 0; i < n; ++i) {
    const int64_t created = now - 90 * kDay + (int64_t)i * (90 * kDay / std::max(n, 1));
    core::TicketDraft d;
    const bool complaint = rng() % 5 == 0;
    d.type = complaint ? core::TicketType::Complaint : core::TicketType::Repair;
    d.building = std::to_string(1 + rng() % 12) + "栋";
    d.unit = std::to_string(1 + rng() % 30) + "0" + std::to_string(1 + rng() % 4);
    d.reporter = "业主";
    d.contact = "139" + std::to_string(10000000 + rng() % 89999999);
    d.category = categories[rng() % 8];
    d.description = descriptions[rng() % 8];
    if (complaint) d.complaint_level = 1 + rng() % 3;
    else d.priority = core::Priority::Emergency;
    const core::Actor& owner = butlers[rng() % 4];
    char id[48];
    std::snprintf(id, sizeof id, "ticket:bench-%08x-%08x", (unsigned)i, (unsigned)rng());
    core::Ticket t = core::make_ticket(d, id, "demo", owner, created, "bench-create-" + std::to_string(i), {});
    // Older tickets went further: the last week's are spread over every step.
    const int64_t age = now - created;
    const int steps = age > 7 * kDay ? 6 : (int)(rng() % 7);
    auto take = [&](core::TimelineEntry e, const core::Actor& who) { core::append_step(t, who, std::move(e)); };
    if (steps > 0) {
      core::TimelineEntry e = entry(core::StepKind::Dispatch, created + 5 * kMinute);
      e.department = departments[rng() % 4];
      take(e, owner);
    }
    if (steps > 1) take(entry(core::StepKind::Start, created + (10 + rng() % 50) * kMinute), owner);
    if (steps > 2) take(entry(core::StepKind::Done, created + (2 + rng() % 20) * 60 * kMinute), owner);
    if (steps > 3) {
      core::TimelineEntry e = entry(core::StepKind::ReturnVisit, created + (1 + rng() % 3) * kDay);
      e.return_visit = core::ReturnVisit{"已处理，业主认可", (int)(3 + rng() % 3), ""};
      take(e, owner);
    }
    if (steps > 4) take(entry(core::StepKind::Close, created + 4 * kDay), rng() % 10 ? owner : supervisor);
    store.put(core::to_json(t));
  }
  const auto stats = store.stats();
  std::printf("%d tickets, %zu segments, %llu bytes\n", n, stats.segments, (unsigned long long)stats.total_bytes);
  return 0;
}
