#pragma once
// `goldthread export STORE --format cld --out DIR`: the store's current
// canonical records written as a CLD return, Release 1 (DIR/cld.csv, every
// column of ingest/cld_format.h in the specification's order), through the
// same mapping the import reads (the first CLD value listed for each code).
// What CLD has no column for is not written, and the report counts it
// (docs/cld.md lists it): visits, personal budgets, support plans, hospital
// episodes, emergency plans, survey answers, outcome measures, case audits,
// feedback, finance, populations; service users with no event; the team a
// record belongs to (every row carries the council's LA code).
//
// Importing the export again (each event's id is its Event_Reference; with
// area = "postcode", as the round-trip test does) gives the same figures for
// every indicator CLD feeds.

#include <array>
#include <cstdint>
#include <string>

#include "core/status.h"
#include "ingest/cld_mapping.h"
#include "model/schema.h"
#include "store/store.h"

namespace goldthread {

struct CldExportOptions {
  const CldMapping* mapping = nullptr;  // nullptr: the built-in mapping
  std::string la_code;                  // "": the store's one root org unit
};

struct CldExportReport {
  std::string path;           // DIR/cld.csv
  int64_t rows = 0;           // CLD rows written
  std::array<int64_t, 4> events{};  // requests, assessments, services, reviews
  int64_t carers_by_association = 0;  // carers written with no event of their own
  int64_t people_without_events = 0;  // service users CLD cannot carry
  std::array<int64_t, kTableCount> not_written{};  // current records of tables CLD has no place for
  std::string la_code;
};

/// Writes DIR/cld.csv (DIR is created if missing; the file is written whole
/// through a temporary file). InvalidArgument when no LA code can be chosen.
Result<CldExportReport> ExportCld(Store& store, const std::string& dir, const CldExportOptions& options);

}  // namespace goldthread
