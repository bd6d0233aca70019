#pragma once
// Funnel plots for comparing units (teams, councils) with each other
// (shared/STATISTICS.md section 3): proportions on the arcsine scale and
// indirectly standardised ratios O/E on the log scale, with optional
// overdispersion adjustment.
//
// Reference implementation: the R package FunnelPlotR (nhs-r-community),
// R/od_adjustment.R and R/calculate_limits.R (data_type "PR" and "SR" with
// sr_method "SHMI"); exact binomial limits from Spiegelhalter (2005),
// "Funnel plots for comparing institutional performance", Stat Med
// 24:1185-1202, appendix A.1.1. Deliberate differences are listed in
// docs/statistics.md ("STATISTICS-notes").
//
// Pure functions, thread-safe.

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace goldthread::stats {

enum class FunnelType { kProportion, kRatio };
/// kNone: unadjusted limits. kPhi: multiplicative overdispersion (limits
/// widened by sqrt(φ)). kTau2: additive random effects (FunnelPlotR's
/// default). Either adjustment falls back to the unadjusted limits when
/// φ <= 1 (no overdispersion).
enum class FunnelAdjust { kNone, kPhi, kTau2 };
enum class Outlier { kNone, kHigh, kLow };

struct FunnelOptions {
  FunnelType type = FunnelType::kProportion;
  FunnelAdjust adjust = FunnelAdjust::kTau2;
  /// Proportions only: exact binomial unadjusted limits instead of the
  /// arcsine approximation.
  bool exact = false;
  /// Outliers lie beyond the 99.8% limits, or the 95% ones when false.
  bool outliers_at_998 = true;
  double trim = 0.1;  // Winsorise (or, for ratios, truncate) 10% each end
};

struct FunnelLimits {
  double lower95 = 0.0, upper95 = 0.0, lower998 = 0.0, upper998 = 0.0;
};

/// The fitted funnel: enough to draw the limits at any denominator.
struct FunnelModel {
  FunnelOptions options;
  double target = 0.0;  // p̄ = ΣO/Σn, or 1 for ratios
  double phi = 0.0;     // dispersion ratio of the Winsorised z-scores
  double tau2 = 0.0;    // between-unit variance on the transformed scale
  bool adjusted = false;  // the limits in use are the adjusted ones
};

struct FunnelUnit {
  double numerator = 0.0, denominator = 0.0;
  /// nullopt for a unit with a zero or missing denominator, which takes no
  /// part in the fit.
  std::optional<double> value;  // O/n or O/E
  std::optional<double> z;      // unadjusted z-score; nullopt when infinite
  std::optional<FunnelLimits> limits;  // the limits in use, at this denominator
  std::optional<Outlier> outlier;
};

struct FunnelResult {
  FunnelModel model;
  std::vector<FunnelUnit> units;
};

/// Fits the funnel. InvalidArgument for spans of different lengths,
/// negative counts, numerator > denominator (proportions), a trim outside
/// [0, 0.5), or no unit with a positive denominator.
Result<FunnelResult> FunnelPlot(std::span<const double> numerators, std::span<const double> denominators,
                                const FunnelOptions& options);

/// The limits in use at denominator n > 0 (n is rounded for exact binomial
/// limits).
FunnelLimits LimitsAt(const FunnelModel& model, double n);

/// R's quantile(x, prob, type = 7) of sorted, non-empty values.
double QuantileType7(std::span<const double> sorted, double prob);

std::string_view OutlierName(Outlier o);  // "none", "high", "low"

}  // namespace goldthread::stats
