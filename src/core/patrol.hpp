// Patrols (巡查): the route a butler or supervisor walks, checkpoint by checkpoint, and the round that records
// what they found. Pure domain code: no I/O, no clock; times and ids are passed in.
//
// A template (巡查路线) is a route of areas (大堂, 地下车库 …, or floors) with checkpoints and the checks to make
// at each. A round copies its template's route when it starts, so a supervisor editing the template mid-round
// changes neither the round being walked nor the record of finished ones.
//
// Like the ticket, a round's state is never stored: it is derived by replaying an append-only list of events
// (start, result, pause, resume, finish) that sync merges by event id, in (at, id) order. An event that is not
// allowed where the replay has got to (a result after the finish, a second pause) is kept but has no effect, so
// two tablets that touched the same round converge whichever way round they merge. A later result for the same
// checkpoint replaces an earlier one (the patroller corrected it).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/ticket.hpp"

namespace steward::core {

// ---- templates -----------------------------------------------------------------------------------------------
// Areas and checkpoints are identified by a key that stays put when they are renamed or reordered; a round's
// results refer to checkpoint keys. In the document these are "key", not "id": the merge treats a list of
// objects with ids as append-only (sync/merge.hpp), and a supervisor must be able to remove a checkpoint.
struct Checkpoint {
  std::string key;
  std::string name;                 // e.g. "B2 消防通道"
  std::vector<std::string> checks;  // what to look at there, e.g. "防火门常闭"
};
struct PatrolArea {
  std::string key;
  std::string name;  // e.g. "地下车库", "18F"
  std::vector<Checkpoint> checkpoints;
};
struct PatrolTemplate {
  std::string id;   // "patrol_template:<key>"
  std::string rev;  // empty until stored
  std::string site;
  std::string name;  // e.g. "日常巡查（公共区域）"
  std::vector<PatrolArea> areas;
  // The supervisor who last changed the route in the editor, and when (empty / 0 for a seeded route).
  std::string edited_by;
  int64_t edited_ms = 0;

  size_t checkpoint_count() const;
};

// A finding's ticket is located at "<area> <checkpoint>", which must fit the ticket's place (64 characters).
inline constexpr size_t kMaxTemplateNameChars = 32;
inline constexpr size_t kMaxAreaNameChars = 16;
inline constexpr size_t kMaxCheckpointNameChars = 32;
inline constexpr size_t kMaxCheckChars = 40;
inline constexpr size_t kMaxKeyChars = 40;
inline constexpr size_t kMaxAreas = 60;           // an office tower floor by floor (6F–30F) and then some
inline constexpr size_t kMaxCheckpointsPerArea = 30;
inline constexpr size_t kMaxChecksPerCheckpoint = 12;

enum class TemplatePart { Name, Area, Checkpoint, Check, Key };
enum class TemplateProblem {
  Required,           // an empty name, check or key
  TooLong,
  ControlCharacters,
  Empty,              // a template without areas, an area without checkpoints
  Duplicate,          // two areas or two checkpoints (in the whole template) with the same key; the same name twice
  TooMany,
};
// Where the problem is: indices into areas / checkpoints / checks, -1 when not applicable.
struct TemplateError {
  TemplatePart part;
  TemplateProblem problem;
  int area = -1;
  int checkpoint = -1;
  int check = -1;
};
// Empty = valid. Names and checks are judged trimmed.
std::vector<TemplateError> validate(const PatrolTemplate& t);

// {"_id": "patrol_template:<key>", "type": "patrol_template", "site", "name",
//  "areas": [{"key", "name", "checkpoints": [{"key", "name", "checks": ["…"]}]}], "edited_by", "edited_ms"}
nlohmann::json to_json(const PatrolTemplate& t);
// Throws std::invalid_argument on a malformed document (shape only: validate() judges the content).
PatrolTemplate patrol_template_from_json(const nlohmann::json& doc);
bool is_patrol_template_doc(const nlohmann::json& doc);
inline constexpr std::string_view kPatrolTemplateIdPrefix = "patrol_template:";

// The routes `scripts/run` seeds for a site: the daily public-area round and the vacant-floor check.
std::vector<PatrolTemplate> demo_patrol_templates(const std::string& site_id);

// ---- rounds ------------------------------------------------------------------------------------------------
enum class CheckResult { Pass, Finding, NotAccessible };
inline constexpr std::array<CheckResult, 3> kAllCheckResults = {CheckResult::Pass, CheckResult::Finding,
                                                                CheckResult::NotAccessible};
std::string_view check_result_key(CheckResult r);  // "pass", "finding", "not_accessible"
std::optional<CheckResult> check_result_from_key(std::string_view key);

// Review: the supervisor's weekly review of a finished round, which archives it (domain: rounds are reviewed weekly
// and archived). A version that does not know it ignores it.
enum class RoundEventKind { Start, Result, Pause, Resume, Finish, Review, Unknown };
std::string_view round_event_key(RoundEventKind k);  // "start", "result", "pause", "resume", "finish", "review"
RoundEventKind round_event_from_key(std::string_view key);  // Unknown for a key a later version may have added

struct RoundEvent {
  std::string id;  // unique (a uuid from the caller)
  int64_t at_ms = 0;
  std::string by;
  RoundEventKind kind = RoundEventKind::Result;
  std::string what;  // the stored key of kind, kept as read (an Unknown kind round-trips)
  // Result
  std::string checkpoint;  // the checkpoint's key
  CheckResult result = CheckResult::Pass;
  std::string note;  // e.g. why it was not accessible
  std::string ticket;  // Finding: the ticket it opened
  nlohmann::json extra = nlohmann::json::object();  // keys this version does not know, kept
};

struct PatrolRound {
  std::string id;   // "patrol_round:<uuid>"
  std::string rev;  // empty until stored
  std::string site;
  std::string template_id;
  std::string template_name;
  std::vector<PatrolArea> route;  // the template's areas when the round started
  std::string patroller;          // who started it
  int64_t started_ms = 0;         // the Start event's time
  std::vector<RoundEvent> events;
};

enum class RoundStatus { Walking, Paused, Finished };

struct CheckpointResult {
  CheckResult result = CheckResult::Pass;
  int64_t at_ms = 0;
  std::string by;
  std::string note;
  std::string ticket;
  std::string event_id;
};

// Where a checkpoint sits in the route, for walking it in order.
struct RoutePosition {
  int area = -1;
  int checkpoint = -1;
  bool valid() const { return area >= 0; }
};

struct RoundState {
  RoundStatus status = RoundStatus::Walking;
  int total = 0;    // checkpoints in the route
  int checked = 0;  // checkpoints with a result
  int passed = 0;
  int findings = 0;
  int not_accessible = 0;
  // Indexed like the route: results[area][checkpoint]; nullopt = not checked yet.
  std::vector<std::vector<std::optional<CheckpointResult>>> results;
  std::vector<std::string> tickets;  // every ticket a finding in this round opened, in replay order, once each
  RoutePosition next;                // the first checkpoint in route order without a result; invalid when none
  int64_t finished_ms = 0;
  std::string reviewed_by;  // empty until reviewed (the first review counts; a second one made offline is superseded)
  int64_t reviewed_ms = 0;
  int64_t walking_ms = 0;  // from start to finish (or to the last event), without the pauses
  std::vector<std::string> superseded;  // ids of events that had no effect

