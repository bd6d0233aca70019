#include "model/snapshot.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "model/field.h"

namespace goldthread {

//===----------------------------------------------------------------------===//
// StringPool
//===----------------------------------------------------------------------===//

int32_t StringPool::Intern(std::string_view s) {
  auto it = index_.find(s);
  if (it != index_.end()) return it->second;
  strings_.emplace_back(s);
  int32_t idx = static_cast<int32_t>(strings_.size() - 1);
  index_.emplace(strings_.back(), idx);
  return idx;
}

int32_t StringPool::Find(std::string_view s) const {
  if (!frozen_) {
    auto it = index_.find(s);
    return it == index_.end() ? -1 : it->second;
  }
  auto it = std::lower_bound(order_.begin(), order_.end(), s,
                             [&](uint32_t i, std::string_view v) { return Get(static_cast<int32_t>(i)) < v; });
  return it != order_.end() && Get(static_cast<int32_t>(*it)) == s ? static_cast<int32_t>(*it) : -1;
}

void StringPool::Freeze() {
  if (frozen_) return;
  std::vector<char> arena;
  std::vector<uint64_t> offsets;
  offsets.reserve(strings_.size() + 1);
  offsets.push_back(0);
  for (const std::string& str : strings_) {
    arena.insert(arena.end(), str.begin(), str.end());
    offsets.push_back(arena.size());
  }
  std::vector<uint32_t> order(strings_.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return strings_[a] < strings_[b]; });
  index_.clear();
  strings_.clear();
  std::deque<std::string>().swap(strings_);
  arena_ = ColumnBuffer<char>(std::move(arena));
  offsets_ = ColumnBuffer<uint64_t>(std::move(offsets));
  order_ = ColumnBuffer<uint32_t>(std::move(order));
  frozen_ = true;
}

Result<StringPool> StringPool::FromParts(const Parts& p) {
  auto bad = [](const std::string& what) { return Status::Corruption("string pool: " + what); };
  if (p.offsets.empty() || p.offsets.front() != 0 || p.offsets.back() != p.arena.size())
    return bad("offsets do not span the text");
  if (p.order.size() + 1 != p.offsets.size()) return bad("index of another length");
  if (p.offsets.size() - 1 > static_cast<size_t>(std::numeric_limits<int32_t>::max())) return bad("too many strings");
  // Offsets ascending and the index a set of valid positions: each string
  // read from the file then stays inside its arena.
  for (size_t i = 1; i < p.offsets.size(); ++i)
    if (p.offsets[i] < p.offsets[i - 1]) return bad("offsets out of order");
  for (uint32_t i : p.order)
    if (i >= p.order.size()) return bad("index names no string");
  StringPool pool;
  pool.frozen_ = true;
  pool.arena_ = ColumnBuffer<char>::View(p.arena.data(), p.arena.size());
  pool.offsets_ = ColumnBuffer<uint64_t>::View(p.offsets.data(), p.offsets.size());
  pool.order_ = ColumnBuffer<uint32_t>::View(p.order.data(), p.order.size());
  return pool;
}

size_t StringPool::MemoryBytes() const {
  if (frozen_) return arena_.MemoryBytes() + offsets_.MemoryBytes() + order_.MemoryBytes();
  size_t bytes = 0;
  for (const std::string& s : strings_) bytes += sizeof(std::string) + (s.size() > 15 ? s.capacity() : 0);
  return bytes + index_.size() * (sizeof(std::string_view) + sizeof(int32_t) + 2 * sizeof(void*));
}

//===----------------------------------------------------------------------===//
// IdColumn
//===----------------------------------------------------------------------===//

namespace {

// Splits id into prefix and trailing digits; false unless there are 1-9.
bool SplitId(std::string_view id, std::string_view& prefix, std::string_view& digits) {
  size_t at = id.size();
  while (at > 0 && id[at - 1] >= '0' && id[at - 1] <= '9') --at;
  prefix = id.substr(0, at), digits = id.substr(at);
  return !digits.empty() && digits.size() <= 9;
}

uint32_t DigitsValue(std::string_view digits) {
  uint32_t v = 0;
  for (char c : digits) v = v * 10 + static_cast<uint32_t>(c - '0');
  return v;
}

}  // namespace

