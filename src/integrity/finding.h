#pragma once
// A finding of an integrity check (shared/DESIGN.md sections 6 and 10): which
// check fired, where (the lowest org unit that explains it), when, how
// badly, why (the statistic and its threshold), what would make it innocent,
// and the evidence a manager or auditor can act on (counts, dates, users,
// batches and the record ids behind it).

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace goldthread::integrity {

enum class Severity { kLow = 0, kMedium = 1, kHigh = 2 };
std::string_view SeverityName(Severity s);  // "low" | "medium" | "high"

/// The exact check names of shared/DESIGN.md section 6 (and the benchmark's
/// funnel outliers, which only `goldthread benchmark check` reports).
inline constexpr std::string_view kCriteriaGap = "criteria_gap";
inline constexpr std::string_view kBulkChange = "bulk_change";
inline constexpr std::string_view kDeadlineBunching = "deadline_bunching";
inline constexpr std::string_view kLateRegistration = "late_registration";
inline constexpr std::string_view kClockReset = "clock_reset";
inline constexpr std::string_view kBackdating = "backdating";
inline constexpr std::string_view kPeriodEndSurge = "period_end_surge";
inline constexpr std::string_view kProcessOutcomeDivergence = "process_outcome_divergence";
inline constexpr std::string_view kImplausibleJump = "implausible_jump";
inline constexpr std::string_view kDataQuality = "data_quality";
inline constexpr std::string_view kFunnelOutlier = "funnel_outlier";

struct Evidence {
  int64_t records = 0;  // how many records the finding rests on
  /// Named figures: counts, shares, days ("late_requests", 41).
  std::vector<std::pair<std::string, double>> figures;
  std::vector<std::string> dates;                       // the days that matter
  std::vector<std::pair<std::string, int64_t>> users;   // recorded_by -> records, most first
  std::vector<std::pair<int64_t, int64_t>> batches;     // batch id -> records, most first
  std::vector<std::string> record_ids;                  // the cases, capped (see kMaxRecordIds)
  int64_t record_ids_omitted = 0;                        // ids beyond the cap
};

/// Evidence lists at most this many record ids; the rest are counted.
inline constexpr size_t kMaxRecordIds = 200;

struct Finding {
  std::string check;                    // one of the k* names above
  std::vector<std::string> indicators;  // indicator ids affected (may be empty)
  std::string org_unit;                 // the team (or council ONS code)
  std::string period;                   // a Period label ("2024-25 Q4") or a year
  Severity severity = Severity::kLow;
  std::string summary;       // one sentence a director understands
  std::string statistic;     // what was measured ("bunching_ratio")
  double value = 0.0;        // its value
  std::string threshold;     // the rule that fired ("bootstrap 95% lower bound > 0 and ratio >= 1.5")
  std::string looked_at;     // what the check examined
  std::string innocent_if;   // what it would take to be innocent
  Evidence evidence;

  /// Adds a record id, counting it as omitted beyond kMaxRecordIds.
  void AddRecordId(std::string id);
};

/// Sorts findings: severity (high first), then check, org unit and period,
/// so the order is stable across runs.
void RankFindings(std::vector<Finding>& findings);

/// The DESIGN section 10 `check` JSON of the findings: {"findings": [...]}.
std::string FindingsToJson(const std::vector<Finding>& findings, int indent = 2);

/// One line per finding for the terminal: "HIGH  criteria_gap  T3  2023-24  summary".
std::string FindingsToText(const std::vector<Finding>& findings);

}  // namespace goldthread::integrity
