#include "ingest/import.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <functional>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "core/file.h"
#include "core/utf8.h"
#include "ingest/csv.h"
#include "ingest/digest.h"
#include "core/key_set.h"
#include "ingest/validate.h"
#include "model/field.h"
#include "model/org_tree.h"

namespace goldthread {
namespace {

//===----------------------------------------------------------------------===//
// Importer
//===----------------------------------------------------------------------===//

constexpr size_t kMaxFields = 24;
/// Ids looked up in the store and not found are remembered, up to this many
/// (then looked up again), so a file of unknown references cannot grow it.
constexpr size_t kMaxAbsentRemembered = 1000000;
/// Org units are held whole until the tree is checked: at most this many
/// bytes of their records (a council's few hundred units take kilobytes).
constexpr size_t kMaxHeldOrgUnitBytes = size_t{64} << 20;

std::string OsUser() {
  if (const char* u = std::getenv("USER"); u && *u) return u;
  if (const passwd* pw = ::getpwuid(::getuid())) return pw->pw_name;
  return "unknown";
}

std::string ColumnList(const TableSpec& t) {
  std::string out;
  for (const FieldSpec& f : t.fields) out += (out.empty() ? "" : ",") + std::string(f.name);
  return out;
}

std::string KeyColumns(const TableSpec& t) {
  std::string out;
  for (int k : t.key) out += (out.empty() ? "" : "+") + std::string(t.fields[k].name);
  return out;
}

std::string CsvQuote(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

struct Problem {
  int64_t line;
  std::string text;
};

/// Prints rows/s on stderr about twice a second.
class Progress {
 public:
  explicit Progress(bool on) : on_(on), start_(Clock::now()), last_(start_) {}
  ~Progress() {
    if (printed_) std::fputs("\n", stderr);
  }
  void Row(const std::string& file) {
    ++rows_;
    if (!on_ || (rows_ & 8191) != 0) return;
    auto now = Clock::now();
    if (now - last_ < std::chrono::milliseconds(500)) return;
    last_ = now;
    double secs = std::chrono::duration<double>(now - start_).count();
    std::fprintf(stderr, "\rimporting %-26s %12lld rows  %9.0f rows/s", file.c_str(), static_cast<long long>(rows_),
                 rows_ / secs);
    printed_ = true;
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool on_;
  Clock::time_point start_, last_;
  int64_t rows_ = 0;
  bool printed_ = false;
};

/// The rows of one table, from a canonical CSV file or from an adapter.
class RowCursor {
 public:
  virtual ~RowCursor() = default;
  virtual bool Next() = 0;
  virtual std::span<const std::string_view> fields() const = 0;
  virtual int64_t line() const = 0;
  virtual std::string_view raw() const = 0;
  /// Ok at a clean end; else why the rows stopped (a broken quoted field).
  virtual const Status& status() const = 0;
};

/// A canonical file's data rows (its header already read).
class CsvCursor : public RowCursor {
 public:
  explicit CsvCursor(CsvReader& csv) : csv_(csv) {}
  bool Next() override { return csv_.Next(); }
  std::span<const std::string_view> fields() const override { return csv_.fields(); }
  int64_t line() const override { return csv_.line(); }
  std::string_view raw() const override { return csv_.raw(); }
  const Status& status() const override { return csv_.status(); }

 private:
  CsvReader& csv_;
};

/// An adapter's rows of one table, already in the table's field order.
class AdaptedCursor : public RowCursor {
 public:
  AdaptedCursor(const AdaptedRows& rows, const AdaptedBatch& batch) : rows_(rows), batch_(batch) {}
  bool Next() override {
    if (next_ >= rows_.size()) return false;
    row_ = next_++;
    raw_ = rows_.raw(row_) >= 0 ? batch_.Raw(rows_.raw(row_)) : std::string_view();
    return true;
  }
  std::span<const std::string_view> fields() const override { return rows_.values(row_); }
  int64_t line() const override { return rows_.line(row_); }
  std::string_view raw() const override { return raw_; }
  const Status& status() const override { return ok_; }

 private:
  const AdaptedRows& rows_;
  const AdaptedBatch& batch_;
  size_t next_ = 0, row_ = 0;
  std::string_view raw_;
  Status ok_;
};

class Importer {
 public:
  Importer(Store& store, std::string dir, const ImportOptions& options)
      : store_(store), dir_(std::move(dir)), options_(options), progress_(options.progress) {
    for (const TableSpec& t : AllTables())
      for (const FieldSpec& f : t.fields)
        if (f.type == FieldType::kRef) referenced_[static_cast<int>(f.ref)] = true;
  }
  Result<ImportReport> Run();
  /// Imports an adapter's rows (ImportAdapted) as one batch.
  Result<ImportReport> RunAdapted(const AdaptedBatch& batch);

 private:
  bool quarantine() const { return !options_.quarantine_path.empty(); }
  /// Problems are kept up to kMaxProblemsKept in all; the rest are counted.
  void Keep(int64_t line, std::string text) {
    if (report_.problems.size() + file_problems_.size() < kMaxProblemsKept)
      file_problems_.push_back({line, std::move(text)});
    else
      ++problems_not_kept_;
  }
  void FileProblem(std::string text) {
    fatal_ = true;
    Keep(0, std::move(text));
  }
  void RowProblem(const std::string& file, int64_t line, std::string_view column, const std::string& what,
                  std::string_view raw) {
    Keep(line, file + ":" + std::to_string(line) + ": " + (column.empty() ? std::string() : std::string(column) + ": ") +
                   what);
    if (quarantine())  // streamed, so millions of bad rows take no memory
      quarantine_out_.Write(CsvQuote(file) + ',' + std::to_string(line) + ',' + CsvQuote(column) + ',' +
                            CsvQuote(what) + ',' + CsvQuote(raw) + '\n');
  }
  bool Known(TableId table, std::string_view id);
  bool CheckHeader(const TableSpec& t, const std::string& file, std::span<const std::string_view> header,
                   std::vector<int>& col_of_field);
  /// Field values and date orders; refs too unless defer_self (then refs to
  /// the row's own table are left for CheckRefs).
  bool CheckRow(const TableSpec& t, const std::string& file, std::span<const std::string_view> v, int64_t line,
                std::string_view raw, bool defer_self);
  /// A key already seen in this batch: a problem naming its first line.
  bool CheckKey(const TableSpec& t, const std::string& file, std::span<const std::string_view> v, int64_t line,
                std::string_view raw, bool row_ok);
  struct Held {
    int64_t line;
    std::string raw;
    std::vector<std::string> values;
    bool ok;
  };
  /// The org-unit tree as it will be after this batch (the store's current
  /// units, with this batch's rows in place of those they correct): every
  /// parent exists, no cycle (within the batch or across batches), not too
  /// deep or large. Rows with a problem are marked not ok.
  Status CheckOrgTree(const TableSpec& t, const std::string& file, std::vector<Held>& held, TableImport& counts);
  /// Stores a checked row; false (with a problem) when its key repeats.
  Result<bool> StoreRow(const TableSpec& t, const std::string& file, std::span<const std::string_view> v,
                     int64_t line, std::string_view raw);
  Status ImportTable(const TableSpec& t, const std::string& path, TableImport& counts);
  /// Checks and stores every row of a cursor: width fields a row, field f
  /// at column col_of_field[f].
  Status ImportRows(const TableSpec& t, const std::string& file, RowCursor& rows, std::span<const int> col_of_field,
                    size_t width, TableImport& counts);
  /// Everything up to the batch's writer: the content hash compared with
  /// the store's batches, then BeginBatch. Returns false when done (a
  /// duplicate), with report_ set.
  Result<bool> BeginBatch(const std::string& source, const std::string& all_digests);
  Result<ImportReport> Finish(std::vector<FileDigest> digests, int64_t rejected);
  /// The column a problem names: the canonical field, or for an adapted
  /// batch the source column it came from.
  std::string ColumnName(const TableSpec& t, size_t field) const {
    if (adapted_ && adapted_->column_of) {
      std::string c = adapted_->column_of(t.id, static_cast<int>(field));
      if (!c.empty()) return c;
    }
    return std::string(t.fields[field].name);
  }
  void FlushProblems();
  bool Interrupted() const {
    return options_.interrupted != nullptr && *options_.interrupted != 0;
  }

  Store& store_;
  std::string dir_;
  const AdaptedBatch* adapted_ = nullptr;
  const ImportOptions& options_;
  Progress progress_;
  ImportReport report_;
  std::unique_ptr<BatchWriter> writer_;
  bool first_import_ = false;
  bool fatal_ = false;
  PlausibleDates bounds_;
  Status store_error_;  // a store failure met while checking references
  std::array<bool, kTableCount> referenced_{};
  std::array<KeySet, kTableCount> known_, absent_;
  KeySet batch_keys_;                   // of the table being read (see CheckKey)
  std::string key_scratch_;
  bool track_all_keys_ = false;         // the table had rows before this batch
  std::vector<Problem> file_problems_;  // of the file being read; sorted by line when it is done
  int64_t problems_not_kept_ = 0;
  OutputFile quarantine_out_;  // the reject file, renamed into place when the batch commits
  std::string problem_;
  std::array<FieldValue, kMaxFields> parsed_;
};

void Importer::FlushProblems() {
  std::stable_sort(file_problems_.begin(), file_problems_.end(),
                   [](const Problem& a, const Problem& b) { return a.line < b.line; });
  for (Problem& p : file_problems_) {
    ++report_.problem_count;
    report_.problems.push_back(std::move(p.text));
  }
  report_.problem_count += problems_not_kept_;
  problems_not_kept_ = 0;
  file_problems_.clear();
}

bool Importer::Known(TableId table, std::string_view id) {
  KeySet& known = known_[static_cast<int>(table)];
  if (known.Contains(id)) return true;
  if (first_import_) return false;
  KeySet& absent = absent_[static_cast<int>(table)];
  if (absent.Contains(id)) return false;
  Result<bool> has = store_.HasRecord(table, id);
  if (!has.ok()) {
    // Not "matches no record": the store failed, and the import stops.
    if (store_error_.ok()) store_error_ = has.status();
    return true;
  }
  if (*has) {
    known.Insert(id);
    return true;
  }
  if (absent.size() < kMaxAbsentRemembered) absent.Insert(id);
  return false;
}

bool Importer::CheckHeader(const TableSpec& t, const std::string& file, std::span<const std::string_view> header,
                           std::vector<int>& col_of_field) {
  col_of_field.assign(t.fields.size(), -1);
  std::vector<std::string> unknown;
  bool ok = true, in_order = true;
  int last = -1;
  const std::string at = file + ":1: header: ";
  // Excel in a locale with a decimal comma saves "CSV" with semicolons, and
  // some exports use tabs: the whole header is then one column. One problem
  // naming the separator, not one per missing column.
  if (header.size() == 1) {
    for (const char sep : {';', '\t', '|'}) {
      const size_t cut = header[0].find(sep);
      if (cut == std::string_view::npos || t.FieldIndex(header[0].substr(0, cut)) < 0) continue;
      FileProblem(at + "the columns are separated by " + (sep == '\t' ? std::string("tabs") : fmt::format("'{}'", sep)) +
                  " (expected commas, as in " + ColumnList(t) + "; in Excel, save as 'CSV UTF-8 (Comma delimited)')");
      return false;
    }
  }
  for (size_t c = 0; c < header.size(); ++c) {
    int f = t.FieldIndex(header[c]);
    if (f < 0) {
      unknown.emplace_back(header[c]);
      continue;
    }
    if (col_of_field[f] >= 0) {
      FileProblem(at + "column '" + std::string(header[c]) + "' appears twice (expected each column once)");
      ok = false;
      continue;
    }
    col_of_field[f] = static_cast<int>(c);
    if (f < last) in_order = false;
    last = f;
  }
  for (size_t f = 0; f < t.fields.size(); ++f) {
    if (col_of_field[f] >= 0) continue;
    FileProblem(at + "column '" + std::string(t.fields[f].name) + "' is missing (expected columns " +
                ColumnList(t) + ")");
    ok = false;
  }
  if (ok && !in_order) {
    FileProblem(at + "columns are out of order (expected columns " + ColumnList(t) + ")");
    ok = false;
  }
  if (!unknown.empty()) {
    constexpr size_t kNamed = 10;  // a header of a million stray columns is one short warning
    std::string names;
    for (size_t i = 0; i < unknown.size() && i < kNamed; ++i)
      names += (names.empty() ? "'" : ", '") + Printable(unknown[i]) + "'";
    if (unknown.size() > kNamed) names += " and " + std::to_string(unknown.size() - kNamed) + " more";
    report_.warnings.push_back(at + (unknown.size() == 1 ? "unknown column " : "unknown columns ") + names +
                               " ignored");
  }
  return ok;
}

bool Importer::CheckRow(const TableSpec& t, const std::string& file, std::span<const std::string_view> v,
                        int64_t line, std::string_view raw, bool defer_self) {
  bool ok = true;
  for (size_t i = 0; i < t.fields.size(); ++i) {
    const FieldSpec& f = t.fields[i];
    // Text first (UTF-8, no NUL, bounded), so every later message quotes
    // clean text; then the type; then plausibility (dates).
    if (!TryCheckText(v[i], problem_) || !TryParseField(f, v[i], parsed_[i], problem_) ||
        !TryCheckPlausible(f, v[i], parsed_[i], bounds_, problem_)) {
      RowProblem(file, line, ColumnName(t, i), problem_, raw);
      ok = false;
      parsed_[i] = FieldValue{};  // unknown, so the checks below skip it
      continue;
    }
    if (f.type != FieldType::kRef || parsed_[i].null || (defer_self && f.ref == t.id)) continue;
    if (Known(f.ref, v[i])) continue;
    RowProblem(file, line, ColumnName(t, i),
               "'" + Printable(v[i]) + "' matches no " + std::string(Table(f.ref).name) + " record (expected " +
                   ExpectedFormat(f) + " in this import or already in the store)",
               raw);
    ok = false;
  }
  for (const DateOrder& d : t.date_orders) {
    const FieldValue &start = parsed_[d.start], &end = parsed_[d.end];
    if (start.null || end.null || end.i >= start.i) continue;
    const std::string end_name = ColumnName(t, static_cast<size_t>(d.end)),
                      start_name = ColumnName(t, static_cast<size_t>(d.start));
    RowProblem(file, line, end_name,
               "'" + std::string(v[d.end]) + "' is before " + std::string(start_name) + " '" +
                   std::string(v[d.start]) + "' (expected " + std::string(end_name) + " on or after " +
                   std::string(start_name) + ")",
               raw);
    ok = false;
  }
  return ok;
}

std::string KeyOf(const TableSpec& t, std::span<const std::string_view> v) {
  std::string key;
  for (int k : t.key) key += (key.empty() ? "" : "|") + std::string(v[k]);
  return key;
}

/// The key as the store forms it: the id itself for a one-field key (no
/// copy), else the fields joined by '|' in scratch.
std::string_view KeyView(const TableSpec& t, std::span<const std::string_view> v, std::string& scratch) {
  if (t.key.size() == 1) return v[t.key[0]];
  scratch.clear();
  for (size_t i = 0; i < t.key.size(); ++i) {
    if (i) scratch += '|';
    scratch += v[t.key[i]];
  }
  return scratch;
}

bool Importer::CheckKey(const TableSpec& t, const std::string& file, std::span<const std::string_view> v,
                        int64_t line, std::string_view raw, bool row_ok) {
  // A key twice in one batch is an error whatever is stored. The store
  // refuses a second copy of a row it stored in this batch; it cannot see a
  // copy it did not store (unchanged from the current version, or a rejected
  // row), so those keys are kept here: every key when the table had rows
  // before this batch; else, with quarantine (where a later good copy would
  // be stored), the rejected rows' keys. Without quarantine nothing is
  // stored once a row is rejected, so millions of bad rows cost no memory.
  const bool keep = track_all_keys_ || (!row_ok && quarantine());
  if (!keep && batch_keys_.size() == 0) return true;
  const std::string_view key = KeyView(t, v, key_scratch_);
  const int64_t first = keep ? batch_keys_.Insert(key, line) : batch_keys_.Find(key);
  if (first < 0) return true;
  RowProblem(file, line, KeyColumns(t),
             "'" + Printable(key) + "' appears twice in this import (expected one row per " + KeyColumns(t) +
                 "; first at line " + std::to_string(first) + ")",
             raw);
  return false;
}

Result<bool> Importer::StoreRow(const TableSpec& t, const std::string& file, std::span<const std::string_view> v,
                             int64_t line, std::string_view raw) {
  Status s = writer_->Add(t.id, v, file, line);
  if (s.ok()) return true;
  if (s.code() != StatusCode::kAlreadyExists) return s;
  RowProblem(file, line, KeyColumns(t),
             "'" + Printable(KeyOf(t, v)) + "' appears twice in this import (expected one row per " + KeyColumns(t) +
                 "; first at line " + s.message() + ")",
             raw);
  return false;
}

Status Importer::CheckOrgTree(const TableSpec& t, const std::string& file, std::vector<Held>& held,
                              TableImport& counts) {
  const int f_id = t.id_field, f_parent = t.FieldIndex("parent_id");
  // The units after this batch: the store's, then this batch's in their place.
  std::unordered_map<std::string, int32_t> index;
  std::vector<std::string> ids, parent_ids;
  std::vector<int64_t> held_of;  // the unit's row in held, or -1 for a stored unit
  auto unit = [&](const std::string& id) {
    auto [it, inserted] = index.try_emplace(id, static_cast<int32_t>(ids.size()));
    if (inserted) {
      ids.push_back(id);
      parent_ids.emplace_back();
      held_of.push_back(-1);
    }
    return it->second;
  };
  if (!first_import_) {
    GT_RETURN_IF_ERROR(store_.ScanCurrent(t.id, [&](const StoredRow& row) -> Status {
      if (index.size() > static_cast<size_t>(kMaxOrgUnits)) return Status::Ok();  // refused below
      parent_ids[unit(std::string(row.values[f_id]))] = std::string(row.values[f_parent]);
      return Status::Ok();
    }));
  }
  for (size_t h = 0; h < held.size(); ++h) {
    // A row with a problem leaves the stored version in place; without
    // quarantine its id still counts (as a root), so one bad unit does not
    // bury the real problems under "matches no org_units record".
    if (!held[h].ok && (quarantine() || index.count(held[h].values[f_id]))) continue;
    const int32_t u = unit(held[h].values[f_id]);
    parent_ids[u] = held[h].ok ? held[h].values[f_parent] : std::string();
    held_of[u] = static_cast<int64_t>(h);
  }
  if (ids.size() > static_cast<size_t>(kMaxOrgUnits)) {
    FileProblem(file + ": with the store's units there would be more than " + std::to_string(kMaxOrgUnits) +
                " org units (expected at most " + std::to_string(kMaxOrgUnits) + ")");
    return Status::Ok();
  }
  int64_t tree_problems = 0;
  auto reject = [&](int32_t u, const std::string& what) {
    Held& h = held[static_cast<size_t>(held_of[u])];
    RowProblem(file, h.line, "parent_id", what, h.raw);
    if (h.ok) ++counts.rows_rejected;
    h.ok = false;
    ++tree_problems;
  };
  auto tree_problem = [&](const std::string& what) {
    FileProblem(file + ": " + what);
    ++tree_problems;
  };
  // Every parent must be a unit. A missing one counts as a root below, so
  // the cycles are still found.
  std::vector<int32_t> parents(ids.size(), -1);
  for (size_t u = 0; u < ids.size(); ++u) {
    if (parent_ids[u].empty()) continue;
    auto it = index.find(parent_ids[u]);
    if (it != index.end()) {
      parents[u] = it->second;
      continue;
    }
    const std::string missing = "'" + Printable(parent_ids[u]) + "' matches no " + std::string(t.name) + " record";
    if (held_of[u] >= 0)
      reject(static_cast<int32_t>(u), missing + " (expected " + ExpectedFormat(t.fields[f_parent]) +
                                          " in this import or already in the store)");
    else
      tree_problem("the stored unit '" + Printable(ids[u]) + "' has parent_id " + missing +
                   " (expected this import to correct it)");
  }
  // No unit may be its own ancestor, within this batch or with the store's.
  for (std::vector<int32_t>& cycle : FindParentCycles(parents)) {
    auto first = cycle.end();  // this batch's row on the cycle that comes first in the file
    for (auto it = cycle.begin(); it != cycle.end(); ++it)
      if (held_of[*it] >= 0 && (first == cycle.end() || held[held_of[*it]].line < held[held_of[*first]].line))
        first = it;
    auto id_of = [&](int32_t u) { return Printable(ids[u]); };
    if (first == cycle.end()) {
      tree_problem("the stored org units form a cycle: " + CycleText(cycle, id_of) +
                   " (expected this import to correct a parent_id)");
      continue;
    }
    std::rotate(cycle.begin(), first, cycle.end());  // named from the row reported
    reject(cycle.front(), "'" + Printable(parent_ids[cycle.front()]) + "' makes a cycle: " + CycleText(cycle, id_of) +
                              " (expected a tree: no unit may be its own ancestor)");
  }
  if (tree_problems == 0) {
    Result<OrgTree> tree = OrgTree::Build(parents, [&](int32_t u) { return Printable(ids[u]); });
    if (!tree.ok()) {
      FileProblem(file + ": " + tree.status().message());
      return Status::Ok();
    }
    // The council is at the top: a store needs one (its figures are the
    // council's), and a team or service without a parent would be a second
    // top whose records no council figure counts. A national set's nation
    // (or a regional set's region) sits above its councils instead.
    constexpr const char* kCouncilExpected =
        "expected at least the council: a row of kind council with an empty parent_id";
    if (ids.empty()) {
      FileProblem(held.empty()
                      ? file + ":1: header: no org units follow the header (" + kCouncilExpected + ")"
                      : file + ": no org unit would be stored (" + kCouncilExpected + ")");
      return Status::Ok();
    }
    const int f_kind = t.FieldIndex("kind");
    for (size_t u = 0; u < ids.size(); ++u) {
      if (parents[u] >= 0 || held_of[u] < 0 || !held[static_cast<size_t>(held_of[u])].ok) continue;
      const std::string& kind = held[static_cast<size_t>(held_of[u])].values[f_kind];
      if (kind == "council" || kind == "region" || kind == "nation") continue;
      reject(static_cast<int32_t>(u),
             "is empty for the " + Printable(kind) + " '" + Printable(ids[u]) +
                 "' (expected the id of the unit above it: only a council, or a region or nation above councils, has "
                 "no parent)");
    }
  }
  if (tree_problems > 0 && quarantine()) {
    // Setting a unit aside would orphan its children and every record of its
    // team: the tree is imported whole or not at all.
    FileProblem(file +
                ": the org-unit tree has problems, which --quarantine cannot set aside (expected every "
                "parent_id to name a unit, no cycles, and only councils, regions and nations without a parent)");
  }
  return Status::Ok();
}

Status Importer::ImportTable(const TableSpec& t, const std::string& path, TableImport& counts) {
  const std::string file = t.FileName();
  Result<std::unique_ptr<CsvReader>> opened = CsvReader::Open(path, file);
  if (!opened.ok()) return opened.status();
  CsvReader& csv = **opened;
  if (!csv.Next()) {
    if (!csv.status().ok()) FileProblem(csv.status().message());
    else FileProblem(file + ":1: header: the file is empty (expected the header " + ColumnList(t) + ")");
    return Status::Ok();
  }
  std::vector<std::string_view> header(csv.fields().begin(), csv.fields().end());
  std::vector<std::string> header_text(header.begin(), header.end());
  for (size_t i = 0; i < header.size(); ++i) header[i] = header_text[i];
  std::vector<int> col_of_field;
  if (!CheckHeader(t, file, header, col_of_field)) return Status::Ok();
  CsvCursor cursor(csv);
  return ImportRows(t, file, cursor, col_of_field, header.size(), counts);
}

Status Importer::ImportRows(const TableSpec& t, const std::string& file, RowCursor& csv,
                            std::span<const int> col_of_field, size_t width, TableImport& counts) {
  const size_t n = t.fields.size();
  const bool self_ref = std::any_of(t.fields.begin(), t.fields.end(),
                                    [&](const FieldSpec& f) { return f.type == FieldType::kRef && f.ref == t.id; });
  const bool referenced = referenced_[static_cast<int>(t.id)];
  std::vector<std::string_view> values(n);
  batch_keys_.Clear();
  track_all_keys_ = self_ref;
  if (!first_import_ && !self_ref) {
    Result<int64_t> stored = store_.CountCurrent(t.id);
    if (!stored.ok()) return stored.status();
    track_all_keys_ = *stored > 0;
  }
  // Tables that refer to themselves (org units' parents) are read whole
  // first, since a child may come before its parent; at most kMaxOrgUnits.
  std::vector<Held> held;
  size_t held_bytes = 0;
  auto remember_id = [&](std::span<const std::string_view> v, bool ok) {
    // Without quarantine, ids of bad rows still count as known, so one bad
    // person does not bury the real problems under "matches no people record".
    if (referenced && t.id_field >= 0 && !v[t.id_field].empty() && (ok || !quarantine()))
      known_[static_cast<int>(t.id)].Insert(v[t.id_field]);
  };
  while (csv.Next()) {
    if (Interrupted()) return Status::IOError("interrupted");
    std::span<const std::string_view> rec = csv.fields();
    if (rec.size() == 1 && rec[0].empty() && csv.raw().empty()) continue;  // blank line
    ++counts.rows_read;
    progress_.Row(file);
    if (rec.size() != width) {
      RowProblem(file, csv.line(), "",
                 "has " + std::to_string(rec.size()) + " fields (expected " + std::to_string(width) +
                     ", as in the header)",
                 csv.raw());
      ++counts.rows_rejected;
      continue;
    }
    for (size_t f = 0; f < n; ++f) values[f] = rec[col_of_field[f]];
    bool ok = CheckRow(t, file, values, csv.line(), csv.raw(), self_ref);
    ok = CheckKey(t, file, values, csv.line(), csv.raw(), ok) && ok;
    remember_id(values, ok);
    if (self_ref) {
      if (held.size() >= static_cast<size_t>(kMaxOrgUnits)) {
        FileProblem(file + ":" + std::to_string(csv.line()) + ": more than " + std::to_string(kMaxOrgUnits) +
                    " rows (expected at most " + std::to_string(kMaxOrgUnits) + " org units)");
        break;
      }
      // Held whole, so bounded in bytes too: 100,000 records of 1 MiB (long
      // unknown columns) would be 100 GiB.
      held_bytes += csv.raw().size();
      if (held_bytes > kMaxHeldOrgUnitBytes) {
        FileProblem(file + ":" + std::to_string(csv.line()) + ": the rows so far come to more than " +
                    std::to_string(kMaxHeldOrgUnitBytes >> 20) + " MiB (expected at most " +
                    std::to_string(kMaxHeldOrgUnitBytes >> 20) +
                    " MiB of org units, which are read whole to check the tree; drop the extra columns)");
        break;
      }
      held.push_back({csv.line(), std::string(csv.raw()), std::vector<std::string>(values.begin(), values.end()), ok});
      if (!ok) ++counts.rows_rejected;
      continue;
    }
    if (!ok) {
      ++counts.rows_rejected;
      continue;
    }
    Result<bool> stored = StoreRow(t, file, values, csv.line(), csv.raw());
    if (!stored.ok()) return stored.status();
    ++(*stored ? counts.rows_accepted : counts.rows_rejected);
    if (!store_error_.ok()) return store_error_;
  }
  if (!csv.status().ok()) {
    if (csv.status().code() != StatusCode::kInvalidArgument) return csv.status();
    FileProblem(csv.status().message());
  }
  GT_RETURN_IF_ERROR(store_error_);
  batch_keys_.Clear();
  if (self_ref) GT_RETURN_IF_ERROR(CheckOrgTree(t, file, held, counts));
  for (Held& h : held) {
    if (!h.ok) continue;
    for (size_t f = 0; f < n; ++f) values[f] = h.values[f];
    Result<bool> stored = StoreRow(t, file, values, h.line, h.raw);
    if (!stored.ok()) return stored.status();
    ++(*stored ? counts.rows_accepted : counts.rows_rejected);
  }
  return Status::Ok();
}

Result<ImportReport> Importer::Run() {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir_, ec))
    return Status::InvalidArgument("'" + dir_ + "' is not a directory (expected a directory of canonical CSV files)");
  if (quarantine()) {
    Result<OutputFile> out = OutputFile::Open(options_.quarantine_path, ImportProtectedFiles(store_.location(), dir_));
    if (!out.ok()) return Status::InvalidArgument("--quarantine " + out.status().message());
    quarantine_out_ = std::move(*out);
    quarantine_out_.Write("file,line,column,problem,row\n");
  }
  std::set<std::string> names;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec))
    names.insert(it->path().filename().string());
  if (ec) return Status::IOError("cannot list '" + dir_ + "': " + ec.message());
  constexpr int64_t kNamed = 10;  // a folder of a million stray files is a short warning
  int64_t stray = 0;
  for (const std::string& name : names)
    if (name.ends_with(".csv") && !FindTable(std::string_view{name}.substr(0, name.size() - 4)) &&
        ++stray <= kNamed)
      report_.warnings.push_back(Printable(name) + ": not a canonical file, ignored");
  if (stray > kNamed)
    report_.warnings.push_back("and " + std::to_string(stray - kNamed) + " more files that are not canonical, ignored");

