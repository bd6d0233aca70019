#pragma once
// KeySet: a set of record keys, each with the source line where it was
// first seen, for the import's own checks (every id known so far, every key
// of this batch). Its memory is bounded per key, whatever the keys' length:
// a slot of 24 bytes (hash, where the key's bytes are, line) in an
// open-addressing table at most 3/4 full, plus at most 32 bytes in an arena.
// A key of at most 32 bytes is kept as it is; a longer one (up to four
// fields of 4 KiB, ingest/validate.h) as its SHA-256 digest. Before, every
// key's bytes were kept: a million 4 KiB ids took 4 GiB.
//
// Why a digest cannot make two keys one: keys are compared by their kept
// bytes, never by the table's hash (which only says where to look), and a
// kept key and a digest are never compared with each other (the slot says
// which it holds). Two different long keys are taken for one only if their
// SHA-256 digests are equal: no SHA-256 collision is known, and among n keys
// the chance of one is below n^2 / 2^257 (for a billion keys, about 4e-60).
// The store already relies on the same property to recognise a batch by
// its content (BatchInfo::content_hash).
//
// Thread-safety: one thread.

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/sha256.h"

namespace goldthread {

class KeySet {
 public:
  /// Keys longer than this are kept as their SHA-256 digest.
  static constexpr size_t kMaxKeptBytes = 32;

  /// The line stored with key, or -1 when absent.
  int64_t Find(std::string_view key) const {
    if (slots_.empty()) return -1;
    const Kept k(key);
    const uint64_t h = Hash(key);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.packed == kEmpty) return -1;
      if (s.hash == h && Same(s, k)) return s.line;
    }
  }
  bool Contains(std::string_view key) const { return Find(key) >= 0; }
  /// Inserts key with line (>= 0) and returns -1; when key is already there,
  /// returns its stored line and changes nothing.
  int64_t Insert(std::string_view key, int64_t line = 0) {
    if ((size_ + 1) * 4 > slots_.size() * 3) Grow();  // load at most 3/4
    const Kept k(key);
    const uint64_t h = Hash(key);
    size_t i = h & mask_;
    for (;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.packed == kEmpty) break;
      if (s.hash == h && Same(s, k)) return s.line;
    }
    slots_[i] = {h, (static_cast<uint64_t>(arena_.size()) << 8) | k.code, line};
    arena_.append(k.bytes);
    ++size_;
    return -1;
  }
  size_t size() const { return size_; }
  void Clear() { *this = KeySet(); }
  /// The bytes the set holds (its table and arena, as allocated).
  size_t memory_bytes() const { return slots_.capacity() * sizeof(Slot) + arena_.capacity(); }

 private:
  static constexpr uint64_t kEmpty = UINT64_MAX;
  static constexpr uint64_t kDigestCode = 0xFF;  // the low byte of packed for a digest
  struct Slot {
    uint64_t hash = 0;
    uint64_t packed = kEmpty;  // arena offset << 8 | the kept key's length, or kDigestCode
    int64_t line = 0;
  };
  // What is kept of a key: the key itself, or its digest.
  struct Kept {
    explicit Kept(std::string_view key) {
      if (key.size() <= kMaxKeptBytes) {
        bytes = key;
        code = key.size();
      } else {
        digest = Sha256Bytes(key);
        bytes = std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size());
        code = kDigestCode;
      }
    }
    Kept(const Kept&) = delete;
    Kept& operator=(const Kept&) = delete;
    std::array<uint8_t, 32> digest{};
    std::string_view bytes;
    uint64_t code = 0;
  };
  static_assert(kMaxKeptBytes < kDigestCode);
  static uint64_t Hash(std::string_view s) { return std::hash<std::string_view>()(s); }
  bool Same(const Slot& s, const Kept& k) const {
    if ((s.packed & 0xFF) != k.code) return false;
    return std::memcmp(arena_.data() + (s.packed >> 8), k.bytes.data(), k.bytes.size()) == 0;
  }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<size_t>(1024, old.size() * 2), Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.packed == kEmpty) continue;
      size_t i = s.hash & mask_;
      while (slots_[i].packed != kEmpty) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }
  std::vector<Slot> slots_;
  size_t mask_ = 0, size_ = 0;
  std::string arena_;
};

}  // namespace goldthread
