// Patrol templates and rounds: validation, the replay that derives a round's state, documents, findings.
#include "core/patrol.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "core/json_read.hpp"
#include "core/text.hpp"
#include "core/visit.hpp"

namespace steward::core {

namespace {

using nlohmann::json;

constexpr std::array<std::string_view, kAllCheckResults.size()> kResultKeys = {"pass", "finding", "not_accessible"};
// Indexed like RoundEventKind, without Unknown.
constexpr std::array<std::string_view, 6> kEventKeys = {"start", "result", "pause", "resume", "finish", "review"};

std::optional<TemplateProblem> check_text(const std::string& s, size_t max_chars) {
  const std::string trimmed = text::trim(s);
  if (trimmed.empty()) return TemplateProblem::Required;
  if (text::has_control_characters(trimmed, false)) return TemplateProblem::ControlCharacters;
  if (utf8_length(trimmed) > max_chars) return TemplateProblem::TooLong;
  return std::nullopt;
}

bool event_before(const RoundEvent* a, const RoundEvent* b) {
  if (a->at_ms != b->at_ms) return a->at_ms < b->at_ms;
  return a->id < b->id;
}

std::vector<const RoundEvent*> event_order(const std::vector<RoundEvent>& events) {
  std::vector<const RoundEvent*> order;
  order.reserve(events.size());
  for (const RoundEvent& e : events) order.push_back(&e);
  std::sort(order.begin(), order.end(), event_before);
  return order;
}

std::optional<RoundRefusal> refusal(const PatrolRound& r, const RoundState& s, const RoundEvent& e) {
  if (e.kind == RoundEventKind::Review) {
    if (s.status != RoundStatus::Finished) return RoundRefusal::NotFinished;
    if (!s.reviewed_by.empty()) return RoundRefusal::AlreadyReviewed;
    return std::nullopt;
  }
  if (s.status == RoundStatus::Finished) return RoundRefusal::Finished;
  switch (e.kind) {
    case RoundEventKind::Start:
    case RoundEventKind::Unknown:
      return RoundRefusal::Finished;  // a round starts once, by start_round; an unknown event is not ours to apply
    case RoundEventKind::Result:
      if (s.status == RoundStatus::Paused) return RoundRefusal::Paused;
      if (!find_checkpoint(r, e.checkpoint).valid()) return RoundRefusal::UnknownCheckpoint;
      if (e.result == CheckResult::Finding && text::trim(e.ticket).empty()) return RoundRefusal::FindingNeedsTicket;
      return std::nullopt;
    case RoundEventKind::Pause:
      if (s.status == RoundStatus::Paused) return RoundRefusal::AlreadyPaused;
      return std::nullopt;
    case RoundEventKind::Resume:
      if (s.status != RoundStatus::Paused) return RoundRefusal::NotPaused;
      return std::nullopt;
    case RoundEventKind::Finish:
      if (s.checked < s.total) return RoundRefusal::CheckpointsLeft;
      return std::nullopt;
    case RoundEventKind::Review:
      break;  // above
  }
  return RoundRefusal::Finished;
}

json route_to_json(const std::vector<PatrolArea>& areas) {
  json out = json::array();
  for (const PatrolArea& a : areas) {
    json checkpoints = json::array();
    for (const Checkpoint& c : a.checkpoints)
      checkpoints.push_back({{"key", c.key}, {"name", c.name}, {"checks", c.checks}});
    out.push_back({{"key", a.key}, {"name", a.name}, {"checkpoints", std::move(checkpoints)}});
  }
  return out;
}

std::string string_member(const json& j, const char* key, const json_read::DocReader& r, const std::string& where) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) r.malformed(where + " has no string \"" + key + "\"");
  return it->get<std::string>();
}

