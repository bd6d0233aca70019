#pragma once
// The few cryptographic primitives the dashboard needs, all from libsodium
// (Debian's libsodium23): random tokens from the OS CSPRNG (getrandom(2)),
// SHA-256 and constant-time comparison. Thread-safe once InitCrypto() has
// succeeded (libsodium's own guarantee: https://doc.libsodium.org/usage).

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace goldthread::server {

/// Initialises libsodium; safe to call more than once and from any thread.
/// Fails only if the OS offers no random source.
Status InitCrypto();

/// `bytes` random bytes from the OS CSPRNG, as unpadded base64url (43
/// characters for 32 bytes): safe in a cookie, a header and a form field.
std::string RandomToken(size_t bytes = 32);

/// A uniformly random integer in [0, upper) (libsodium's randombytes_uniform,
/// which rejects the biased values).
uint32_t RandomBelow(uint32_t upper);

/// Lowercase hex SHA-256 of the bytes.
std::string Sha256Hex(std::string_view bytes);

/// Equality that takes the same time wherever the first difference is.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace goldthread::server
