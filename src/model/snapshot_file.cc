#include "model/snapshot_file.h"

#include <xxhash.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <span>
#include <vector>

#include <fmt/format.h>

#include "core/sha256.h"

namespace goldthread {
namespace {

constexpr char kMagic[8] = {'G', 'T', 'S', 'N', 'A', 'P', '1', '\n'};
constexpr uint64_t kAlign = 64;
// Bounds on what a header may claim before anything else is trusted.
constexpr uint32_t kMaxSections = 1u << 20;

struct FileHeader {
  char magic[8];
  uint32_t format_version;
  uint32_t header_bytes;  // sizeof(FileHeader)
  uint64_t file_bytes;
  uint32_t section_count;
  uint32_t reserved;
  char schema[64];     // SnapshotSchemaDigest()
  char reflects[64];   // the store's batch-list digest
  uint64_t sections_checksum;  // XXH3-64 of the section table
  uint64_t header_checksum;    // XXH3-64 of this header with this field 0
};
static_assert(sizeof(FileHeader) == 176);

struct SectionEntry {
  uint64_t offset;
  uint64_t bytes;
  uint64_t checksum;  // XXH3-64 of the bytes
  uint32_t elem_bytes;
  uint32_t reserved;
};
static_assert(sizeof(SectionEntry) == 32);

uint64_t HeaderChecksum(FileHeader h) {
  h.header_checksum = 0;
  return XXH3_64bits(&h, sizeof h);
}

uint64_t AlignUp(uint64_t v) { return (v + kAlign - 1) / kAlign * kAlign; }

}  // namespace

std::string_view SnapshotFileProblemName(SnapshotFileProblem p) {
  switch (p) {
    case SnapshotFileProblem::kNone: return "usable";
    case SnapshotFileProblem::kMissing: return "missing";
    case SnapshotFileProblem::kOtherFormat: return "another format";
    case SnapshotFileProblem::kOtherBatches: return "other batches";
    case SnapshotFileProblem::kDamaged: return "damaged";
    case SnapshotFileProblem::kUnreadable: return "unreadable";
  }
  return "unknown";
}

const std::string& SnapshotSchemaDigest() {
  static const std::string digest = [] {
    std::string d = fmt::format("goldthread snapshot schema; epoch {}\n", kSnapshotEpoch);
    for (const TableSpec& t : AllTables()) {
      d += fmt::format("table {} {} id={} person={} date={} key=", static_cast<int>(t.id), t.name, t.id_field,
                       t.person_field, t.date_field);
      for (int k : t.key) d += fmt::format("{},", k);
      d += '\n';
      for (const FieldSpec& f : t.fields) {
        d += fmt::format("  {} {} ref={} codes=", f.name, FieldTypeName(f.type), static_cast<int>(f.ref));
        for (std::string_view c : f.codes) d += fmt::format("{};", c);
        d += '\n';
      }
    }
    return Sha256Of(d);
  }();
  return digest;
}

//===----------------------------------------------------------------------===//
// The codec: one function each way, walking the snapshot in the same order.
//===----------------------------------------------------------------------===//

class SnapshotFileCodec {
 public:
  // Collects the metadata words and the arrays, in the order they are written.
  struct Out {
    std::vector<int64_t> meta;
    std::vector<std::span<const uint8_t>> arrays;
    std::vector<uint32_t> elem_bytes;
    void Word(int64_t v) { meta.push_back(v); }
    void Real(double v) { meta.push_back(std::bit_cast<int64_t>(v)); }
    void Text(std::string_view s) {
      Word(static_cast<int64_t>(s.size()));
      for (size_t i = 0; i < s.size(); i += 8) {
        uint64_t w = 0;
        std::memcpy(&w, s.data() + i, std::min<size_t>(8, s.size() - i));
        Word(static_cast<int64_t>(w));
      }
    }
    template <typename T>
    void Array(std::span<const T> a) {
      arrays.push_back({reinterpret_cast<const uint8_t*>(a.data()), a.size_bytes()});
      elem_bytes.push_back(sizeof(T));
      Word(static_cast<int64_t>(arrays.size()));  // section numbers start at 1: 0 is the metadata
    }
  };

