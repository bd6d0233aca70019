#pragma once
// Packed columns of the in-memory snapshot (model/snapshot.h): int32 values
// in 0 to 4 bytes each, decimals as scaled integers, so a council's records
// take a fraction of their plain size while any row stays one read away.
//
// PackedInts stores each value as a code of `width` bytes, chosen per column
// as the smallest of:
//   frame of reference   code = value - base, with one base per block of
//                        2^shift rows (or one for the whole column); sorted
//                        or clustered columns (persons, dates on a timeline,
//                        row references, sequential ids) need a byte or two
//   dictionary           code = index into the column's sorted distinct
//                        values (text columns of a few workers or items)
// The all-ones code of the width is the unknown value (kNullI32) in a frame
// of reference column that has unknowns; width 4 with base 0 is the value
// itself. A column of one value takes no bytes per row.
//
// PackedReals keeps amounts and scores as integers of 10^-k (k = 0..4) when
// every value round-trips exactly (bit for bit) through that scale, else as
// doubles; NaN is the unknown value.
//
// Thread-safety: immutable after Pack(); any number of threads may read.

#include <bit>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "model/column_buffer.h"

namespace goldthread {

inline constexpr int32_t kNullI32 = std::numeric_limits<int32_t>::min();

static_assert(std::endian::native == std::endian::little, "PackedInts reads codes as little-endian words");

class PackedInts {
 public:
  /// Replaces the contents with values, choosing the smallest encoding.
  void Pack(std::span<const int32_t> values);

  /// The encoding's scalars and arrays, as a snapshot file keeps them
  /// (model/snapshot_file.h).
  struct Parts {
    int64_t size = 0;
    uint8_t width = 0;
    uint8_t shift = 63;
    uint32_t null_code = 0xFFFFFFFFu;
    std::span<const uint8_t> bytes;   // size * width codes, then 4 bytes of padding
    std::span<const int32_t> bases;   // one per block of 2^shift rows
    std::span<const int32_t> dict;    // dictionary mode when not empty
  };
  Parts parts() const;
  /// A column over parts' arrays in place (they must outlive it), or
  /// Corruption naming what does not fit: every read of a row below size
  /// then stays inside the arrays, whatever their values.
  static Result<PackedInts> FromParts(const Parts& parts);

  int32_t operator[](int64_t i) const {
    uint32_t code;
    std::memcpy(&code, bytes_.data() + i * width_, 4);  // bytes_ ends with 4 bytes of padding
    code &= mask_;
    if (dict_mode_) return dict_[code];
    if (code == null_code_) return kNullI32;
    return static_cast<int32_t>(static_cast<uint32_t>(bases_[i >> shift_]) + code);
  }
  int64_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  /// First index in [begin, end) whose value is >= v (resp. > v); the
  /// values must be ascending there, as std::lower_bound / upper_bound.
  int64_t LowerBound(int64_t begin, int64_t end, int32_t v) const;
  int64_t UpperBound(int64_t begin, int64_t end, int32_t v) const;
  size_t MemoryBytes() const { return bytes_.MemoryBytes() + bases_.MemoryBytes() + dict_.MemoryBytes(); }
  int width() const { return width_; }
  /// "for1/64" (1 byte, a base per 64 rows), "for2", "dict1", "raw4", ...:
  /// for the benchmark's breakdown.
  std::string encoding() const;

  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = int32_t;
    using difference_type = int64_t;
    using pointer = void;
    using reference = int32_t;
    Iterator() = default;
    Iterator(const PackedInts* c, int64_t i) : c_(c), i_(i) {}
    int32_t operator*() const { return (*c_)[i_]; }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    Iterator operator++(int) {
      Iterator old = *this;
      ++i_;
      return old;
    }
    bool operator==(const Iterator& o) const { return i_ == o.i_; }

   private:
    const PackedInts* c_ = nullptr;
    int64_t i_ = 0;
  };
  Iterator begin() const { return Iterator(this, 0); }
  Iterator end() const { return Iterator(this, size_); }

 private:
  ColumnBuffer<uint8_t> bytes_ = ColumnBuffer<uint8_t>(std::vector<uint8_t>(4));
  ColumnBuffer<int32_t> bases_ = ColumnBuffer<int32_t>(std::vector<int32_t>(1));  // per block of 2^shift_ rows
  // Dictionary mode: the column's distinct values, padded to mask_ + 1
  // entries from a file so any code reads inside it; dict_size_ are real.
  ColumnBuffer<int32_t> dict_;
  size_t dict_size_ = 0;
  bool dict_mode_ = false;
  int64_t size_ = 0;
  uint32_t mask_ = 0;
  uint32_t null_code_ = 0xFFFFFFFFu;  // never a code of width < 4
  uint8_t width_ = 0;
  uint8_t shift_ = 63;  // one block: i >> 63 is 0
};

/// An append-only sequence of int32 values for loading: every 65536 values
/// are packed as a PackedInts once complete, so a column being loaded takes
/// about its packed size, never twice its plain size (no vector doubling).
class PackedChunks {
 public:
  void push_back(int32_t v) {
    if (open_.empty()) open_.reserve(kChunk);
    open_.push_back(v);
    if (open_.size() == kChunk) Seal();
  }
  int32_t operator[](int64_t i) const {
    size_t c = static_cast<size_t>(i >> kShift);
    return c < sealed_.size() ? sealed_[c][i & (kChunk - 1)] : open_[static_cast<size_t>(i & (kChunk - 1))];
  }
  int64_t size() const { return static_cast<int64_t>(sealed_.size()) * kChunk + static_cast<int64_t>(open_.size()); }
  /// Frees everything.
  void Release();
  size_t MemoryBytes() const;

 private:
  static constexpr int kShift = 16;
  static constexpr int64_t kChunk = int64_t{1} << kShift;
  void Seal();
  std::vector<PackedInts> sealed_;
  std::vector<int32_t> open_;
};

class PackedReals {
 public:
  /// Replaces the contents with values (NaN: unknown).
  void Pack(std::span<const double> values);
  /// As PackedInts::Parts: doubles (scale 0) or scaled integers.
  struct Parts {
    int64_t size = 0;
    double scale = 0;
    std::span<const double> raw;
    PackedInts::Parts ints;
  };
  Parts parts() const;
  static Result<PackedReals> FromParts(const Parts& parts);
  double operator[](int64_t i) const {
    if (scale_ == 0) return raw_[static_cast<size_t>(i)];
    return Decode(ints_[i], scale_);
  }
  int64_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t MemoryBytes() const { return raw_.MemoryBytes() + ints_.MemoryBytes(); }
  /// 10^k when scaled, 0 when stored as doubles.
  double scale() const { return scale_; }

 private:
  static double Decode(int32_t v, double scale) {
    return v == kNullI32 ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(v) / scale;
  }
  ColumnBuffer<double> raw_;
  PackedInts ints_;
  int64_t size_ = 0;
  double scale_ = 0;
};

}  // namespace goldthread
