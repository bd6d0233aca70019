#pragma once
// KeySet: an exact set of record keys, each with the source line where it
// was first seen, for the import's own checks (every id known so far, every
// key of this batch). The bytes live in one arena and the open-addressing
// table holds (hash, offset and length, line): 24 bytes a slot plus the key
// itself, about a third of std::unordered_map<std::string, int64_t>.
//
// Thread-safety: one thread.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace goldthread {

class KeySet {
 public:
  /// The line stored with key, or -1 when absent.
  int64_t Find(std::string_view key) const {
    if (slots_.empty()) return -1;
    const uint64_t h = Hash(key);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.packed == kEmpty) return -1;
      if (s.hash == h && Key(s) == key) return s.line;
    }
  }
  bool Contains(std::string_view key) const { return Find(key) >= 0; }
  /// Inserts key with line (>= 0) and returns -1; when key is already there,
  /// returns its stored line and changes nothing.
  int64_t Insert(std::string_view key, int64_t line = 0) {
    if ((size_ + 1) * 4 > slots_.size() * 3) Grow();  // load at most 3/4
    const uint64_t h = Hash(key);
    size_t i = h & mask_;
    for (;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.packed == kEmpty) break;
      if (s.hash == h && Key(s) == key) return s.line;
    }
    // Keys are at most four fields of at most kMaxFieldBytes each
    // (ingest/validate.h), so 16 bits of length suffice; a longer key (the
    // checks prevent it) would be cut and then never found again.
    const uint64_t len = key.size() < 0xFFFF ? key.size() : 0xFFFF;
    slots_[i] = {h, (static_cast<uint64_t>(arena_.size()) << 16) | len, line};
    arena_.append(key.substr(0, len));
    ++size_;
    return -1;
  }
  size_t size() const { return size_; }
  void Clear() { *this = KeySet(); }

 private:
  static constexpr uint64_t kEmpty = UINT64_MAX;
  struct Slot {
    uint64_t hash = 0;
    uint64_t packed = kEmpty;  // offset << 16 | length
    int64_t line = 0;
  };
  static uint64_t Hash(std::string_view s) { return std::hash<std::string_view>()(s); }
  std::string_view Key(const Slot& s) const {
    return std::string_view(arena_).substr(s.packed >> 16, s.packed & 0xFFFF);
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
