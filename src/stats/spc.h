#pragma once
// Statistical process control charts in the NHS "Making Data Count" style
// (shared/STATISTICS.md section 2): XmR charts for measures and p-charts
// for proportions with varying denominators, the special-cause rules, and
// the variation and assurance icons.
//
// Reference implementation: the R package NHSRplotthedots
// (nhs-r-community), R/ptd_spc_standard.R, R/ptd_calculate_point_type.R and
// R/ptd_calculate_assurance_type.R (CRAN release 0.2). Deliberate
// differences are listed in docs/statistics.md ("STATISTICS-notes").
//
// Pure functions, thread-safe.

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace goldthread::stats {

/// Which direction is better. kUp is the reference's default ("increase").
enum class Polarity { kUp, kDown, kNeutral };
/// The two-in-three rule: kReference counts only points between the near
/// and the process limits (NHSRplotthedots); k2023 also counts points beyond
/// the process limit (NHS England guidance of 2023).
enum class TwoInThree { kReference, k2023 };
enum class PointType { kCommonCause, kImprovement, kConcern, kNeutralHigh, kNeutralLow };
enum class Assurance { kConsistentPass, kConsistentFail, kInconsistent };
/// The rule that flagged a point, by precedence.
enum class SpecialCause { kNone, kOutside, kTrend, kTwoInThree, kShift };

struct SpcOptions {
  Polarity polarity = Polarity::kUp;
  std::optional<double> target;
  /// Compute each segment's limits from its first `baseline` points only;
  /// 0 uses every point of the segment.
  size_t baseline = 0;
  /// Indices (into the input) of points that start a new segment with its
  /// own limits. Index 0 and duplicates are ignored.
  std::vector<size_t> rebase_at;
  int run_length = 7;  // 6 or 7: trend and shift length
  TwoInThree two_in_three = TwoInThree::kReference;
  bool screen = true;  // screen moving ranges >= 3.267·AMR (XmR only)
};

struct SpcPoint {
  double y = 0.0;        // NaN when missing
  bool missing = false;  // missing points take no part in any rule
  size_t segment = 0;    // 0-based rebase segment
  /// Limits are nullopt when undefined: all baseline values equal, fewer
  /// than two baseline points, or (p-charts) p̄ of 0 or 1.
  std::optional<double> mean, lpl, upl, near_lpl, near_upl;
  /// The segment's limits rest on fewer than kTrialLimitPoints points.
  bool trial_limits = false;
  std::optional<PointType> point_type;  // nullopt for missing points
  SpecialCause rule = SpecialCause::kNone;
};

struct SpcResult {
  std::vector<SpcPoint> points;
  /// The type of the last non-missing point.
  std::optional<PointType> variation;
  /// nullopt without a target or with a neutral polarity.
  std::optional<Assurance> assurance;
};

/// Limits computed from fewer points than this are "trial limits".
inline constexpr size_t kTrialLimitPoints = 13;

/// XmR (individuals) chart of y; NaN values are missing.
/// InvalidArgument for a run length other than 6 or 7 or a baseline of 1.
Result<SpcResult> XmrChart(std::span<const double> y, const SpcOptions& options);

/// p-chart of numerator/denominator (y is the proportion, 0-1). A point
/// with a missing (NaN) or zero denominator is missing. InvalidArgument for
/// spans of different lengths, negative counts or numerator > denominator.
Result<SpcResult> PChart(std::span<const double> numerators, std::span<const double> denominators,
                         const SpcOptions& options);

/// The assurance icon of a target against a chart's last point (its lpl
/// and upl, in the target's scale): the rule XmrChart and PChart apply to
/// SpcOptions::target, for callers that judge several targets against one
/// chart. nullopt without a target or with a neutral polarity.
std::optional<Assurance> AssuranceFor(const SpcPoint& last, std::optional<double> target, Polarity polarity);

std::string_view PointTypeName(PointType t);    // "common_cause", "improvement", ...
std::string_view AssuranceName(Assurance a);    // "consistent_pass", ...
std::string_view SpecialCauseName(SpecialCause c);  // "none", "outside", ...
bool TryParsePolarity(std::string_view s, Polarity& out);  // "up" | "down" | "neutral"

}  // namespace goldthread::stats
