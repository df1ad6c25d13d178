// The record format: header fields, flags, the ancestry encoding, and what decode refuses.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "store/record.hpp"

using namespace steward::store;

namespace {

const std::string kHex = "0123456789abcdef0123456789abcdef";

std::string encoded_ancestry(const std::vector<std::string>& hashes) {
  std::string out;
  record::encode_ancestry(out, hashes);
  return out;
}

}  // namespace

TEST_CASE("record: fields and flags round-trip; the checksum covers the ancestry") {
  const std::string ancestry = encoded_ancestry({kHex, "B1"});
  std::string bytes;
  record::encode(bytes, {.seq = 42, .deleted = true, .local = false, .id = "visit:1", .rev = "3-" + kHex,
                         .ancestry = ancestry, .body = "{}"});
  record::encode(bytes, {.seq = 7, .deleted = false, .local = true, .id = "_local/pull", .rev = "0-7",
                         .ancestry = {}, .body = "{\"last_seq\":1}"});

  const record::Decoded first = record::decode(bytes);
  REQUIRE(first.status == record::Status::Ok);
  CHECK(first.view.seq == 42);
  CHECK(first.view.deleted);
  CHECK_FALSE(first.view.local);
  CHECK(first.view.id == "visit:1");
  CHECK(first.view.rev == "3-" + kHex);
  CHECK(first.view.ancestry == ancestry);
  CHECK(first.view.body == "{}");
  CHECK(first.view.length == record::kHeaderBytes + 7 + 34 + ancestry.size() + 2);

  const record::Decoded second = record::decode(std::string_view(bytes).substr(first.view.length));
  REQUIRE(second.status == record::Status::Ok);
  CHECK(second.view.local);
  CHECK_FALSE(second.view.deleted);
  CHECK(second.view.seq == 7);
  CHECK(second.view.ancestry.empty());

  // Any flipped byte of the first record, ancestry included, is caught.
  for (size_t at = 0; at < first.view.length; ++at) {
    std::string damaged = bytes.substr(0, first.view.length);
    damaged[at] = static_cast<char>(damaged[at] ^ 0x10);
    CAPTURE(at);
    CHECK(record::decode(damaged).status != record::Status::Ok);
  }
  CHECK(record::find_next_valid(bytes, 1) == first.view.length);
}

TEST_CASE("record: the previous format and unknown flags are refused") {
  std::string bytes;
  record::encode(bytes, {.seq = 1, .deleted = false, .local = false, .id = "a", .rev = "1-x", .ancestry = {},
                         .body = "{}"});
  std::string old = bytes;
  old[3] = '1';  // "STW1": the single-history format before revision trees
  CHECK(record::decode(old).status == record::Status::BadMagic);
  std::string cut = bytes.substr(0, bytes.size() - 1);
  CHECK(record::decode(cut).status == record::Status::Truncated);
}

TEST_CASE("record: ancestry encoding packs hex hashes and keeps others as they are") {
  const std::vector<std::string> hashes = {kHex, "abc", std::string(32, 'f'), "0123456789ABCDEF0123456789abcdef",
                                           std::string(255, 'z')};
  const std::string encoded = encoded_ancestry(hashes);
  CHECK(encoded.size() == 17 + 4 + 17 + 33 + 256);  // upper-case hex is not packed: it would not come back the same
  std::vector<std::string> back;
  CHECK(record::decode_ancestry(encoded, back));
  CHECK(back == hashes);
  CHECK(record::count_ancestry(encoded) == 5);
  CHECK(record::count_ancestry("") == 0);

  CHECK(record::first_ancestors(encoded, 0).empty());
  CHECK(record::first_ancestors(encoded, 2) == encoded_ancestry({kHex, "abc"}));
  CHECK(record::first_ancestors(encoded, 99) == encoded);

  record::AncestryReader reader(encoded);
  std::string h;
  CHECK(reader.next(h));
  CHECK(h == kHex);
  CHECK(reader.next(h));
  CHECK(h == "abc");

  // Cut short: malformed, not a crash.
  const std::string cut = encoded.substr(0, 20);
  CHECK_FALSE(record::count_ancestry(cut));
  CHECK_FALSE(record::decode_ancestry(cut, back));
}
