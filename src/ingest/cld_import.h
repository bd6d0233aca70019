#pragma once
// `goldthread import STORE FILE --format cld`: the NHS England Adult Social
// Care Client Level Data (CLD) return, Release 1, loaded as the council
// produces it. Each row (one event: Request, Assessment, Service or Review,
// with the person's, carer's and cost fields) becomes canonical records
// (shared/DESIGN.md section 3) through the mapping (ingest/cld_mapping.h),
// and those are checked and stored by the canonical import (ImportAdapted):
// the same field checks, one batch, all-or-nothing or --quarantine, the
// same messages (file:line: column: what is wrong (expected ...)), with the
// CLD column named. docs/cld.md says what maps to what.
//
// Quarterly returns overlap: an event keeps its id from one return to the
// next (derived as NHS England's CLD code derives it, or from
// Event_Reference), so a service still open is a new version of the stored
// service, not a second one, and a person whose details changed gets a new
// version of their people record. Care links keep the start date already
// stored for the same carer and cared-for person.
//
// Audit: every stored record names the CLD file and line it came from
// (StoredRow::source_file, source_line), and the batch records the file's
// SHA-256 and the mapping's, so each figure traces back to the CLD row as
// the council sent it.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "ingest/cld_mapping.h"
#include "ingest/import.h"
#include "store/store.h"

namespace goldthread {

/// The most CLD rows one import reads: the rows are held in memory until
/// the whole return is mapped (a person's details come from their latest
/// row). A council's quarter is a few hundred thousand rows.
inline constexpr int64_t kMaxCldRows = 2000000;

/// The distinct unknown values one import tells apart, per column; the
/// rest are counted together (a column shifted by one, a million values).
inline constexpr int64_t kMaxUnmappedValues = 1000;
/// The most bytes of rows one import reads (the rows are held until the
/// return is mapped, and with --quarantine their text and problems too).
inline constexpr size_t kMaxCldBytes = size_t{1} << 30;

struct CldImportOptions {
  const CldMapping* mapping = nullptr;  // nullptr: the built-in mapping
  std::string mapping_name = "built-in";  // recorded with the batch ("cld_mapping.toml")
  ImportOptions import;
  int64_t max_rows = kMaxCldRows;   // smaller in tests
  size_t max_bytes = kMaxCldBytes;  // smaller in tests
};

/// A CLD value the mapping does not know, with how often it occurs.
struct CldUnmapped {
  std::string column;  // "Service_Type"
  std::string value;   // as in the first row that has it (for a message: at most 80 bytes, escaped)
  int64_t rows = 0;
  int64_t first_line = 0;
  /// true: stands for every value of the column past kMaxUnmappedValues
  /// (value and first_line are the first of them, rows all their rows).
  bool others = false;
};

struct CldImportReport {
  ImportReport import;
  int64_t rows_read = 0;
  std::array<int64_t, 4> events{};  // Request, Assessment, Service, Review rows mapped
  int64_t carers_by_association = 0;  // rows with no event: a carer known by association
  int64_t skipped = 0;        // rows whose value maps to "-" (not imported, by design)
  int64_t repeated = 0;       // rows identical to an earlier row of the file, counted once
  int64_t people = 0, stub_people = 0, care_links = 0, care_home_admissions = 0;
  int64_t linked_assessments = 0;  // assessments given the person's latest request
  std::vector<CldUnmapped> unmapped;  // by column, then value
};

/// Imports one CLD file as one batch. Bad input is reported in the report
/// (import.problems, committed = false); the Status is an error only when the
/// import could not be attempted (the file unreadable, a store failure).
Result<CldImportReport> ImportCld(Store& store, const std::string& path, const CldImportOptions& options);

}  // namespace goldthread