  Result<std::vector<BatchInfo>> batches = store_.Batches();
  if (!batches.ok()) return batches.status();
  first_import_ = batches->empty();

  std::vector<FileDigest> digests;
  std::vector<const TableSpec*> present;
  std::string all_digests;
  for (const TableSpec& t : AllTables()) {
    std::string file = t.FileName();
    if (!names.count(file)) {
      if (t.required_file && first_import_)
        FileProblem(file + ": the file is missing (expected org_units.csv and people.csv in a store's first import)");
      continue;
    }
    Result<std::string> sha = Sha256File((fs::path(dir_) / file).string());
    if (!sha.ok() && sha.status().code() == StatusCode::kInvalidArgument) {
      FileProblem(file + ": " + sha.status().message());  // a directory, a FIFO, a link to a device
      continue;
    }
    if (!sha.ok()) return sha.status();
    if (Interrupted()) return Status::IOError("interrupted");
    digests.push_back({file, *sha, 0});
    present.push_back(&t);
    all_digests += file + " " + *sha + "\n";
  }
  if (present.empty() && !fatal_)
    FileProblem(dir_ + ": no canonical CSV files (expected org_units.csv, people.csv, requests.csv, ...)");
  FlushProblems();
  if (fatal_) return std::move(report_);

  Result<bool> begun = BeginBatch(dir_, all_digests);
  if (!begun.ok()) return begun.status();
  if (!*begun) return std::move(report_);

