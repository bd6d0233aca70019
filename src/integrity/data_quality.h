#pragma once
// data_quality: completeness, validity, timeliness and consistency of the
// fields the indicators use, per team (shared/DESIGN.md section 6.9), and
// Benford's law on money amounts (shared/STATISTICS.md section 5).
//
// - completeness: the share of a team's records with an optional field
//   empty, against the other teams (a high outlier beyond the 99.8% funnel
//   limit, section 3) and above a floor that matters;
// - validity: dates after the data's last recorded day (in the future when
//   entered) or before 1900;
// - timeliness: the team's median lag from event to recorded_at;
// - consistency: assessments completed before their request was received,
//   and personal budgets claimed (recorded_as_budget = Y) that started
//   before their allocation was even decided is left to criteria_gap.
//
// Benford: first-digit shares of amounts against log10(1 + 1/d), mean
// absolute deviation against Nigrini's first-digit thresholds 0.006 (close
// conformity), 0.012 (acceptable), 0.015 (marginal; above: nonconformity).
// Nigrini (2012), "Benford's Law", Wiley, table 7.1. Only for amounts that
// span at least two orders of magnitude (p95/p5 >= 100): Benford says
// nothing of amounts in a narrow band.

#include <span>
#include <vector>

#include "integrity/check_util.h"
#include "integrity/config.h"

namespace goldthread::integrity {

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
