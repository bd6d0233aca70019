#include "model/snapshot.h"

#include <algorithm>
#include <cmath>
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
  auto it = index_.find(s);
  return it == index_.end() ? -1 : it->second;
}

size_t StringPool::MemoryBytes() const {
  size_t bytes = 0;
  for (const std::string& s : strings_) bytes += sizeof(std::string) + (s.size() > 15 ? s.capacity() : 0);
  return bytes + index_.size() * (sizeof(std::string_view) + sizeof(int32_t) + 2 * sizeof(void*));
}

//===----------------------------------------------------------------------===//
// IdColumn
//===----------------------------------------------------------------------===//

void IdColumn::Append(std::string_view id) {
  if (offsets_.empty()) offsets_.push_back(0);
  arena_.append(id);
  offsets_.push_back(static_cast<uint32_t>(arena_.size()));
}

void IdColumn::Finish(const std::vector<uint32_t>& perm) {
  const size_t rows = perm.size();
  if (offsets_.empty()) offsets_.push_back(0);
  auto raw = [&](size_t row) {
    return std::string_view(arena_).substr(offsets_[row], offsets_[row + 1] - offsets_[row]);
  };
  // Numeric when every id is the same prefix then 1-9 digits, either all of
  // one width (zero padding kept) or all without leading zeros.
  bool numeric = rows > 0;
  std::string prefix;
  int width = -1;
  for (size_t r = 0; r < rows && numeric; ++r) {
    std::string_view id = raw(r);
    size_t digits_at = id.size();
    while (digits_at > 0 && id[digits_at - 1] >= '0' && id[digits_at - 1] <= '9') --digits_at;
    size_t ndigits = id.size() - digits_at;
    if (ndigits == 0 || ndigits > 9) numeric = false;
    else if (r == 0) prefix = std::string(id.substr(0, digits_at));
    else if (id.substr(0, digits_at) != prefix) numeric = false;
    if (!numeric) break;
    int w = (ndigits > 1 && id[digits_at] == '0') ? static_cast<int>(ndigits) : 0;
    if (width < 0) width = w == 0 ? 0 : w;
    // Mixed padding: padded ids must all share one width; unpadded ids may
    // only join a padded column if they have that same width.
    if (width == 0 && w != 0) width = (r == 0) ? w : -2;
    if (width > 0 && static_cast<int>(ndigits) != width) numeric = false;
    if (width == -2) numeric = false;
  }
  if (numeric) {
    numbers_.resize(rows);
    for (size_t i = 0; i < rows; ++i) {
      std::string_view id = raw(perm[i]);
      uint32_t v = 0;
      for (char c : id.substr(prefix.size())) v = v * 10 + static_cast<uint32_t>(c - '0');
      numbers_[i] = v;
    }
    numeric_ = true;
    prefix_ = std::move(prefix);
    width_ = width < 0 ? 0 : width;
    std::string().swap(arena_);
    std::vector<uint32_t>().swap(offsets_);
    return;
  }
  std::string arena;
  std::vector<uint32_t> offsets;
  arena.reserve(arena_.size());
  offsets.reserve(rows + 1);
  offsets.push_back(0);
  for (size_t i = 0; i < rows; ++i) {
    arena.append(raw(perm[i]));
    offsets.push_back(static_cast<uint32_t>(arena.size()));
  }
  arena_ = std::move(arena);
  offsets_ = std::move(offsets);
}

std::string IdColumn::Get(int64_t row) const {
  if (numeric_) {
    std::string digits = std::to_string(numbers_[row]);
    if (width_ > static_cast<int>(digits.size())) digits.insert(0, width_ - digits.size(), '0');
    return prefix_ + digits;
  }
  return arena_.substr(offsets_[row], offsets_[row + 1] - offsets_[row]);
}