  int64_t rejected = 0;
  for (size_t i = 0; i < present.size(); ++i) {
    const TableSpec& t = *present[i];
    TableImport counts;
    counts.file = t.FileName();
    GT_RETURN_IF_ERROR(ImportTable(t, (fs::path(dir_) / counts.file).string(), counts));
    FlushProblems();
    digests[i].rows = counts.rows_read;
    rejected += counts.rows_rejected;
    report_.tables.push_back(std::move(counts));
  }
  return Finish(std::move(digests), rejected);
}

Result<bool> Importer::BeginBatch(const std::string& source, const std::string& all_digests) {
  report_.batch.content_hash = Sha256Hex(all_digests);
  Result<std::optional<BatchInfo>> earlier = store_.FindBatchByHash(report_.batch.content_hash);
  if (!earlier.ok()) return earlier.status();
  if (*earlier) {
    report_.batch = std::move(**earlier);
    report_.duplicate = true;
    return false;
  }

  BatchInfo info;
  info.imported_at = options_.now != kNullTimestamp ? options_.now : static_cast<Timestamp>(std::time(nullptr));
  bounds_ = PlausibleDatesAt(info.imported_at);
  info.imported_by = options_.imported_by.empty() ? OsUser() : options_.imported_by;
  info.source = source;
  info.content_hash = report_.batch.content_hash;
  Result<std::unique_ptr<BatchWriter>> writer = store_.BeginBatch(info);
  if (!writer.ok() && writer.status().code() == StatusCode::kAlreadyExists) {
    // Another import stored the same files while this one read them.
    earlier = store_.FindBatchByHash(report_.batch.content_hash);
    if (!earlier.ok()) return earlier.status();
    if (*earlier) {
      report_.batch = std::move(**earlier);
      report_.duplicate = true;
      return false;
    }
  }
  if (!writer.ok()) return writer.status();
  writer_ = std::move(*writer);
  return true;
}

