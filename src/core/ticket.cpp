// The ticket's timeline: the state machine that replays it, the steps people take, and its document form.
#include "core/ticket.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/json_read.hpp"

namespace steward::core {

namespace {

using nlohmann::json;

constexpr std::array<std::string_view, kAllTicketTypes.size()> kTypeKeys = {"repair", "complaint", "inquiry",
                                                                            "suggestion", "patrol_finding"};
constexpr std::array<std::string_view, 3> kPriorityKeys = {"normal", "emergency", "scheduled"};
constexpr std::array<std::string_view, kAllTicketStatuses.size()> kStatusKeys = {
    "new", "dispatched", "in_progress", "done", "return_visited", "closed"};
// Indexed like StepKind, without Unknown.
constexpr std::array<std::string_view, 9> kStepKeys = {"create", "dispatch",     "start",        "done", "reply",
                                                       "agree_reply_date", "note", "return_visit", "close"};

template <class Enum, size_t N>
std::optional<Enum> from_key(const std::array<std::string_view, N>& keys, std::string_view key) {
  for (size_t i = 0; i < N; ++i)
    if (keys[i] == key) return static_cast<Enum>(i);
  return std::nullopt;
}

bool entry_before(const TimelineEntry* a, const TimelineEntry* b) {
  if (a->at_ms != b->at_ms) return a->at_ms < b->at_ms;
  return a->id < b->id;
}

// The people who follow the ticket: its owner (首接责任制) and whoever it is dispatched to.
bool is_follower(const Ticket& t, const TicketState& s, const std::string& name) {
  return name == t.owner || (!s.person.empty() && name == s.person);
}

std::optional<StepRefusal> refusal(const Ticket& t, const TicketState& s, const std::string& by, Role role,
                                   const TimelineEntry& e) {
  const bool supervisor = is_in_charge(role);
  const bool closed = s.status == TicketStatus::Closed;
  switch (e.kind) {
    case StepKind::Create:
    case StepKind::Unknown:
      return StepRefusal::NotAllowedInStatus;  // a ticket is created once, by make_ticket
    case StepKind::Dispatch:
      if (s.status != TicketStatus::New && s.status != TicketStatus::Dispatched &&
          s.status != TicketStatus::InProgress)
        return StepRefusal::NotAllowedInStatus;
      if (!supervisor && by != t.owner) return StepRefusal::NotPermitted;
      if (e.department.empty() && e.person.empty()) return StepRefusal::DispatchTargetRequired;
      return std::nullopt;
    case StepKind::Start:
      if (s.status != TicketStatus::Dispatched) return StepRefusal::NotAllowedInStatus;
      if (!supervisor && !is_follower(t, s, by)) return StepRefusal::NotPermitted;
      return std::nullopt;
    case StepKind::Done: {
      // An inquiry or suggestion is often answered by whoever took it, with no department involved.
      const bool answered_on_the_spot = s.status == TicketStatus::New &&
                                        (t.type == TicketType::Inquiry || t.type == TicketType::Suggestion);
      if (s.status != TicketStatus::InProgress && !answered_on_the_spot) return StepRefusal::NotAllowedInStatus;
      if (!supervisor && !is_follower(t, s, by)) return StepRefusal::NotPermitted;
      return std::nullopt;
    }
    case StepKind::Reply:
      if (closed) return StepRefusal::NotAllowedInStatus;
      if (!supervisor && !is_follower(t, s, by)) return StepRefusal::NotPermitted;
      return std::nullopt;
    case StepKind::AgreeReplyDate:
      if (t.type != TicketType::Complaint) return StepRefusal::NotAComplaint;
      if (closed || s.status == TicketStatus::Done || s.status == TicketStatus::ReturnVisited)
        return StepRefusal::NotAllowedInStatus;
      if (!supervisor && !is_follower(t, s, by)) return StepRefusal::NotPermitted;
      if (e.reply_by_ms <= t.created_ms) return StepRefusal::ReplyDateNotAfterCreation;
      return std::nullopt;
    case StepKind::Note:
      return std::nullopt;  // anyone may add what they know, at any time
    case StepKind::ReturnVisit:
      if (s.status != TicketStatus::Done) return StepRefusal::NotAllowedInStatus;
      if (!supervisor && by != t.owner) return StepRefusal::NotPermitted;
      if (!e.return_visit || e.return_visit->outcome.empty()) return StepRefusal::OutcomeRequired;
      if (e.return_visit->satisfaction < kMinSatisfaction || e.return_visit->satisfaction > kMaxSatisfaction)
        return StepRefusal::SatisfactionOutOfRange;
      return std::nullopt;
    case StepKind::Close:
      if (closed) return StepRefusal::NotAllowedInStatus;
      if (s.status == TicketStatus::ReturnVisited) {
        if (!supervisor && by != t.owner) return StepRefusal::NotPermitted;
        return std::nullopt;
      }
      // Without a return visit: only a supervisor, and only saying why (e.g. the owner cannot be reached, a
      // duplicate report).
      if (!supervisor) return s.status == TicketStatus::Done ? StepRefusal::ReturnVisitRequired
                                                             : StepRefusal::NotAllowedInStatus;
      if (e.text.empty()) return StepRefusal::ReasonRequired;
      return std::nullopt;
  }
  return StepRefusal::NotAllowedInStatus;
}

void apply(const Ticket& t, TicketState& s, const TimelineEntry& e) {
  switch (e.kind) {
    case StepKind::Create:
    case StepKind::Unknown:
    case StepKind::Note:
      break;
    case StepKind::Dispatch:
      s.status = TicketStatus::Dispatched;
      s.department = e.department;
      s.person = e.person;
      if (s.dispatched_ms == 0) s.dispatched_ms = e.at_ms;
      break;
    case StepKind::Start:
      s.status = TicketStatus::InProgress;
      if (s.started_ms == 0) s.started_ms = e.at_ms;
      break;
    case StepKind::Done:
      s.status = TicketStatus::Done;
      s.done_ms = e.at_ms;
      if (s.first_reply_ms == 0) s.first_reply_ms = e.at_ms;
      break;
    case StepKind::Reply:
      if (s.first_reply_ms == 0) s.first_reply_ms = e.at_ms;
      break;
    case StepKind::AgreeReplyDate: {
      // The agreement must be reached before the clock it replaces runs out: a date agreed after a missed
      // 24-hour reply does not make the miss disappear.
      const int64_t due = s.reply_by_ms != 0 ? s.reply_by_ms : t.created_ms + kComplaintReplyMs;
      if (e.at_ms <= due) s.reply_by_ms = e.reply_by_ms;
      break;
    }
    case StepKind::ReturnVisit:
      s.status = TicketStatus::ReturnVisited;
      s.return_visit = e.return_visit;
      s.return_visit_ms = e.at_ms;
      break;
    case StepKind::Close:
      if (s.status != TicketStatus::ReturnVisited) s.closed_without_visit_reason = e.text;
      s.status = TicketStatus::Closed;
      s.closed_ms = e.at_ms;
      break;
  }
}

// ---- document form --------------------------------------------------------------------------------------

json entry_to_json(const TimelineEntry& e) {
  json j = e.extra.is_object() ? e.extra : json::object();
  j["id"] = e.id;
  j["at"] = e.at_ms;
  j["by"] = e.by;
  j["role"] = role_key(e.role);
  j["what"] = e.kind == StepKind::Unknown ? e.what : std::string(step_kind_key(e.kind));
  if (!e.department.empty()) j["department"] = e.department;
  if (!e.person.empty()) j["person"] = e.person;
  if (e.reply_by_ms != 0) j["reply_by"] = e.reply_by_ms;
  if (e.return_visit) {
    j["outcome"] = e.return_visit->outcome;
    j["satisfaction"] = e.return_visit->satisfaction;
    j["comment"] = e.return_visit->comment;
  }
  if (!e.text.empty()) j["text"] = e.text;
  return j;
}

TimelineEntry entry_from_json(const json& j, const json_read::DocReader& doc) {
  if (!j.is_object()) doc.malformed("a timeline entry is not an object");
  const json_read::DocReader r(j, "ticket timeline entry");
  TimelineEntry e;
  e.id = r.string("id", true);
  if (e.id.empty()) r.malformed("empty \"id\"");
  e.at_ms = r.int64("at", true, 0);
  e.by = r.string("by", true);
  const std::string role = r.string("role", false);
  if (!role.empty()) {
    // An unknown role is refused rather than guessed: it decides what the step was allowed to do.
    const auto known = role_from_key(role);
    if (!known) r.malformed("unknown role \"" + role + "\"");
    e.role = *known;
  }
  e.what = r.string("what", true);
  e.kind = step_kind_from_key(e.what);
  e.department = r.string("department", false);
  e.person = r.string("person", false);
  e.reply_by_ms = r.int64("reply_by", false, 0);
  if (r.field("outcome") || r.field("satisfaction")) {
    ReturnVisit visit;
    visit.outcome = r.string("outcome", false);
    visit.satisfaction = r.integer("satisfaction", 0);
    visit.comment = r.string("comment", false);
    e.return_visit = visit;
  }
  e.text = r.string("text", false);
  for (const auto& [key, value] : j.items()) {
    static constexpr std::array<std::string_view, 12> kKnown = {
        "id",      "at",           "by",      "role", "what", "department", "person", "reply_by",
        "outcome", "satisfaction", "comment", "text"};
    if (std::find(kKnown.begin(), kKnown.end(), key) == kKnown.end()) e.extra[key] = value;
  }
  return e;
}

}  // namespace

std::string_view ticket_type_key(TicketType t) { return kTypeKeys.at(static_cast<size_t>(t)); }
std::optional<TicketType> ticket_type_from_key(std::string_view key) { return from_key<TicketType>(kTypeKeys, key); }
std::string_view priority_key(Priority p) { return kPriorityKeys.at(static_cast<size_t>(p)); }
std::optional<Priority> priority_from_key(std::string_view key) { return from_key<Priority>(kPriorityKeys, key); }
std::string_view ticket_status_key(TicketStatus s) { return kStatusKeys.at(static_cast<size_t>(s)); }
std::string_view step_kind_key(StepKind k) {
  return k == StepKind::Unknown ? std::string_view("unknown") : kStepKeys.at(static_cast<size_t>(k));
}
StepKind step_kind_from_key(std::string_view key) {
  return from_key<StepKind>(kStepKeys, key).value_or(StepKind::Unknown);
}

std::vector<const TimelineEntry*> replay_order(const std::vector<TimelineEntry>& timeline) {
  std::vector<const TimelineEntry*> order;
  order.reserve(timeline.size());
  for (const TimelineEntry& e : timeline) order.push_back(&e);
  std::sort(order.begin(), order.end(), entry_before);
  return order;
}

TicketState derive_state(const Ticket& t) {
  TicketState s;
  for (const TimelineEntry* e : replay_order(t.timeline)) {
    if (e->kind == StepKind::Create) continue;
    if (refusal(t, s, e->by, e->role, *e)) {
      if (e->kind != StepKind::Unknown) s.superseded.push_back(e->id);
      continue;
    }
    apply(t, s, *e);
  }
  return s;
}

std::optional<StepRefusal> check_step(const Ticket& t, const TicketState& state, const Actor& actor,
                                      const TimelineEntry& entry) {
  return refusal(t, state, actor.name, actor.role, entry);
}

std::optional<StepRefusal> append_step(Ticket& t, const Actor& actor, TimelineEntry entry) {
  for (const TimelineEntry& e : t.timeline)
    if (e.id == entry.id) return StepRefusal::DuplicateEntryId;
  entry.by = actor.name;
  entry.role = actor.role;
  entry.what = std::string(step_kind_key(entry.kind));
  for (const TimelineEntry& e : t.timeline) entry.at_ms = std::max(entry.at_ms, e.at_ms + 1);
  if (auto refused = refusal(t, derive_state(t), actor.name, actor.role, entry)) return refused;
  t.timeline.push_back(std::move(entry));
  return std::nullopt;
}

// ---- documents -------------------------------------------------------------------------------------------

json to_json(const Ticket& t) {
  json photos = json::array();
  for (const std::string& name : t.photos) photos.push_back({{"id", name}});
  json timeline = json::array();
  for (const TimelineEntry* e : replay_order(t.timeline)) timeline.push_back(entry_to_json(*e));
  json doc = {
      {"_id", t.id},
      {"type", "ticket"},
      {"site", t.site},
      {"ticket_type", ticket_type_key(t.type)},
      {"building", t.building},
      {"unit", t.unit},
      {"place", t.place},
      {"reporter", t.reporter},
      {"contact", t.contact},
      {"category", t.category},
      {"description", t.description},
      {"photos", std::move(photos)},
      {"priority", priority_key(t.priority)},
      {"appointment_ms", t.appointment_ms},
      {"complaint_level", t.complaint_level},
      {"owner", t.owner},
      {"created_ms", t.created_ms},
      {"repeat_of", t.repeat_of},
      {"repeat_count", t.repeat_count},
      {"patrol_round", t.patrol_round},
      {"timeline", std::move(timeline)},
  };
  if (!t.rev.empty()) doc["_rev"] = t.rev;
  return doc;
}

bool is_ticket_doc(const json& doc) {
  if (!doc.is_object()) return false;
  const auto it = doc.find("type");
  return it != doc.end() && it->is_string() && it->get_ref<const std::string&>() == "ticket";
}

Ticket ticket_from_json(const json& doc) {
  const json_read::DocReader r(doc, "ticket");
  r.expect_type("ticket");
  Ticket t;
  t.id = r.string("_id", true);
  if (!t.id.starts_with(kTicketIdPrefix) || t.id.size() == kTicketIdPrefix.size())
    r.malformed("\"_id\" is not ticket:<uuid>");
  t.rev = r.string("_rev", false);
  t.site = r.string("site", true);
  const std::string type = r.string("ticket_type", true);
  const auto known_type = ticket_type_from_key(type);
  if (!known_type) r.malformed("unknown ticket_type \"" + type + "\"");
  t.type = *known_type;
  t.building = r.string("building", false);
  t.unit = r.string("unit", false);
  t.place = r.string("place", false);
  t.reporter = r.string("reporter", false);
  t.contact = r.string("contact", false);
  t.category = r.string("category", false);
  t.description = r.string("description", false);
  if (const json* photos = r.field("photos")) {
    if (!photos->is_array()) r.malformed("\"photos\" is not a list");
    for (const json& p : *photos) {
      if (!p.is_object() || !p.contains("id") || !p["id"].is_string()) r.malformed("a photo has no string \"id\"");
      t.photos.push_back(p["id"].get<std::string>());
    }
  }
  const std::string priority = r.string("priority", false);
  if (!priority.empty()) {
    const auto known = priority_from_key(priority);
    if (!known) r.malformed("unknown priority \"" + priority + "\"");
    t.priority = *known;
  }
  t.appointment_ms = r.int64("appointment_ms", false, 0);
  t.complaint_level = r.integer("complaint_level", 0);
  t.owner = r.string("owner", true);
  t.repeat_of = r.string("repeat_of", false);
  t.repeat_count = r.integer("repeat_count", 0);
  t.patrol_round = r.string("patrol_round", false);

  const json* timeline = r.field("timeline");
  if (!timeline || !timeline->is_array()) r.malformed("\"timeline\" is not a list");
  const TimelineEntry* create = nullptr;
  for (const json& j : *timeline) {
    t.timeline.push_back(entry_from_json(j, r));
    for (size_t i = 0; i + 1 < t.timeline.size(); ++i)
      if (t.timeline[i].id == t.timeline.back().id) r.malformed("two timeline entries share id " + t.timeline[i].id);
  }
  for (const TimelineEntry& e : t.timeline) {
    if (e.kind != StepKind::Create) continue;
    if (create) r.malformed("more than one \"create\" step");
    create = &e;
  }
  if (!create) r.malformed("no \"create\" step");
  // The owner is whoever recorded the ticket (首接责任制); a document claiming another owner was edited by hand.
  if (create->by != t.owner) r.malformed("\"owner\" is not the author of the \"create\" step");
  t.created_ms = create->at_ms;
  return t;
}

}  // namespace steward::core
