#include "model/packed_column.h"

#include <algorithm>
#include <cmath>

namespace goldthread {
namespace {

constexpr int kMinShift = 6;  // the smallest block: 64 rows
constexpr int kShifts[] = {6, 8, 10, 12};
// A dictionary is considered when the values span at most this many
// integers (its code lookup table is built over the span).
constexpr int64_t kMaxDictSpan = int64_t{1} << 22;

uint32_t MaskOf(int width) { return width >= 4 ? 0xFFFFFFFFu : (uint32_t{1} << (8 * width)) - 1; }

// The fewest bytes whose codes hold 0..range, plus the all-ones unknown.
int WidthFor(int64_t range, bool has_null) {
  for (int w = 0; w < 4; ++w)
    if (range + (has_null ? 1 : 0) <= static_cast<int64_t>(MaskOf(w))) return w;
  return 4;
}

struct MinMax {
  int32_t lo = std::numeric_limits<int32_t>::max();
  int32_t hi = std::numeric_limits<int32_t>::min();
  bool any() const { return lo <= hi; }
  void Add(int32_t v) { lo = std::min(lo, v), hi = std::max(hi, v); }
  void Add(const MinMax& o) {
    if (o.any()) Add(o.lo), Add(o.hi);
  }
  int64_t range() const { return any() ? static_cast<int64_t>(hi) - lo : 0; }
};

}  // namespace

void PackedInts::Pack(std::span<const int32_t> values) {
  const int64_t n = static_cast<int64_t>(values.size());
  *this = PackedInts();
  size_ = n;
  if (n == 0) return;

  // Min and max of the known values per smallest block, then per larger one.
  bool has_null = false;
  const int64_t n_small = (n + (1 << kMinShift) - 1) >> kMinShift;
  std::vector<MinMax> small(static_cast<size_t>(n_small));
  for (int64_t i = 0; i < n; ++i) {
    if (values[i] == kNullI32) has_null = true;
    else small[i >> kMinShift].Add(values[i]);
  }
  MinMax all;
  for (const MinMax& m : small) all.Add(m);

  // Candidates, cheapest first on ties: one base, blocks, a dictionary, raw.
  int best_shift = 63;
  int best_width = WidthFor(all.range(), has_null);
  int64_t best_bytes = n * best_width + 4;
  for (int shift : kShifts) {
    int64_t widest = 0;
    const int64_t per = int64_t{1} << (shift - kMinShift);
    for (int64_t b = 0; b < n_small; b += per) {
      MinMax m;
      for (int64_t j = b; j < std::min(n_small, b + per); ++j) m.Add(small[j]);
      widest = std::max(widest, m.range());
    }
    int w = WidthFor(widest, has_null);
    int64_t bytes = n * w + 4 * (((n - 1) >> shift) + 1);
    if (bytes < best_bytes) best_shift = shift, best_width = w, best_bytes = bytes;
  }
  std::vector<int32_t> dict;
  std::vector<uint32_t> dict_code;  // value - all.lo -> code
  if (best_width > 0 && all.range() < kMaxDictSpan) {
    std::vector<uint8_t> seen(static_cast<size_t>(all.range()) + 1, 0);
    for (int32_t v : values)
      if (v != kNullI32) seen[static_cast<size_t>(static_cast<int64_t>(v) - all.lo)] = 1;
    if (has_null) dict.push_back(kNullI32);
    dict_code.assign(seen.size(), 0);
    for (size_t k = 0; k < seen.size() && dict.size() <= 65536; ++k)
      if (seen[k]) {
        dict_code[k] = static_cast<uint32_t>(dict.size());
        dict.push_back(static_cast<int32_t>(all.lo + static_cast<int64_t>(k)));
      }
    int w = WidthFor(static_cast<int64_t>(dict.size()) - 1, false);
    int64_t bytes = n * w + 4 * static_cast<int64_t>(dict.size());
    if (dict.size() > 65536 || bytes >= best_bytes) dict.clear();
    else best_width = w, best_bytes = bytes;
  }

  width_ = static_cast<uint8_t>(best_width);
  mask_ = MaskOf(width_);
  std::vector<uint8_t> bytes(static_cast<size_t>(n) * width_ + 4, 0);
  auto put = [&](int64_t i, uint32_t code) { std::memcpy(bytes.data() + i * width_, &code, width_); };
  if (!dict.empty()) {
    for (int64_t i = 0; i < n; ++i)
      put(i, values[i] == kNullI32 ? 0 : dict_code[static_cast<size_t>(static_cast<int64_t>(values[i]) - all.lo)]);
    dict_size_ = dict.size();
    dict_mode_ = true;
    dict_ = ColumnBuffer<int32_t>(std::move(dict));
    bytes_ = ColumnBuffer<uint8_t>(std::move(bytes));
    return;
  }
  if (width_ == 4) {
    // Raw: the value itself; the unknown is kNullI32's own bit pattern.
    null_code_ = static_cast<uint32_t>(kNullI32);
    for (int64_t i = 0; i < n; ++i) put(i, static_cast<uint32_t>(values[i]));
    bytes_ = ColumnBuffer<uint8_t>(std::move(bytes));
    return;
  }
  shift_ = static_cast<uint8_t>(best_shift);
  const int64_t n_blocks = best_shift == 63 ? 1 : ((n - 1) >> best_shift) + 1;
  std::vector<int32_t> bases(static_cast<size_t>(n_blocks), 0);
  if (best_shift == 63) {
    bases[0] = all.any() ? all.lo : 0;
  } else {
    const int64_t per = int64_t{1} << (best_shift - kMinShift);
    for (int64_t b = 0; b < n_blocks; ++b) {
      MinMax m;
      for (int64_t j = b * per; j < std::min(n_small, (b + 1) * per); ++j) m.Add(small[j]);
      bases[b] = m.any() ? m.lo : 0;
    }
  }
  if (has_null) null_code_ = mask_;
  for (int64_t i = 0; i < n; ++i) {
    int32_t v = values[i];
    put(i, v == kNullI32 ? mask_ : static_cast<uint32_t>(v) - static_cast<uint32_t>(bases[i >> shift_]));
  }
  bytes_ = ColumnBuffer<uint8_t>(std::move(bytes));
  bases_ = ColumnBuffer<int32_t>(std::move(bases));
}

PackedInts::Parts PackedInts::parts() const {
  Parts p;
  p.size = size_, p.width = width_, p.shift = shift_, p.null_code = null_code_;
  p.bytes = bytes_.span();
  p.bases = bases_.span();
  p.dict = std::span<const int32_t>(dict_.data(), dict_size_);
  return p;
}

Result<PackedInts> PackedInts::FromParts(const Parts& p) {
  auto bad = [](std::string what) { return Status::Corruption("packed column: " + what); };
  if (p.size < 0) return bad("negative size");
  if (p.width > 4) return bad("width " + std::to_string(p.width) + " is over 4");
  if (p.bytes.size() != static_cast<size_t>(p.size) * p.width + 4)
    return bad("codes take " + std::to_string(p.bytes.size()) + " bytes, expected " +
               std::to_string(static_cast<size_t>(p.size) * p.width + 4));
  PackedInts c;
  c.size_ = p.size;
  c.width_ = p.width;
  c.mask_ = MaskOf(p.width);
  c.bytes_ = ColumnBuffer<uint8_t>::View(p.bytes.data(), p.bytes.size());
  if (!p.dict.empty()) {
    if (p.width > 2 || p.dict.size() > static_cast<size_t>(c.mask_) + 1)
      return bad("a dictionary of " + std::to_string(p.dict.size()) + " values in codes of width " +
                 std::to_string(p.width));
    // Padded to every code of the width, so no code reads past it.
    std::vector<int32_t> dict(static_cast<size_t>(c.mask_) + 1, p.dict.back());
    std::copy(p.dict.begin(), p.dict.end(), dict.begin());
    c.dict_size_ = p.dict.size();
    c.dict_mode_ = true;
    c.dict_ = ColumnBuffer<int32_t>(std::move(dict));
    return c;
  }
  if (p.width == 4) {
    if (p.null_code != static_cast<uint32_t>(kNullI32)) return bad("a raw column without kNullI32 as its unknown");
    c.null_code_ = p.null_code;
    return c;
  }
  if (p.shift != 63 && std::find(std::begin(kShifts), std::end(kShifts), p.shift) == std::end(kShifts))
    return bad("block shift " + std::to_string(p.shift));
  const int64_t n_blocks = p.shift == 63 || p.size == 0 ? 1 : ((p.size - 1) >> p.shift) + 1;
  if (p.bases.size() != static_cast<size_t>(n_blocks))
    return bad(std::to_string(p.bases.size()) + " block bases, expected " + std::to_string(n_blocks));
  if (p.null_code != 0xFFFFFFFFu && p.null_code != c.mask_) return bad("unknown code " + std::to_string(p.null_code));
  c.shift_ = p.shift;
  c.null_code_ = p.null_code;
  c.bases_ = ColumnBuffer<int32_t>::View(p.bases.data(), p.bases.size());
  return c;
}

int64_t PackedInts::LowerBound(int64_t begin, int64_t end, int32_t v) const {
  int64_t count = end - begin;
  while (count > 0) {
    int64_t half = count / 2;
    if ((*this)[begin + half] < v) begin += half + 1, count -= half + 1;
    else count = half;
  }
  return begin;
}

int64_t PackedInts::UpperBound(int64_t begin, int64_t end, int32_t v) const {
  int64_t count = end - begin;
  while (count > 0) {
    int64_t half = count / 2;
    if (!(v < (*this)[begin + half])) begin += half + 1, count -= half + 1;
    else count = half;
  }
  return begin;
}

std::string PackedInts::encoding() const {
  // Appended piecewise: "literal" + std::string trips GCC 12's -Wrestrict.
  std::string s = dict_mode_ ? "dict" : width_ == 4 ? "raw" : "for";
  s += std::to_string(width_);
  if (!dict_mode_ && width_ < 4 && shift_ != 63) {
    s += '/';
    s += std::to_string(1 << shift_);
  }
  return s;
}

void PackedChunks::Seal() {
  sealed_.emplace_back();
  sealed_.back().Pack(open_);
  open_.clear();
}

void PackedChunks::Release() {
  std::vector<PackedInts>().swap(sealed_);
  std::vector<int32_t>().swap(open_);
}

size_t PackedChunks::MemoryBytes() const {
  size_t bytes = open_.capacity() * 4 + sealed_.capacity() * sizeof(PackedInts);
  for (const PackedInts& p : sealed_) bytes += p.MemoryBytes();
  return bytes;
}

void PackedReals::Pack(std::span<const double> values) {
  *this = PackedReals();
  size_ = static_cast<int64_t>(values.size());
  std::vector<int32_t> ints(values.size());
  // The smallest power of ten at which every value is an int32 that
  // decodes to exactly the same double (same bits).
  for (double scale : {1.0, 10.0, 100.0, 1000.0, 10000.0}) {
    bool exact = true;
    for (size_t i = 0; i < values.size() && exact; ++i) {
      double v = values[i];
      if (std::isnan(v)) {
        ints[i] = kNullI32;
        continue;
      }
      double x = std::nearbyint(v * scale);
      if (!(x > static_cast<double>(kNullI32) && x <= static_cast<double>(std::numeric_limits<int32_t>::max()))) {
        exact = false;
        break;
      }
      ints[i] = static_cast<int32_t>(x);
      double back = Decode(ints[i], scale);
      // Bit for bit on purpose: -0.0 must not come back as 0.0.
      exact = std::memcmp(&back, &v, sizeof v) == 0;  // NOLINT(bugprone-suspicious-memory-comparison)
    }
    if (exact) {
      scale_ = scale;
      ints_.Pack(ints);
      return;
    }
  }
  raw_ = ColumnBuffer<double>(std::vector<double>(values.begin(), values.end()));
}

PackedReals::Parts PackedReals::parts() const {
  Parts p;
  p.size = size_, p.scale = scale_;
  p.raw = raw_.span();
  p.ints = ints_.parts();
  return p;
}

Result<PackedReals> PackedReals::FromParts(const Parts& p) {
  PackedReals r;
  r.size_ = p.size;
  r.scale_ = p.scale;
  if (p.scale == 0) {
    if (p.raw.size() != static_cast<size_t>(p.size))
      return Status::Corruption("packed reals: " + std::to_string(p.raw.size()) + " doubles, expected " +
                                std::to_string(p.size));
    r.raw_ = ColumnBuffer<double>::View(p.raw.data(), p.raw.size());
    return r;
  }
  if (p.scale != 1 && p.scale != 10 && p.scale != 100 && p.scale != 1000 && p.scale != 10000)
    return Status::Corruption("packed reals: scale " + std::to_string(p.scale));
  Result<PackedInts> ints = PackedInts::FromParts(p.ints);
  if (!ints.ok()) return ints.status();
  if (ints->size() != p.size) return Status::Corruption("packed reals: scaled integers of another length");
  r.ints_ = std::move(*ints);
  return r;
}

}  // namespace goldthread
