// What the butler types into the ticket form: validation, the ticket made from it, repeat faults, search.
#include <algorithm>
#include <stdexcept>

#include "core/text.hpp"
#include "core/ticket.hpp"
#include "core/visit.hpp"

namespace steward::core {

namespace {

std::optional<TicketProblem> check_text(const std::string& trimmed, size_t max_chars, bool required,
                                        bool allow_line_breaks) {
  if (trimmed.empty()) return required ? std::optional(TicketProblem::Required) : std::nullopt;
  if (text::has_control_characters(trimmed, allow_line_breaks)) return TicketProblem::ControlCharacters;
  if (utf8_length(trimmed) > max_chars) return TicketProblem::TooLong;
  return std::nullopt;
}

// Landlines as people give them: 7–8 digits, or with the area code (0755 12345678: up to 12).
bool is_phone_number(std::string_view normalized) {
  if (is_mainland_mobile(normalized)) return true;
  const bool digits = std::all_of(normalized.begin(), normalized.end(), [](char c) { return c >= '0' && c <= '9'; });
  return digits && normalized.size() >= 7 && normalized.size() <= 12 && (normalized.size() <= 8 || normalized[0] == '0');
}

// Matching form of a location or category: full-width folded, ASCII lower-cased, without any spaces, so the
// same place typed twice on different keyboards is one place.
std::string match_form(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    const char32_t cp = text::fold_full_width(text::next_code_point(s, i));
    if (cp == ' ' || cp == '\t' || cp == 0x00A0) continue;
    if (cp < 0x80) {
      out += text::ascii_lower(static_cast<char>(cp));
    } else {
      text::append_utf8(out, cp);
    }
  }
  return out;
}

bool contains_folded(std::string_view haystack, const std::string& folded_needle) {
  return match_form(haystack).find(folded_needle) != std::string::npos;
}

}  // namespace

std::vector<TicketFieldError> validate(const TicketDraft& d, int64_t now_ms) {
  std::vector<TicketFieldError> errors;
  auto report = [&](TicketField f, std::optional<TicketProblem> p) {
    if (p) errors.push_back({f, *p});
  };
  if (!d.type) report(TicketField::Type, TicketProblem::Required);
  const TicketType type = d.type.value_or(TicketType::Repair);

  const std::string building = text::trim(d.building), place = text::trim(d.place);
  if (building.empty() && place.empty()) {
    report(TicketField::Location, TicketProblem::Required);
  } else {
    std::optional<TicketProblem> location = check_text(building, kMaxTicketShortChars, false, false);
    if (!location) location = check_text(text::trim(d.unit), kMaxTicketShortChars, false, false);
    if (!location) location = check_text(place, kMaxTicketPlaceChars, false, false);
    report(TicketField::Location, location);
  }
  // A patrol finding is reported by the butler on the round; everything else comes from someone.
  report(TicketField::Reporter,
         check_text(text::trim(d.reporter), kMaxTicketShortChars, type != TicketType::PatrolFinding, false));

  const std::string contact = normalize_phone(text::trim(d.contact));
  if (contact.empty()) {
    // The complainant must be answered, so there must be a way to reach them.
    if (type == TicketType::Complaint) report(TicketField::Contact, TicketProblem::Required);
  } else if (!is_phone_number(contact)) {
    report(TicketField::Contact, TicketProblem::NotAPhoneNumber);
  }

  report(TicketField::Category, check_text(text::trim(d.category), kMaxTicketShortChars, true, false));
  report(TicketField::Description, check_text(text::trim(d.description), kMaxTicketDescriptionChars, true, true));

  if (d.photos.size() > kMaxTicketPhotos) {
    report(TicketField::Photos, TicketProblem::OutOfRange);
  } else if (std::any_of(d.photos.begin(), d.photos.end(), [](const std::string& name) {
               return text::trim(name).empty() || text::has_control_characters(name, false);
             })) {
    report(TicketField::Photos, TicketProblem::Required);
  }

  if (type == TicketType::Repair && d.priority == Priority::Normal)
    report(TicketField::Priority, TicketProblem::RepairNeedsPriority);
  if (d.priority == Priority::Scheduled) {
    if (d.appointment_ms == 0) {
      report(TicketField::Appointment, TicketProblem::Required);
    } else if (d.appointment_ms <= now_ms) {
      report(TicketField::Appointment, TicketProblem::NotAfterNow);
    }
  } else if (d.appointment_ms != 0) {
    report(TicketField::Appointment, TicketProblem::NotForThisType);
  }

  if (type == TicketType::Complaint) {
    if (d.complaint_level == 0) {
      report(TicketField::ComplaintLevel, TicketProblem::Required);
    } else if (d.complaint_level < 1 || d.complaint_level > kMaxComplaintLevel) {
      report(TicketField::ComplaintLevel, TicketProblem::OutOfRange);
    }
    if (d.reply_by_ms != 0 && d.reply_by_ms <= now_ms) report(TicketField::ReplyBy, TicketProblem::NotAfterNow);
  } else {
    if (d.complaint_level != 0) report(TicketField::ComplaintLevel, TicketProblem::NotForThisType);
    if (d.reply_by_ms != 0) report(TicketField::ReplyBy, TicketProblem::NotForThisType);
  }
  return errors;
}

