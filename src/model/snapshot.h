#pragma once
// The columnar in-memory snapshot that indicators and checks are computed
// from (shared/DESIGN.md section 2). It holds the current version of every
// record, one column per field, each table's rows sorted by person and then by
// the table's timeline date, with a per-person index so a person's timeline
// is a contiguous range of rows.
//
// Encoding (compact, so a national data set fits on one machine): every
// value below is an int32, packed per column into 0-4 bytes a row
// (model/packed_column.h: frame of reference per block of rows, or a
// dictionary, whichever is smaller), so sorted and clustered columns such as
// persons, timeline dates and lineage take a byte or two.
//   dates, months, birth dates  days since 1970-01-01, kNullI32 unknown
//   timestamps                  seconds since 2000-01-01Z (1932..2068)
//   counts, ints                the number, kNullI32 unknown
//   Y/N                         1 / 0, -1 unknown
//   codes                       index into the field's code list, -1 unknown
//   code sets                   bitmask over the field's code list
//   references                  row index in the referenced table, -1 unknown
//   text                        index into the snapshot's StringPool, -1 unknown
//   batch, person index         index into batch_ids(); first row per person
//   amounts, scores             PackedReals: scaled integers when exact, NaN unknown
//   own ids                     IdColumn (packed numbers when ids are prefix+digits)
// The pool holds only text values: ids are resolved to rows while building.
//
// Thread-safety: immutable after SnapshotBuilder::Finish(); any number of
// threads may read it at once.

#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "model/column_buffer.h"
#include "model/org_tree.h"
#include "model/packed_column.h"
#include "model/schema.h"

namespace goldthread {

inline constexpr Timestamp kSnapshotEpoch = 946684800;  // 2000-01-01T00:00:00Z

/// Interned strings: each distinct string once, addressed by an int32.
/// While a snapshot is built the pool grows (Intern); Freeze() then lays it
/// out as one text arena with offsets and an index in text order, the form
/// a snapshot file keeps and uses in place (model/snapshot_file.h).
class StringPool {
 public:
  /// Not after Freeze().
  int32_t Intern(std::string_view s);
  /// -1 when absent.
  int32_t Find(std::string_view s) const;
  std::string_view Get(int32_t index) const {
    if (index < 0) return std::string_view();
    if (frozen_) return std::string_view(arena_.data() + offsets_[index], offsets_[index + 1] - offsets_[index]);
    return strings_[index];
  }
  size_t size() const { return frozen_ ? offsets_.size() - 1 : strings_.size(); }
  size_t MemoryBytes() const;
  /// Lays the pool out as arena, offsets and text-order index (idempotent).
  void Freeze();
  bool frozen() const { return frozen_; }

  struct Parts {
    std::span<const char> arena;
    std::span<const uint64_t> offsets;  // size()+1
    std::span<const uint32_t> order;    // indices in text order
  };
  /// After Freeze().
  Parts parts() const { return {arena_.span(), offsets_.span(), order_.span()}; }
  /// A frozen pool over parts in place, or Corruption.
  static Result<StringPool> FromParts(const Parts& parts);

 private:
  // A deque never moves its elements, so the views in index_ stay valid
  // (a vector would move short strings' inline buffers when it grows).
  std::deque<std::string> strings_;
  std::unordered_map<std::string_view, int32_t> index_;
  bool frozen_ = false;
  ColumnBuffer<char> arena_;
  ColumnBuffer<uint64_t> offsets_;
  ColumnBuffer<uint32_t> order_;
};

/// A table's own ids, compactly: when every id is a common prefix followed
/// by 1-9 digits (all of one length, or none zero-padded), only the numbers
/// are kept, packed; otherwise the ids' text, end to end.
class IdColumn {
 public:
  void Append(std::string_view id);
  /// Reorders by perm (new row i = old row perm[i]) and packs.
  void Finish(const std::vector<uint32_t>& perm);
  /// Builds the index Find() uses (after Finish).
  void BuildIndex();
  std::string Get(int64_t row) const;
  /// The row holding id, or -1 (the first such row if ids repeat).
  int64_t Find(std::string_view id) const;
  size_t MemoryBytes() const;
  int64_t rows() const { return rows_; }

  struct Parts {
    int64_t rows = 0;
    bool numeric = true;
    std::string prefix;
    int digits = 0;
    bool zero_padded = false;
    PackedInts::Parts numbers;
    std::span<const char> arena;
    std::span<const uint32_t> offsets;  // rows+1 when not numeric
    std::span<const uint32_t> index;
  };
  /// After Finish (and BuildIndex, if it is wanted).
  Parts parts() const;
  static Result<IdColumn> FromParts(const Parts& parts);

