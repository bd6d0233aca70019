// KeySet (core/key_set.h): exact answers, and memory bounded per key
// whatever the keys' length (it grew with the keys' bytes: a million 4 KiB
// ids took 4 GiB).

#include "core/key_set.h"

#include <gtest/gtest.h>

#include <string>

#include "core/sha256.h"

namespace goldthread {
namespace {

// Key i of `bytes` bytes: i in decimal at its end, so keys differ only in
// their last bytes (the hardest case for anything that keeps a prefix).
std::string KeyOf(int i, size_t bytes) {
  std::string k = std::to_string(i);
  return std::string(bytes - k.size(), 'k') + k;
}

TEST(KeySetTest, FindsEveryKeyAndOnlyThem) {
  KeySet set;
  for (size_t bytes : {8, 32, 33, 4096}) {
    for (int i = 0; i < 3000; ++i) ASSERT_EQ(set.Insert(KeyOf(i, bytes), i + 2), -1) << bytes << " " << i;
  }
  EXPECT_EQ(set.size(), 12000u);
  for (size_t bytes : {8, 32, 33, 4096}) {
    for (int i = 0; i < 3000; ++i) EXPECT_EQ(set.Find(KeyOf(i, bytes)), i + 2);
    EXPECT_EQ(set.Find(KeyOf(3000, bytes)), -1);
    EXPECT_EQ(set.Insert(KeyOf(7, bytes), 99), 9);  // already there: its first line, unchanged
  }
  EXPECT_FALSE(set.Contains(""));
  EXPECT_EQ(set.Insert("", 5), -1);
  EXPECT_EQ(set.Find(""), 5);
  EXPECT_FALSE(set.Contains(KeyOf(1, 4095)));
  EXPECT_FALSE(set.Contains(KeyOf(1, 4097)));
}

// A key of 32 bytes that are another (long) key's SHA-256 digest is a
// different key: kept keys and digests are never compared.
TEST(KeySetTest, AKeyEqualToAnotherKeysDigestIsNotThatKey) {
  KeySet set;
  const std::string long_key = KeyOf(1, 100);
  const auto digest = Sha256Bytes(long_key);
  const std::string digest_as_key(reinterpret_cast<const char*>(digest.data()), digest.size());
  ASSERT_EQ(set.Insert(long_key, 2), -1);
  EXPECT_EQ(set.Find(digest_as_key), -1);
  EXPECT_EQ(set.Insert(digest_as_key, 3), -1);
  EXPECT_EQ(set.Find(long_key), 2);
  EXPECT_EQ(set.Find(digest_as_key), 3);
}

// 20,000 keys of 4 KiB (82 MB of key bytes) take at most 128 bytes a key:
// a 24-byte slot at a load of at least 3/8 (64 bytes) and at most 32 bytes
// of arena, doubled by the arena's growth (64 bytes).
TEST(KeySetTest, MemoryIsBoundedPerKeyWhateverTheKeysLength) {
  constexpr int kKeys = 20000;
  KeySet set;
  for (int i = 0; i < kKeys; ++i) ASSERT_EQ(set.Insert(KeyOf(i, 4096), i), -1);
  EXPECT_LE(set.memory_bytes(), size_t{kKeys} * 128);
  EXPECT_EQ(set.Find(KeyOf(kKeys - 1, 4096)), kKeys - 1);
  // Short keys are kept as they are, in the same bound.
  KeySet short_keys;
  for (int i = 0; i < kKeys; ++i) ASSERT_EQ(short_keys.Insert(KeyOf(i, 12), i), -1);
  EXPECT_LE(short_keys.memory_bytes(), size_t{kKeys} * 128);
}

}  // namespace
}  // namespace goldthread
