#include "server/crypto.h"

#include <sodium.h>

#include <vector>

namespace goldthread::server {

Status InitCrypto() {
  // sodium_init: 0 on the first success, 1 when already initialised, -1 on failure.
  if (sodium_init() < 0) return Status::Internal("libsodium could not be initialised (no OS random source?)");
  return Status::Ok();
}

std::string RandomToken(size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(), variant);
  out.resize(out.find('\0'));  // the encoded length counts the terminating NUL
  sodium_memzero(raw.data(), raw.size());
  return out;
}

uint32_t RandomBelow(uint32_t upper) { return randombytes_uniform(upper); }

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  std::string hex(crypto_hash_sha256_BYTES * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest, sizeof digest);
  hex.pop_back();
  return hex;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // The lengths of our tokens are public (fixed); only the content is secret.
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace goldthread::server