Result<ImportReport> Importer::Finish(std::vector<FileDigest> digests, int64_t rejected) {
  if (fatal_ || (report_.problem_count > 0 && !quarantine())) return std::move(report_);  // rolled back

  if (Interrupted()) return Status::IOError("interrupted");
  // The reject file first: a batch must never be stored without the list of
  // what it left out.
  if (quarantine()) GT_RETURN_IF_ERROR(quarantine_out_.Commit());
  Result<BatchInfo> committed = writer_->Commit(std::move(digests), rejected);
  if (!committed.ok()) return committed.status();
  report_.batch = std::move(*committed);
  report_.committed = true;
  return std::move(report_);
}

Result<ImportReport> Importer::RunAdapted(const AdaptedBatch& batch) {
  adapted_ = &batch;
  if (quarantine()) {
    ProtectedFiles protect;
    protect.AddStore(store_.location());
    protect.Add(batch.source, "the input file");
    Result<OutputFile> out = OutputFile::Open(options_.quarantine_path, protect);
    if (!out.ok()) return Status::InvalidArgument("--quarantine " + out.status().message());
    quarantine_out_ = std::move(*out);
    quarantine_out_.Write("file,line,column,problem,row\n");
  }
  report_.warnings = batch.warnings;
  for (const std::string& p : batch.file_problems) FileProblem(p);
  FlushProblems();
  if (fatal_) return std::move(report_);

  Result<std::vector<BatchInfo>> batches = store_.Batches();
  if (!batches.ok()) return batches.status();
  first_import_ = batches->empty();
  std::string all_digests;
  for (const FileDigest& d : batch.digests) all_digests += d.file + " " + d.sha256 + "\n";
  Result<bool> begun = BeginBatch(batch.source, all_digests);
  if (!begun.ok()) return begun.status();
  if (!*begun) return std::move(report_);

  // The adapter's own problems first: its summaries (a code the mapping
  // does not know, with its count), kept before the rows' problems so that
  // a million bad rows cannot push them out of the kMaxProblemsKept listed;
  // each refused row to the quarantine file; then the canonical checks.
  for (const auto& [line, text] : batch.summaries) Keep(line, text);
  for (const AdaptedProblem& p : batch.problems) {
    const std::string_view raw = p.raw >= 0 ? batch.Raw(p.raw) : std::string_view();
    if (p.reason < 0) {
      RowProblem(batch.file, p.line, p.column, p.what, raw);
    } else if (quarantine()) {
      const auto& [column, what] = batch.reasons[static_cast<size_t>(p.reason)];
      quarantine_out_.Write(CsvQuote(batch.file) + ',' + std::to_string(p.line) + ',' + CsvQuote(column) + ',' +
                            CsvQuote(what) + ',' + CsvQuote(raw) + '\n');
    }
  }
  problems_not_kept_ += batch.problems_not_kept;
  // One source file: its problems, the adapter's and the canonical checks',
  // are listed together in line order (flushed once, below).
  int64_t rejected = batch.rows_rejected;
  std::vector<int> identity;
  for (const TableSpec& t : AllTables()) {
    const AdaptedRows& rows = batch.rows[static_cast<size_t>(t.id)];
    if (rows.empty()) continue;
    TableImport counts;
    counts.file = t.FileName();
    identity.resize(t.fields.size());
    for (size_t f = 0; f < identity.size(); ++f) identity[f] = static_cast<int>(f);
    AdaptedCursor cursor(rows, batch);
    GT_RETURN_IF_ERROR(ImportRows(t, batch.file, cursor, identity, t.fields.size(), counts));
    rejected += counts.rows_rejected;
    report_.tables.push_back(std::move(counts));
  }
  FlushProblems();
  std::vector<FileDigest> digests = batch.digests;
  return Finish(std::move(digests), rejected);
}

}  // namespace

