#include "planning/target_realism.h"

#include <fmt/format.h>

#include "indicators/series_stats.h"
#include "planning/plan_format.h"

namespace goldthread::planning {

namespace ind = goldthread::indicators;

std::string_view RealismName(Realism r) {
  switch (r) {
    case Realism::kNotChecked: return "not_checked";
    case Realism::kAchievable: return "achievable";
    case Realism::kNotStretching: return "not_stretching";
    case Realism::kNeedsChange: return "needs_change";
  }
  return "not_checked";
}

bool Meets(double value, double target, ind::Polarity polarity) {
  return polarity == ind::Polarity::kUp ? value >= target : value <= target;
}

RealismCheck CheckRealism(const Curve& curve, double target, const ind::Definition& def, const Period& by_period) {
  RealismCheck r;
  const bool up = def.polarity == ind::Polarity::kUp;
  auto v = [&](double x) { return FormatValue(x, def); };
  const std::string per(PeriodKindName(curve.per));
  const std::string t = v(target);
  int32_t best = -1, worst = -1;
  for (size_t i = 0; i < curve.points.size(); ++i) {
    const CurvePoint& p = curve.points[i];
    if (!p.value || p.provisional) continue;
    ++r.periods;
    if (Meets(*p.value, target, def.polarity)) ++r.periods_meeting;
    // "best" in the measure's own direction.
    if (best < 0 || (up ? *p.value > *curve.points[best].value : *p.value < *curve.points[best].value))
      best = static_cast<int32_t>(i);
    if (worst < 0 || (up ? *p.value < *curve.points[worst].value : *p.value > *curve.points[worst].value))
      worst = static_cast<int32_t>(i);
  }
  // 1. Already met every period.
  if (r.periods >= ind::kMinSpcPoints && r.periods_meeting == r.periods) {
    r.realism = Realism::kNotStretching;
    r.reason = fmt::format(
        "not stretching: the process already meets {} in every one of its {} {}s (its worst, {} in {}); set a "
        "target that asks for improvement",
        t, r.periods, per, v(*curve.points[worst].value), curve.points[worst].period.Label());
  }
  const int32_t last = curve.LastFinal();
  if (last >= 0) {
    const CurvePoint& p = curve.points[last];
    r.lpl = p.lpl, r.mean = p.mean, r.upl = p.upl;
  }
  if (last < 0 || (!r.lpl && !r.upl)) {
    if (r.realism == Realism::kNotChecked)
      r.reason = "realism not checked: " + (curve.spc_note.empty() ? std::string("no process limits") : curve.spc_note);
    return r;
  }
  stats::SpcPoint limits;
  limits.lpl = r.lpl;
  limits.upl = r.upl;
  r.assurance = stats::AssuranceFor(limits, target, up ? stats::Polarity::kUp : stats::Polarity::kDown);
  if (r.realism == Realism::kNotStretching) return r;
  const CurveForecast* f = curve.ForecastFor(by_period);
  const std::string forecast =
      f ? fmt::format("the baseline forecast for {} is {} (95% {} to {})", by_period.Label(), v(f->fit), v(f->low95),
                      v(f->high95))
        : "";
  const bool reaches = f && (up ? f->high95 >= target : f->low95 <= target);

  // A process whose latest point is special cause has changed: the limits
  // fitted over its history no longer describe it (Making Data Count:
  // recalculate after a sustained change), so the assurance icon would
  // mislead. Its baseline forecast follows the change.
  const stats::PointType last_type = curve.points[last].point_type.value_or(stats::PointType::kCommonCause);
  if (last_type != stats::PointType::kCommonCause && f) {
    const std::string changed = fmt::format(
        "the process has changed (its latest {}, {} in {}, is special cause variation: {}), so its limits no longer "
        "describe it; {}",
        per, v(*curve.points[last].value), curve.points[last].period.Label(), stats::PointTypeName(last_type),
        forecast);
    const bool all_meet = up ? f->low95 >= target : f->high95 <= target;
    if (all_meet) {
      r.realism = Realism::kNotStretching;
      r.reason = "not stretching: " + changed + ", all of it meeting " + t;
    } else if (!reaches) {
      r.realism = Realism::kNeedsChange;
      r.reason = "needs a change of practice, not more effort: " + changed + ", which does not reach " + t;
    } else {
      r.realism = Realism::kAchievable;
      r.reason = "achievable: " + changed + ", which reaches " + t;
    }
    return r;
  }

  const std::string far_limit = up ? "upper process limit " + v(*r.upl) : "lower process limit " + v(*r.lpl);
  switch (*r.assurance) {
    case stats::Assurance::kConsistentPass: {
      r.realism = Realism::kNotStretching;
      r.reason = fmt::format(
          "not stretching: the process's {} is {} {} (Making Data Count assurance: consistent_pass), so as it runs "
          "now it meets the target in nearly every {}",
          up ? "lower limit " + v(*r.lpl) : "upper limit " + v(*r.upl), up ? "above" : "below", t, per);
      return r;
    }
    case stats::Assurance::kConsistentFail: {
      if (reaches) {
        r.realism = Realism::kAchievable;
        r.reason = fmt::format(
            "achievable if the current trend holds: {} is beyond the {} (Making Data Count assurance: "
            "consistent_fail), but {}, which reaches it",
            t, far_limit, forecast);
        return r;
      }
      // Beyond the limit, a point may still have met the target once, as
      // special cause: say so rather than "never".
      const std::string produced =
          r.periods_meeting == 0
              ? fmt::format("which the process has never produced (its best, {} in {})", v(*curve.points[best].value),
                            curve.points[best].period.Label())
              : fmt::format("which the process has reached in only {} of its {} {}s (its best, {} in {})",
                            r.periods_meeting, r.periods, per, v(*curve.points[best].value),
                            curve.points[best].period.Label());
      r.realism = Realism::kNeedsChange;
      r.reason = fmt::format(
          "needs a change of practice, not more effort: {} is beyond the {} (Making Data Count assurance: "
          "consistent_fail), {}{}",
          t, far_limit, produced, forecast.empty() ? "" : "; " + forecast);
      return r;
    }
    case stats::Assurance::kInconsistent: {
      r.realism = Realism::kAchievable;
      r.reason = fmt::format(
          "achievable: {} lies within the process limits {} to {} (Making Data Count assurance: inconsistent): the "
          "process meets it in some {}s and not others ({} of {}); meeting it every time needs improvement",
          t, r.lpl ? v(*r.lpl) : "-", r.upl ? v(*r.upl) : "-", per, r.periods_meeting, r.periods);
      return r;
    }
  }
  return r;
}

}  // namespace goldthread::planning