  double progress() const { return total == 0 ? 1.0 : static_cast<double>(checked) / total; }
};
RoundState derive_round(const PatrolRound& r);
const Checkpoint* checkpoint_at(const PatrolRound& r, RoutePosition p);
RoutePosition find_checkpoint(const PatrolRound& r, std::string_view key);

enum class RoundRefusal {
  Finished,            // nothing may follow the finish
  Paused,              // a result while paused: resume first
  NotPaused,           // resume when walking
  AlreadyPaused,
  UnknownCheckpoint,
  FindingNeedsTicket,  // a finding opens a ticket (the caller creates it first and passes its id)
  CheckpointsLeft,     // finish with checkpoints without a result ("not accessible" is a result)
  DuplicateEventId,
  NotFinished,      // a review of a round still being walked
  AlreadyReviewed,
};

// Starts a round on `tpl` (which must validate; std::invalid_argument otherwise).
PatrolRound start_round(const PatrolTemplate& tpl, std::string id, const std::string& patroller, int64_t now_ms,
                        std::string event_id);

// Appends the event when allowed (`event.at_ms` is "now"; like ticket steps it is moved after every event
// already there); otherwise the refusal and the round is unchanged. `by` is stamped from the argument.
std::optional<RoundRefusal> append_event(PatrolRound& r, const std::string& by, RoundEvent event);
// Whether the event would be allowed now (for enabling buttons).
std::optional<RoundRefusal> check_event(const PatrolRound& r, const RoundState& state, const RoundEvent& event);

// {"_id": "patrol_round:<uuid>", "type": "patrol_round", "site", "template", "template_name", "patroller",
//  "route": [areas as in the template], "events": [{"id", "at", "by", "what", "checkpoint", "result", "note",
//  "ticket"}]}
nlohmann::json to_json(const PatrolRound& r);
// Throws std::invalid_argument on a malformed document, including one without exactly one start event.
PatrolRound patrol_round_from_json(const nlohmann::json& doc);
bool is_patrol_round_doc(const nlohmann::json& doc);
inline constexpr std::string_view kPatrolRoundIdPrefix = "patrol_round:";

// Rounds started in [begin_ms, end_ms) (a week, for the review), oldest first.
std::vector<const PatrolRound*> rounds_started_between(const std::vector<PatrolRound>& rounds, int64_t begin_ms,
                                                       int64_t end_ms);

// Rounds not finished, that `person` started, newest first: the round to resume after a reload.
std::vector<const PatrolRound*> unfinished_rounds(const std::vector<PatrolRound>& rounds, std::string_view person);

// ---- findings --------------------------------------------------------------------------------------------
// What the patroller records about a finding; the rest of the ticket comes from the round.
struct FindingDraft {
  std::string category;  // e.g. "消防", "卫生"
  std::string description;
  std::vector<std::string> photos;  // attachment names
  Priority priority = Priority::Normal;
  int64_t appointment_ms = 0;
};
// The ticket draft of a finding at checkpoint `key`: type patrol finding, place "<area> <checkpoint>", the round
// linked. Validate and make it with the ticket functions (validate, make_ticket), then record the Finding result
// with the ticket's id. std::invalid_argument for an unknown checkpoint.
TicketDraft finding_ticket_draft(const PatrolRound& r, std::string_view checkpoint_key, const FindingDraft& f);

}  // namespace steward::core
