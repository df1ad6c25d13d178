// CSV that Excel opens with Chinese intact: BOM, RFC 4180 quoting, CRLF.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/csv.hpp"
#include "core/ticket_targets.hpp"
#include "ticket_support.hpp"

using namespace ticket_test;
namespace csv = steward::core::csv;

TEST_SUITE("csv") {
  TEST_CASE("quoting") {
    CHECK(csv::field("水电") == "水电");
    CHECK(csv::field("") == "");
    CHECK(csv::field("a,b") == "\"a,b\"");
    CHECK(csv::field("他说\"马上到\"") == "\"他说\"\"马上到\"\"\"");
    CHECK(csv::field("第一行\n第二行") == "\"第一行\n第二行\"");
    CHECK(csv::field("a\rb") == "\"a\rb\"");
    CHECK(csv::field("，") == "，");  // a full-width comma is not a separator
  }

  TEST_CASE("a document starts with the BOM and ends every row with CRLF") {
    const std::string doc = csv::document({{"类型", "描述"}, {"报修", "漏水,很急"}});
    CHECK(doc == "\xEF\xBB\xBF类型,描述\r\n报修,\"漏水,很急\"\r\n");
  }

  TEST_CASE("the tickets export keeps Chinese, masks phones and quotes descriptions") {
    TicketDraft d = complaint_draft();
    d.description = "噪音,持续到\"晚上11点\"\n已多次反映";
    const std::vector<Ticket> tickets = {new_ticket(d)};
    const std::string out = tickets_csv(tickets, kMorning + 2 * kDay, 480);
    CHECK(out.starts_with(csv::kUtf8Bom));
    CHECK(out.find("工单号,类型,状态,") == csv::kUtf8Bom.size());
    CHECK(out.find("ticket:0001,投诉,新建,5栋,801,,刘女士,138****8000,噪音,") != std::string::npos);
    CHECK(out.find("\"噪音,持续到\"\"晚上11点\"\"\n已多次反映\"") != std::string::npos);
    CHECK(out.find("13800138000") == std::string::npos);
    CHECK(out.find(",2级,王管家,,,2024-03-15 09:00,2024-03-16 09:00,是,") != std::string::npos);
    CHECK(out.ends_with("\r\n"));
  }

  TEST_CASE("the targets export: one line per scope, period and figure, against its target; no data said so") {
    const Period day = period_containing(PeriodKind::Day, kMorning, 480);
    const std::vector<Ticket> tickets = {done_repair()};
    const std::string out = targets_csv({{"滨江壹号", day, compute_targets(tickets, day, kMorning + kDay)},
                                         {"王管家", day, compute_targets({}, day, kMorning + kDay)}});
    CHECK(out.starts_with(std::string(csv::kUtf8Bom) +
                          "范围,周期,开始日期,结束日期,指标,目标,达标,统计,结果,是否达标,拉低指标的工单\r\n"));
    CHECK(out.find("滨江壹号,日,2024-03-15,2024-03-15,维修及时率,≥95%,1,1,100.0%,达标,\r\n") != std::string::npos);
    CHECK(out.find("滨江壹号,日,2024-03-15,2024-03-15,回访率,100%,0,1,0.0%,未达标,ticket:0001\r\n") !=
          std::string::npos);
    CHECK(out.find("滨江壹号,日,2024-03-15,2024-03-15,有效投诉处理率,100%,0,0,无数据,无数据,\r\n") !=
          std::string::npos);
    CHECK(out.find("滨江壹号,日,2024-03-15,2024-03-15,满意率,≥95%,0,0,无数据,无数据,\r\n") != std::string::npos);
    CHECK(out.find("滨江壹号,日,2024-03-15,2024-03-15,平均满意度(1-5),,0,0,无数据,,\r\n") != std::string::npos);
    CHECK(out.find("王管家,日,2024-03-15,2024-03-15,维修及时率,≥95%,0,0,无数据,无数据,\r\n") != std::string::npos);
    // A header and five lines per row.
    CHECK(std::count(out.begin(), out.end(), '\n') == 1 + 2 * 5);
  }
}