void IdColumn::Append(std::string_view id) {
  if (numeric_) {
    std::string_view prefix, digits;
    bool ok = SplitId(id, prefix, digits) && (rows_ == 0 || prefix == prefix_);
    int n_digits = static_cast<int>(digits.size());
    int new_digits = rows_ == 0 || digits_ == n_digits ? n_digits : -1;
    bool new_padded = zero_padded_ || (n_digits > 1 && digits[0] == '0');
    // Lossless only if the numbers print back as the ids: all of one
    // length (padding restored), or none zero-padded.
    if (ok && (new_digits >= 0 || !new_padded)) {
      if (rows_ == 0) prefix_ = std::string(prefix);
      digits_ = new_digits, zero_padded_ = new_padded;
      building_.push_back(static_cast<int32_t>(DigitsValue(digits)));
      ++rows_;
      return;
    }
    // Not numeric after all: spell out the ids so far.
    building_offsets_.assign(1, 0);
    for (int64_t r = 0; r < rows_; ++r) {
      std::string digits_text = std::to_string(static_cast<uint32_t>(building_[r]));
      building_arena_ += prefix_;
      if (digits_ > static_cast<int>(digits_text.size()))
        building_arena_.append(digits_ - digits_text.size(), '0');
      building_arena_ += digits_text;
      building_offsets_.push_back(static_cast<uint32_t>(building_arena_.size()));
    }
    building_.Release();
    numeric_ = false;
  }
  if (building_offsets_.empty()) building_offsets_.push_back(0);
  building_arena_.append(id);
  building_offsets_.push_back(static_cast<uint32_t>(building_arena_.size()));
  ++rows_;
}

void IdColumn::Finish(const std::vector<uint32_t>& perm) {
  if (numeric_) {
    std::vector<int32_t> numbers(perm.size());
    for (size_t i = 0; i < perm.size(); ++i) numbers[i] = building_[perm[i]];
    building_.Release();
    numbers_.Pack(numbers);
    if (digits_ < 0) digits_ = 0;  // no padding to restore
    return;
  }
  if (building_offsets_.empty()) building_offsets_.push_back(0);
  std::vector<char> arena;
  std::vector<uint32_t> offsets;
  arena.reserve(building_arena_.size());
  offsets.reserve(perm.size() + 1);
  offsets.push_back(0);
  for (uint32_t r : perm) {
    arena.insert(arena.end(), building_arena_.begin() + building_offsets_[r],
                 building_arena_.begin() + building_offsets_[r + 1]);
    offsets.push_back(static_cast<uint32_t>(arena.size()));
  }
  std::string().swap(building_arena_);
  std::vector<uint32_t>().swap(building_offsets_);
  arena_ = ColumnBuffer<char>(std::move(arena));
  offsets_ = ColumnBuffer<uint32_t>(std::move(offsets));
}

std::string IdColumn::Get(int64_t row) const {
  if (numeric_) {
    std::string digits = std::to_string(static_cast<uint32_t>(numbers_[row]));
    if (digits_ > static_cast<int>(digits.size())) digits.insert(0, digits_ - digits.size(), '0');
    return prefix_ + digits;
  }
  return std::string(Text(row));
}

bool IdColumn::TryNumber(std::string_view id, uint32_t& number) const {
  std::string_view prefix, digits;
  if (!SplitId(id, prefix, digits) || prefix != prefix_) return false;
  number = DigitsValue(digits);
  return true;
}

void IdColumn::BuildIndex() {
  index_ = ColumnBuffer<uint32_t>();
  if (numeric_) {
    bool ascending = true;
    for (int64_t r = 1; r < rows_ && ascending; ++r) ascending = numbers_[r - 1] <= numbers_[r];
    if (ascending) return;
  }
  std::vector<uint32_t> index(static_cast<size_t>(rows_));
  std::iota(index.begin(), index.end(), 0u);
  if (numeric_) {
    std::stable_sort(index.begin(), index.end(), [&](uint32_t a, uint32_t b) { return numbers_[a] < numbers_[b]; });
  } else {
    std::stable_sort(index.begin(), index.end(), [&](uint32_t a, uint32_t b) { return Text(a) < Text(b); });
  }
  index_ = ColumnBuffer<uint32_t>(std::move(index));
}