Ticket make_ticket(const TicketDraft& d, std::string id, std::string site, const Actor& recorder, int64_t now_ms,
                   std::string entry_id, const std::vector<Ticket>& existing) {
  if (!validate(d, now_ms).empty()) throw std::invalid_argument("make_ticket: the draft does not validate");
  if (text::trim(recorder.name).empty()) throw std::invalid_argument("make_ticket: no recorder");
  Ticket t;
  t.id = std::move(id);
  t.site = std::move(site);
  t.type = *d.type;
  t.building = text::trim(d.building);
  t.unit = text::trim(d.unit);
  t.place = text::trim(d.place);
  t.reporter = text::trim(d.reporter);
  t.contact = normalize_phone(text::trim(d.contact));
  t.category = text::trim(d.category);
  t.description = text::trim(d.description);
  for (const std::string& photo : d.photos) t.photos.push_back(text::trim(photo));
  t.priority = d.priority;
  t.appointment_ms = d.appointment_ms;
  t.complaint_level = d.complaint_level;
  t.patrol_round = text::trim(d.patrol_round);
  t.owner = text::trim(recorder.name);
  t.created_ms = now_ms;

  const RepeatMatch repeat = find_repeat(existing, t.site, t.building, t.unit, t.place, t.category, now_ms, t.id);
  if (repeat.earlier) {
    t.repeat_of = repeat.earlier->id;
    t.repeat_count = repeat.count;
  }

  TimelineEntry create;
  create.id = entry_id;
  create.at_ms = now_ms;
  create.by = t.owner;
  create.role = recorder.role;
  create.kind = StepKind::Create;
  create.what = std::string(step_kind_key(StepKind::Create));
  t.timeline.push_back(std::move(create));
  if (d.reply_by_ms != 0) {
    TimelineEntry agreed;
    agreed.id = entry_id + ":reply_by";
    agreed.at_ms = now_ms;
    agreed.kind = StepKind::AgreeReplyDate;
    agreed.reply_by_ms = d.reply_by_ms;
    if (append_step(t, Actor{t.owner, recorder.role}, std::move(agreed)))
      throw std::logic_error("make_ticket: the agreed reply date was refused");
  }
  return t;
}

std::string location_key(std::string_view building, std::string_view unit, std::string_view place) {
  // A unit is the precise location; a free place only counts when there is no unit.
  std::string key = match_form(building);
  key += '\x1f';
  const std::string u = match_form(unit);
  if (u.empty()) {
    key += '\x1e';
    key += match_form(place);
  } else {
    key += u;
  }
  return key;
}

RepeatMatch find_repeat(const std::vector<Ticket>& existing, std::string_view site, std::string_view building,
                        std::string_view unit, std::string_view place, std::string_view category, int64_t at_ms,
                        std::string_view exclude_id) {
  RepeatMatch match;
  const std::string key = location_key(building, unit, place);
  const std::string cat = match_form(category);
  for (const Ticket& t : existing) {
    if (t.site != site || t.id == exclude_id) continue;
    if (t.created_ms > at_ms || t.created_ms < at_ms - kRepeatWindowMs) continue;
    if (match_form(t.category) != cat || location_key(t.building, t.unit, t.place) != key) continue;
    ++match.count;
    if (!match.earlier || t.created_ms > match.earlier->created_ms ||
        (t.created_ms == match.earlier->created_ms && t.id > match.earlier->id))
      match.earlier = &t;
  }
  return match;
}

bool matches_search(const Ticket& t, const TicketState& state, std::string_view query) {
  const std::string q = match_form(text::trim(query));
  if (q.empty()) return true;
  for (std::string_view field : {std::string_view(t.description), std::string_view(t.building),
                                 std::string_view(t.unit), std::string_view(t.place), std::string_view(t.reporter),
                                 std::string_view(t.category), std::string_view(t.owner),
                                 std::string_view(state.department), std::string_view(state.person)}) {
    if (contains_folded(field, q)) return true;
  }
  // "3栋1502" finds building 3栋, unit 1502.
  if (contains_folded(t.building + t.unit, q)) return true;
  const std::string digits = normalize_phone(q);
  return !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         t.contact.find(digits) != std::string::npos;
}

}  // namespace steward::core
