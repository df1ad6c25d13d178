// One record of a segment file: one revision of one document (or the latest state of a local document).
// A fixed header, then id, rev, ancestry and body bytes.
//
//   offset  size  field
//        0     4  magic "STW2"
//        4     1  flags (bit 0: deleted, bit 1: local document, bit 2: purge; other bits must be 0)
//        5     3  ancestry_len (24 bits)
//        8     8  seq (a local document's record holds its revision number N of "0-N" instead)
//       16     2  id_len
//       18     2  rev_len
//       20     4  body_len
//       24     8  checksum: XXH3-64 of bytes 0..23 followed by the id, rev, ancestry and body bytes
//       32     .  id, rev ("N-hash"), ancestry, body (compact JSON without _id/_rev/_deleted)
//
// The ancestry is the revision's ancestors, newest first (its parent, grandparent, ...), as far as the
// document's revision tree knows them (stemmed to revs_limit). Their generations are implicit: the parent's is
// the revision's minus one, and so on. Each ancestor is one entry:
//   tag 0, then 16 bytes      a hash of 32 lowercase hex digits, packed (CouchDB's and our revisions)
//   tag n (1..255), n bytes   any other hash, as is
// So every record carries the path from its revision towards the root, and replay rebuilds each document's
// revision tree from the records alone, without parsing a JSON body; compaction can copy records verbatim.
//
// A purge record (bit 2) removes the document from the store: every record of its id before it is forgotten on
// replay, and compaction keeps neither. It carries the id, the purged winner's rev (for the record), no ancestry
// and no body. Purging is local: nothing of it is replicated (retention on the tablet; the server keeps the
// document).
//
// All integers little-endian. The checksum covers the header too, so a flipped length or seq is caught,
// not only a flipped body byte. Decoding never parses JSON: replay only needs the header and the checksum.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace steward::store::record {

inline constexpr size_t kHeaderBytes = 32;
inline constexpr uint8_t kFlagDeleted = 0x01;
inline constexpr uint8_t kFlagLocal = 0x02;
inline constexpr uint8_t kFlagPurge = 0x04;
inline constexpr size_t kMaxIdBytes = 0xFFFF;
inline constexpr size_t kMaxRevBytes = 0xFFFF;
inline constexpr size_t kMaxHashBytes = 0xFF;          // one ancestor's hash
inline constexpr size_t kMaxAncestryBytes = 0xFFFFFF;  // 24 bits: about a million packed ancestors
// Far above any real document; stops a corrupted length from asking for gigabytes.
inline constexpr size_t kMaxBodyBytes = 16 * 1024 * 1024;

struct View {
  uint64_t seq = 0;
  bool deleted = false;
  bool local = false;
  bool purge = false;
  std::string_view id;
  std::string_view rev;
  std::string_view ancestry;  // encoded; read with AncestryReader
  std::string_view body;
  size_t length = 0;  // header + id + rev + ancestry + body
};

// What to write; the encoded ancestry comes from encode_ancestry.
struct Fields {
  uint64_t seq = 0;
  bool deleted = false;
  bool local = false;
  bool purge = false;
  std::string_view id;
  std::string_view rev;
  std::string_view ancestry;
  std::string_view body;
};

enum class Status { Ok, Truncated, BadMagic, BadLength, BadFlags, BadChecksum };
const char* describe(Status s);

struct Decoded {
  Status status = Status::Truncated;
  View view;  // valid when status == Ok; views point into the decoded bytes
};

// Appends one encoded record to `out` (so a caller can batch several into one write). The caller keeps the
// lengths within the kMax* limits.
void encode(std::string& out, const Fields& f);

// Decodes the record at the start of `bytes` (which may run past it).
Decoded decode(std::string_view bytes);

// Offset of the next valid record at or after `from`, or npos. Used to resynchronise past a damaged record:
// JSON bodies never contain the raw bytes of a header, and the checksum rules out chance matches.
size_t find_next_valid(std::string_view bytes, size_t from);

// ---- ancestry ------------------------------------------------------------------------------------------------

// Appends the encoding of ancestor hashes (newest first). Each hash must be 1..kMaxHashBytes long.
void encode_ancestry(std::string& out, std::span<const std::string> hashes);

// Reads encoded ancestors one by one, so replay can stop at the parent when that is all it needs.
class AncestryReader {
 public:
  explicit AncestryReader(std::string_view encoded) : rest_(encoded) {}
  bool at_end() const { return rest_.empty(); }
  // The next hash into `hash`; false at the end or when the encoding is malformed (then ok() is false).
  bool next(std::string& hash);
  bool ok() const { return ok_; }

 private:
  std::string_view rest_;
  bool ok_ = true;
};

// All ancestors; false when malformed.
bool decode_ancestry(std::string_view encoded, std::vector<std::string>& hashes);

// How many ancestors an encoding holds, checking its structure without decoding; nullopt when malformed.
std::optional<size_t> count_ancestry(std::string_view encoded);

// The encoding of the first (newest) `n` ancestors: a prefix of `encoded`, which must be well formed.
std::string_view first_ancestors(std::string_view encoded, size_t n);

}  // namespace steward::store::record