int64_t IdColumn::Find(std::string_view id) const {
  int64_t row = -1;
  if (numeric_) {
    uint32_t number = 0;
    if (!TryNumber(id, number)) return -1;
    auto value = [&](int64_t k) { return static_cast<uint32_t>(numbers_[index_.empty() ? k : index_[k]]); };
    int64_t lo = 0, count = rows_;
    while (count > 0) {
      int64_t half = count / 2;
      if (value(lo + half) < number) lo += half + 1, count -= half + 1;
      else count = half;
    }
    if (lo < rows_ && value(lo) == number) row = index_.empty() ? lo : index_[lo];
  } else {
    auto it = std::lower_bound(index_.begin(), index_.end(), id,
                               [&](uint32_t r, std::string_view s) { return Text(r) < s; });
    if (it != index_.end() && Text(*it) == id) row = *it;
  }
  // "P01" parses as the number of "P1": only the exact spelling matches.
  return row >= 0 && Get(row) == id ? row : -1;
}

IdColumn::Parts IdColumn::parts() const {
  Parts p;
  p.rows = rows_, p.numeric = numeric_, p.prefix = prefix_, p.digits = digits_, p.zero_padded = zero_padded_;
  p.numbers = numbers_.parts();
  p.arena = arena_.span();
  p.offsets = offsets_.span();
  p.index = index_.span();
  return p;
}

Result<IdColumn> IdColumn::FromParts(const Parts& p) {
  auto bad = [](const std::string& what) { return Status::Corruption("id column: " + what); };
  IdColumn c;
  c.rows_ = p.rows, c.numeric_ = p.numeric, c.prefix_ = p.prefix, c.digits_ = p.digits;
  c.zero_padded_ = p.zero_padded;
  if (p.rows < 0 || p.digits < 0 || p.digits > 9) return bad("bad shape");
  if (!p.index.empty() && p.index.size() != static_cast<size_t>(p.rows)) return bad("index of another length");
  for (uint32_t r : p.index)
    if (r >= static_cast<uint64_t>(p.rows)) return bad("index names no row");
  c.index_ = ColumnBuffer<uint32_t>::View(p.index.data(), p.index.size());
  if (p.numeric) {
    Result<PackedInts> numbers = PackedInts::FromParts(p.numbers);
    if (!numbers.ok()) return numbers.status();
    if (numbers->size() != p.rows) return bad("numbers of another length");
    c.numbers_ = std::move(*numbers);
    return c;
  }
  if (p.offsets.size() != static_cast<size_t>(p.rows) + 1 || p.offsets.front() != 0 ||
      p.offsets.back() != p.arena.size())
    return bad("offsets do not span the ids");
  for (size_t i = 1; i < p.offsets.size(); ++i)
    if (p.offsets[i] < p.offsets[i - 1]) return bad("offsets out of order");
  c.arena_ = ColumnBuffer<char>::View(p.arena.data(), p.arena.size());
  c.offsets_ = ColumnBuffer<uint32_t>::View(p.offsets.data(), p.offsets.size());
  return c;
}

size_t IdColumn::MemoryBytes() const {
  return numbers_.MemoryBytes() + building_.MemoryBytes() + building_arena_.capacity() +
         building_offsets_.capacity() * 4 + arena_.MemoryBytes() + offsets_.MemoryBytes() + index_.MemoryBytes() +
         prefix_.size();
}

//===----------------------------------------------------------------------===//
// TableData, Snapshot
//===----------------------------------------------------------------------===//

std::string TableData::RecordId(int64_t row, const Snapshot& snap) const {
  if (spec->id_field >= 0 && spec->key.size() == 1) return columns[spec->id_field].ids.Get(row);
  std::string out;
  for (int k : spec->key) {
    if (!out.empty()) out += '|';
    const Column& c = columns[k];
    switch (c.type) {
      case FieldType::kId: out += c.ids.Get(row); break;
      case FieldType::kRef:
        if (spec->fields[k].ref == TableId::kPeople) out += snap.PersonId(c.i32[row]);
        else if (spec->fields[k].ref == TableId::kOrgUnits) out += snap.OrgUnitId(c.i32[row]);
        else out += snap.table(spec->fields[k].ref).RecordId(c.i32[row], snap);
        break;
      case FieldType::kText: out += snap.Text(c.i32[row]); break;
      case FieldType::kDate: out += FormatDate(c.i32[row]); break;
      case FieldType::kMonth: out += FormatMonth(c.i32[row]); break;
      case FieldType::kCode: out += spec->fields[k].codes[c.i32[row]]; break;
      default: out += std::to_string(c.i32[row]); break;
    }
  }
  return out;
}

