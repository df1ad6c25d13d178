// What the host types into the visit form: phone and plate normalisation, masking, validation.
#include <algorithm>
#include <string_view>

#include "core/text.hpp"
#include "core/visit.hpp"

namespace steward::core {

namespace {

// Separators people put into phone numbers: spaces, dashes (incl. en/em dash), dots and parentheses.
bool is_phone_separator(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '-' || cp == 0x2013 || cp == 0x2014 || cp == '.' || cp == '(' ||
         cp == ')';
}

bool all_ascii_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// 省、自治区、直辖市 abbreviations that open a civilian plate. Plates of the army, police (警), driving
// schools (学), trailers (挂), Hong Kong/Macau (港/澳) and embassies are deliberately not accepted: a
// showroom visitor's car is a civilian car, and strictness catches typos.
constexpr std::u32string_view kProvinces = U"京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

// The letters a plate can use: I and O are never issued (they read as 1 and 0).
bool is_plate_letter(char c) { return c >= 'A' && c <= 'Z' && c != 'I' && c != 'O'; }
bool is_plate_alnum(char c) { return is_plate_letter(c) || (c >= '0' && c <= '9'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_new_energy_mark(char c) { return c == 'D' || c == 'F'; }

bool is_plate_separator(char32_t cp) {
  // Middle dots as typed on different keyboards: U+00B7 ·, U+2022 •, U+2027 ‧, U+30FB ・ (the full-width
  // middle dot), U+FF65 ･; plus dashes and spaces.
  return cp == ' ' || cp == '\t' || cp == '-' || cp == 0x00B7 || cp == 0x2022 || cp == 0x2027 || cp == 0x30FB ||
         cp == 0xFF65;
}

// Upper-cased, separators stripped, full-width letters folded; no validation (search uses it on fragments).
std::string clean_plate(std::string_view typed) {
  std::string out;
  for (size_t i = 0; i < typed.size();) {
    const char32_t cp = text::fold_full_width(text::next_code_point(typed, i));
    if (is_plate_separator(cp)) continue;
    if (cp < 0x80) {
      out += text::ascii_upper(static_cast<char>(cp));
    } else {
      text::append_utf8(out, cp);
    }
  }
  return out;
}

bool is_valid_plate(std::string_view plate) {
  size_t i = 0;
  if (plate.empty()) return false;
  const char32_t province = text::next_code_point(plate, i);
  if (kProvinces.find(province) == std::u32string_view::npos) return false;
  const std::string_view rest = plate.substr(i);
  if (rest.empty() || !is_plate_letter(rest[0])) return false;  // 发牌机关代号
  const std::string_view serial = rest.substr(1);
  if (serial.size() == 5) return std::all_of(serial.begin(), serial.end(), is_plate_alnum);
  if (serial.size() == 6) {
    // New-energy plates: small cars D/F then 5 (粤BD12345, 粤BF1A234); large vehicles 5 digits then D/F.
    if (is_new_energy_mark(serial[0])) return std::all_of(serial.begin() + 1, serial.end(), is_plate_alnum);
    if (is_new_energy_mark(serial[5])) return std::all_of(serial.begin(), serial.begin() + 5, is_digit);
  }
  return false;
}

std::optional<Problem> check_text(const std::string& trimmed, size_t max_chars, bool required,
                                  bool allow_line_breaks) {
  if (trimmed.empty()) return required ? std::optional(Problem::Required) : std::nullopt;
  if (text::has_control_characters(trimmed, allow_line_breaks)) return Problem::ControlCharacters;
  if (utf8_length(trimmed) > max_chars) return Problem::TooLong;
  return std::nullopt;
}

}  // namespace

std::string normalize_phone(std::string_view typed) {
  std::string kept;
  for (size_t i = 0; i < typed.size();) {
    const char32_t cp = text::fold_full_width(text::next_code_point(typed, i));
    if (is_phone_separator(cp)) continue;
    text::append_utf8(kept, cp);
  }
  // Country code written as +86, 0086 or 86: dropped only when what remains is a full 11-digit number,
  // so a short number that happens to start with 86 is left alone.
  for (std::string_view prefix : {"+86", "0086", "86"}) {
    const std::string_view k = kept;
    if (k.starts_with(prefix) && k.size() == prefix.size() + 11 && all_ascii_digits(k.substr(prefix.size()))) {
      return std::string(k.substr(prefix.size()));
    }
  }
  return kept;
}

bool is_mainland_mobile(std::string_view n) {
  return n.size() == 11 && all_ascii_digits(n) && n[0] == '1' && n[1] >= '3' && n[1] <= '9';
}

std::optional<std::string> normalize_plate(std::string_view typed) {
  std::string plate = clean_plate(typed);
  if (!is_valid_plate(plate)) return std::nullopt;
  return plate;
}

std::string mask_phone(std::string_view phone) {
  std::vector<std::string_view> chars;  // one entry per code point, so masking never splits a character
  for (size_t i = 0; i < phone.size();) {
    const size_t at = i;
    text::next_code_point(phone, i);
    chars.push_back(phone.substr(at, i - at));
  }
  const size_t n = chars.size();
  size_t head = 3, tail = 4;  // 138****5678
  if (n < 11) {
    // Shorter (or partial) numbers: hide at least half, keep a little at each end.
    const size_t hidden = (n + 1) / 2;
    head = (n - hidden) / 2;
    tail = n - hidden - head;
  }
  std::string out;
  for (size_t k = 0; k < n; ++k) {
    if (k < head || k >= n - tail) {
      out += chars[k];
    } else {
      out += '*';
    }
  }
  return out;
}

size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size();) {
    text::next_code_point(s, i);
    ++n;
  }
  return n;
}

std::vector<FieldError> validate(const VisitDraft& d) {
  std::vector<FieldError> errors;
  auto report = [&](Field f, std::optional<Problem> p) {
    if (p) errors.push_back({f, *p});
  };

  report(Field::Name, check_text(text::trim(d.name), kMaxNameChars, true, false));

  const std::string phone = normalize_phone(text::trim(d.phone));
  if (phone.empty()) {
    report(Field::Phone, Problem::Required);
  } else if (!is_mainland_mobile(phone)) {
    report(Field::Phone, Problem::NotAMobileNumber);
  }

  if (d.party_size < 1 || d.party_size > kMaxPartySize) report(Field::PartySize, Problem::PartySizeOutOfRange);
  if (!d.channel) report(Field::Channel, Problem::Required);

  report(Field::Consultant, check_text(text::trim(d.appointed_consultant), kMaxConsultantChars, false, false));

  const std::string plate = text::trim(d.car_plate);
  if (!plate.empty() && !normalize_plate(plate)) report(Field::Plate, Problem::NotAPlate);

  report(Field::Notes, check_text(text::trim(d.notes), kMaxNotesChars, false, true));
  return errors;
}

// Search lives here because it matches the way fields are typed: a phone fragment with or without
// separators, a plate fragment in lower case or with a middle dot.
bool matches_search(const Visit& v, std::string_view query) {
  const std::string q = text::trim(query);
  if (q.empty()) return true;

  if (text::ascii_lower(v.name).find(text::ascii_lower(q)) != std::string::npos) return true;

  std::string digits;
  bool phone_like = true;
  for (size_t i = 0; i < q.size();) {
    const char32_t cp = text::fold_full_width(text::next_code_point(q, i));
    if (cp >= '0' && cp <= '9') {
      digits += static_cast<char>(cp);
    } else if (!is_phone_separator(cp) && cp != '+') {
      phone_like = false;
    }
  }
  // "+86 138…" searches for 138…: stored phones carry no country code.
  if (phone_like && q.find('+') != std::string::npos && digits.starts_with("86")) digits.erase(0, 2);
  if (phone_like && !digits.empty() && v.phone.find(digits) != std::string::npos) return true;

  const std::string plate = clean_plate(q);
  return !plate.empty() && !v.car_plate.empty() && v.car_plate.find(plate) != std::string::npos;
}

std::optional<std::string> normalize_consultant_name(std::string_view typed) {
  std::string name = text::trim(typed);
  if (check_text(name, kMaxConsultantChars, true, false)) return std::nullopt;
  return name;
}

}  // namespace steward::core
