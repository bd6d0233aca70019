#include "stats/spc.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace goldthread::stats {
namespace {

// NHSRplotthedots R/ptd_spc_standard.R: `limit <- 2.66`,
// `limitclose <- 2 * (limit / 3)`; 2.66 = 3/d2 with d2 = 1.128 for moving
// ranges of two (Wheeler & Chambers, Understanding SPC, 1992).
constexpr double kLimit = 2.66;
constexpr double kLimitClose = 2.0 * (kLimit / 3.0);
// Moving-range screening threshold (ptd_spc_standard.R: 3.267 = D4 for
// subgroups of two), applied once.
constexpr double kScreen = 3.267;

struct PointLimits {
  std::optional<double> mean, lpl, upl, nlpl, nupl;
};

int Sign(double v) { return (v > 0.0) - (v < 0.0); }

// The non-missing points of one rebase segment, in order. Missing points
// are dropped before any calculation (docs/statistics.md note S2; the
// reference lets an NA break its moving ranges).
struct Segment {
  std::vector<size_t> index;  // into the input
  std::vector<double> y;
};

std::vector<Segment> SplitSegments(size_t n, const std::vector<bool>& missing,
                                   std::span<const double> y, const SpcOptions& o,
                                   std::vector<size_t>& segment_of) {
  std::vector<bool> starts(n, false);
  for (size_t r : o.rebase_at) {
    if (r > 0 && r < n) starts[r] = true;
  }
  segment_of.assign(n, 0);
  size_t seg = 0;
  for (size_t i = 0; i < n; ++i) {
    if (starts[i]) ++seg;
    segment_of[i] = seg;
  }
  std::vector<Segment> out(n == 0 ? 0 : seg + 1);
  for (size_t i = 0; i < n; ++i) {
    if (missing[i]) continue;
    out[segment_of[i]].index.push_back(i);
    out[segment_of[i]].y.push_back(y[i]);
  }
  return out;
}

size_t BaselineSize(size_t segment_size, const SpcOptions& o) {
  return o.baseline == 0 ? segment_size : std::min(segment_size, o.baseline);
}

// XmR limits of one segment, from its first k points (ptd_spc_standard.R).
PointLimits XmrLimits(const std::vector<double>& y, size_t k, bool screen) {
  PointLimits lim;
  if (k == 0) return lim;
  double sum = 0.0;
  for (size_t i = 0; i < k; ++i) sum += y[i];
  const double mean = sum / static_cast<double>(k);
  lim.mean = mean;
  bool all_equal = true;
  for (size_t i = 1; i < k; ++i) all_equal = all_equal && y[i] == y[0];
  // Undefined limits (shared/STATISTICS.md section 2; note S1): the reference gives
  // NaN here (screened, all moving ranges dropped) or zero-width limits
  // (unscreened); we give none.
  if (k < 2 || all_equal) return lim;
  std::vector<double> mr;
  for (size_t i = 1; i < k; ++i) mr.push_back(std::fabs(y[i] - y[i - 1]));
  double amr = 0.0;
  for (double m : mr) amr += m;
  amr /= static_cast<double>(mr.size());
  if (screen) {
    // Keep MR < 3.267·AMR (the reference drops MR >= the threshold) and
    // recompute once. AMR > 0 here, so the smallest MR is always kept.
    const double threshold = kScreen * amr;
    double kept_sum = 0.0;
    size_t kept = 0;
    for (double m : mr) {
      if (m < threshold) kept_sum += m, ++kept;
    }
    amr = kept_sum / static_cast<double>(kept);
  }
  lim.lpl = mean - kLimit * amr;
  lim.upl = mean + kLimit * amr;
  lim.nlpl = mean - kLimitClose * amr;
  lim.nupl = mean + kLimitClose * amr;
  return lim;
}

// Special-cause rules over one segment (ptd_calculate_point_type.R), with
// the reference's precedence: outside > trend > two-in-three > shift.
// dir is +1 for a signal upwards, -1 downwards, 0 for none.
void ApplyRules(const std::vector<double>& y, const std::vector<PointLimits>& lim,
                const SpcOptions& o, std::vector<SpecialCause>& rule, std::vector<int>& dir) {
  const size_t n = y.size();
  // Note S4: the reference hard-codes 7; 6 applies to trends and shifts alike.
  const size_t run = static_cast<size_t>(o.run_length);
  std::vector<int> rtm(n, 0);
  std::vector<bool> outside(n, false), close(n, false);
  for (size_t i = 0; i < n; ++i) {
    const PointLimits& l = lim[i];
    if (l.mean) rtm[i] = Sign(y[i] - *l.mean);
    if (l.upl && l.lpl) {
      outside[i] = y[i] > *l.upl || y[i] < *l.lpl;
      close[i] = !outside[i] && (y[i] < *l.nlpl || y[i] > *l.nupl);
    }
  }
  // A run of `run` points ending at i: strictly monotone (trend, ties break
  // it), or all on the same side of the mean (shift, a point on the mean
  // breaks it). ptd_seven_point_trend / ptd_seven_point_one_side_mean.
  std::vector<int> trend_end(n, 0);
  std::vector<bool> shift_end(n, false);
  for (size_t i = run - 1; i < n && run >= 2; ++i) {
    bool up = true, down = true, same = rtm[i] != 0;
    for (size_t j = i + 2 - run; j <= i; ++j) {
      const int d = Sign(y[j] - y[j - 1]);
      up = up && d == 1;
      down = down && d == -1;
    }
    for (size_t j = i + 1 - run; j < i; ++j) same = same && rtm[j] == rtm[i];
    trend_end[i] = up ? 1 : (down ? -1 : 0);
    shift_end[i] = same;
  }
  // ptd_part_of_seven_trend: a point is part of a run if a run ends at it or
  // at one of the next run-1 points.
  auto part_of = [&](auto&& ends_at) {
    std::vector<bool> part(n, false);
    for (size_t i = 0; i < n; ++i) {
      for (size_t j = i; j < n && j < i + run; ++j) {
        if (ends_at(j)) {
          part[i] = true;
          break;
        }
      }
    }
    return part;
  };
  const std::vector<bool> part_trend = part_of([&](size_t j) { return trend_end[j] != 0; });
  const std::vector<bool> part_shift = part_of([&](size_t j) { return shift_end[j]; });
  // ptd_two_in_three: some window of 3 consecutive points containing i has
  // at least 2 counted points, all 3 on the same side of the mean; only the
  // counted points themselves are flagged (ptd_part_of_two_in_three).
  // Note S3: the "2023" rule also counts points beyond the process limits.
  std::vector<bool> counted(n);
  for (size_t i = 0; i < n; ++i) {
    counted[i] = close[i] || (o.two_in_three == TwoInThree::k2023 && outside[i]);
  }
  std::vector<bool> part_two(n, false);
  for (size_t i = 0; i < n; ++i) {
    if (!counted[i]) continue;
    for (size_t s = i >= 2 ? i - 2 : 0; s <= i; ++s) {
      if (s + 2 >= n) break;
      const int c = counted[s] + counted[s + 1] + counted[s + 2];
      const int side = rtm[s] + rtm[s + 1] + rtm[s + 2];
      if (c >= 2 && std::abs(side) == 3) part_two[i] = true;
    }
  }
  rule.assign(n, SpecialCause::kNone);
  dir.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    if (outside[i]) {
      rule[i] = SpecialCause::kOutside;
      dir[i] = rtm[i] == 1 ? 1 : -1;
    } else if (part_trend[i]) {
      // ptd_special_cause_type: a point in a trend takes the direction of
      // the step to its right when the next point is in a trend too, else
      // of the step from its left.
      const int sdy = (i + 1 < n && part_trend[i + 1]) ? Sign(y[i + 1] - y[i])
                                                       : (i > 0 ? Sign(y[i] - y[i - 1]) : 0);
      rule[i] = SpecialCause::kTrend;
      dir[i] = sdy == 1 ? 1 : -1;
    } else if (part_two[i]) {
      rule[i] = SpecialCause::kTwoInThree;
      dir[i] = rtm[i] > 0 ? 1 : -1;
    } else if (part_shift[i]) {
      rule[i] = SpecialCause::kShift;
      dir[i] = rtm[i] > 0 ? 1 : -1;
    }
  }
}