size_t TableData::MemoryBytes() const {
  size_t bytes = batch.MemoryBytes() + person_start.MemoryBytes();
  for (const Column& c : columns) bytes += c.MemoryBytes();
  return bytes;
}

int32_t Snapshot::FindPerson(std::string_view id) const {
  return static_cast<int32_t>(table(TableId::kPeople).columns[0].ids.Find(id));
}

int32_t Snapshot::FindOrgUnit(std::string_view id) const {
  return static_cast<int32_t>(table(TableId::kOrgUnits).columns[0].ids.Find(id));
}

int64_t Snapshot::TotalRows() const {
  int64_t n = 0;
  for (const TableData& t : tables_) n += t.rows;
  return n;
}

size_t Snapshot::MemoryBytes() const {
  size_t bytes = strings_.MemoryBytes() + batch_ids_.capacity() * 8;
  for (const TableData& t : tables_) bytes += t.MemoryBytes();
  return bytes;
}

//===----------------------------------------------------------------------===//
// SnapshotBuilder
//===----------------------------------------------------------------------===//

namespace {

// A growing array in fixed chunks: appending never moves what is there, so
// loading takes no more memory than the values (no doubling and copying).
template <typename T>
class Chunked {
 public:
  void push_back(T v) {
    if ((size_ & kMask) == 0) chunks_.push_back(std::make_unique_for_overwrite<T[]>(kMask + 1));
    chunks_.back()[size_ & kMask] = v;
    ++size_;
  }
  T operator[](int64_t i) const { return chunks_[i >> kShift][i & kMask]; }
  int64_t size() const { return size_; }
  void Release() {
    std::vector<std::unique_ptr<T[]>>().swap(chunks_);
    size_ = 0;
  }

 private:
  static constexpr int kShift = 16;
  static constexpr int64_t kMask = (int64_t{1} << kShift) - 1;
  std::vector<std::unique_ptr<T[]>> chunks_;
  int64_t size_ = 0;
};

// Tables whose own ids other tables refer to: their ids are interned too, so
// references resolve through the pool.
bool IsReferenced(TableId t) {
  return t == TableId::kOrgUnits || t == TableId::kPeople || t == TableId::kRequests ||
         t == TableId::kServices;
}

}  // namespace

struct SnapshotBuilder::Raw {
  struct Table {
    std::vector<PackedChunks> i32;     // per field: values as in Column::i32, ids and
                                       // references as pool indices
    std::vector<Chunked<double>> f64;  // per field: amounts, scores
    PackedChunks batch;
    // Per field, the text last interned: rows come grouped (a person's
    // visits, one service, one worker), so most lookups are the last one.
    std::vector<std::string> last_text;
    std::vector<int32_t> last_index;
  };
  Table tables[kTableCount];
  // One per field of the widest table, so any table's row parses in place.
  std::vector<FieldValue> parsed;
};

SnapshotBuilder::SnapshotBuilder() : snap_(std::make_unique<Snapshot>()), raw_(std::make_unique<Raw>()) {
  size_t widest = 0;
  for (const TableSpec& spec : AllTables()) {
    TableData& t = snap_->tables_[static_cast<int>(spec.id)];
    t.spec = &spec;
    t.columns.resize(spec.fields.size());
    for (size_t i = 0; i < spec.fields.size(); ++i) t.columns[i].type = spec.fields[i].type;
    Raw::Table& r = raw_->tables[static_cast<int>(spec.id)];
    r.i32.resize(spec.fields.size());
    r.f64.resize(spec.fields.size());
    r.last_text.resize(spec.fields.size());
    r.last_index.assign(spec.fields.size(), -1);
    widest = std::max(widest, spec.fields.size());
  }
  raw_->parsed.resize(widest);
}

