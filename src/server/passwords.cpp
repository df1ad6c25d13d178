#include "server/passwords.hpp"

#include <sodium.h>

#include <stdexcept>

namespace steward::server {

HashCost interactive_cost() { return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE}; }
HashCost minimal_cost() { return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

void init_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string hash_password(std::string_view password, HashCost cost) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), cost.passes, cost.memory) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  return out;
}

bool verify_password(std::string_view stored_hash, std::string_view password) {
  // crypto_pwhash_str_verify wants a NUL-terminated string of at most crypto_pwhash_STRBYTES.
  if (stored_hash.empty() || stored_hash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string hash(stored_hash);
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::optional<std::string> password_problem(std::string_view password, std::string_view login_name) {
  if (password.size() > kMaxPasswordBytes) {
    return "the password is too long (at most " + std::to_string(kMaxPasswordBytes) + " bytes)";
  }
  size_t chars = 0;
  for (unsigned char c : password) {
    if (c < 0x20 || c == 0x7f) return std::string("the password contains a control character");
    if ((c & 0xc0) != 0x80) ++chars;  // a byte that starts a UTF-8 sequence
  }
  if (chars < kMinPasswordChars) {
    return "the password is too short (at least " + std::to_string(kMinPasswordChars) + " characters, it has " +
           std::to_string(chars) + ")";
  }
  if (password == login_name) return std::string("the password must not be the login name");
  return std::nullopt;
}

std::string random_token(size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  const size_t length = sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  std::string out(length, '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(length - 1);  // the terminating NUL
  return out;
}

std::string random_key() {
  std::string key(crypto_generichash_KEYBYTES, '\0');
  randombytes_buf(key.data(), key.size());
  return key;
}

std::string keyed_digest(std::string_view key, std::string_view message) {
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                     reinterpret_cast<const unsigned char*>(key.data()), key.size());
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

bool same_secret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace steward::server
