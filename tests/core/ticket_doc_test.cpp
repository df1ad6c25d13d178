// The ticket as a document: shape, round trip, malformed documents; and the form's validation.
#include <doctest/doctest.h>

#include <stdexcept>

#include "ticket_support.hpp"

using namespace ticket_test;
using nlohmann::json;

namespace {

Ticket full_ticket() {
  TicketDraft d = complaint_draft();
  d.photos = {"photo-1.jpg", "photo-2.jpg"};
  d.reply_by_ms = kMorning + 3 * kDay;
  Ticket t = new_ticket(d);
  t.rev = "3-0123456789abcdef0123456789abcdef";
  take(t, kButler, dispatch(kMorning + kMinute, "d1", "安保部", "孙队长"));
  TimelineEntry note = step(StepKind::Note, kMorning + 2 * kMinute, "n1");
  note.text = "已联系装修公司，\"周末\"停工";
  take(t, kButler, note);
  return t;
}

}  // namespace

TEST_SUITE("ticket document") {
  TEST_CASE("the document shape") {
    const json doc = to_json(full_ticket());
    CHECK(doc["_id"] == "ticket:0001");
    CHECK(doc["type"] == "ticket");
    CHECK(doc["ticket_type"] == "complaint");
    CHECK(doc["owner"] == "王管家");
    CHECK(doc["contact"] == "13800138000");
    CHECK(doc["complaint_level"] == 2);
    CHECK(doc["photos"] == json::array({{{"id", "photo-1.jpg"}}, {{"id", "photo-2.jpg"}}}));
    REQUIRE(doc["timeline"].is_array());
    // Every entry carries a string id, so sync merges the list as append-only.
    for (const json& e : doc["timeline"]) {
      CHECK(e["id"].is_string());
      CHECK(e["at"].is_number_integer());
      CHECK(e["by"].is_string());
      CHECK(e["what"].is_string());
    }
    CHECK(doc["timeline"][0]["what"] == "create");
    CHECK(doc["timeline"][1]["what"] == "agree_reply_date");
    CHECK(doc["timeline"][1]["reply_by"] == kMorning + 3 * kDay);
    CHECK(doc["timeline"][2]["department"] == "安保部");
    CHECK_FALSE(doc.contains("status"));  // derived, never stored
  }

  TEST_CASE("round trip") {
    const Ticket t = full_ticket();
    const Ticket back = ticket_from_json(to_json(t));
    CHECK(to_json(back) == to_json(t));
    CHECK(back.created_ms == kMorning);
    CHECK(back.rev == t.rev);
    CHECK(derive_state(back).status == TicketStatus::Dispatched);
    CHECK(derive_state(back).reply_by_ms == kMorning + 3 * kDay);
  }

  TEST_CASE("a step of a later version is kept and ignored, and keys it does not know survive a rewrite") {
    json doc = to_json(full_ticket());
    doc["timeline"].push_back({{"id", "z1"}, {"at", kMorning + kHour}, {"by", "王管家"}, {"what", "escalate"},
                               {"to", "经理"}});
    doc["timeline"][0]["device"] = "tablet-7";
    const Ticket t = ticket_from_json(doc);
    CHECK(derive_state(t).status == TicketStatus::Dispatched);
    CHECK(derive_state(t).superseded.empty());
    const json again = to_json(t);
    CHECK(again["timeline"].back()["what"] == "escalate");
    CHECK(again["timeline"].back()["to"] == "经理");
    CHECK(again["timeline"][0]["device"] == "tablet-7");
  }

  TEST_CASE("malformed documents are refused") {
    const json good = to_json(full_ticket());
    auto refused = [&](auto change) {
      json doc = good;
      change(doc);
      CHECK_THROWS_AS(ticket_from_json(doc), std::invalid_argument);
    };
    CHECK_NOTHROW(ticket_from_json(good));
    CHECK_THROWS_AS(ticket_from_json(json::array()), std::invalid_argument);
    refused([](json& d) { d["_id"] = "visit:1"; });
    refused([](json& d) { d["_id"] = "ticket:"; });
    refused([](json& d) { d["type"] = "visit"; });
    refused([](json& d) { d.erase("site"); });
    refused([](json& d) { d["ticket_type"] = "praise"; });
    refused([](json& d) { d["priority"] = "urgent"; });
    refused([](json& d) { d["complaint_level"] = "二级"; });
    refused([](json& d) { d["photos"] = json::array({"photo-1.jpg"}); });
    refused([](json& d) { d.erase("timeline"); });
    refused([](json& d) { d["timeline"] = json::object(); });
    refused([](json& d) { d["timeline"].push_back(42); });
    refused([](json& d) { d["timeline"][2].erase("id"); });
    refused([](json& d) { d["timeline"][2]["at"] = "today"; });
    refused([](json& d) { d["timeline"][2]["role"] = "manager"; });
    refused([](json& d) { d["timeline"][2]["id"] = d["timeline"][1]["id"]; });
    refused([](json& d) { d["timeline"].erase(0); });  // no create step
    refused([](json& d) {
      json second = d["timeline"][0];
      second["id"] = "another";
      d["timeline"].push_back(second);
    });
  }
}