PointType TypeOf(int dir, Polarity polarity) {
  // ptd_point_type: orient the signal by the improvement direction.
  if (dir == 0) return PointType::kCommonCause;
  if (polarity == Polarity::kNeutral) return dir > 0 ? PointType::kNeutralHigh : PointType::kNeutralLow;
  const int better = polarity == Polarity::kUp ? 1 : -1;
  return dir * better > 0 ? PointType::kImprovement : PointType::kConcern;
}

Status ValidateOptions(const SpcOptions& o) {
  if (o.run_length != 6 && o.run_length != 7) {
    return Status::InvalidArgument("run length must be 6 or 7, got " + std::to_string(o.run_length));
  }
  if (o.baseline == 1) {
    return Status::InvalidArgument("a baseline needs at least 2 points, got 1");
  }
  if (o.target && !std::isfinite(*o.target)) return Status::InvalidArgument("target must be a finite number");
  return Status::Ok();
}

// Limits for each point of one segment: XmR (one set for the segment) or
// p-chart (per point, from its denominator).
using LimitsFn = std::vector<PointLimits> (*)(const Segment&, std::span<const double> denominators,
                                             const SpcOptions&);

std::vector<PointLimits> XmrSegmentLimits(const Segment& seg, std::span<const double>,
                                          const SpcOptions& o) {
  const PointLimits lim = XmrLimits(seg.y, BaselineSize(seg.y.size(), o), o.screen);
  return std::vector<PointLimits>(seg.y.size(), lim);
}

