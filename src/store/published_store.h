#pragma once
// Published council figures (NHS Digital "Measures from the Adult Social
// Care Outcomes Framework"), kept beside the case records in the store's
// SQLite file, in a table of their own, accumulating years:
//
//   published_measures(year, ons_code, council, measure, disaggregation,
//                      measure_type, value, description, source)
//   PRIMARY KEY (year, ons_code, measure, disaggregation, measure_type)
//
// Why not Store methods: the published figures are not case records, need
// no batches, versions or lineage, and only `goldthread benchmark` reads
// them; on the Store interface every backend (PostgreSQL too) would have to
// carry them. A postgresql:// store is refused with a clear message.
//
// Every statement is prepared and stepped through the checked connection
// of store/sqlite_db.h: a statement that fails to prepare, or a step that
// is refused, is an error, never the end of the figures; a store still in
// use by another process after the wait is kBusy ("in use by another
// process"), never bad input. A replacement is one transaction: all of a file's figures or
// none.
//
// Reading the CSV files is ingest's (ingest/ascof_csv.h).
//
// Not thread-safe; one thread at a time.

#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "store/sqlite_db.h"

namespace goldthread {

/// One published figure as read from a file.
struct PublishedRow {
  std::string year;            // "2020-21"
  std::string ons_code;        // "E10000006"
  std::string council;         // "Cumbria"
  std::string measure;         // measure group code "2B1" (or a description)
  std::string disaggregation;  // "Total", "65 and over", ...
  std::string measure_type;    // "Outcome", "Numerator", "Denominator", "Base", "Margin Of Error"
  double value = NAN;
  std::string description;  // "Still at home", the file's description of the measure
};

/// A council's figures for one measure, disaggregation and year.
struct PublishedValue {
  std::string year;
  std::string ons_code;
  std::string council;
  std::string measure;
  std::string disaggregation;
  double outcome = NAN, numerator = NAN, denominator = NAN;
};

class PublishedStore {
 public:
  /// Opens the store's SQLite file, which must exist ("store 'X' does not
  /// exist (run 'goldthread import X DIR' first)") and be a goldthread
  /// store. Nothing is written until Replace. A store another process is
  /// writing is waited for as options say (StoreOptions::wait, announced
  /// through on_wait, as for OpenStore), then is kBusy.
  static Result<std::unique_ptr<PublishedStore>> Open(const std::string& location,
                                                      const StoreOptions& options = {});
  ~PublishedStore();
  PublishedStore(const PublishedStore&) = delete;
  PublishedStore& operator=(const PublishedStore&) = delete;

  /// Stores rows in one transaction, each replacing a stored figure with
  /// the same year, council, measure, disaggregation and type; source
  /// names the file. On an error nothing is stored.
  Status Replace(const std::vector<PublishedRow>& rows, const std::string& source);
  /// Measure codes by the descriptions stored with them (from open-data
  /// imports), so a file that names measures only by description can be
  /// mapped to codes.
  Result<std::map<std::string, std::string>> CodesByDescription();
  /// Every stored figure, pivoted to outcome/numerator/denominator, ordered
  /// by measure, disaggregation, council and year.
  Result<std::vector<PublishedValue>> Values();

 private:
  explicit PublishedStore(std::unique_ptr<sqlite::Db> db) : db_(std::move(db)) {}
  Result<bool> HasTable();
  std::unique_ptr<sqlite::Db> db_;
};

}  // namespace goldthread
