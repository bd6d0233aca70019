#pragma once
// SHA-256 (FIPS 180-4) through OpenSSL's EVP interface, as lowercase hex:
// digests a user can compare with `sha256sum`.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace goldthread {

/// An incremental digest: Update any number of times, then HexDigest once.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(const void* data, size_t n);
  void Update(std::string_view s) { Update(s.data(), s.size()); }
  /// The 64 hex digits of everything given so far.
  std::string HexDigest();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

/// The SHA-256 of data as 64 hex digits.
std::string Sha256Of(std::string_view data);

/// The SHA-256 of data as its 32 bytes.
std::array<uint8_t, 32> Sha256Bytes(std::string_view data);

}  // namespace goldthread