TEST_SUITE("ticket form") {
  TEST_CASE("valid drafts of each kind") {
    CHECK(validate(repair_draft(), kMorning).empty());
    CHECK(validate(complaint_draft(), kMorning).empty());
    TicketDraft finding;
    finding.type = TicketType::PatrolFinding;
    finding.place = "地下车库B2层消防通道";
    finding.category = "消防";
    finding.description = "消防门未关闭";
    CHECK(validate(finding, kMorning).empty());  // no reporter needed: the butler on the round reports it
  }

  TEST_CASE("field problems") {
    auto problems = [](const TicketDraft& d) { return validate(d, kMorning); };
    auto has = [&](const TicketDraft& d, TicketField f, TicketProblem p) {
      for (const TicketFieldError& e : problems(d))
        if (e.field == f && e.problem == p) return true;
      return false;
    };
    TicketDraft d = repair_draft();
    d.type.reset();
    CHECK(has(d, TicketField::Type, TicketProblem::Required));
    d = repair_draft();
    d.building = d.unit = "　";
    CHECK(has(d, TicketField::Location, TicketProblem::Required));
    d = repair_draft();
    d.place = std::string(65 * 3, 'a');
    CHECK(has(d, TicketField::Location, TicketProblem::TooLong));
    d = repair_draft();
    d.reporter = "";
    CHECK(has(d, TicketField::Reporter, TicketProblem::Required));
    d = repair_draft();
    d.contact = "12345";
    CHECK(has(d, TicketField::Contact, TicketProblem::NotAPhoneNumber));
    d.contact = "0755-8888 6666";
    CHECK(problems(d).empty());
    d = complaint_draft();
    d.contact = "";
    CHECK(has(d, TicketField::Contact, TicketProblem::Required));
    d = repair_draft();
    d.description = "漏水\x01";
    CHECK(has(d, TicketField::Description, TicketProblem::ControlCharacters));
    d.description = "漏水\n很严重";
    CHECK(problems(d).empty());
    d = repair_draft();
    d.priority = Priority::Normal;
    CHECK(has(d, TicketField::Priority, TicketProblem::RepairNeedsPriority));
    d.priority = Priority::Scheduled;
    CHECK(has(d, TicketField::Appointment, TicketProblem::Required));
    d.appointment_ms = kMorning;
    CHECK(has(d, TicketField::Appointment, TicketProblem::NotAfterNow));
    d.appointment_ms = kMorning + kHour;
    CHECK(problems(d).empty());
    d.priority = Priority::Emergency;
    CHECK(has(d, TicketField::Appointment, TicketProblem::NotForThisType));
    d = repair_draft();
    d.complaint_level = 1;
    CHECK(has(d, TicketField::ComplaintLevel, TicketProblem::NotForThisType));
    d = complaint_draft();
    d.complaint_level = 0;
    CHECK(has(d, TicketField::ComplaintLevel, TicketProblem::Required));
    d.complaint_level = 4;
    CHECK(has(d, TicketField::ComplaintLevel, TicketProblem::OutOfRange));
    d = complaint_draft();
    d.reply_by_ms = kMorning - 1;
    CHECK(has(d, TicketField::ReplyBy, TicketProblem::NotAfterNow));
    d = repair_draft();
    d.photos.assign(kMaxTicketPhotos + 1, "p.jpg");
    CHECK(has(d, TicketField::Photos, TicketProblem::OutOfRange));
  }

  TEST_CASE("make_ticket trims, normalizes and refuses an invalid draft") {
    TicketDraft d = repair_draft();
    d.description = "  厨房水龙头漏水　";
    const Ticket t = new_ticket(d);
    CHECK(t.description == "厨房水龙头漏水");
    CHECK(t.contact == "13912345678");
    CHECK(t.owner == "王管家");
    CHECK(t.timeline.size() == 1);
    d.description = "";
    CHECK_THROWS_AS(new_ticket(d), std::invalid_argument);
  }
}