std::vector<PatrolArea> route_from_json(const json* list, const json_read::DocReader& r, const char* field) {
  if (!list || !list->is_array()) r.malformed(std::string("\"") + field + "\" is not a list");
  std::vector<PatrolArea> areas;
  for (const json& a : *list) {
    if (!a.is_object()) r.malformed("an area is not an object");
    PatrolArea area;
    area.key = string_member(a, "key", r, "an area");
    area.name = string_member(a, "name", r, "an area");
    const auto cps = a.find("checkpoints");
    if (cps == a.end() || !cps->is_array()) r.malformed("area " + area.key + " has no \"checkpoints\" list");
    for (const json& c : *cps) {
      if (!c.is_object()) r.malformed("a checkpoint is not an object");
      Checkpoint cp;
      cp.key = string_member(c, "key", r, "a checkpoint");
      cp.name = string_member(c, "name", r, "a checkpoint");
      if (const auto checks = c.find("checks"); checks != c.end() && !checks->is_null()) {
        if (!checks->is_array()) r.malformed("checkpoint " + cp.key + ": \"checks\" is not a list");
        for (const json& k : *checks) {
          if (!k.is_string()) r.malformed("checkpoint " + cp.key + ": a check is not a string");
          cp.checks.push_back(k.get<std::string>());
        }
      }
      area.checkpoints.push_back(std::move(cp));
    }
    areas.push_back(std::move(area));
  }
  return areas;
}

json event_to_json(const RoundEvent& e) {
  json j = e.extra.is_object() ? e.extra : json::object();
  j["id"] = e.id;
  j["at"] = e.at_ms;
  j["by"] = e.by;
  j["what"] = e.what.empty() ? std::string(round_event_key(e.kind)) : e.what;
  if (e.kind == RoundEventKind::Result) {
    j["checkpoint"] = e.checkpoint;
    j["result"] = check_result_key(e.result);
    if (!e.ticket.empty()) j["ticket"] = e.ticket;
  }
  if (!e.note.empty()) j["note"] = e.note;
  return j;
}

RoundEvent event_from_json(const json& j, const json_read::DocReader& doc) {
  if (!j.is_object()) doc.malformed("an event is not an object");
  const json_read::DocReader r(j, "patrol_round event");
  RoundEvent e;
  e.id = r.string("id", true);
  if (e.id.empty()) doc.malformed("an event has an empty \"id\"");
  e.at_ms = r.int64("at", true, 0);
  e.by = r.string("by", true);
  e.what = r.string("what", true);
  e.kind = round_event_from_key(e.what);
  e.checkpoint = r.string("checkpoint", false);
  if (e.kind == RoundEventKind::Result) {
    const std::string result = r.string("result", true);
    const auto known = check_result_from_key(result);
    // A result this version cannot read is refused rather than guessed: it decides whether a ticket is owed.
    if (!known) doc.malformed("unknown result \"" + result + "\"");
    e.result = *known;
  }
  e.note = r.string("note", false);
  e.ticket = r.string("ticket", false);
  for (const auto& [key, value] : j.items()) {
    static constexpr std::array<std::string_view, 8> kKnown = {"id",     "at",   "by",    "what",
                                                               "checkpoint", "result", "note", "ticket"};
    if (std::find(kKnown.begin(), kKnown.end(), key) == kKnown.end()) e.extra[key] = value;
  }
  return e;
}

bool has_type(const json& doc, std::string_view type) {
  if (!doc.is_object()) return false;
  const auto it = doc.find("type");
  return it != doc.end() && it->is_string() && it->get_ref<const std::string&>() == type;
}

Checkpoint cp(std::string key, std::string name, std::vector<std::string> checks) {
  return {std::move(key), std::move(name), std::move(checks)};
}

}  // namespace

// ---- templates -------------------------------------------------------------------------------------------

size_t PatrolTemplate::checkpoint_count() const {
  size_t n = 0;
  for (const PatrolArea& a : areas) n += a.checkpoints.size();
  return n;
}

