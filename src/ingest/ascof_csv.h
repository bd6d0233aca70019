#pragma once
// Reading published ASCOF files (NHS Digital "Measures from the Adult
// Social Care Outcomes Framework") for `goldthread benchmark import`.
//
// Layouts, told apart by their header:
// - open_data: the NHS Digital open-data CSV ("Geographical Code,
//   Geographical Description,Geographical Level,ONS Code,ASCOF Measure
//   Code,Disaggregation Level,Measure Type,Measure Value,Measure Group,
//   Measure Group Description"), one row per council x measure x
//   disaggregation x measure type (Numerator, Denominator, Outcome, Base,
//   Margin Of Error);
// - processed: the 2018-19 / 2019-20 files republished with IMD and pay
//   ("Geographical Description,Geographical Level,ONS Code,Measure Group
//   Description,Disaggregation Level,Measure Value,...,Year"): outcomes only,
//   measures named by description, mapped to their code where an open-data
//   import has stored the description.
//
// - oflog: the Office for Local Government's adult social care measures
//   ("Financial year,Local authority code,Local authority name,...,
//   Measure,Code,Value,..."), several years in one file, measures by
//   Oflog's code (ASC1-ASC7; ASC5 is ASCOF 2D);
// - lginform: an LG Inform metric download ("area_code,area_name,period,
//   indicator,measure,unit,value", period "2014/15"), several years, the
//   measure named by its indicator; England and regions are skipped.
// The two several-year layouts take their years from the file (--year then
// picks one of them); the others need the year given.
//
// Only Council rows are read. A value of "[x]", "[c]", "[z]", "NA" or empty is
// not published: counted as missing. Every other problem of a Council row
// is a problem of the file ("ascof.csv:12: Measure Value: 'n/a' is not a
// number (expected a number, or [x], [c], [z] or NA where not published)"), and
// a file with problems is not stored at all.
//
// The processed layout names two measures by one description in places
// (2019-20: people using social care and carers who "receive self-directed
// support" or "direct payments"), so a council has two different values
// under one description. Which is which cannot be told from the file: both
// are left out, counted as ambiguous and named in the warnings, instead of
// keeping whichever came last under the wrong code.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/published_store.h"

namespace goldthread {

struct AscofFile {
  std::string layout;  // "open_data", "processed", "oflog" or "lginform"
  std::vector<PublishedRow> rows;
  int64_t rows_read = 0;              // data rows, every level
  int64_t missing = 0;                // Council values not published ([x], [c], [z], NA, empty)
  int64_t ambiguous = 0;              // Council values left out: one description, two measures
  std::vector<std::string> problems;  // "file:line: field: what (expected ...)", in line order
  int64_t problems_omitted = 0;       // beyond kMaxAscofProblems
  std::vector<std::string> warnings;  // what was left out and why, one line each
};

inline constexpr size_t kMaxAscofProblems = 1000;

/// "2020-21": four digits, a dash and the next year's last two digits.
bool IsFinancialYear(std::string_view year);

/// Reads an ASCOF CSV for a financial year ("2020-21"; empty: the years the
/// file gives, an error for a layout that gives none). codes maps known
/// descriptions to measure codes (PublishedStore::CodesByDescription). The
/// Status is an error only when the file cannot be read at all (missing,
/// not a regular file, not an ASCOF header, broken CSV); problems with
/// rows are in `problems`.
Result<AscofFile> ReadAscofCsv(const std::string& path, const std::string& year,
                               const std::map<std::string, std::string>& codes);

}  // namespace goldthread