  // Reads them back over a mapped file; every read is bounds-checked.
  struct In {
    const uint8_t* base = nullptr;
    std::span<const SectionEntry> sections;
    std::span<const int64_t> meta;
    size_t at = 0;
    std::string problem;
    bool ok() const { return problem.empty(); }
    int64_t Word() {
      if (at >= meta.size()) {
        if (problem.empty()) problem = "the metadata ends early";
        return 0;
      }
      return meta[at++];
    }
    double Real() { return std::bit_cast<double>(Word()); }
    std::string Text() {
      int64_t n = Word();
      if (n < 0 || static_cast<uint64_t>(n) > (meta.size() - std::min(at, meta.size())) * 8) {
        if (problem.empty()) problem = "a text longer than the metadata";
        return {};
      }
      std::string s(static_cast<size_t>(n), '\0');
      for (size_t i = 0; i < s.size(); i += 8) {
        uint64_t w = static_cast<uint64_t>(Word());
        std::memcpy(s.data() + i, &w, std::min<size_t>(8, s.size() - i));
      }
      return s;
    }
    template <typename T>
    std::span<const T> Array() {
      int64_t k = Word();
      if (k < 1 || static_cast<size_t>(k) >= sections.size()) {
        if (problem.empty()) problem = fmt::format("section {} does not exist", k);
        return {};
      }
      const SectionEntry& e = sections[static_cast<size_t>(k)];
      if (e.elem_bytes != sizeof(T) || e.bytes % sizeof(T) != 0) {
        if (problem.empty()) problem = fmt::format("section {} holds {}-byte values, expected {}", k, e.elem_bytes,
                                                   sizeof(T));
        return {};
      }
      return {reinterpret_cast<const T*>(base + e.offset), static_cast<size_t>(e.bytes / sizeof(T))};
    }
  };

  static void Put(Out& o, const PackedInts::Parts& p) {
    o.Word(p.size), o.Word(p.width), o.Word(p.shift), o.Word(p.null_code);
    o.Array(p.bytes), o.Array(p.bases), o.Array(p.dict);
  }
  static PackedInts::Parts GetInts(In& in) {
    PackedInts::Parts p;
    p.size = in.Word();
    p.width = static_cast<uint8_t>(std::clamp<int64_t>(in.Word(), 0, 255));
    p.shift = static_cast<uint8_t>(std::clamp<int64_t>(in.Word(), 0, 255));
    p.null_code = static_cast<uint32_t>(in.Word());
    p.bytes = in.Array<uint8_t>(), p.bases = in.Array<int32_t>(), p.dict = in.Array<int32_t>();
    return p;
  }
  // A packed column of `rows` values, or Corruption naming it.
  static Status TakeInts(In& in, PackedInts& out, int64_t rows, const std::string& where) {
    PackedInts::Parts p = GetInts(in);
    if (!in.ok()) return Status::Corruption(in.problem);
    Result<PackedInts> c = PackedInts::FromParts(p);
    if (!c.ok()) return Status::Corruption(where + ": " + c.status().message());
    if (c->size() != rows) return Status::Corruption(fmt::format("{}: {} values, expected {}", where, c->size(), rows));
    out = std::move(*c);
    return Status::Ok();
  }

  static void Encode(const Snapshot& s, Out& o) {
    o.Word(s.as_of_), o.Word(s.dangling_refs_);
    o.Array(std::span<const int64_t>(s.batch_ids_));
    StringPool::Parts pool = s.strings_.parts();
    o.Array(pool.arena), o.Array(pool.offsets), o.Array(pool.order);
    o.Word(kTableCount);
    for (const TableSpec& spec : AllTables()) {
      const TableData& t = s.table(spec.id);
      o.Word(static_cast<int64_t>(spec.id)), o.Word(static_cast<int64_t>(spec.fields.size())), o.Word(t.rows);
      Put(o, t.batch.parts()), Put(o, t.person_start.parts());
      for (const Column& c : t.columns) {
        o.Word(static_cast<int64_t>(c.type));
        Put(o, c.i32.parts());
        PackedReals::Parts r = c.f64.parts();
        o.Word(r.size), o.Real(r.scale), o.Array(r.raw);
        Put(o, r.ints);
        IdColumn::Parts id = c.ids.parts();
        o.Word(id.rows), o.Word(id.numeric), o.Text(id.prefix), o.Word(id.digits), o.Word(id.zero_padded);
        Put(o, id.numbers);
        o.Array(id.arena), o.Array(id.offsets), o.Array(id.index);
      }
    }
  }

