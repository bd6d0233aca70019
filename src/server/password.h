#pragma once
// Dashboard passwords: hashed with argon2id (RFC 9106) through libsodium's
// crypto_pwhash, stored in the PHC string format
// ("$argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>") so each hash carries its
// own parameters and verifying needs nothing else.
//
// Default parameters: t = 3 passes over m = 64 MiB, one lane: RFC 9106
// section 4's second recommended option ("t=3, m=2^16 KiB") with the single
// lane libsodium computes. That is above OWASP's Password Storage Cheat
// Sheet minimum for argon2id (m = 19 MiB, t = 2, p = 1). About 0.2 s per
// hash on one core of the project's machine; the server caps how many run at
// once (server/auth.h) so sign-ins cannot exhaust memory.
//
// Thread-safe after InitCrypto().

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace goldthread::server {

struct PasswordParams {
  uint64_t passes = 3;                     // argon2 t (libsodium's opslimit)
  size_t memory_bytes = size_t{64} << 20;  // argon2 m (libsodium's memlimit)
};

/// The cheapest parameters libsodium allows: for tests only, never stored
/// for real users.
PasswordParams FastPasswordParamsForTests();

inline constexpr size_t kMinPasswordLength = 12;
inline constexpr size_t kMaxPasswordLength = 1024;

/// Refuses passwords shorter than kMinPasswordLength characters (bytes of
/// UTF-8), longer than kMaxPasswordLength, or made of one repeated
/// character, with a message saying which.
Status CheckPasswordStrength(std::string_view password);

/// A fresh salt from the OS CSPRNG and the argon2id hash, PHC-encoded.
Result<std::string> HashPassword(std::string_view password, const PasswordParams& params = {});

/// Whether password matches the stored hash. A malformed hash matches nothing.
bool VerifyPassword(std::string_view stored_hash, std::string_view password);

/// 20 characters from a 57-letter alphabet without look-alikes (0/O, 1/l/I):
/// about 116 bits, for `user add` without a password and for the demo.
std::string GeneratePassword();

}  // namespace goldthread::server
