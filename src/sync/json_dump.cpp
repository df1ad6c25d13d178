#include "sync/json_dump.hpp"

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace steward::sync {

namespace {

// A byte of a 64-bit word below 0x20, equal to '"' or '\\', or with its top bit set: that word needs a closer look.
bool word_needs_look(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  const auto has_zero = [](uint64_t x) { return (x - kOnes) & ~x & kHigh; };
  const uint64_t below_space = (w - kOnes * 0x20) & ~w & kHigh;
  return (w & kHigh) | below_space | has_zero(w ^ (kOnes * '"')) | has_zero(w ^ (kOnes * '\\'));
}

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

const char* json_plain_run_end(const char* begin, const char* end_of_text) {
  const auto* p = reinterpret_cast<const unsigned char*>(begin);
  const auto* end = reinterpret_cast<const unsigned char*>(end_of_text);
  while (p < end) {
    if (end - p >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      if (!word_needs_look(w)) {
        p += 8;
        continue;
      }
    }
    const unsigned char c = *p;
    if (c < 0x80) {
      if (c < 0x20 || c == '"' || c == '\\') break;
      ++p;
      continue;
    }
    size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the range of the byte after the lead byte
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return nullptr;
    }
    if (static_cast<size_t>(end - p) <= n || p[1] < lo || p[1] > hi) return nullptr;
    for (size_t i = 2; i <= n; ++i)
      if (!is_continuation(p[i])) return nullptr;
    p += n + 1;
  }
  return reinterpret_cast<const char*>(p);
}

bool json_string_as_is(std::string_view s) {
  const char* end = s.data() + s.size();
  return json_plain_run_end(s.data(), end) == end;
}

namespace {

void append_string(std::string& out, const std::string& s) {
  if (!json_string_as_is(s)) {
    out += nlohmann::json(s).dump();
    return;
  }
  out += '"';
  out += s;
  out += '"';
}

template <typename Int>
void append_integer(std::string& out, Int n) {
  char digits[24];
  const auto [end, err] = std::to_chars(digits, digits + sizeof digits, n);
  out.append(digits, end);
}

}  // namespace

void append_json(std::string& out, const nlohmann::json& value) {
  using nlohmann::json;
  switch (value.type()) {
    case json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, member] : value.get_ref<const json::object_t&>()) {
        if (!first) out += ',';
        first = false;
        append_string(out, key);
        out += ':';
        append_json(out, member);
      }
      out += '}';
      return;
    }
    case json::value_t::array: {
      out += '[';
      bool first = true;
      for (const json& element : value.get_ref<const json::array_t&>()) {
        if (!first) out += ',';
        first = false;
        append_json(out, element);
      }
      out += ']';
      return;
    }
    case json::value_t::string:
      append_string(out, value.get_ref<const std::string&>());
      return;
    case json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    case json::value_t::null:
      out += "null";
      return;
    case json::value_t::number_integer:
      append_integer(out, value.get<json::number_integer_t>());
      return;
    case json::value_t::number_unsigned:
      append_integer(out, value.get<json::number_unsigned_t>());
      return;
    default:  // floating point, binary, discarded
      out += value.dump();
      return;
  }
}

std::string dump_json(const nlohmann::json& value) {
  std::string out;
  append_json(out, value);
  return out;
}

}  // namespace steward::sync