 private:
  bool TryNumber(std::string_view id, uint32_t& number) const;
  std::string_view Text(int64_t row) const {
    return std::string_view(arena_.data() + offsets_[static_cast<size_t>(row)],
                            offsets_[static_cast<size_t>(row) + 1] - offsets_[static_cast<size_t>(row)]);
  }
  int64_t rows_ = 0;
  bool numeric_ = true;
  std::string prefix_;
  int digits_ = 0;            // every id's digit count, or -1 when they differ
  bool zero_padded_ = false;  // some id's digits start with 0
  PackedChunks building_;  // numbers until Finish
  std::string building_arena_;             // text ids until Finish
  std::vector<uint32_t> building_offsets_;
  PackedInts numbers_;
  ColumnBuffer<char> arena_;
  ColumnBuffer<uint32_t> offsets_;  // rows+1 when not numeric
  ColumnBuffer<uint32_t> index_;    // rows in id order; empty when ids ascend with rows
};

struct Column {
  FieldType type = FieldType::kText;
  PackedInts i32;   // every type but amounts, scores and own ids
  PackedReals f64;  // amounts, scores
  IdColumn ids;     // own ids
  size_t MemoryBytes() const { return i32.MemoryBytes() + f64.MemoryBytes() + ids.MemoryBytes(); }
};

struct TableData {
  const TableSpec* spec = nullptr;
  int64_t rows = 0;
  std::vector<Column> columns;  // parallel to spec->fields
  PackedInts batch;             // index into Snapshot::batch_ids()
  /// Rows of person p are [person_start[p], person_start[p + 1]); empty when
  /// the table has no person field (people itself: row p is person p).
  /// Rows with no (or an unknown) person follow the last person's rows.
  PackedInts person_start;

  int32_t Int(int field, int64_t row) const { return columns[field].i32[row]; }
  double Real(int field, int64_t row) const { return columns[field].f64[row]; }
  /// A timestamp field as seconds since 1970, kNullTimestamp when unknown.
  Timestamp Time(int field, int64_t row) const {
    int32_t v = columns[field].i32[row];
    return v == kNullI32 ? kNullTimestamp : kSnapshotEpoch + v;
  }
  std::pair<int64_t, int64_t> PersonRows(int32_t person) const {
    return {person_start[person], person_start[person + 1]};
  }
  /// The record's id: its own id, or its key fields joined by '|'.
  std::string RecordId(int64_t row, const class Snapshot& snap) const;
  /// Field index by name (-1 if absent).
  int Field(std::string_view name) const { return spec->FieldIndex(name); }
  size_t BatchMemoryBytes() const { return batch.MemoryBytes(); }
  size_t MemoryBytes() const;
};

class Snapshot {
 public:
  const TableData& table(TableId t) const { return tables_[static_cast<int>(t)]; }
  int32_t people() const { return static_cast<int32_t>(table(TableId::kPeople).rows); }
  const StringPool& strings() const { return strings_; }
  /// The store's batch id of a row's batch index.
  int64_t batch_id(int32_t index) const { return batch_ids_[index]; }
  const std::vector<int64_t>& batch_ids() const { return batch_ids_; }

  std::string PersonId(int32_t person) const { return table(TableId::kPeople).columns[0].ids.Get(person); }
  std::string OrgUnitId(int32_t org_row) const { return table(TableId::kOrgUnits).columns[0].ids.Get(org_row); }
  /// Row of a person / org unit by id, or -1.
  int32_t FindPerson(std::string_view id) const;
  int32_t FindOrgUnit(std::string_view id) const;
  /// The org-unit hierarchy, validated (no cycles, every parent exists): walk
  /// it through chain(), depth() and root(), never by following parents.
  const OrgTree& org_tree() const { return org_tree_; }
  /// The org unit's parent row, or -1 at the root.
  int32_t OrgParent(int32_t org_row) const { return org_tree_.parent(org_row); }
  /// The text of a kText field value.
  std::string_view Text(int32_t pool_index) const { return strings_.Get(pool_index); }

  int64_t TotalRows() const;
  size_t MemoryBytes() const;
  /// References that named no record (ingest prevents these; counted, not fatal).
  int64_t dangling_references() const { return dangling_refs_; }
  /// The date of the latest import of the records (kNullDate: not known, as
  /// for a snapshot built from files). No event after it can be data: a
  /// record dated later is a plan or a mistake (model/data_end.h).
  Date as_of() const { return as_of_; }
  /// Whether the columns are used in place from a snapshot file
  /// (model/snapshot_file.h) rather than built in memory.
  bool mapped() const { return backing_ != nullptr; }

 private:
  friend class SnapshotBuilder;
  friend class SnapshotFileCodec;
  // The mapped file the columns view, when mapped(); released last.
  std::shared_ptr<const void> backing_;
  TableData tables_[kTableCount];
  StringPool strings_;
  OrgTree org_tree_;
  std::vector<int64_t> batch_ids_;
  int64_t dangling_refs_ = 0;
  Date as_of_ = kNullDate;
};

/// Builds a Snapshot from rows of canonical text values (as read from CSV or
/// from the store). Not thread-safe; use from one thread.
class SnapshotBuilder {
 public:
  SnapshotBuilder();
  ~SnapshotBuilder();
  SnapshotBuilder(SnapshotBuilder&&) noexcept;
  SnapshotBuilder& operator=(SnapshotBuilder&&) noexcept;
  /// values: one per field of the table, in file order (lineage included).
  /// batch: the store's batch id. Fails with "column: problem" on a bad value.
  Status AddRow(TableId t, std::span<const std::string_view> values, int64_t batch);
  /// The date of the latest import (Snapshot::as_of).
  void SetAsOf(Date as_of);
  /// Sorts, indexes and resolves references, and validates the org-unit tree
  /// (a parent that is not an org unit, or a cycle, is an error naming the
  /// units). The builder is spent afterwards.
  Result<std::unique_ptr<Snapshot>> Finish();

 private:
  struct Raw;  // the columns as loaded, until Finish sorts and packs them
  std::unique_ptr<Snapshot> snap_;
  std::unique_ptr<Raw> raw_;
  std::unordered_map<int64_t, uint16_t> batch_index_;
  std::string problem_;
};

}  // namespace goldthread
