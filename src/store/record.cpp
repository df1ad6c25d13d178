#include "store/record.hpp"

#include <algorithm>
#include <cstring>

// Header-only xxHash: the same code in the native and the WASM build, and nothing to link.
#define XXH_INLINE_ALL
#include <xxhash.h>

namespace steward::store::record {

namespace {

constexpr char kMagic[4] = {'S', 'T', 'W', '2'};
constexpr size_t kChecksummedHeaderBytes = 24;  // everything before the checksum field
constexpr size_t kChecksumOffset = 24;
constexpr uint8_t kKnownFlags = kFlagDeleted | kFlagLocal | kFlagPurge;

constexpr uint8_t kTagPackedHex = 0;  // ancestry entry: 16 bytes follow, a 32-hex-digit hash packed
constexpr size_t kPackedHashBytes = 16;
constexpr size_t kHexHashDigits = 32;
constexpr char kHexDigits[] = "0123456789abcdef";

// Byte-by-byte little-endian, so the format does not depend on the host (and has no alignment needs).
template <typename T>
void put_le(std::string& out, T v, size_t bytes = sizeof(T)) {
  for (size_t i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

template <typename T>
T get_le(const char* p, size_t bytes = sizeof(T)) {
  T v = 0;
  for (size_t i = 0; i < bytes; ++i) v |= static_cast<T>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

uint64_t checksum(const char* header, std::string_view payload) {
  XXH3_state_t state;
  XXH3_INITSTATE(&state);
  XXH3_64bits_reset(&state);
  XXH3_64bits_update(&state, header, kChecksummedHeaderBytes);
  XXH3_64bits_update(&state, payload.data(), payload.size());
  return XXH3_64bits_digest(&state);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool is_packable(std::string_view hash) {
  return hash.size() == kHexHashDigits && std::all_of(hash.begin(), hash.end(), [](char c) { return hex_value(c) >= 0; });
}

}  // namespace

const char* describe(Status s) {
  switch (s) {
    case Status::Ok: return "ok";
    case Status::Truncated: return "record cut short";
    case Status::BadMagic: return "bad magic";
    case Status::BadLength: return "impossible length";
    case Status::BadFlags: return "unknown flags";
    case Status::BadChecksum: return "checksum mismatch";
  }
  return "?";
}

void encode(std::string& out, const Fields& f) {
  const size_t start = out.size();
  out.reserve(start + kHeaderBytes + f.id.size() + f.rev.size() + f.ancestry.size() + f.body.size());
  out.append(kMagic, sizeof kMagic);
  put_le<uint8_t>(out, (f.deleted ? kFlagDeleted : 0) | (f.local ? kFlagLocal : 0) | (f.purge ? kFlagPurge : 0));
  put_le<uint32_t>(out, static_cast<uint32_t>(f.ancestry.size()), 3);
  put_le<uint64_t>(out, f.seq);
  put_le<uint16_t>(out, static_cast<uint16_t>(f.id.size()));
  put_le<uint16_t>(out, static_cast<uint16_t>(f.rev.size()));
  put_le<uint32_t>(out, static_cast<uint32_t>(f.body.size()));
  put_le<uint64_t>(out, 0);  // checksum, filled in below
  out.append(f.id).append(f.rev).append(f.ancestry).append(f.body);

  const std::string_view payload = std::string_view(out).substr(start + kHeaderBytes);
  const uint64_t sum = checksum(out.data() + start, payload);
  for (size_t i = 0; i < 8; ++i) out[start + kChecksumOffset + i] = static_cast<char>((sum >> (8 * i)) & 0xFF);
}

Decoded decode(std::string_view bytes) {
  Decoded d;
  if (bytes.size() < sizeof kMagic) return d;  // Truncated
  if (std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) return {Status::BadMagic, {}};
  if (bytes.size() < kHeaderBytes) return d;
  const char* h = bytes.data();
  const auto flags = static_cast<uint8_t>(h[4]);
  const auto ancestry_len = get_le<uint32_t>(h + 5, 3);
  const auto id_len = get_le<uint16_t>(h + 16);
  const auto rev_len = get_le<uint16_t>(h + 18);
  const auto body_len = get_le<uint32_t>(h + 20);
  if (id_len == 0 || rev_len == 0 || body_len > kMaxBodyBytes) return {Status::BadLength, {}};
  const size_t length = kHeaderBytes + id_len + rev_len + ancestry_len + body_len;
  if (bytes.size() < length) return d;

  const std::string_view payload = bytes.substr(kHeaderBytes, length - kHeaderBytes);
  if (checksum(h, payload) != get_le<uint64_t>(h + kChecksumOffset)) return {Status::BadChecksum, {}};
  // Checked after the checksum: with a good checksum, an unknown flag is a format this code does not know.
  if ((flags & ~kKnownFlags) != 0) return {Status::BadFlags, {}};

  d.status = Status::Ok;
  d.view.deleted = (flags & kFlagDeleted) != 0;
  d.view.local = (flags & kFlagLocal) != 0;
  d.view.purge = (flags & kFlagPurge) != 0;
  d.view.seq = get_le<uint64_t>(h + 8);
  size_t at = 0;
  auto take = [&](size_t n) {
    const std::string_view part = payload.substr(at, n);
    at += n;
    return part;
  };
  d.view.id = take(id_len);
  d.view.rev = take(rev_len);
  d.view.ancestry = take(ancestry_len);
  d.view.body = take(body_len);
  d.view.length = length;
  return d;
}

size_t find_next_valid(std::string_view bytes, size_t from) {
  const std::string_view magic(kMagic, sizeof kMagic);
  for (size_t at = bytes.find(magic, from); at != std::string_view::npos; at = bytes.find(magic, at + 1)) {
    if (decode(bytes.substr(at)).status == Status::Ok) return at;
  }
  return std::string_view::npos;
}

// ---- ancestry ------------------------------------------------------------------------------------------------

void encode_ancestry(std::string& out, std::span<const std::string> hashes) {
  for (const std::string& hash : hashes) {
    if (is_packable(hash)) {
      out += static_cast<char>(kTagPackedHex);
      for (size_t i = 0; i < kHexHashDigits; i += 2) {
        out += static_cast<char>((hex_value(hash[i]) << 4) | hex_value(hash[i + 1]));
      }
    } else {
      out += static_cast<char>(static_cast<uint8_t>(hash.size()));
      out += hash;
    }
  }
}

namespace {

// The bytes of the ancestry entry at the start of `encoded` (tag included), or 0 when it is cut short.
size_t entry_bytes(std::string_view encoded) {
  const auto tag = static_cast<uint8_t>(encoded[0]);
  const size_t bytes = 1 + (tag == kTagPackedHex ? kPackedHashBytes : tag);
  return bytes <= encoded.size() ? bytes : 0;
}

}  // namespace

bool AncestryReader::next(std::string& hash) {
  if (rest_.empty() || !ok_) return false;
  const auto tag = static_cast<uint8_t>(rest_[0]);
  const size_t bytes = entry_bytes(rest_);
  if (bytes == 0) {
    ok_ = false;
    return false;
  }
  const std::string_view entry = rest_.substr(1, bytes - 1);
  rest_.remove_prefix(bytes);
  if (tag != kTagPackedHex) {
    hash.assign(entry);
    return true;
  }
  hash.resize(kHexHashDigits);
  for (size_t i = 0; i < kPackedHashBytes; ++i) {
    const auto b = static_cast<unsigned char>(entry[i]);
    hash[2 * i] = kHexDigits[b >> 4];
    hash[2 * i + 1] = kHexDigits[b & 0x0F];
  }
  return true;
}

bool decode_ancestry(std::string_view encoded, std::vector<std::string>& hashes) {
  hashes.clear();
  AncestryReader reader(encoded);
  std::string hash;
  while (reader.next(hash)) hashes.push_back(hash);
  return reader.ok();
}

std::optional<size_t> count_ancestry(std::string_view encoded) {
  size_t n = 0;
  while (!encoded.empty()) {
    const size_t bytes = entry_bytes(encoded);
    if (bytes == 0) return std::nullopt;
    encoded.remove_prefix(bytes);
    ++n;
  }
  return n;
}

std::string_view first_ancestors(std::string_view encoded, size_t n) {
  size_t at = 0;
  for (; n > 0 && at < encoded.size(); --n) {
    const size_t bytes = entry_bytes(encoded.substr(at));
    if (bytes == 0) break;
    at += bytes;
  }
  return encoded.substr(0, at);
}

}  // namespace steward::store::record