SnapshotBuilder::~SnapshotBuilder() = default;
SnapshotBuilder::SnapshotBuilder(SnapshotBuilder&&) noexcept = default;
SnapshotBuilder& SnapshotBuilder::operator=(SnapshotBuilder&&) noexcept = default;

Status SnapshotBuilder::AddRow(TableId id, std::span<const std::string_view> values, int64_t batch) {
  TableData& t = snap_->tables_[static_cast<int>(id)];
  Raw::Table& raw = raw_->tables[static_cast<int>(id)];
  const TableSpec& spec = *t.spec;
  if (values.size() != spec.fields.size())
    return Status::InvalidArgument(std::string(spec.name) + ": expected " + std::to_string(spec.fields.size()) +
                                   " values, got " + std::to_string(values.size()));
  // Parse everything first so a bad row leaves the columns untouched.
  std::vector<FieldValue>& parsed = raw_->parsed;  // sized for the widest table
  for (size_t i = 0; i < values.size(); ++i) {
    if (!TryParseField(spec.fields[i], values[i], parsed[i], problem_))
      return Status::InvalidArgument(std::string(spec.fields[i].name) + ": " + problem_);
  }
  for (size_t i = 0; i < values.size(); ++i) {
    const FieldValue& v = parsed[i];
    if (spec.fields[i].type != FieldType::kTimestamp || v.null) continue;
    int64_t rel = v.i - kSnapshotEpoch;
    if (rel <= std::numeric_limits<int32_t>::min() || rel > std::numeric_limits<int32_t>::max())
      return Status::InvalidArgument(std::string(spec.fields[i].name) + ": '" + std::string(values[i]) +
                                     "' is outside 1932-2068 (expected a timestamp in that range)");
  }
  auto [it, inserted] = batch_index_.try_emplace(batch, static_cast<uint16_t>(snap_->batch_ids_.size()));
  if (inserted) {
    if (snap_->batch_ids_.size() >= 65535) {
      batch_index_.erase(it);
      return Status::Unsupported("a snapshot holds at most 65535 import batches");
    }
    snap_->batch_ids_.push_back(batch);
  }
  raw.batch.push_back(it->second);
  auto intern = [&](size_t i, std::string_view text) {
    if (raw.last_index[i] >= 0 && raw.last_text[i] == text) return raw.last_index[i];
    raw.last_text[i].assign(text);
    return raw.last_index[i] = snap_->strings_.Intern(text);
  };
  for (size_t i = 0; i < values.size(); ++i) {
    const FieldValue& v = parsed[i];
    switch (spec.fields[i].type) {
      case FieldType::kId:
        t.columns[i].ids.Append(v.text);
        if (IsReferenced(id)) raw.i32[i].push_back(snap_->strings_.Intern(v.text));
        break;
      case FieldType::kRef:
      case FieldType::kText:
        raw.i32[i].push_back(v.null ? -1 : intern(i, v.text));
        break;
      case FieldType::kAmount:
      case FieldType::kScore:
        raw.f64[i].push_back(v.null ? std::nan("") : v.f);
        break;
      case FieldType::kTimestamp:
        raw.i32[i].push_back(v.null ? kNullI32 : static_cast<int32_t>(v.i - kSnapshotEpoch));
        break;
      case FieldType::kYesNo:
      case FieldType::kCode:
        raw.i32[i].push_back(v.null ? -1 : static_cast<int32_t>(v.i));
        break;
      case FieldType::kCodeSet:
        raw.i32[i].push_back(v.null ? 0 : static_cast<int32_t>(v.i));
        break;
      default:  // dates, months, counts, ints
        raw.i32[i].push_back(v.null ? kNullI32 : static_cast<int32_t>(v.i));
        break;
    }
  }
  ++t.rows;
  return Status::Ok();
}

void SnapshotBuilder::SetAsOf(Date as_of) { snap_->as_of_ = as_of; }

