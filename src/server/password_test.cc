#include "server/password.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "server/crypto.h"

namespace goldthread::server {
namespace {

TEST(PasswordTest, DefaultParametersAreArgon2idThreePassesOver64MiB) {
  // The documented parameters, read back from the PHC string itself.
  auto hash = HashPassword("correct horse battery staple");
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=65536,t=3,p=1$", 0), 0u) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse battery stapl"));
  EXPECT_FALSE(VerifyPassword(*hash, "Correct horse battery staple"));
}

TEST(PasswordTest, EachHashHasItsOwnSalt) {
  auto a = HashPassword("same password twice", FastPasswordParamsForTests());
  auto b = HashPassword("same password twice", FastPasswordParamsForTests());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword(*a, "same password twice"));
  EXPECT_TRUE(VerifyPassword(*b, "same password twice"));
}

TEST(PasswordTest, MalformedHashesMatchNothing) {
  EXPECT_FALSE(VerifyPassword("", ""));
  EXPECT_FALSE(VerifyPassword("plain text password", "plain text password"));
  EXPECT_FALSE(VerifyPassword("$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA", "anything at all"));
  EXPECT_FALSE(VerifyPassword(std::string(500, 'x'), "x"));
}

TEST(PasswordTest, StrengthRules) {
  EXPECT_EQ(CheckPasswordStrength("short").message(),
            "the password is 5 characters long; it needs at least 12");
  EXPECT_EQ(CheckPasswordStrength("aaaaaaaaaaaaaaaa").message(), "the password is one character repeated");
  EXPECT_EQ(CheckPasswordStrength(std::string(1025, 'a') + "b").message(),
            "the password is longer than 1024 characters");
  EXPECT_TRUE(CheckPasswordStrength("twelve chars").ok());
}

TEST(PasswordTest, GeneratedPasswordsAreLongDistinctAndFromTheAlphabet) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    std::string p = GeneratePassword();
    EXPECT_EQ(p.size(), 20u);
    EXPECT_EQ(p.find_first_of("0O1lI"), std::string::npos) << p;
    EXPECT_TRUE(CheckPasswordStrength(p).ok());
    seen.insert(p);
  }
  EXPECT_EQ(seen.size(), 50u);
}

TEST(CryptoTest, TokensHashesAndComparison) {
  std::string t = RandomToken();
  EXPECT_EQ(t.size(), 43u);  // 32 bytes, unpadded base64url
  EXPECT_EQ(t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_NE(RandomToken(), RandomToken());
  // FIPS 180-2 appendix B.1 test vector.
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(ConstantTimeEquals("same", "same"));
  EXPECT_FALSE(ConstantTimeEquals("same", "samf"));
  EXPECT_FALSE(ConstantTimeEquals("same", "same!"));
}

}  // namespace
}  // namespace goldthread::server