  static void Attach(Snapshot& s, std::shared_ptr<const void> backing) { s.backing_ = std::move(backing); }

  static Status Decode(In& in, Snapshot& s) {
    auto fail = [&](const std::string& what) { return Status::Corruption(what); };
    s.as_of_ = static_cast<Date>(in.Word());
    s.dangling_refs_ = in.Word();
    std::span<const int64_t> batches = in.Array<int64_t>();
    s.batch_ids_.assign(batches.begin(), batches.end());
    StringPool::Parts pool;
    pool.arena = in.Array<char>(), pool.offsets = in.Array<uint64_t>(), pool.order = in.Array<uint32_t>();
    if (!in.ok()) return fail(in.problem);
    Result<StringPool> strings = StringPool::FromParts(pool);
    if (!strings.ok()) return strings.status();
    s.strings_ = std::move(*strings);
    if (in.Word() != kTableCount) return fail("another number of tables");
    for (const TableSpec& spec : AllTables()) {
      TableData& t = s.tables_[static_cast<int>(spec.id)];
      t.spec = &spec;
      const int64_t id = in.Word(), fields = in.Word();
      if (id != static_cast<int64_t>(spec.id) || fields != static_cast<int64_t>(spec.fields.size()))
        return fail(fmt::format("table {} is not where expected", spec.name));
      t.rows = in.Word();
      if (t.rows < 0) return fail(fmt::format("table {}: negative rows", spec.name));
      const std::string table(spec.name);
      if (Status st = TakeInts(in, t.batch, t.rows, table + " batch"); !st.ok()) return st;
      const bool has_index = spec.person_field >= 0 && spec.id != TableId::kPeople;
      const int64_t index_rows = has_index ? s.table(TableId::kPeople).rows + 1 : 0;
      if (Status st = TakeInts(in, t.person_start, index_rows, table + " person index"); !st.ok()) return st;
      t.columns.resize(spec.fields.size());
      for (size_t f = 0; f < spec.fields.size(); ++f) {
        Column& c = t.columns[f];
        const std::string where = table + "." + std::string(spec.fields[f].name);
        c.type = static_cast<FieldType>(in.Word());
        if (c.type != spec.fields[f].type) return fail(where + ": another type");
        const bool real = c.type == FieldType::kAmount || c.type == FieldType::kScore;
        const bool plain = !real && c.type != FieldType::kId;
        if (Status st = TakeInts(in, c.i32, plain ? t.rows : 0, where); !st.ok()) return st;
        PackedReals::Parts r;
        r.size = in.Word(), r.scale = in.Real(), r.raw = in.Array<double>();
        r.ints = GetInts(in);
        IdColumn::Parts ip;
        ip.rows = in.Word(), ip.numeric = in.Word() != 0, ip.prefix = in.Text();
        ip.digits = static_cast<int>(std::clamp<int64_t>(in.Word(), -1, 99));
        ip.zero_padded = in.Word() != 0;
        ip.numbers = GetInts(in);
        ip.arena = in.Array<char>(), ip.offsets = in.Array<uint32_t>(), ip.index = in.Array<uint32_t>();
        if (!in.ok()) return fail(in.problem);
        Result<PackedReals> f64 = PackedReals::FromParts(r);
        if (!f64.ok()) return fail(where + ": " + f64.status().message());
        Result<IdColumn> ids = IdColumn::FromParts(ip);
        if (!ids.ok()) return fail(where + ": " + ids.status().message());
        if (f64->size() != (real ? t.rows : 0) || ids->rows() != (c.type == FieldType::kId ? t.rows : 0))
          return fail(where + ": values of another length");
        c.f64 = std::move(*f64), c.ids = std::move(*ids);
      }
    }
    if (in.at != in.meta.size()) return fail("metadata left over");
    // The org-unit tree, validated as when built (a few hundred units).
    const TableData& org = s.table(TableId::kOrgUnits);
    std::vector<int32_t> parents(static_cast<size_t>(org.rows), -1);
    for (size_t f = 0; f < org.spec->fields.size(); ++f)
      if (org.spec->fields[f].type == FieldType::kRef && org.spec->fields[f].ref == TableId::kOrgUnits)
        for (int64_t r = 0; r < org.rows; ++r) parents[static_cast<size_t>(r)] = org.columns[f].i32[r];
    Result<OrgTree> tree = OrgTree::Build(parents, [&](int32_t u) { return s.OrgUnitId(u); });
    if (!tree.ok()) return fail("org units: " + tree.status().message());
    s.org_tree_ = std::move(*tree);
    return Status::Ok();
  }
};

}  // namespace goldthread

