#include "store/record.hpp"

#include <algorithm>
#include <cstring>

// Header-only xxHash: the same code in the native and the WASM build, and nothing to link.
#define XXH_INLINE_ALL
#include <xxhash.h>

namespace steward::store::record {

namespace {

constexpr char kMagic[4] = {'S', 'T', 'W', '1'};
constexpr size_t kChecksummedHeaderBytes = 24;  // everything before the checksum field
constexpr size_t kChecksumOffset = 24;

// Byte-by-byte little-endian, so the format does not depend on the host (and has no alignment needs).
template <typename T>
void put_le(std::string& out, T v) {
  for (size_t i = 0; i < sizeof(T); ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

template <typename T>
T get_le(const char* p) {
  T v = 0;
  for (size_t i = 0; i < sizeof(T); ++i) v |= static_cast<T>(static_cast<unsigned char>(p[i])) << (8 * i);
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

}  // namespace

const char* describe(Status s) {
  switch (s) {
    case Status::Ok: return "ok";
    case Status::Truncated: return "record cut short";
    case Status::BadMagic: return "bad magic";
    case Status::BadLength: return "impossible length";
    case Status::BadChecksum: return "checksum mismatch";
  }
  return "?";
}

void encode(std::string& out, uint64_t seq, bool deleted, std::string_view id, std::string_view rev,
            std::string_view body) {
  const size_t start = out.size();
  out.reserve(start + kHeaderBytes + id.size() + rev.size() + body.size());
  out.append(kMagic, sizeof kMagic);
  put_le<uint8_t>(out, deleted ? kFlagDeleted : 0);
  put_le<uint8_t>(out, 0);
  put_le<uint16_t>(out, 0);
  put_le<uint64_t>(out, seq);
  put_le<uint16_t>(out, static_cast<uint16_t>(id.size()));
  put_le<uint16_t>(out, static_cast<uint16_t>(rev.size()));
  put_le<uint32_t>(out, static_cast<uint32_t>(body.size()));
  put_le<uint64_t>(out, 0);  // checksum, filled in below
  out.append(id).append(rev).append(body);

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
  const auto id_len = get_le<uint16_t>(h + 16);
  const auto rev_len = get_le<uint16_t>(h + 18);
  const auto body_len = get_le<uint32_t>(h + 20);
  if (id_len == 0 || body_len > kMaxBodyBytes) return {Status::BadLength, {}};
  const size_t length = kHeaderBytes + id_len + rev_len + body_len;
  if (bytes.size() < length) return d;

  const std::string_view payload = bytes.substr(kHeaderBytes, length - kHeaderBytes);
  if (checksum(h, payload) != get_le<uint64_t>(h + kChecksumOffset)) return {Status::BadChecksum, {}};

  d.status = Status::Ok;
  d.view.deleted = (static_cast<uint8_t>(h[4]) & kFlagDeleted) != 0;
  d.view.seq = get_le<uint64_t>(h + 8);
  d.view.id = payload.substr(0, id_len);
  d.view.rev = payload.substr(id_len, rev_len);
  d.view.body = payload.substr(size_t{id_len} + rev_len, body_len);
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

}  // namespace steward::store::record