std::string_view TextArena::Add(std::string_view s) {
  if (s.empty()) return {};
  if (left_ < s.size()) {
    const size_t n = std::max(kBlock, s.size());  // a field longer than a block gets one of its own
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(n));
    at_ = blocks_.back().get();
    left_ = n;
  }
  std::memcpy(at_, s.data(), s.size());
  const std::string_view kept(at_, s.size());
  at_ += s.size();
  left_ -= s.size();
  bytes_ += s.size();
  return kept;
}

void AdaptedBatch::AddRow(TableId t, int64_t line, int64_t raw, std::span<const std::string_view> values) {
  std::array<std::string_view, kMaxFields> kept;
  for (size_t i = 0; i < values.size(); ++i) kept[i] = text.Add(values[i]);
  rows[static_cast<size_t>(t)].Add(line, raw, std::span(kept.data(), values.size()));
}

ProtectedFiles ImportProtectedFiles(const std::string& store_location, const std::string& dir) {
  ProtectedFiles p;
  p.AddStore(store_location);
  // Every canonical name, present or not: a reject file named visits.csv in
  // the directory would be read as visits by the next import.
  for (const TableSpec& t : AllTables())
    p.Add((std::filesystem::path(dir) / t.FileName()).string(), "an input file");
  return p;
}

Result<ImportReport> ImportDirectory(Store& store, const std::string& dir, const ImportOptions& options) {
  Importer importer(store, dir, options);
  return importer.Run();
}

Result<ImportReport> ImportAdapted(Store& store, const AdaptedBatch& batch, const ImportOptions& options) {
  Importer importer(store, batch.source, options);
  return importer.RunAdapted(batch);
}

}  // namespace goldthread