std::vector<PointLimits> PSegmentLimits(const Segment& seg, std::span<const double> den,
                                        const SpcOptions& o) {
  // p-chart (Montgomery, Introduction to Statistical Quality Control, 6th ed.,
  // section 7.2.2, variable sample size): p̄ = Σx/Σn over the baseline,
  // limits p̄ ± 3·sqrt(p̄(1-p̄)/nᵢ), near limits with 2; clipped to [0, 1],
  // which changes no classification since 0 <= y <= 1.
  const size_t k = BaselineSize(seg.y.size(), o);
  double sx = 0.0, sn = 0.0;
  for (size_t i = 0; i < k; ++i) {
    const double ni = den[seg.index[i]];
    sx += seg.y[i] * ni;
    sn += ni;
  }
  std::vector<PointLimits> out(seg.y.size());
  if (k == 0 || sn <= 0.0) return out;
  const double p = sx / sn;
  for (size_t i = 0; i < seg.y.size(); ++i) {
    PointLimits& l = out[i];
    l.mean = p;
    if (p <= 0.0 || p >= 1.0) continue;  // no variation to chart: undefined
    const double sigma = std::sqrt(p * (1.0 - p) / den[seg.index[i]]);
    l.lpl = std::max(0.0, p - 3.0 * sigma);
    l.upl = std::min(1.0, p + 3.0 * sigma);
    l.nlpl = std::max(0.0, p - 2.0 * sigma);
    l.nupl = std::min(1.0, p + 2.0 * sigma);
  }
  return out;
}

SpcResult Chart(std::span<const double> y, const std::vector<bool>& missing,
                std::span<const double> den, const SpcOptions& o, LimitsFn limits_fn) {
  const size_t n = y.size();
  SpcResult result;
  result.points.resize(n);
  std::vector<size_t> segment_of;
  std::vector<Segment> segments = SplitSegments(n, missing, y, o, segment_of);
  for (size_t i = 0; i < n; ++i) {
    SpcPoint& p = result.points[i];
    p.y = missing[i] ? std::nan("") : y[i];
    p.missing = missing[i];
    p.segment = segment_of[i];
  }
  for (const Segment& seg : segments) {
    if (seg.y.empty()) continue;
    const std::vector<PointLimits> lim = limits_fn(seg, den, o);
    std::vector<SpecialCause> rule;
    std::vector<int> dir;
    ApplyRules(seg.y, lim, o, rule, dir);
    // Note S5: STATISTICS.md's 13 points, counted on the limits' basis (the
    // reference warns on segments of fewer than 12 rows).
    const bool trial = BaselineSize(seg.y.size(), o) < kTrialLimitPoints;
    for (size_t j = 0; j < seg.y.size(); ++j) {
      SpcPoint& p = result.points[seg.index[j]];
      p.mean = lim[j].mean;
      p.lpl = lim[j].lpl;
      p.upl = lim[j].upl;
      p.near_lpl = lim[j].nlpl;
      p.near_upl = lim[j].nupl;
      p.trial_limits = trial;
      p.rule = rule[j];
      p.point_type = TypeOf(dir[j], o.polarity);
    }
  }
  // Missing points in a segment still carry its limits, for drawing.
  for (size_t i = 0; i < n; ++i) {
    if (!missing[i]) continue;
    for (size_t j = 0; j < n; ++j) {
      const SpcPoint& q = result.points[j];
      if (!q.missing && q.segment == result.points[i].segment && q.mean && den.empty()) {
        SpcPoint& p = result.points[i];
        p.mean = q.mean, p.lpl = q.lpl, p.upl = q.upl, p.near_lpl = q.near_lpl, p.near_upl = q.near_upl;
        p.trial_limits = q.trial_limits;
        break;
      }
    }
  }
  // Icons from the last non-missing point (ptd_calculate_assurance_type.R
  // takes the last row). Undefined limits compare false in R's case_when,
  // so the reference answers "inconsistent" and so do we.
  for (size_t i = n; i-- > 0;) {
    const SpcPoint& last = result.points[i];
    if (last.missing) continue;
    result.variation = last.point_type;
    result.assurance = AssuranceFor(last, o.target, o.polarity);
    break;
  }
  return result;
}

}  // namespace

