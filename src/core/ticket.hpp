// The ticket (工单): a repair, complaint, inquiry, suggestion or patrol finding, followed from the first contact
// to the return visit (回访). Pure domain code: no I/O, no clock; times, ids and time zones are passed in.
//
// The status is never stored: it is derived by replaying the timeline, an append-only list of steps that sync
// merges by entry id (sync/merge.hpp). Replay order is (at, id) — the order the merge writes — and a step that
// is not allowed in the state the replay has reached is kept in the timeline but has no effect ("superseded").
// So two tablets that append concurrent steps converge to the same status whichever way round they merge:
//   - two dispatches: the later (at, id) one names the current department/person;
//   - a step that depends on a state another tablet already left (e.g. two return visits, or a "close" racing a
//     return visit that made it unnecessary) applies once; the other is superseded and shown as such.
// append_step() stamps a new step after every step already in the timeline (at = max(now, last at + 1)), so a
// tablet whose clock runs behind still orders its steps after the ones it has seen.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/access.hpp"

namespace steward::core {

enum class TicketType { Repair, Complaint, Inquiry, Suggestion, PatrolFinding };
inline constexpr std::array<TicketType, 5> kAllTicketTypes = {TicketType::Repair, TicketType::Complaint,
                                                              TicketType::Inquiry, TicketType::Suggestion,
                                                              TicketType::PatrolFinding};
std::string_view ticket_type_key(TicketType t);  // "repair", "complaint", "inquiry", "suggestion", "patrol_finding"
std::optional<TicketType> ticket_type_from_key(std::string_view key);

// 急修 / 预约. Normal: no repair clock (inquiries, suggestions, complaints, most patrol findings).
enum class Priority { Normal, Emergency, Scheduled };
std::string_view priority_key(Priority p);  // "normal", "emergency", "scheduled"
std::optional<Priority> priority_from_key(std::string_view key);

enum class TicketStatus { New, Dispatched, InProgress, Done, ReturnVisited, Closed };
inline constexpr std::array<TicketStatus, 6> kAllTicketStatuses = {
    TicketStatus::New,  TicketStatus::Dispatched,    TicketStatus::InProgress,
    TicketStatus::Done, TicketStatus::ReturnVisited, TicketStatus::Closed};
std::string_view ticket_status_key(TicketStatus s);  // "new", "dispatched", "in_progress", "done", ...

// Only the supervisor (客服主管) has powers of their own; butlers and the front desk act on the tickets they own
// or were dispatched.

// Who is acting on a tablet: the name is what the timeline records.
struct Actor {
  std::string name;
  Role role = Role::Butler;
};

// What a timeline step does. Create opens the timeline (its author is the owner for life); Reply is the answer
// given to the requester (what the complaint clock waits for); AgreeReplyDate records the date agreed with the
// requester when a complaint cannot be answered at once; Note is a follow-up that changes nothing.
// There is no reopening: domain.md does not provide for it; a fault that comes back is a new, linked ticket.
enum class StepKind { Create, Dispatch, Start, Done, Reply, AgreeReplyDate, Note, ReturnVisit, Close, Unknown };
std::string_view step_kind_key(StepKind k);  // "create", "dispatch", "start", "done", "reply", "agree_reply_date", ...
StepKind step_kind_from_key(std::string_view key);  // Unknown for a key a later version may have added

// 回访.
inline constexpr int kMinSatisfaction = 1;
inline constexpr int kMaxSatisfaction = 5;
struct ReturnVisit {
  std::string outcome;  // e.g. "已修好，业主满意"
  int satisfaction = 0;  // 1..5
  std::string comment;
};

struct TimelineEntry {
  std::string id;  // unique (a uuid from the caller)
  int64_t at_ms = 0;
  std::string by;
  Role role = Role::Butler;
  StepKind kind = StepKind::Note;
  std::string what;  // the stored key of kind, kept as read (an Unknown kind round-trips)
  // Dispatch
  std::string department;  // 工程/保洁/安保/绿化 … (stored as typed or picked)
  std::string person;
  // AgreeReplyDate
  int64_t reply_by_ms = 0;
  // ReturnVisit
  std::optional<ReturnVisit> return_visit;
  // Close without a return visit (supervisor), Note, Reply, Done: free text
  std::string text;
  // Keys this version does not know, kept so a rewrite does not drop what a later version wrote.
  nlohmann::json extra = nlohmann::json::object();
};

struct Ticket {
  std::string id;   // "ticket:<uuid>"
  std::string rev;  // empty until stored
  std::string site;
  TicketType type = TicketType::Repair;
  // Unit (building + unit) or a free location (place), e.g. building "3栋", unit "1502"; or place "地下车库B2".
  std::string building;
  std::string unit;
  std::string place;
  std::string reporter;  // 报事人
  std::string contact;   // phone, normalized
  std::string category;  // e.g. "水电", "门窗"; repeat faults match on it
  std::string description;
  std::vector<std::string> photos;  // attachment names; the images are the document's attachments
  Priority priority = Priority::Normal;
  int64_t appointment_ms = 0;  // Scheduled: the agreed time; 0 otherwise
  int complaint_level = 0;     // complaints: 1..3 (一级/二级/三级); 0 otherwise
  std::string owner;           // 首接人: the author of the Create step; never changes
  int64_t created_ms = 0;      // the Create step's time
  std::string repeat_of;       // the earlier ticket this one repeats, if any
  int repeat_count = 0;        // how many earlier reports of the fault within the window (0: not a repeat)
  std::string patrol_round;    // the round a finding was recorded in, if any
  std::vector<TimelineEntry> timeline;
};

// ---- the derived state --------------------------------------------------------------------------------------
struct TicketState {
  TicketStatus status = TicketStatus::New;
  std::string department;  // of the latest applied dispatch
  std::string person;
  int64_t dispatched_ms = 0;  // first dispatch
  int64_t started_ms = 0;
  int64_t done_ms = 0;
  int64_t first_reply_ms = 0;  // first Reply (or Done, which answers the requester too)
  int64_t reply_by_ms = 0;     // latest agreed reply date; 0 = none agreed
  int64_t return_visit_ms = 0;
  std::optional<ReturnVisit> return_visit;
  int64_t closed_ms = 0;
  std::string closed_without_visit_reason;  // set when a supervisor closed it without a return visit
  std::vector<std::string> superseded;      // ids of steps that had no effect (see the top of this file)
};
TicketState derive_state(const Ticket& t);

// The timeline in replay order: (at, id).
std::vector<const TimelineEntry*> replay_order(const std::vector<TimelineEntry>& timeline);

// ---- steps ---------------------------------------------------------------------------------------------------
// Why a step is refused; the UI says it in words.
enum class StepRefusal {
  NotAllowedInStatus,        // e.g. Start on a New ticket, anything on a Closed one
  NotPermitted,              // the actor may not take this step on this ticket
  ReturnVisitRequired,       // Close from Done by someone who is not a supervisor
  ReasonRequired,            // a supervisor closing without a return visit must say why
  SatisfactionOutOfRange,    // ReturnVisit outside 1..5
  OutcomeRequired,           // ReturnVisit without an outcome
  DispatchTargetRequired,    // Dispatch to neither a department nor a person
  NotAComplaint,             // Reply date on another type
  ReplyDateNotAfterCreation, // an agreed reply date must lie after the complaint was recorded
  DuplicateEntryId,
};

// The step the UI wants to take; `entry.at_ms` is "now" (append_step may move it later, see the top).
// Returns nullopt and appends when allowed; otherwise the refusal and the ticket is unchanged.
std::optional<StepRefusal> append_step(Ticket& t, const Actor& actor, TimelineEntry entry);
// Whether `actor` may take a step of `kind` now (for enabling buttons); ignores the step's own fields.
std::optional<StepRefusal> check_step(const Ticket& t, const TicketState& state, const Actor& actor,
                                      const TimelineEntry& entry);

// ---- documents --------------------------------------------------------------------------------------------
// {"_id": "ticket:<uuid>", "type": "ticket", "site", "ticket_type", "building", "unit", "place", "reporter",
//  "contact", "category", "description", "photos": [{"id": "<attachment name>"}], "priority", "appointment_ms",
//  "complaint_level", "owner", "created_ms", "repeat_of", "repeat_count", "patrol_round",
//  "timeline": [{"id", "at", "by", "role", "what", ...}]}
// Photos are an append-only list too, so photos added on two tablets are both kept.
nlohmann::json to_json(const Ticket& t);
// Throws std::invalid_argument on a malformed document, including a timeline without exactly one Create step
// or an "owner" other than that step's author.
Ticket ticket_from_json(const nlohmann::json& doc);
bool is_ticket_doc(const nlohmann::json& doc);
inline constexpr std::string_view kTicketIdPrefix = "ticket:";

// ---- the form and validation ------------------------------------------------------------------------------
enum class TicketField {
  Type, Location, Reporter, Contact, Category, Description, Photos, Priority, Appointment, ComplaintLevel, ReplyBy
};
enum class TicketProblem {
  Required,
  TooLong,
  ControlCharacters,
  NotAPhoneNumber,      // neither a mainland mobile nor a 7–12 digit landline (area code optional)
  NotForThisType,       // e.g. a complaint level on a repair
  RepairNeedsPriority,  // a repair is either an emergency or has an agreed appointment
  NotAfterNow,          // an appointment or reply date that is not in the future
  OutOfRange,           // complaint level not 1..3; too many photos
};
struct TicketFieldError {
  TicketField field;
  TicketProblem problem;
};

inline constexpr size_t kMaxTicketShortChars = 32;     // building, unit, reporter, category
inline constexpr size_t kMaxTicketPlaceChars = 64;
inline constexpr size_t kMaxTicketDescriptionChars = 1000;
inline constexpr size_t kMaxTicketPhotos = 9;          // a WeChat-sized grid; ~200 KB each
inline constexpr int kMaxComplaintLevel = 3;

struct TicketDraft {
  std::optional<TicketType> type;
  std::string building;
  std::string unit;
  std::string place;
  std::string reporter;
  std::string contact;
  std::string category;
  std::string description;
  std::vector<std::string> photos;
  Priority priority = Priority::Normal;
  int64_t appointment_ms = 0;
  int complaint_level = 0;
  int64_t reply_by_ms = 0;  // complaints: a reply date agreed when recording it; 0 = the 24-hour rule
  std::string patrol_round;
};

// Empty = valid. `now_ms` judges appointment and reply dates (they must be in the future).
std::vector<TicketFieldError> validate(const TicketDraft& d, int64_t now_ms);

// Builds a New ticket from a valid draft (std::invalid_argument otherwise): trims, normalizes the contact, owner
// = the recorder, the Create step (and an AgreeReplyDate step when the draft has a reply date; its id is
// entry_id + ":reply_by"), the repeat link from `existing` (see find_repeat).
Ticket make_ticket(const TicketDraft& d, std::string id, std::string site, const Actor& recorder, int64_t now_ms,
                   std::string entry_id, const std::vector<Ticket>& existing);

// ---- repeat faults --------------------------------------------------------------------------------------------
// A report at the same location (building+unit, or building+place when there is no unit) and category within
// 30 days of an earlier one repeats it. Location and category compare trimmed, ASCII case-folded and with
// full-width letters folded ("3栋 1502" and "３栋 1502" are the same unit).
inline constexpr int64_t kRepeatWindowMs = 30LL * 24 * 60 * 60 * 1000;
struct RepeatMatch {
  const Ticket* earlier = nullptr;  // the most recent earlier report within the window
  int count = 0;                    // earlier reports within the window
};
// `at_ms` is the new report's time; window: at_ms - 30 days <= earlier.created_ms <= at_ms (30 days to the
// millisecond counts; one millisecond more does not). Tickets of other sites never match.
RepeatMatch find_repeat(const std::vector<Ticket>& existing, std::string_view site, std::string_view building,
                        std::string_view unit, std::string_view place, std::string_view category, int64_t at_ms,
                        std::string_view exclude_id = {});
std::string location_key(std::string_view building, std::string_view unit, std::string_view place);

// ---- clocks ------------------------------------------------------------------------------------------------
// A complaint must be answered within 24 h of being recorded, or by the reply date agreed with the requester.
// A repair (or any ticket with a repair priority) must be started — someone on site, the Start step — by its
// appointment; an emergency (急修) within kEmergencyArrivalMinutes of being recorded (domain.md gives no figure;
// 30 minutes is the common property-service standard for 急修到场).
inline constexpr int64_t kComplaintReplyMs = 24LL * 60 * 60 * 1000;
inline constexpr int64_t kEmergencyArrivalMinutes = 30;

enum class ClockKind { None, ComplaintReply, RepairArrival };
struct TicketClock {
  ClockKind kind = ClockKind::None;
  int64_t due_ms = 0;
  int64_t met_ms = 0;  // when the step the clock waits for happened; 0 = not yet
  bool met_in_time() const { return met_ms != 0 && met_ms <= due_ms; }
  // Still running past its due time, or met late.
  bool overdue_at(int64_t now_ms) const {
    if (kind == ClockKind::None) return false;
    return met_ms == 0 ? now_ms > due_ms : met_ms > due_ms;
  }
  // Settled one way or the other at now: met, or past due.
  bool decided_at(int64_t now_ms) const { return kind != ClockKind::None && (met_ms != 0 || now_ms > due_ms); }
};
TicketClock ticket_clock(const Ticket& t, const TicketState& state);

// An item needs attention now: open (not Closed) and its clock running past due. A clock met late is history,
// not something to chase; the targets count it.
bool is_overdue(const Ticket& t, const TicketState& state, int64_t now_ms);

// ---- lists a butler lives in ---------------------------------------------------------------------------------
// Each returns pointers into `tickets`; overdue items first (soonest due first), then newest first.
struct TicketView {
  const Ticket* ticket;
  TicketState state;
  TicketClock clock;
  bool overdue;
};
std::vector<TicketView> view_tickets(const std::vector<Ticket>& tickets, int64_t now_ms);
// Not closed, owned by `person` or dispatched to them.
std::vector<TicketView> my_open_items(const std::vector<TicketView>& views, std::string_view person);
std::vector<TicketView> overdue_items(const std::vector<TicketView>& views);
// Done, waiting for the return visit.
std::vector<TicketView> waiting_for_return_visit(const std::vector<TicketView>& views);
std::vector<TicketView> in_building(const std::vector<TicketView>& views, std::string_view building);
// Case-insensitive match on description, location, reporter, category, department, person, contact digits.
bool matches_search(const Ticket& t, const TicketState& state, std::string_view query);
std::vector<TicketView> search(const std::vector<TicketView>& views, std::string_view query);
// Attention order: overdue first (soonest due first), then open before closed, then newest first, then id.
void sort_for_attention(std::vector<TicketView>& views);

}  // namespace steward::core