namespace goldthread {
namespace {

// Writes all of data at the fd's position (write(2) may write less).
Status WriteAll(int fd, const void* data, size_t n) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    ssize_t w = ::write(fd, p, std::min<size_t>(n, size_t{1} << 30));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return Status::IOError(fmt::format("writing the snapshot: {}", std::strerror(errno)));
    p += w, n -= static_cast<size_t>(w);
  }
  return Status::Ok();
}

struct Mapping {
  void* addr = nullptr;
  size_t bytes = 0;
  ~Mapping() {
    if (addr) ::munmap(addr, bytes);
  }
};

}  // namespace

Status WriteSnapshotFile(const Snapshot& snap, std::string_view reflects, int fd) {
  if (reflects.size() != 64) return Status::Internal("a snapshot's batch digest is 64 hex digits");
  SnapshotFileCodec::Out out;
  SnapshotFileCodec::Encode(snap, out);
  // Section 0 is the metadata; then the arrays, each at a multiple of 64.
  std::vector<std::span<const uint8_t>> data;
  data.push_back({reinterpret_cast<const uint8_t*>(out.meta.data()), out.meta.size() * sizeof(int64_t)});
  data.insert(data.end(), out.arrays.begin(), out.arrays.end());
  std::vector<SectionEntry> table(data.size());
  uint64_t at = AlignUp(sizeof(FileHeader) + table.size() * sizeof(SectionEntry));
  for (size_t k = 0; k < data.size(); ++k) {
    table[k].offset = at;
    table[k].bytes = data[k].size();
    table[k].checksum = XXH3_64bits(data[k].data(), data[k].size());
    table[k].elem_bytes = k == 0 ? 8 : out.elem_bytes[k - 1];
    table[k].reserved = 0;
    at = AlignUp(at + data[k].size());
  }
  FileHeader h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.format_version = kSnapshotFormatVersion;
  h.header_bytes = sizeof(FileHeader);
  h.file_bytes = at;
  h.section_count = static_cast<uint32_t>(table.size());
  std::memcpy(h.schema, SnapshotSchemaDigest().data(), 64);
  std::memcpy(h.reflects, reflects.data(), 64);
  h.sections_checksum = XXH3_64bits(table.data(), table.size() * sizeof(SectionEntry));
  h.header_checksum = HeaderChecksum(h);

  GT_RETURN_IF_ERROR(WriteAll(fd, &h, sizeof h));
  GT_RETURN_IF_ERROR(WriteAll(fd, table.data(), table.size() * sizeof(SectionEntry)));
  uint64_t written = sizeof h + table.size() * sizeof(SectionEntry);
  static const char kZeros[kAlign] = {};
  for (size_t k = 0; k < data.size(); ++k) {
    GT_RETURN_IF_ERROR(WriteAll(fd, kZeros, table[k].offset - written));
    GT_RETURN_IF_ERROR(WriteAll(fd, data[k].data(), data[k].size()));
    written = table[k].offset + data[k].size();
  }
  return WriteAll(fd, kZeros, at - written);
}

