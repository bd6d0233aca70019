#pragma once
// Published council figures (NHS Digital "Measures from the Adult Social
// Care Outcomes Framework"), kept beside the case records in the store's
// SQLite file, in a table of their own (published_measures), accumulating
// years.
//
// Why a narrow interface of our own and not a Store method: the published
// figures are not case records, need no batches, versions or lineage, and
// only `goldthread benchmark` reads them; adding them to the Store
// interface would oblige every backend (PostgreSQL too) to carry them.
// This class opens the same SQLite file by its location; a postgresql://
// store is refused with a clear message until there is a need.
//
// Layouts read:
// - the open-data CSV (header "Geographical Code,...,ASCOF Measure Code,
//   Disaggregation Level,Measure Type,Measure Value,Measure Group,..."),
//   one row per council x measure x disaggregation x measure type
//   (Numerator, Denominator, Outcome, Base, Margin Of Error); "[x]" is
//   missing; only Council rows are kept;
// - the processed 2018-19 / 2019-20 files (header "Geographical
//   Description,Geographical Level,ONS Code,Measure Group Description,
//   Disaggregation Level,Measure Value,...,Year"): Outcome values only,
//   measures named by description, mapped to the measure group code where
//   the store already knows the description from an open-data import.
//
// Not thread-safe; one thread at a time.

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

struct sqlite3;

namespace goldthread::integrity {

struct PublishedValue {
  std::string year;            // "2020-21"
  std::string ons_code;        // "E10000006"
  std::string council;         // "Cumbria"
  std::string measure;         // measure group code "2B1" (or a description)
  std::string disaggregation;  // "Total", "65 and over", ...
  double outcome = NAN, numerator = NAN, denominator = NAN;
};

struct PublishedImport {
  std::string layout;  // "open_data" or "processed"
  int64_t rows_read = 0;
  int64_t values_stored = 0;
  int64_t missing = 0;  // "[x]" and empty values skipped
};

class PublishedStore {
 public:
  /// Opens (creating the table if needed) the store's SQLite file. The file
  /// must exist: "store 'X' does not exist (run 'goldthread import X DIR' first)".
  static Result<std::unique_ptr<PublishedStore>> Open(const std::string& location);
  ~PublishedStore();
  PublishedStore(const PublishedStore&) = delete;
  PublishedStore& operator=(const PublishedStore&) = delete;

  /// Imports a file for a year ("2020-21"), replacing that year's values of
  /// the same councils and measures. InvalidArgument names the file and line.
  Result<PublishedImport> ImportCsv(const std::string& path, const std::string& year);
  /// Every stored value, pivoted to outcome/numerator/denominator, ordered
  /// by measure, disaggregation, council and year.
  Result<std::vector<PublishedValue>> Values();

 private:
  explicit PublishedStore(sqlite3* db) : db_(db) {}
  Status Exec(const std::string& sql);
  sqlite3* db_;
};

}  // namespace goldthread::integrity
