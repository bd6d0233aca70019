#pragma once
// The import's checks of a field beyond its type (model/field.h): text that
// is UTF-8, and dates that are plausible for case records. Documented, with
// the reasons for each bound, in docs/import.md.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/date.h"
#include "model/field.h"
#include "model/schema.h"

namespace goldthread {

/// The longest field accepted, in bytes: ids, codes, dates and the short
/// texts of the canonical format are far shorter.
inline constexpr size_t kMaxFieldBytes = 4096;
/// Dates may be planned (a review due, a service booked to end) up to this
/// many years after the import.
inline constexpr int kFutureYears = 5;
/// The oldest birth date accepted, in years before the import.
inline constexpr int kMaxAgeYears = 120;

/// The bounds of plausible dates for an import run at import_time.
struct PlausibleDates {
  Date earliest = kNullDate;        // 1900-01-01
  Date latest = kNullDate;          // kFutureYears after the import date
  Date earliest_birth = kNullDate;  // kMaxAgeYears before the import date
  Date latest_birth = kNullDate;    // the import date
  Timestamp earliest_recorded = kNullTimestamp;  // 1970-01-01T00:00:00Z
  Timestamp latest_recorded = kNullTimestamp;    // a day after the import time (time zones)
};
PlausibleDates PlausibleDatesAt(Timestamp import_time);

/// Every field's text: at most kMaxFieldBytes, no NUL byte, valid UTF-8.
/// On failure sets problem, e.g. "'Caf\xE9' is not valid UTF-8 at byte 4
/// (expected UTF-8 text; save the file as UTF-8)".
bool TryCheckText(std::string_view text, std::string& problem);

/// A parsed date, birth date, month or timestamp within its bounds (other
/// types, and unknown values, pass). On failure sets problem, e.g.
/// "'9999-12-31' is after 2031-12-01 (expected a date from 1900-01-01 to
/// 2031-12-01, 5 years after the import; leave it empty when unknown)".
bool TryCheckPlausible(const FieldSpec& f, std::string_view text, const FieldValue& v, const PlausibleDates& bounds,
                       std::string& problem);

}  // namespace goldthread
