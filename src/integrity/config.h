#pragma once
// The checks' switches and thresholds. Defaults are built in; a
// `checks.toml` overrides any of them:
//
//   [deadline_bunching]
//   enabled = true
//   threshold_days = 28
//
// Every table is named after a check (shared/DESIGN.md section 6); keys are
// the member names below. Unknown tables or keys are errors, so a typo does
// not silently leave a default in force.

#include <string>
#include <vector>

#include "core/status.h"

namespace goldthread::integrity {

struct BunchingConfig {
  bool enabled = true;
  int threshold_days = 28;  // the indicator's deadline (assessment-28d)
  int window_days = 3;      // w: the excluded window [T-w, T+w]
  int degree = 5;           // polynomial degree of the smooth counterfactual
  int bootstrap = 200;      // bootstrap replicates
  unsigned seed = 20110401; // fixed, so a run is reproducible
  int min_cases = 60;       // cases per team-year to attempt a fit
  double min_ratio = 2.0;   // bunching ratio b (and its bootstrap lower bound) that matters
  int min_excess = 10;      // excess cases B that matter
};

struct LateRegistrationConfig {
  bool enabled = true;
  int late_days = 14;      // received_on more than this after first contact is late
  int min_requests = 30;   // per team-year
  double min_share = 0.10; // a share of late requests that matters
};

struct ClockResetConfig {
  bool enabled = true;
  int window_days = 14;    // re-opened within this many days of closing
  int min_requests = 30;
  double min_share = 0.05;
};

struct BackdatingConfig {
  bool enabled = true;
  double quantile = 0.9;   // the upper quantile of the lag tracked
  int min_records = 20;    // per team-month
  int min_shift_days = 30; // a shift of the quantile that matters
  int min_late_records = 10; // records entered that late, in the year's flagged months: a month's
                             // quantile of a record type's 20-30 records rests on its two or three
                             // latest, and three late requests are not a finding
};

struct PeriodEndSurgeConfig {
  bool enabled = true;
  int last_days = 7;       // k
  int min_entries = 50;    // per team-quarter
  double min_ratio = 3.0;  // share / (k / days) that matters
};

struct BulkChangeConfig {
  bool enabled = true;
  int min_changes = 20;       // changes on the day
  double min_multiple = 5.0;  // times the unit's normal daily rate
  double min_top_share = 0.9; // one user or batch made at least this share (a team's
                              // busiest worker often makes half a busy day)
};

struct CriteriaGapConfig {
  bool enabled = true;
  int min_gap = 5;            // claimed but unsubstantiated cases
  double min_gap_share = 0.10;   // of claimed
  double high_gap_share = 0.30;
};

struct DataQualityConfig {
  bool enabled = true;
  int min_records = 30;
  double min_missing_share = 0.10;  // completeness problem that matters
  int min_missing = 5;              // and at least this many records
  double max_peer_missing_share = 0.5;  // a field other teams leave empty this often is "not applicable"
  double max_median_lag_days = 30;  // timeliness
  bool benford = true;
  int benford_min_amounts = 300;
};

struct ImplausibleJumpConfig {
  bool enabled = true;
  double robust_z = 3.5;
  double min_change = 5.0;  // in the indicator's units (percentage points)
  int min_history = 4;      // differences needed for the own-history chart
  // goldthread's own indicators (per team and quarter; published series
  // have no denominators):
  double min_denominator = 50;  // cases under a figure for it to count
  double sampling_z = 3.09;     // percentages: arcsine z of the change itself
  int warmup_months = 12;       // periods starting this soon after the data start are left out
};

struct DivergenceConfig {
  bool enabled = true;
  int min_points = 8;           // charted periods (after the warm-up) of the process and of an outcome
  int window = 4;               // the recent periods in which the process must improve
  int run_length = 7;           // shift and trend runs: 6 or 7 (shared/STATISTICS.md section 2)
  double min_denominator = 10;  // a period on fewer cases is left out of the chart
  double min_change = 5.0;      // recent vs earlier: percentage points, or % of the earlier level
  int warmup_months = 12;       // as implausible_jump
  int outcome_lag_months = 6;   // how long an outcome may take to follow its process
};

struct CheckConfig {
  BunchingConfig deadline_bunching;
  LateRegistrationConfig late_registration;
  ClockResetConfig clock_reset;
  BackdatingConfig backdating;
  PeriodEndSurgeConfig period_end_surge;
  BulkChangeConfig bulk_change;
  CriteriaGapConfig criteria_gap;
  DataQualityConfig data_quality;
  ImplausibleJumpConfig implausible_jump;
  DivergenceConfig process_outcome_divergence;
};

/// Parses checks.toml text over the defaults. InvalidArgument names the
/// source, the key and what was wrong ("checks.toml: deadline_bunching.degre:
/// unknown key").
Result<CheckConfig> ParseCheckConfig(const std::string& toml_text, const std::string& source);
Result<CheckConfig> LoadCheckConfig(const std::string& path);

}  // namespace goldthread::integrity
