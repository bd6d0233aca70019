#include "server/password.h"

#include <fmt/format.h>
#include <sodium.h>

#include "server/crypto.h"

namespace goldthread::server {

PasswordParams FastPasswordParamsForTests() {
  return {crypto_pwhash_argon2id_OPSLIMIT_MIN, crypto_pwhash_argon2id_MEMLIMIT_MIN};
}

Status CheckPasswordStrength(std::string_view password) {
  if (password.size() < kMinPasswordLength)
    return Status::InvalidArgument(fmt::format("the password is {} characters long; it needs at least {}",
                                               password.size(), kMinPasswordLength));
  if (password.size() > kMaxPasswordLength)
    return Status::InvalidArgument(
        fmt::format("the password is longer than {} characters", kMaxPasswordLength));
  if (password.find_first_not_of(password[0]) == std::string_view::npos)
    return Status::InvalidArgument("the password is one character repeated");
  return Status::Ok();
}

Result<std::string> HashPassword(std::string_view password, const PasswordParams& params) {
  GT_RETURN_IF_ERROR(InitCrypto());
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), params.passes, params.memory_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return Status::Internal(
        fmt::format("argon2id hashing failed (out of memory for m = {} bytes?)", params.memory_bytes));
  return std::string(out);
}

bool VerifyPassword(std::string_view stored_hash, std::string_view password) {
  if (!InitCrypto().ok()) return false;
  // crypto_pwhash_str_verify reads a NUL-terminated string of at most
  // crypto_pwhash_STRBYTES.
  if (stored_hash.empty() || stored_hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string hash(stored_hash);
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string GeneratePassword() {
  static constexpr std::string_view kAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string out;
  for (int i = 0; i < 20; ++i) out += kAlphabet[RandomBelow(static_cast<uint32_t>(kAlphabet.size()))];
  return out;
}

}  // namespace goldthread::server