std::vector<TemplateError> validate(const PatrolTemplate& t) {
  std::vector<TemplateError> errors;
  if (auto p = check_text(t.name, kMaxTemplateNameChars)) errors.push_back({TemplatePart::Name, *p});
  if (t.areas.empty()) errors.push_back({TemplatePart::Area, TemplateProblem::Empty});
  if (t.areas.size() > kMaxAreas) errors.push_back({TemplatePart::Area, TemplateProblem::TooMany});

  std::set<std::string> area_keys, area_names, checkpoint_keys;
  for (size_t ai = 0; ai < t.areas.size(); ++ai) {
    const PatrolArea& a = t.areas[ai];
    const int area = static_cast<int>(ai);
    if (auto p = check_text(a.key, kMaxKeyChars)) {
      errors.push_back({TemplatePart::Key, *p, area});
    } else if (!area_keys.insert(text::trim(a.key)).second) {
      errors.push_back({TemplatePart::Key, TemplateProblem::Duplicate, area});
    }
    if (auto p = check_text(a.name, kMaxAreaNameChars)) {
      errors.push_back({TemplatePart::Area, *p, area});
    } else if (!area_names.insert(text::trim(a.name)).second) {
      errors.push_back({TemplatePart::Area, TemplateProblem::Duplicate, area});
    }
    if (a.checkpoints.empty()) errors.push_back({TemplatePart::Checkpoint, TemplateProblem::Empty, area});
    if (a.checkpoints.size() > kMaxCheckpointsPerArea)
      errors.push_back({TemplatePart::Checkpoint, TemplateProblem::TooMany, area});

    std::set<std::string> checkpoint_names;
    for (size_t ci = 0; ci < a.checkpoints.size(); ++ci) {
      const Checkpoint& c = a.checkpoints[ci];
      const int checkpoint = static_cast<int>(ci);
      // Checkpoint keys are unique in the whole template: a round's results name the checkpoint by key alone.
      if (auto p = check_text(c.key, kMaxKeyChars)) {
        errors.push_back({TemplatePart::Key, *p, area, checkpoint});
      } else if (!checkpoint_keys.insert(text::trim(c.key)).second) {
        errors.push_back({TemplatePart::Key, TemplateProblem::Duplicate, area, checkpoint});
      }
      if (auto p = check_text(c.name, kMaxCheckpointNameChars)) {
        errors.push_back({TemplatePart::Checkpoint, *p, area, checkpoint});
      } else if (!checkpoint_names.insert(text::trim(c.name)).second) {
        errors.push_back({TemplatePart::Checkpoint, TemplateProblem::Duplicate, area, checkpoint});
      }
      // A checkpoint without checks is allowed: "look around" is a check of its own on some routes.
      if (c.checks.size() > kMaxChecksPerCheckpoint)
        errors.push_back({TemplatePart::Check, TemplateProblem::TooMany, area, checkpoint});
      for (size_t ki = 0; ki < c.checks.size(); ++ki) {
        if (auto p = check_text(c.checks[ki], kMaxCheckChars))
          errors.push_back({TemplatePart::Check, *p, area, checkpoint, static_cast<int>(ki)});
      }
    }
  }
  return errors;
}

json to_json(const PatrolTemplate& t) {
  json doc = {
      {"_id", t.id}, {"type", "patrol_template"}, {"site", t.site}, {"name", t.name}, {"areas", route_to_json(t.areas)},
  };
  if (!t.edited_by.empty()) doc["edited_by"] = t.edited_by;
  if (t.edited_ms != 0) doc["edited_ms"] = t.edited_ms;
  if (!t.rev.empty()) doc["_rev"] = t.rev;
  return doc;
}

PatrolTemplate patrol_template_from_json(const json& doc) {
  const json_read::DocReader r(doc, "patrol_template");
  r.expect_type("patrol_template");
  PatrolTemplate t;
  t.id = r.string("_id", true);
  if (!t.id.starts_with(kPatrolTemplateIdPrefix) || t.id.size() == kPatrolTemplateIdPrefix.size())
    r.malformed("\"_id\" is not patrol_template:<key>");
  t.rev = r.string("_rev", false);
  t.site = r.string("site", true);
  t.name = r.string("name", true);
  t.areas = route_from_json(r.field("areas"), r, "areas");
  t.edited_by = r.string("edited_by", false);
  t.edited_ms = r.int64("edited_ms", false, 0);
  return t;
}

bool is_patrol_template_doc(const json& doc) { return has_type(doc, "patrol_template"); }