size_t IdColumn::MemoryBytes() const {
  return numbers_.capacity() * 4 + arena_.capacity() + offsets_.capacity() * 4 + prefix_.size();
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

int32_t Snapshot::FindPerson(std::string_view id) const {
  int32_t p = strings_.Find(id);
  return p < 0 || p >= static_cast<int32_t>(person_by_pool_.size()) ? -1 : person_by_pool_[p];
}

int32_t Snapshot::FindOrgUnit(std::string_view id) const {
  int32_t p = strings_.Find(id);
  return p < 0 || p >= static_cast<int32_t>(org_by_pool_.size()) ? -1 : org_by_pool_[p];
}

int64_t Snapshot::TotalRows() const {
  int64_t n = 0;
  for (const TableData& t : tables_) n += t.rows;
  return n;
}

size_t Snapshot::MemoryBytes() const {
  size_t bytes = strings_.MemoryBytes() + batch_ids_.capacity() * 8 +
                 (person_by_pool_.capacity() + org_by_pool_.capacity()) * 4;
  for (const TableData& t : tables_) {
    bytes += t.batch.capacity() * 2 + t.person_start.capacity() * 4;
    for (const Column& c : t.columns) bytes += c.i32.capacity() * 4 + c.f64.capacity() * 8 + c.ids.MemoryBytes();
  }
  return bytes;
}

//===----------------------------------------------------------------------===//
// SnapshotBuilder
//===----------------------------------------------------------------------===//

namespace {

// Tables whose own ids other tables refer to: their ids are interned too, so
// references resolve through the pool.
bool IsReferenced(TableId t) {
  return t == TableId::kOrgUnits || t == TableId::kPeople || t == TableId::kRequests ||
         t == TableId::kServices;
}

}  // namespace

SnapshotBuilder::SnapshotBuilder() : snap_(std::make_unique<Snapshot>()) {
  for (const TableSpec& spec : AllTables()) {
    TableData& t = snap_->tables_[static_cast<int>(spec.id)];
    t.spec = &spec;
    t.columns.resize(spec.fields.size());
    for (size_t i = 0; i < spec.fields.size(); ++i) t.columns[i].type = spec.fields[i].type;
  }
}

Status SnapshotBuilder::AddRow(TableId id, std::span<const std::string_view> values, int64_t batch) {
  TableData& t = snap_->tables_[static_cast<int>(id)];
  const TableSpec& spec = *t.spec;
  if (values.size() != spec.fields.size())
    return Status::InvalidArgument(std::string(spec.name) + ": expected " + std::to_string(spec.fields.size()) +
                                   " values, got " + std::to_string(values.size()));
  // Parse everything first so a bad row leaves the columns untouched.
  FieldValue parsed[16];
  for (size_t i = 0; i < values.size(); ++i) {
    if (!TryParseField(spec.fields[i], values[i], parsed[i], problem_))
      return Status::InvalidArgument(std::string(spec.fields[i].name) + ": " + problem_);
  }
  auto [it, inserted] = batch_index_.try_emplace(batch, static_cast<uint16_t>(snap_->batch_ids_.size()));
  if (inserted) {
    if (snap_->batch_ids_.size() >= 65535)
      return Status::Unsupported("a snapshot holds at most 65535 import batches");
    snap_->batch_ids_.push_back(batch);
  }
  t.batch.push_back(it->second);
  for (size_t i = 0; i < values.size(); ++i) {
    Column& c = t.columns[i];
    const FieldValue& v = parsed[i];
    switch (c.type) {
      case FieldType::kId:
        c.ids.Append(v.text);
        if (IsReferenced(id)) c.i32.push_back(snap_->strings_.Intern(v.text));
        break;
      case FieldType::kRef:
      case FieldType::kText:
        c.i32.push_back(v.null ? -1 : snap_->strings_.Intern(v.text));
        break;
      case FieldType::kAmount:
      case FieldType::kScore:
        c.f64.push_back(v.null ? std::nan("") : v.f);
        break;
      case FieldType::kTimestamp: {
        int64_t rel = v.i - kSnapshotEpoch;
        if (!v.null && (rel <= std::numeric_limits<int32_t>::min() || rel > std::numeric_limits<int32_t>::max()))
          return Status::InvalidArgument(std::string(spec.fields[i].name) + ": '" + std::string(values[i]) +
                                         "' is outside 1932-2068 (expected a timestamp in that range)");
        c.i32.push_back(v.null ? kNullI32 : static_cast<int32_t>(rel));
        break;
      }
      case FieldType::kYesNo:
      case FieldType::kCode:
        c.i32.push_back(v.null ? -1 : static_cast<int32_t>(v.i));
        break;
      case FieldType::kCodeSet:
        c.i32.push_back(v.null ? 0 : static_cast<int32_t>(v.i));
        break;
      default:  // dates, months, counts, ints
        c.i32.push_back(v.null ? kNullI32 : static_cast<int32_t>(v.i));
        break;
    }
  }
  ++t.rows;
  return Status::Ok();
}

namespace {

template <typename T>
void Permute(std::vector<T>& v, const std::vector<uint32_t>& perm) {
  if (v.empty()) return;
  std::vector<T> out(perm.size());
  for (size_t i = 0; i < perm.size(); ++i) out[i] = v[perm[i]];
  v = std::move(out);
}

}  // namespace

Result<std::unique_ptr<Snapshot>> SnapshotBuilder::Finish() {
  Snapshot& s = *snap_;
  // 1. Referenced tables' ids -> rows, through the pool. People and org
  //    units keep their load order, so their row is known now.
  std::vector<int32_t> by_pool[kTableCount];
  auto index_table = [&](TableId id, const std::vector<uint32_t>& perm) {
    TableData& t = s.tables_[static_cast<int>(id)];
    auto& map = by_pool[static_cast<int>(id)];
    map.assign(s.strings_.size(), -1);
    const auto& pool_ids = t.columns[t.spec->id_field].i32;
    for (size_t row = 0; row < perm.size(); ++row) map[pool_ids[perm[row]]] = static_cast<int32_t>(row);
  };
  // 2. Sort every table by (person, timeline date, load order). People and
  //    org units are not sorted. References to people must be resolved
  //    before sorting by person.
  std::vector<uint32_t> identity_people(s.tables_[static_cast<int>(TableId::kPeople)].rows);
  std::iota(identity_people.begin(), identity_people.end(), 0);
  std::vector<uint32_t> identity_orgs(s.tables_[static_cast<int>(TableId::kOrgUnits)].rows);
  std::iota(identity_orgs.begin(), identity_orgs.end(), 0);
  index_table(TableId::kPeople, identity_people);
  index_table(TableId::kOrgUnits, identity_orgs);

  std::vector<uint32_t> perms[kTableCount];
  for (const TableSpec& spec : AllTables()) {
    TableData& t = s.tables_[static_cast<int>(spec.id)];
    std::vector<uint32_t>& perm = perms[static_cast<int>(spec.id)];
    perm.resize(t.rows);
    std::iota(perm.begin(), perm.end(), 0);
    if (spec.id == TableId::kPeople || spec.id == TableId::kOrgUnits) continue;
    std::vector<int32_t> person;
    if (spec.person_field >= 0) {
      const auto& pool = t.columns[spec.person_field].i32;
      const auto& map = by_pool[static_cast<int>(TableId::kPeople)];
      person.resize(t.rows);
      // Rows with no (or an unknown) person sort last, after every timeline.
      for (int64_t r = 0; r < t.rows; ++r) {
        int32_t p = pool[r] < 0 ? -1 : map[pool[r]];
        person[r] = p < 0 ? std::numeric_limits<int32_t>::max() : p;
      }
    }
    const std::vector<int32_t>* date = spec.date_field >= 0 ? &t.columns[spec.date_field].i32 : nullptr;
    std::stable_sort(perm.begin(), perm.end(), [&](uint32_t a, uint32_t b) {
      if (!person.empty() && person[a] != person[b]) return person[a] < person[b];
      if (date && (*date)[a] != (*date)[b]) return (*date)[a] < (*date)[b];
      return false;
    });
  }
  index_table(TableId::kRequests, perms[static_cast<int>(TableId::kRequests)]);
  index_table(TableId::kServices, perms[static_cast<int>(TableId::kServices)]);

  // 3. Apply the permutations and resolve references to rows.
  for (const TableSpec& spec : AllTables()) {
    TableData& t = s.tables_[static_cast<int>(spec.id)];
    const auto& perm = perms[static_cast<int>(spec.id)];
    Permute(t.batch, perm);
    for (size_t f = 0; f < spec.fields.size(); ++f) {
      Column& c = t.columns[f];
      Permute(c.i32, perm);
      Permute(c.f64, perm);
      if (c.type == FieldType::kId) {
        c.ids.Finish(perm);
        std::vector<int32_t>().swap(c.i32);  // pool indices served the reference maps only
      }
      if (c.type == FieldType::kRef) {
        const auto& map = by_pool[static_cast<int>(spec.fields[f].ref)];
        for (int32_t& v : c.i32) {
          if (v < 0) continue;
          int32_t row = v < static_cast<int32_t>(map.size()) ? map[v] : -1;
          if (row < 0) ++s.dangling_refs_;
          v = row;
        }
      }
    }
    // 4. The per-person index.
    if (spec.person_field >= 0 && spec.id != TableId::kPeople) {
      const auto& person = t.columns[spec.person_field].i32;
      t.person_start.assign(static_cast<size_t>(s.people()) + 1, 0);
      for (int32_t p : person)
        if (p >= 0) ++t.person_start[p + 1];
      for (size_t i = 1; i < t.person_start.size(); ++i) t.person_start[i] += t.person_start[i - 1];
    }
  }
  s.person_by_pool_ = std::move(by_pool[static_cast<int>(TableId::kPeople)]);
  s.org_by_pool_ = std::move(by_pool[static_cast<int>(TableId::kOrgUnits)]);
  return std::move(snap_);
}

}  // namespace goldthread
