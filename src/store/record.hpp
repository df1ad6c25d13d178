// One record of a segment file: a fixed header, then id, rev and body bytes.
//
//   offset  size  field
//        0     4  magic "STW1"
//        4     1  flags (bit 0: deleted)
//        5     1  reserved, 0
//        6     2  reserved, 0
//        8     8  seq
//       16     2  id_len
//       18     2  rev_len
//       20     4  body_len
//       24     8  checksum: XXH3-64 of bytes 0..23 followed by the id, rev and body bytes
//       32     .  id, rev, body (body = compact JSON without _id/_rev/_deleted)
//
// All integers little-endian. The checksum covers the header too, so a flipped length or seq is caught,
// not only a flipped body byte. Decoding never parses JSON: replay only needs the header and the checksum.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace steward::store::record {

inline constexpr size_t kHeaderBytes = 32;
inline constexpr uint8_t kFlagDeleted = 0x01;
inline constexpr size_t kMaxIdBytes = 0xFFFF;
inline constexpr size_t kMaxRevBytes = 0xFFFF;
// Far above any real document; stops a corrupted length from asking for gigabytes.
inline constexpr size_t kMaxBodyBytes = 16 * 1024 * 1024;

struct View {
  uint64_t seq = 0;
  bool deleted = false;
  std::string_view id;
  std::string_view rev;
  std::string_view body;
  size_t length = 0;  // header + id + rev + body
};

enum class Status { Ok, Truncated, BadMagic, BadLength, BadChecksum };
const char* describe(Status s);

struct Decoded {
  Status status = Status::Truncated;
  View view;  // valid when status == Ok; views point into the decoded bytes
};

// Appends one encoded record to `out` (so a caller can batch several into one write).
void encode(std::string& out, uint64_t seq, bool deleted, std::string_view id, std::string_view rev,
            std::string_view body);

// Decodes the record at the start of `bytes` (which may run past it).
Decoded decode(std::string_view bytes);

// Offset of the next valid record at or after `from`, or npos. Used to resynchronise past a damaged record:
// JSON bodies never contain the raw bytes of a header, and the checksum rules out chance matches.
size_t find_next_valid(std::string_view bytes, size_t from);

}  // namespace steward::store::record