std::vector<PatrolTemplate> demo_patrol_templates(const std::string& site_id) {
  // The daily round over the public areas, inside then outside, with the checks domain.md lists.
  PatrolTemplate daily;
  daily.id = std::string(kPatrolTemplateIdPrefix) + site_id + "-daily";
  daily.site = site_id;
  daily.name = "日常巡查（公共区域）";
  daily.areas = {
      {"lobby", "大堂",
       {cp("lobby-entrance", "正门及门禁", {"门禁、闭门器正常", "地面无积水、无杂物", "标识标牌完好"}),
        cp("lobby-hall", "大堂前厅", {"地面、台面清洁", "灯光照明正常", "无异味", "绿植摆放整齐"}),
        cp("lobby-mailbox", "信报箱区", {"信报箱完好无破损", "无小广告张贴"})}},
      {"lift", "电梯厅",
       {cp("lift-1f", "1F 电梯厅", {"电梯运行正常、无异响", "轿厢清洁", "楼层显示及按钮正常", "电梯告示完好"}),
        cp("lift-b1", "B1 电梯厅", {"地面无积水", "照明正常", "无烟头杂物"})}},
      {"fire", "消防通道",
       {cp("fire-stair-a", "A座 消防楼梯", {"防火门常闭", "通道无杂物堆放", "应急照明、疏散指示正常", "无烟头"}),
        cp("fire-stair-b", "B座 消防楼梯", {"防火门常闭", "通道无杂物堆放", "应急照明、疏散指示正常", "无烟头"}),
        cp("fire-hydrant", "消火栓及灭火器", {"消火栓箱完好、配件齐全", "灭火器压力正常、在有效期内"})}},
      {"garage", "地下车库",
       {cp("garage-b1", "B1 车库", {"照明正常", "无渗漏水", "车位线及指示牌清晰", "无乱停乱放"}),
        cp("garage-b2", "B2 车库", {"照明正常", "无渗漏水", "排水沟通畅", "无异味"}),
        cp("garage-gate", "车库出入口", {"道闸运行正常", "坡道防滑完好", "截水沟无堵塞"})}},
      {"plant", "设备房",
       {cp("plant-pump", "水泵房", {"设备运行正常、无异响", "无漏水", "运行记录已填写", "门已上锁"}),
        cp("plant-power", "配电房", {"无异味、无异常发热", "挡鼠板完好", "运行记录已填写", "门已上锁"})}},
      {"green", "绿化",
       {cp("green-central", "中心花园", {"草坪修剪整齐", "无枯枝、黄土裸露", "无垃圾", "设施无损坏"}),
        cp("green-perimeter", "围墙及周界", {"围墙、围栏完好", "周界照明正常", "无攀爬痕迹"})}},
      {"decor", "装修楼层",
       {cp("decor-site", "在装单元", {"装修许可证张贴", "施工人员佩戴出入证", "未违规施工（拆改承重、封阳台）",
                                      "装修垃圾按时清运", "公共区域已做保护"})}},
  };

  // The vacant-floor check an office tower needs (lights and windows of vacant floors, leaks, odours).
  PatrolTemplate vacant;
  vacant.id = std::string(kPatrolTemplateIdPrefix) + site_id + "-vacant";
  vacant.site = site_id;
  vacant.name = "空置楼层巡查";
  for (int floor = 30; floor >= 26; --floor) {  // top-down, as domain.md's routes run
    const std::string f = std::to_string(floor) + "F";
    vacant.areas.push_back(
        {"floor-" + std::to_string(floor), f,
         {cp("floor-" + std::to_string(floor) + "-office", f + " 空置单元",
             {"灯已关闭", "门窗关闭", "无渗漏水", "无异味"}),
          cp("floor-" + std::to_string(floor) + "-public", f + " 公共走道",
             {"防火门常闭", "地面清洁", "应急照明正常"})}});
  }
  return {std::move(daily), std::move(vacant)};
}

// ---- rounds --------------------------------------------------------------------------------------------------

std::string_view check_result_key(CheckResult r) { return kResultKeys.at(static_cast<size_t>(r)); }
std::optional<CheckResult> check_result_from_key(std::string_view key) {
  for (size_t i = 0; i < kResultKeys.size(); ++i)
    if (kResultKeys[i] == key) return static_cast<CheckResult>(i);
  return std::nullopt;
}
std::string_view round_event_key(RoundEventKind k) {
  return k == RoundEventKind::Unknown ? std::string_view("unknown") : kEventKeys.at(static_cast<size_t>(k));
}
RoundEventKind round_event_from_key(std::string_view key) {
  for (size_t i = 0; i < kEventKeys.size(); ++i)
    if (kEventKeys[i] == key) return static_cast<RoundEventKind>(i);
  return RoundEventKind::Unknown;
}

RoutePosition find_checkpoint(const PatrolRound& r, std::string_view key) {
  for (size_t a = 0; a < r.route.size(); ++a)
    for (size_t c = 0; c < r.route[a].checkpoints.size(); ++c)
      if (r.route[a].checkpoints[c].key == key) return {static_cast<int>(a), static_cast<int>(c)};
  return {};
}

const Checkpoint* checkpoint_at(const PatrolRound& r, RoutePosition p) {
  if (p.area < 0 || static_cast<size_t>(p.area) >= r.route.size()) return nullptr;
  const auto& cps = r.route[p.area].checkpoints;
  if (p.checkpoint < 0 || static_cast<size_t>(p.checkpoint) >= cps.size()) return nullptr;
  return &cps[p.checkpoint];
}

