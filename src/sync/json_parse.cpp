#include "sync/json_parse.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/text.hpp"
#include "sync/json_dump.hpp"

namespace steward::sync {

namespace {

using nlohmann::json;

// Reads the JSON it knows how to read exactly as nlohmann would; false on anything else, and the caller asks
// nlohmann. Nothing read so far has to be undone: the caller throws the partial value away.
class FastParser {
 public:
  FastParser(const char* begin, const char* end) : p_(begin), end_(end) {}

  bool document(json& out) {
    skip_space();
    if (!value(out, 0)) return false;
    skip_space();
    return p_ == end_;
  }

 private:
  // nlohmann has no limit of its own; deeper nesting is rare enough to leave to it rather than recurse further.
  static constexpr int kMaxDepth = 128;

  const char* p_;
  const char* end_;

  void skip_space() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool literal(const char* word, size_t length) {
    if (static_cast<size_t>(end_ - p_) < length || std::memcmp(p_, word, length) != 0) return false;
    p_ += length;
    return true;
  }

  bool value(json& out, int depth) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{': return object(out, depth + 1);
      case '[': return array(out, depth + 1);
      case '"': {
        std::string s;
        if (!string(s)) return false;
        out = std::move(s);
        return true;
      }
      case 't':
        out = true;
        return literal("true", 4);
      case 'f':
        out = false;
        return literal("false", 5);
      case 'n':
        out = nullptr;
        return literal("null", 4);
      default:
        return number(out);
    }
  }

  // Steps over `c` if it comes next.
  bool consume(char c) {
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }

  bool object(json& out, int depth) {
    if (depth > kMaxDepth) return false;
    ++p_;
    out = json::object();
    auto& members = out.get_ref<json::object_t&>();
    skip_space();
    if (consume('}')) return true;
    std::string key;
    while (true) {
      if (p_ == end_ || *p_ != '"' || !string(key)) return false;
      skip_space();
      if (!consume(':')) return false;
      skip_space();
      // A repeated key keeps its place and takes the later value, as nlohmann's operator[] does. Members usually
      // come in key order (ours are written by nlohmann, which sorts them), so the hint makes each insert O(1).
      json& member = members.try_emplace(members.end(), std::move(key))->second;
      if (!value(member, depth)) return false;
      skip_space();
      if (consume('}')) return true;
      if (!consume(',')) return false;
      skip_space();
      key.clear();
    }
  }

  bool array(json& out, int depth) {
    if (depth > kMaxDepth) return false;
    ++p_;
    out = json::array();
    auto& elements = out.get_ref<json::array_t&>();
    skip_space();
    if (consume(']')) return true;
    while (true) {
      if (!value(elements.emplace_back(), depth)) return false;
      skip_space();
      if (consume(']')) return true;
      if (!consume(',')) return false;
      skip_space();
    }
  }

  // Four hex digits after "\u".
  bool hex4(uint32_t& out) {
    if (end_ - p_ < 4) return false;
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = p_[i];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return false;
      }
    }
    p_ += 4;
    out = v;
    return true;
  }

  // After the backslash.
  bool escape(std::string& out) {
    if (p_ == end_) return false;
    const char c = *p_++;
    switch (c) {
      case '"': out += '"'; return true;
      case '\\': out += '\\'; return true;
      case '/': out += '/'; return true;
      case 'b': out += '\b'; return true;
      case 'f': out += '\f'; return true;
      case 'n': out += '\n'; return true;
      case 'r': out += '\r'; return true;
      case 't': out += '\t'; return true;
      case 'u': {
        uint32_t unit = 0;
        if (!hex4(unit)) return false;
        if (unit >= 0xDC00 && unit <= 0xDFFF) return false;  // a low surrogate first
        if (unit >= 0xD800 && unit <= 0xDBFF) {
          uint32_t low = 0;
          if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
          p_ += 2;
          if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
          unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
        }
        core::text::append_utf8(out, unit);
        return true;
      }
      default:
        return false;
    }
  }

  bool string(std::string& out) {
    ++p_;  // the opening quote
    while (true) {
      const char* run_end = json_plain_run_end(p_, end_);
      if (!run_end) return false;  // invalid UTF-8
      out.append(p_, run_end);
      p_ = run_end;
      if (consume('"')) return true;
      if (!consume('\\')) return false;  // the end of the text, or a control character
      if (!escape(out)) return false;
    }
  }

  bool digits() {
    const char* start = p_;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    return p_ > start;
  }

  // nlohmann: an integer without a sign is unsigned, one with a minus signed; one out of their range becomes a
  // float (left to nlohmann here); a fraction or an exponent makes a float, read by strtod and refused if infinite.
  bool number(json& out) {
    const char* start = p_;
    consume('-');
    if (!consume('0') && !digits()) return false;
    bool is_float = false;
    if (consume('.')) {
      if (!digits()) return false;
      is_float = true;
    }
    if (consume('e') || consume('E')) {
      if (!consume('+')) consume('-');
      if (!digits()) return false;
      is_float = true;
    }
    if (!is_float) {
      if (*start == '-') {
        json::number_integer_t n = 0;
        const auto [end, err] = std::from_chars(start, p_, n);
        if (err != std::errc() || end != p_) return false;
        out = n;
      } else {
        json::number_unsigned_t n = 0;
        const auto [end, err] = std::from_chars(start, p_, n);
        if (err != std::errc() || end != p_) return false;
        out = n;
      }
      return true;
    }
    char token[64];
    const auto length = static_cast<size_t>(p_ - start);
    if (length >= sizeof token) return false;
    std::memcpy(token, start, length);
    token[length] = '\0';
    char* parsed_end = nullptr;
    const double d = std::strtod(token, &parsed_end);
    if (parsed_end != token + length || !std::isfinite(d)) return false;
    out = d;
    return true;
  }
};

}  // namespace

json parse_json(std::string_view text) {
  json out;
  FastParser parser(text.data(), text.data() + text.size());
  if (parser.document(out)) return out;
  return json::parse(text);
}

}  // namespace steward::sync
