#include "core/sha256.h"

#include <gtest/gtest.h>

namespace goldthread {
namespace {

// FIPS 180-2 appendix B test vectors (the NIST "abc" and two-block messages)
// and the empty string, as `printf '' | sha256sum` prints it.
TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Sha256Of(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Of("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 h;
  h.Update("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq");
  EXPECT_EQ(h.HexDigest(), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  Sha256 parts;
  parts.Update("ab");
  parts.Update("c");
  EXPECT_EQ(parts.HexDigest(), Sha256Of("abc"));
}

}  // namespace
}  // namespace goldthread