RoundState derive_round(const PatrolRound& r) {
  RoundState s;
  s.results.resize(r.route.size());
  for (size_t a = 0; a < r.route.size(); ++a) {
    s.results[a].resize(r.route[a].checkpoints.size());
    s.total += static_cast<int>(r.route[a].checkpoints.size());
  }
  int64_t walking_since = r.started_ms;
  int64_t last_at = r.started_ms;
  for (const RoundEvent* e : event_order(r.events)) {
    if (e->kind == RoundEventKind::Start) continue;
    if (refusal(r, s, *e)) {
      if (e->kind != RoundEventKind::Unknown) s.superseded.push_back(e->id);
      continue;
    }
    last_at = std::max(last_at, e->at_ms);
    switch (e->kind) {
      case RoundEventKind::Result: {
        const RoutePosition p = find_checkpoint(r, e->checkpoint);
        auto& slot = s.results[p.area][p.checkpoint];
        if (!slot) ++s.checked;
        slot = CheckpointResult{e->result, e->at_ms, e->by, e->note, e->ticket, e->id};
        if (!e->ticket.empty() && std::find(s.tickets.begin(), s.tickets.end(), e->ticket) == s.tickets.end())
          s.tickets.push_back(e->ticket);
        break;
      }
      case RoundEventKind::Pause:
        s.walking_ms += std::max<int64_t>(0, e->at_ms - walking_since);
        s.status = RoundStatus::Paused;
        break;
      case RoundEventKind::Resume:
        walking_since = e->at_ms;
        s.status = RoundStatus::Walking;
        break;
      case RoundEventKind::Finish:
        // Finishing from a pause adds nothing: the pause already closed the walking stretch.
        if (s.status == RoundStatus::Walking) s.walking_ms += std::max<int64_t>(0, e->at_ms - walking_since);
        s.finished_ms = e->at_ms;
        s.status = RoundStatus::Finished;
        break;
      case RoundEventKind::Review:
        s.reviewed_by = e->by;
        s.reviewed_ms = e->at_ms;
        break;
      default:
        break;
    }
  }
  if (s.status == RoundStatus::Walking) s.walking_ms += std::max<int64_t>(0, last_at - walking_since);

  for (size_t a = 0; a < s.results.size(); ++a) {
    for (size_t c = 0; c < s.results[a].size(); ++c) {
      const auto& slot = s.results[a][c];
      if (!slot) {
        if (!s.next.valid()) s.next = {static_cast<int>(a), static_cast<int>(c)};
        continue;
      }
      switch (slot->result) {
        case CheckResult::Pass: ++s.passed; break;
        case CheckResult::Finding: ++s.findings; break;
        case CheckResult::NotAccessible: ++s.not_accessible; break;
      }
    }
  }
  return s;
}

PatrolRound start_round(const PatrolTemplate& tpl, std::string id, const std::string& patroller, int64_t now_ms,
                        std::string event_id) {
  if (!validate(tpl).empty()) throw std::invalid_argument("start_round: the template does not validate");
  if (text::trim(patroller).empty()) throw std::invalid_argument("start_round: no patroller");
  PatrolRound r;
  r.id = std::move(id);
  r.site = tpl.site;
  r.template_id = tpl.id;
  r.template_name = text::trim(tpl.name);
  r.route = tpl.areas;
  r.patroller = text::trim(patroller);
  r.started_ms = now_ms;
  RoundEvent start;
  start.id = std::move(event_id);
  start.at_ms = now_ms;
  start.by = r.patroller;
  start.kind = RoundEventKind::Start;
  start.what = std::string(round_event_key(start.kind));
  r.events.push_back(std::move(start));
  return r;
}

std::optional<RoundRefusal> check_event(const PatrolRound& r, const RoundState& state, const RoundEvent& event) {
  return refusal(r, state, event);
}

std::optional<RoundRefusal> append_event(PatrolRound& r, const std::string& by, RoundEvent event) {
  for (const RoundEvent& e : r.events)
    if (e.id == event.id) return RoundRefusal::DuplicateEventId;
  event.by = text::trim(by);
  event.what = std::string(round_event_key(event.kind));
  event.ticket = text::trim(event.ticket);
  event.note = text::trim(event.note);
  for (const RoundEvent& e : r.events) event.at_ms = std::max(event.at_ms, e.at_ms + 1);
  if (auto refused = refusal(r, derive_round(r), event)) return refused;
  r.events.push_back(std::move(event));
  return std::nullopt;
}