Result<std::unique_ptr<Snapshot>> SnapshotBuilder::Finish() {
  Snapshot& s = *snap_;
  Raw& raw = *raw_;
  auto tab = [&](TableId id) -> TableData& { return s.tables_[static_cast<int>(id)]; };
  auto rawtab = [&](TableId id) -> Raw::Table& { return raw.tables[static_cast<int>(id)]; };
  const int32_t n_people = static_cast<int32_t>(tab(TableId::kPeople).rows);

  // 1. Referenced tables' ids -> rows, through the pool.
  std::vector<int32_t> by_pool[kTableCount];
  auto index_ids = [&](TableId id, const std::vector<uint32_t>& perm) {
    std::vector<int32_t>& map = by_pool[static_cast<int>(id)];
    map.assign(s.strings_.size(), -1);
    const PackedChunks& pool_ids = rawtab(id).i32[tab(id).spec->id_field];
    for (size_t row = 0; row < perm.size(); ++row) map[pool_ids[perm[row]]] = static_cast<int32_t>(row);
  };

  // 2. Each table's order: by person (a counting sort, stable), then by the
  //    timeline date (stable), so ties keep load order. Rows with no (or an
  //    unknown) person come last. People and org units keep load order.
  auto order = [&](const TableSpec& spec, std::vector<int32_t>& person_start) {
    const int64_t n = tab(spec.id).rows;
    std::vector<uint32_t> perm(static_cast<size_t>(n));
    std::iota(perm.begin(), perm.end(), 0u);
    if (spec.id == TableId::kPeople || spec.id == TableId::kOrgUnits) return perm;
    std::vector<uint32_t> bucket_start{0, static_cast<uint32_t>(n)};
    if (spec.person_field >= 0) {
      const PackedChunks& pool = rawtab(spec.id).i32[spec.person_field];
      const std::vector<int32_t>& map = by_pool[static_cast<int>(TableId::kPeople)];
      auto key = [&](int64_t r) {
        int32_t p = pool[r] < 0 ? -1 : map[pool[r]];
        return p < 0 ? n_people : p;
      };
      bucket_start.assign(static_cast<size_t>(n_people) + 2, 0);
      for (int64_t r = 0; r < n; ++r) ++bucket_start[key(r) + 1];
      for (size_t k = 1; k < bucket_start.size(); ++k) bucket_start[k] += bucket_start[k - 1];
      std::vector<uint32_t> next(bucket_start.begin(), bucket_start.end() - 1);
      for (int64_t r = 0; r < n; ++r) perm[next[key(r)]++] = static_cast<uint32_t>(r);
      person_start.assign(bucket_start.begin(), bucket_start.end() - 1);
    }
    if (spec.date_field >= 0) {
      const PackedChunks& date = rawtab(spec.id).i32[spec.date_field];
      auto by_date = [&](uint32_t a, uint32_t b) { return date[a] < date[b]; };
      for (size_t k = 0; k + 1 < bucket_start.size(); ++k) {
        auto b = perm.begin() + bucket_start[k], e = perm.begin() + bucket_start[k + 1];
        if (!std::is_sorted(b, e, by_date)) std::stable_sort(b, e, by_date);
      }
    }
    return perm;
  };

  std::vector<uint32_t> identity_people(static_cast<size_t>(n_people));
  std::iota(identity_people.begin(), identity_people.end(), 0u);
  index_ids(TableId::kPeople, identity_people);
  std::vector<uint32_t>().swap(identity_people);
  std::vector<uint32_t> identity_orgs(static_cast<size_t>(tab(TableId::kOrgUnits).rows));
  std::iota(identity_orgs.begin(), identity_orgs.end(), 0u);
  index_ids(TableId::kOrgUnits, identity_orgs);
  // Requests and services are referenced by row: order them first.
  std::vector<uint32_t> perms[kTableCount];
  std::vector<int32_t> person_starts[kTableCount];
  for (TableId id : {TableId::kRequests, TableId::kServices}) {
    perms[static_cast<int>(id)] = order(Table(id), person_starts[static_cast<int>(id)]);
    index_ids(id, perms[static_cast<int>(id)]);
  }

  // 3. The pool keeps text values only (ids are rows from here on), in their
  //    first-seen order, so text compares and sorts as before.
  std::vector<uint8_t> used(s.strings_.size(), 0);
  for (const TableSpec& spec : AllTables())
    for (size_t f = 0; f < spec.fields.size(); ++f) {
      if (spec.fields[f].type != FieldType::kText) continue;
      const PackedChunks& col = rawtab(spec.id).i32[f];
      for (int64_t r = 0; r < col.size(); ++r)
        if (col[r] >= 0) used[col[r]] = 1;
    }
  StringPool texts;
  std::vector<int32_t> remap(s.strings_.size(), -1);
  for (size_t i = 0; i < used.size(); ++i)
    if (used[i]) remap[i] = texts.Intern(s.strings_.Get(static_cast<int32_t>(i)));
  std::vector<uint8_t>().swap(used);

  // 4. Each table in its order, references resolved to rows, packed; the
  //    loaded columns are freed as they are packed. An org unit's parent
  //    must resolve: the tree is validated below.
  std::vector<int32_t> org_parents;
  int64_t dangling_parent = -1;
  std::string dangling_parent_id;
  for (const TableSpec& spec : AllTables()) {
    TableData& t = tab(spec.id);
    Raw::Table& rt = rawtab(spec.id);
    std::vector<int32_t>& person_start = person_starts[static_cast<int>(spec.id)];
    std::vector<uint32_t> perm = perms[static_cast<int>(spec.id)].empty() && t.rows > 0
                                     ? order(spec, person_start)
                                     : std::move(perms[static_cast<int>(spec.id)]);
    const size_t n = perm.size();
    std::vector<int32_t> values(n);
    for (size_t f = 0; f < spec.fields.size(); ++f) {
      Column& c = t.columns[f];
      const PackedChunks& in = rt.i32[f];
      switch (c.type) {
        case FieldType::kId:
          c.ids.Finish(perm);
          if (spec.id == TableId::kPeople || spec.id == TableId::kOrgUnits) c.ids.BuildIndex();
          break;
        case FieldType::kAmount:
        case FieldType::kScore: {
          std::vector<double> reals(n);
          for (size_t i = 0; i < n; ++i) reals[i] = rt.f64[f][perm[i]];
          c.f64.Pack(reals);
          break;
        }
        case FieldType::kRef: {
          const std::vector<int32_t>& map = by_pool[static_cast<int>(spec.fields[f].ref)];
          for (size_t i = 0; i < n; ++i) {
            int32_t v = in[perm[i]];
            if (v >= 0) {
              const int32_t pool_index = v;
              v = static_cast<size_t>(v) < map.size() ? map[v] : -1;
              if (v < 0) ++s.dangling_refs_;
              if (v < 0 && spec.id == TableId::kOrgUnits && dangling_parent < 0) {
                dangling_parent = static_cast<int64_t>(i);
                dangling_parent_id = std::string(s.strings_.Get(pool_index));
              }
            }
            values[i] = v;
          }
          if (spec.id == TableId::kOrgUnits) org_parents = values;
          c.i32.Pack(values);
          break;
        }
        case FieldType::kText:
          for (size_t i = 0; i < n; ++i) {
            int32_t v = in[perm[i]];
            values[i] = v < 0 ? -1 : remap[v];
          }
          c.i32.Pack(values);
          break;
        default:
          for (size_t i = 0; i < n; ++i) values[i] = in[perm[i]];
          c.i32.Pack(values);
          break;
      }
      rt.i32[f].Release();
      rt.f64[f].Release();
    }
    for (size_t i = 0; i < n; ++i) values[i] = rt.batch[perm[i]];
    t.batch.Pack(values);
    rt.batch.Release();
    if (spec.person_field >= 0 && spec.id != TableId::kPeople) {
      if (person_start.empty()) person_start.assign(static_cast<size_t>(n_people) + 1, 0);
      t.person_start.Pack(person_start);
    }
    std::vector<int32_t>().swap(person_start);
  }
  std::swap(s.strings_, texts);
  s.strings_.Freeze();
  raw_.reset();
  if (dangling_parent >= 0)
    return Status::InvalidArgument("org_units: '" + s.OrgUnitId(static_cast<int32_t>(dangling_parent)) +
                                   "' has parent_id '" + dangling_parent_id +
                                   "', which matches no org unit (expected the id of an org unit, or empty at the "
                                   "root; import a batch that corrects it)");
  Result<OrgTree> tree = OrgTree::Build(org_parents, [&](int32_t u) { return s.OrgUnitId(u); });
  if (!tree.ok()) return Status::InvalidArgument("org_units: " + tree.status().message() +
                                                 "; import a batch that corrects a parent_id");
  s.org_tree_ = std::move(*tree);
  return std::move(snap_);
}

}  // namespace goldthread
