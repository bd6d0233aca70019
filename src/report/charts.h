#pragma once
// Charts of an Analysis's series as document blocks: each an SVG drawn by
// goldthread and the table of its numbers (report/document.h). Used by the
// audience builders and by the dashboard's pages.
//
// - SpcChart: one indicator x org unit x group over a grain's periods
//   (Making Data Count colours; provisional periods hollow and shaded;
//   definition-version breaks; integrity findings on the same indicator
//   and unit marked at their period).
// - SeriesIcons: the variation and assurance icons of the series, in words,
//   with the gaming warning ("improvement, but see: ...") when a finding
//   coincides with the movement.
// - FunnelChart: one period's units of a kind against each other.
// - CurveChart: "turning the curve" (history, baseline forecast band, target).
// - SmallMultiples: one small SPC panel per unit.
// - SparklineOf: a sparkline-size SPC chart of a series, for a table cell
//   (the cabinet's scorecard); its numbers go in a table of their own.
//
// With ChartContext::disclosure set, every number drawn or tabled is the
// disclosed one (report/disclosure.h). Pure functions of their inputs.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/analysis.h"
#include "report/disclosure.h"
#include "report/document.h"

namespace goldthread::report {

/// What a link points at; the dashboard turns it into a URL.
struct LinkTarget {
  enum class Kind { kCases, kFinding } kind = Kind::kCases;
  std::string indicator, period, org_unit, group;
  int finding = -1;  // index into Analysis::findings
};
using LinkBuilder = std::function<std::string(const LinkTarget&)>;

/// A target for an indicator at an org unit, in the unit of its values.
/// Plans (issue 11) provide them; none until a plan is loaded.
using TargetLookup = std::function<std::optional<double>(std::string_view indicator, int32_t org_unit)>;

struct ChartContext {
  const Analysis* analysis = nullptr;
  std::optional<DisclosureRule> disclosure;  // set: aggregate-only output
  LinkBuilder links;                         // empty: no links
  TargetLookup targets;                      // empty: no targets
  /// The charts' design size (SVG user units; they scale to the page's
  /// width). 480 wide with 13-14 unit labels: at a phone's 360-390 px the
  /// labels are still 10-11 px; on a desktop they are drawn at most 640 px
  /// wide (render_html.cc).
  int width = 480, height = 320;
  /// Series end at this period of the grain (the report's "as at"); -1 the last.
  int32_t last_period = -1;
  /// Chart tables with period, numerator, denominator, value, variation and
  /// note only (the cabinet's); false adds intervals and limits.
  bool compact_tables = false;
};

struct SeriesRef {
  PeriodKind by = PeriodKind::kMonth;
  int indicator = 0;  // index into Analysis::definitions
  int32_t org_unit = 0;
  int32_t group = 0;  // index into the indicator's groups; 0 "all"
};

/// Figure index per period of the grain, -1 where the series has none.
std::vector<int32_t> SeriesFigures(const Grain& grain, int indicator, int32_t org_unit, int32_t group);

/// Findings whose indicators include `indicator` at this org unit, by index
/// into Analysis::findings.
std::vector<int> FindingsOn(const Analysis& a, std::string_view indicator, int32_t org_unit);
/// The finding in a phrase a reader understands: "assessments bunched just
/// inside the 28-day deadline".
std::string FindingPhrase(const Analysis& a, const integrity::Finding& f);
/// Whether a finding's period (any label core/period.h reads, or a financial
/// year) overlaps a period.
bool FindingOverlaps(const integrity::Finding& f, const Period& p);

Chart SpcChart(const ChartContext& ctx, const SeriesRef& ref, std::string id);
/// A sparkline: its <svg> (role="img", <title> and <desc>) and the series in
/// words ("11 quarters, 2023-24 Q4 to 2026-27 Q2, 1 of special cause").
struct Sparkline {
  std::string svg, alt;
};
Sparkline SparklineOf(const ChartContext& ctx, const SeriesRef& ref);
Icons SeriesIcons(const ChartContext& ctx, const SeriesRef& ref);
Chart FunnelChart(const ChartContext& ctx, PeriodKind by, int indicator, int32_t period, std::string_view level,
                  std::string id);
Chart CurveChart(const ChartContext& ctx, const SeriesRef& ref, std::string id);
Chart SmallMultiples(const ChartContext& ctx, PeriodKind by, int indicator, const std::vector<int32_t>& units,
                     std::string id);

/// The unit of an indicator for axes and headings: "%", "per 100,000", ...
std::string ValueSuffix(const indicators::Definition& d);
std::string AxisLabel(const indicators::Definition& d);
/// A value as a reader sees it: "78.4%", "12", "3.2".
std::string FormatValue(const indicators::Definition& d, double v);

}  // namespace goldthread::report
