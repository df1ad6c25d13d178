// Passwords and secrets, all from libsodium: Argon2id password hashes (the hash string carries its salt and cost,
// so verifying needs nothing else), the rules a new password must meet, random session tokens, and keyed digests
// (what the server keeps of a token or a checked credential instead of the thing itself).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace steward::server {

// Argon2id's cost: passes over memory, and memory in bytes.
struct HashCost {
  unsigned long long passes;
  size_t memory;
};
// libsodium's "interactive" cost (2 passes over 64 MiB): what the server hashes with, about half a second on a
// loaded two-core machine, for a login a person waits on once.
HashCost interactive_cost();
// The least Argon2id allows: for the fuzz target only, which would otherwise spend every run hashing.
HashCost minimal_cost();

// Must run before anything else here (idempotent, thread-safe). Throws std::runtime_error if libsodium cannot start.
void init_sodium();

// "$argon2id$v=19$m=...". Throws std::runtime_error when the memory cannot be had.
std::string hash_password(std::string_view password, HashCost cost);
// False for a wrong password and for a stored string that is not an Argon2 hash.
bool verify_password(std::string_view stored_hash, std::string_view password);

// What is wrong with a new password, in words for the person choosing it; nullopt when it is acceptable.
// At least 8 characters (code points, so 8 Chinese characters count as 8), at most 256 bytes, not the login name,
// no control characters.
std::optional<std::string> password_problem(std::string_view password, std::string_view login_name);
inline constexpr size_t kMinPasswordChars = 8;
inline constexpr size_t kMaxPasswordBytes = 256;

// `bytes` random bytes as URL-safe base64 without padding (a cookie value needs no quoting then).
std::string random_token(size_t bytes = 32);

// A 32-byte secret for keyed_digest, random for this process.
std::string random_key();
// BLAKE2b of message under key, as 64 hex digits.
std::string keyed_digest(std::string_view key, std::string_view message);

// Equal in time whatever the contents (for comparing secrets).
bool same_secret(std::string_view a, std::string_view b);

}  // namespace steward::server
