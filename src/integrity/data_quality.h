#pragma once
// data_quality: completeness, validity, timeliness and consistency of the
// fields the indicators use, per team (shared/DESIGN.md section 6.9), and
// Benford's law on money amounts (shared/STATISTICS.md section 5).
//
// - completeness: the share of a team's records (per financial year) with
//   an optional field empty, against the other teams (a high outlier beyond
//   the 99.8% funnel limit, section 3) and above a floor that matters, for
//   each field the loaded definitions read (FieldsToCheck); a field the
//   other teams leave empty more often than max_peer_missing_share is one
//   that often does not apply, and is not judged;
// - validity: assessments whose completion date is later than the day the
//   record was entered (in the future when entered);
// - timeliness: the team's median lag from completing an assessment to
//   recording it;
// - consistency: assessments completed before their request was received
//   (personal budgets claimed without their criteria are criteria_gap's).
//
// Benford: first-digit shares of amounts against log10(1 + 1/d), mean
// absolute deviation against Nigrini's first-digit thresholds 0.006 (close
// conformity), 0.012 (acceptable), 0.015 (marginal; above: nonconformity).
// Nigrini (2012), "Benford's Law", Wiley, table 7.1. Only for amounts that
// span at least two orders of magnitude (p95/p5 >= 100): Benford says
// nothing of amounts in a narrow band.

#include <span>
#include <string>
#include <vector>

#include "indicators/definition.h"
#include "integrity/check_util.h"
#include "integrity/config.h"

namespace goldthread::integrity {

/// A field whose completeness is checked, and what its gaps spoil.
struct CheckedField {
  TableId table = kNoTable;
  std::string field;
  std::vector<std::string> indicators;  // the indicators that read it (the finding's indicators)
  std::string consequence;              // ends the summary: "so <consequence>."
};

/// The fields to check for completeness, from the definitions (indicators/
/// fields_used.h): each optional field an indicator reads, of a table whose
/// records carry a team and a date, except
///  - the table's timeline date (a record without it has no period) and the
///    end of each of its date orders (closed_on, end_on, discharged_on...):
///    empty means "not yet", not "unknown";
///  - fields only criteria read: a claimed case missing one fails that
///    criterion, which criteria_gap reports criterion by criterion;
/// and the fields the integrity checks themselves read on those tables:
/// recorded_at (backdating, period_end_surge, bulk_change) and
/// requests.first_contact_on (late_registration). In schema order.
std::vector<CheckedField> FieldsToCheck(const std::vector<indicators::Definition>& defs);

/// Completeness over the given fields, validity, timeliness and Benford.
std::vector<Finding> CheckDataQuality(const Snapshot& snap, const DataQualityConfig& config,
                                      const CheckScope& scope, std::span<const CheckedField> fields);
/// The same over a fixed list of fields the built-in indicators use, for
/// when no definitions are loaded.
std::vector<Finding> CheckDataQuality(const Snapshot& snap, const DataQualityConfig& config, const CheckScope& scope);

struct BenfordResult {
  int64_t n = 0;
  double shares[9] = {};  // observed first-digit shares, digits 1-9
  double mad = 0.0;       // mean absolute deviation from log10(1 + 1/d)
  bool spans_magnitudes = false;
};
/// Positive finite amounts only; others are skipped.
BenfordResult Benford(std::span<const double> amounts);
/// "close", "acceptable", "marginal", "nonconformity" (Nigrini, first digits).
const char* BenfordConformity(double mad);

}  // namespace goldthread::integrity