Result<SpcResult> XmrChart(std::span<const double> y, const SpcOptions& options) {
  GT_RETURN_IF_ERROR(ValidateOptions(options));
  std::vector<bool> missing(y.size());
  for (size_t i = 0; i < y.size(); ++i) missing[i] = !std::isfinite(y[i]);
  return Chart(y, missing, {}, options, XmrSegmentLimits);
}

Result<SpcResult> PChart(std::span<const double> numerators, std::span<const double> denominators,
                         const SpcOptions& options) {
  GT_RETURN_IF_ERROR(ValidateOptions(options));
  if (numerators.size() != denominators.size()) {
    return Status::InvalidArgument("p-chart: " + std::to_string(numerators.size()) + " numerators but " +
                                   std::to_string(denominators.size()) + " denominators");
  }
  const size_t n = numerators.size();
  std::vector<double> y(n, 0.0);
  std::vector<bool> missing(n);
  for (size_t i = 0; i < n; ++i) {
    const double x = numerators[i], d = denominators[i];
    missing[i] = !std::isfinite(x) || !std::isfinite(d) || d == 0.0;
    if (missing[i]) continue;
    if (x < 0.0 || d < 0.0 || x > d) {
      return Status::InvalidArgument("p-chart point " + std::to_string(i + 1) +
                                     ": need 0 <= numerator <= denominator");
    }
    y[i] = x / d;
  }
  return Chart(y, missing, denominators, options, PSegmentLimits);
}

std::optional<Assurance> AssuranceFor(const SpcPoint& last, std::optional<double> target, Polarity polarity) {
  // ptd_calculate_assurance_type.R: target above the UPL fails an
  // up-is-better measure every period, below the LPL it passes every period;
  // between them (or with undefined limits) it is "inconsistent".
  if (!target || polarity == Polarity::kNeutral) return std::nullopt;
  const bool up = polarity == Polarity::kUp;
  if (last.upl && *target > *last.upl) return up ? Assurance::kConsistentFail : Assurance::kConsistentPass;
  if (last.lpl && *target < *last.lpl) return up ? Assurance::kConsistentPass : Assurance::kConsistentFail;
  return Assurance::kInconsistent;
}

std::string_view PointTypeName(PointType t) {
  switch (t) {
    case PointType::kCommonCause: return "common_cause";
    case PointType::kImprovement: return "improvement";
    case PointType::kConcern: return "concern";
    case PointType::kNeutralHigh: return "neutral_high";
    case PointType::kNeutralLow: return "neutral_low";
  }
  return "common_cause";
}

std::string_view AssuranceName(Assurance a) {
  switch (a) {
    case Assurance::kConsistentPass: return "consistent_pass";
    case Assurance::kConsistentFail: return "consistent_fail";
    case Assurance::kInconsistent: return "inconsistent";
  }
  return "inconsistent";
}

std::string_view SpecialCauseName(SpecialCause c) {
  switch (c) {
    case SpecialCause::kNone: return "none";
    case SpecialCause::kOutside: return "outside";
    case SpecialCause::kTrend: return "trend";
    case SpecialCause::kTwoInThree: return "two_in_three";
    case SpecialCause::kShift: return "shift";
  }
  return "none";
}

bool TryParsePolarity(std::string_view s, Polarity& out) {
  if (s == "up") return out = Polarity::kUp, true;
  if (s == "down") return out = Polarity::kDown, true;
  if (s == "neutral") return out = Polarity::kNeutral, true;
  return false;
}

}  // namespace goldthread::stats