json to_json(const PatrolRound& r) {
  json events = json::array();
  for (const RoundEvent* e : event_order(r.events)) events.push_back(event_to_json(*e));
  json doc = {
      {"_id", r.id},
      {"type", "patrol_round"},
      {"site", r.site},
      {"template", r.template_id},
      {"template_name", r.template_name},
      {"patroller", r.patroller},
      {"route", route_to_json(r.route)},
      {"events", std::move(events)},
  };
  if (!r.rev.empty()) doc["_rev"] = r.rev;
  return doc;
}

PatrolRound patrol_round_from_json(const json& doc) {
  const json_read::DocReader r(doc, "patrol_round");
  r.expect_type("patrol_round");
  PatrolRound round;
  round.id = r.string("_id", true);
  if (!round.id.starts_with(kPatrolRoundIdPrefix) || round.id.size() == kPatrolRoundIdPrefix.size())
    r.malformed("\"_id\" is not patrol_round:<uuid>");
  round.rev = r.string("_rev", false);
  round.site = r.string("site", true);
  round.template_id = r.string("template", false);
  round.template_name = r.string("template_name", false);
  round.patroller = r.string("patroller", true);
  round.route = route_from_json(r.field("route"), r, "route");
  const json* events = r.field("events");
  if (!events || !events->is_array()) r.malformed("\"events\" is not a list");
  std::set<std::string> ids;
  const RoundEvent* start = nullptr;
  for (const json& j : *events) {
    round.events.push_back(event_from_json(j, r));
    if (!ids.insert(round.events.back().id).second) r.malformed("two events share id " + round.events.back().id);
  }
  for (const RoundEvent& e : round.events) {
    if (e.kind != RoundEventKind::Start) continue;
    if (start) r.malformed("more than one \"start\" event");
    start = &e;
  }
  if (!start) r.malformed("no \"start\" event");
  if (start->by != round.patroller) r.malformed("\"patroller\" is not the author of the \"start\" event");
  round.started_ms = start->at_ms;
  return round;
}

bool is_patrol_round_doc(const json& doc) { return has_type(doc, "patrol_round"); }

std::vector<const PatrolRound*> rounds_started_between(const std::vector<PatrolRound>& rounds, int64_t begin_ms,
                                                       int64_t end_ms) {
  std::vector<const PatrolRound*> out;
  for (const PatrolRound& r : rounds)
    if (r.started_ms >= begin_ms && r.started_ms < end_ms) out.push_back(&r);
  std::sort(out.begin(), out.end(), [](const PatrolRound* a, const PatrolRound* b) {
    if (a->started_ms != b->started_ms) return a->started_ms < b->started_ms;
    return a->id < b->id;
  });
  return out;
}

std::vector<const PatrolRound*> unfinished_rounds(const std::vector<PatrolRound>& rounds, std::string_view person) {
  std::vector<const PatrolRound*> out;
  for (const PatrolRound& r : rounds)
    if (r.patroller == person && derive_round(r).status != RoundStatus::Finished) out.push_back(&r);
  std::sort(out.begin(), out.end(), [](const PatrolRound* a, const PatrolRound* b) {
    if (a->started_ms != b->started_ms) return a->started_ms > b->started_ms;
    return a->id < b->id;
  });
  return out;
}

// ---- findings ----------------------------------------------------------------------------------------------

TicketDraft finding_ticket_draft(const PatrolRound& r, std::string_view checkpoint_key, const FindingDraft& f) {
  const RoutePosition p = find_checkpoint(r, checkpoint_key);
  const Checkpoint* c = checkpoint_at(r, p);
  if (!c) throw std::invalid_argument("finding_ticket_draft: no checkpoint \"" + std::string(checkpoint_key) + "\"");
  TicketDraft d;
  d.type = TicketType::PatrolFinding;
  d.place = text::trim(r.route[p.area].name) + " " + text::trim(c->name);
  d.category = f.category;
  d.description = f.description;
  d.photos = f.photos;
  d.priority = f.priority;
  d.appointment_ms = f.appointment_ms;
  d.patrol_round = r.id;
  return d;
}

}  // namespace steward::core