OpenedSnapshotFile OpenSnapshotFile(const std::string& path, std::string_view reflects) {
  OpenedSnapshotFile r;
  auto problem = [&](SnapshotFileProblem p, std::string detail) {
    r.problem = p;
    r.detail = std::move(detail);
    return std::move(r);
  };
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return errno == ENOENT ? problem(SnapshotFileProblem::kMissing, "no snapshot file")
                           : problem(SnapshotFileProblem::kUnreadable, std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    std::string e = std::strerror(errno);
    ::close(fd);
    return problem(SnapshotFileProblem::kUnreadable, e);
  }
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size < sizeof(FileHeader)) {
    ::close(fd);
    return problem(SnapshotFileProblem::kDamaged, fmt::format("{} bytes, shorter than a header", size));
  }
  // Read in place: the kernel fills the pages as the checksums read them.
  auto map = std::make_shared<Mapping>();
  map->addr = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  const int map_errno = errno;
  ::close(fd);
  if (map->addr == MAP_FAILED) {
    map->addr = nullptr;
    return problem(SnapshotFileProblem::kUnreadable, std::strerror(map_errno));
  }
  map->bytes = size;
  const uint8_t* base = static_cast<const uint8_t*>(map->addr);
  FileHeader h;
  std::memcpy(&h, base, sizeof h);
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0)
    return problem(SnapshotFileProblem::kDamaged, "not a goldthread snapshot (no magic)");
  if (HeaderChecksum(h) != h.header_checksum) return problem(SnapshotFileProblem::kDamaged, "header checksum");
  if (h.format_version != kSnapshotFormatVersion || h.header_bytes != sizeof(FileHeader))
    return problem(SnapshotFileProblem::kOtherFormat,
                   fmt::format("format version {}, this binary reads {}", h.format_version, kSnapshotFormatVersion));
  if (std::string_view(h.schema, 64) != SnapshotSchemaDigest())
    return problem(SnapshotFileProblem::kOtherFormat, "made for another schema");
  if (h.file_bytes != size)
    return problem(SnapshotFileProblem::kDamaged, fmt::format("{} bytes, the header says {}", size, h.file_bytes));
  if (std::string_view(h.reflects, 64) != reflects)
    return problem(SnapshotFileProblem::kOtherBatches, "reflects another list of batches");
  if (h.section_count < 1 || h.section_count > kMaxSections ||
      sizeof h + uint64_t{h.section_count} * sizeof(SectionEntry) > size)
    return problem(SnapshotFileProblem::kDamaged, fmt::format("{} sections", h.section_count));
  std::span<const SectionEntry> sections(reinterpret_cast<const SectionEntry*>(base + sizeof h), h.section_count);
  if (XXH3_64bits(sections.data(), sections.size_bytes()) != h.sections_checksum)
    return problem(SnapshotFileProblem::kDamaged, "section table checksum");
  for (size_t k = 0; k < sections.size(); ++k) {
    const SectionEntry& e = sections[k];
    if (e.offset % kAlign != 0 || e.offset > size || e.bytes > size - e.offset)
      return problem(SnapshotFileProblem::kDamaged, fmt::format("section {} lies outside the file", k));
    if (XXH3_64bits(base + e.offset, e.bytes) != e.checksum)
      return problem(SnapshotFileProblem::kDamaged, fmt::format("section {} checksum", k));
  }
  if (sections[0].elem_bytes != 8 || sections[0].bytes % 8 != 0)
    return problem(SnapshotFileProblem::kDamaged, "metadata section");
  SnapshotFileCodec::In in;
  in.base = base;
  in.sections = sections;
  in.meta = {reinterpret_cast<const int64_t*>(base + sections[0].offset), sections[0].bytes / 8};
  auto snap = std::make_unique<Snapshot>();
  Status decoded = SnapshotFileCodec::Decode(in, *snap);
  if (!decoded.ok()) return problem(SnapshotFileProblem::kDamaged, decoded.message());
  SnapshotFileCodec::Attach(*snap, std::move(map));
  r.snapshot = std::move(snap);
  return r;
}

}  // namespace goldthread
