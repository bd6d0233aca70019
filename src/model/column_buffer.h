#pragma once
// A read-only array of a snapshot column: either owned (a vector, as when
// the snapshot is built from the store) or a view of memory owned elsewhere
// (a memory-mapped snapshot file, model/snapshot_file.h, kept alive by the
// Snapshot that holds the buffer). Reads are the same either way: one
// pointer and one size, so a column used in place from the file costs
// nothing per row.
//
// Thread-safety: immutable once made; any number of threads may read.

#include <cstddef>
#include <span>
#include <utility>
#include <vector>

namespace goldthread {

template <typename T>
class ColumnBuffer {
 public:
  ColumnBuffer() = default;
  explicit ColumnBuffer(std::vector<T> owned)
      : owned_(std::move(owned)), data_(owned_.data()), size_(owned_.size()) {}
  /// A view of size values at data, which must outlive the buffer.
  static ColumnBuffer View(const T* data, size_t size) {
    ColumnBuffer b;
    b.data_ = data, b.size_ = size;
    return b;
  }
  // A moved vector keeps its heap block, so data_ stays valid on a move.
  ColumnBuffer(ColumnBuffer&& o) noexcept : owned_(std::move(o.owned_)), data_(o.data_), size_(o.size_) {
    o.data_ = nullptr, o.size_ = 0;
  }
  ColumnBuffer& operator=(ColumnBuffer&& o) noexcept {
    if (this != &o) {
      owned_ = std::move(o.owned_);
      data_ = o.data_, size_ = o.size_;
      o.data_ = nullptr, o.size_ = 0;
    }
    return *this;
  }
  ColumnBuffer(const ColumnBuffer& o) : owned_(o.owned_), data_(o.owns() ? owned_.data() : o.data_), size_(o.size_) {}
  ColumnBuffer& operator=(const ColumnBuffer& o) {
    if (this != &o) *this = ColumnBuffer(o);
    return *this;
  }

  const T* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T& operator[](size_t i) const { return data_[i]; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  std::span<const T> span() const { return {data_, size_}; }
  /// Heap bytes this buffer owns (0 for a view of a mapped file).
  size_t OwnedBytes() const { return owned_.capacity() * sizeof(T); }
  /// Bytes of the values, owned or viewed.
  size_t Bytes() const { return size_ * sizeof(T); }
  /// What the buffer takes: its heap block, or the viewed bytes.
  size_t MemoryBytes() const { return owns() ? OwnedBytes() : Bytes(); }

 private:
  bool owns() const { return !owned_.empty() || data_ == nullptr; }
  std::vector<T> owned_;
  const T* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace goldthread
