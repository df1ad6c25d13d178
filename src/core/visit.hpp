// The showroom visit (来访登记): what a host records when a visitor arrives at the sales centre,
// and the rules around it. Pure domain code: no I/O, no clock, no UI; times and time zones are passed in.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace steward::core {

// 来源渠道. The stored key (channel_key) is stable; the words on screen live in the UI's string table.
enum class Channel { WalkIn, Online, Referral, Advertisement, OwnerReferral };
inline constexpr std::array<Channel, 5> kAllChannels = {Channel::WalkIn, Channel::Online, Channel::Referral,
                                                         Channel::Advertisement, Channel::OwnerReferral};
std::string_view channel_key(Channel c);  // "walk_in", "online", "referral", "advertisement", "owner_referral"
std::optional<Channel> channel_from_key(std::string_view key);

enum class VisitStatus { Waiting, WithConsultant, Left };

inline constexpr int kMaxPartySize = 50;
inline constexpr size_t kMaxNameChars = 32;    // in characters (UTF-8 code points), not bytes
inline constexpr size_t kMaxNotesChars = 500;
inline constexpr size_t kMaxConsultantChars = 32;

// One of the edits a merge combined: which device made it (empty when unknown), when, and the fields whose
// values the merge kept from it.
struct MergedEdit {
  std::string rev;
  std::string by;
  int64_t at_ms = 0;
  std::vector<std::string> fields;
};

struct Visit {
  std::string id;   // "visit:<uuid>": the document _id
  std::string rev;  // the document _rev; empty until stored
  std::string site;
  std::string name;
  std::string phone;  // normalized: 11 digits
  int party_size = 1;
  Channel channel = Channel::WalkIn;
  std::string appointed_consultant;  // optional
  std::string received_by;           // the consultant who received them; empty while waiting
  std::string car_plate;             // optional, normalized (uppercase, no separators)
  std::string notes;
  int visit_number = 1;    // 第N次: 1 = 首访, >1 = 复访
  int64_t arrived_ms = 0;  // Unix epoch milliseconds
  int64_t received_ms = 0; // 0 = not yet received
  int64_t left_ms = 0;     // 0 = still here
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
  // Set when sync merged concurrent edits from several tablets into this revision: the revisions merged, and
  // for people, each one's latest edit and the fields taken from it (sync/merge.hpp). Read-only here: the next
  // edit supersedes the merge (to_json writes neither).
  std::vector<std::string> merged_from;
  std::vector<MergedEdit> merge_detail;

  VisitStatus status() const;
  bool was_merged() const { return !merged_from.empty(); }
  bool is_repeat() const { return visit_number > 1; }
};

// Documents: type "visit". to_json keeps any _rev; from_json throws std::invalid_argument on a malformed doc.
nlohmann::json to_json(const Visit& v);
Visit visit_from_json(const nlohmann::json& doc);
bool is_visit_doc(const nlohmann::json& doc);

// ---- validation -------------------------------------------------------------------------------------
// Field and problem codes; the UI turns them into words in the user's language.
enum class Field { Name, Phone, PartySize, Channel, Consultant, Plate, Notes };
enum class Problem {
  Required,
  TooLong,
  NotAMobileNumber,   // not an 11-digit mainland mobile number starting 13–19
  NotAPlate,          // neither a regular plate (粤B12345) nor a new-energy plate (粤BD12345)
  PartySizeOutOfRange,
  ControlCharacters,
};
struct FieldError {
  Field field;
  Problem problem;
};

// What the form holds, as typed.
struct VisitDraft {
  std::string name;
  std::string phone;
  int party_size = 1;
  std::optional<Channel> channel;
  std::string appointed_consultant;
  std::string car_plate;
  std::string notes;
};

// Empty result = valid.
std::vector<FieldError> validate(const VisitDraft& d);

// "138 1234 5678", "+86 13812345678", "138-1234-5678" -> "13812345678"; otherwise the digits kept as typed.
std::string normalize_phone(std::string_view typed);
bool is_mainland_mobile(std::string_view normalized);
// "粤b·12345" -> "粤B12345". Returns nullopt if not a valid plate.
std::optional<std::string> normalize_plate(std::string_view typed);
// "13812345678" -> "138****5678"; shorter input is masked in the middle as well as it can be.
std::string mask_phone(std::string_view phone);
size_t utf8_length(std::string_view s);
// A consultant's name as typed (e.g. someone not on the roster): trimmed; nullopt when empty, longer than
// kMaxConsultantChars or containing control characters.
std::optional<std::string> normalize_consultant_name(std::string_view typed);

// ---- visits as a log ----------------------------------------------------------------------------------
// Builds the visit from a valid draft (throws std::invalid_argument if validate(d) is not empty): trims,
// normalises phone and plate. visit_number comes from earlier visits with the same phone.
Visit make_visit(const VisitDraft& d, std::string id, std::string site, int64_t now_ms,
                 const std::vector<Visit>& earlier);

// Earlier visits with this phone (any day), oldest first, and the number the next visit would get.
struct VisitHistory {
  int previous_visits = 0;
  int next_visit_number = 1;
  const Visit* last = nullptr;  // most recent earlier visit, if any
};
VisitHistory history_for_phone(const std::vector<Visit>& visits, std::string_view normalized_phone);

// Local calendar day "YYYY-MM-DD" of an instant, for a fixed UTC offset in minutes (China: +480).
std::string local_day(int64_t epoch_ms, int utc_offset_minutes);
// "HH:MM" local.
std::string local_time_hhmm(int64_t epoch_ms, int utc_offset_minutes);
// Whole minutes waited: from arrival to reception; to departure if they left without being received; to now
// while still waiting. Never negative (clock skew between tablets).
int64_t waiting_minutes(const Visit& v, int64_t now_ms);

// Case-insensitive match on name, phone digits (any part) or plate. Empty query matches all.
bool matches_search(const Visit& v, std::string_view query);

// Visits of one local day, newest arrival first.
std::vector<const Visit*> visits_on_day(const std::vector<Visit>& visits, std::string_view day,
                                        int utc_offset_minutes);

struct DaySummary {
  int visits = 0;
  int people = 0;  // sum of party sizes
  int first_visits = 0;
  int repeat_visits = 0;
  int waiting = 0;
  int with_consultant = 0;
  int left = 0;
  std::array<int, kAllChannels.size()> by_channel{};  // indexed like kAllChannels
};
DaySummary summarize(const std::vector<const Visit*>& day_visits);

// State changes; each returns false (and changes nothing) when not allowed in the visit's current state.
bool mark_received(Visit& v, std::string consultant, int64_t now_ms);
bool mark_left(Visit& v, int64_t now_ms);

}  // namespace steward::core
