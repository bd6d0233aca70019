#include "planning/target_status.h"

#include <fmt/format.h>

#include "planning/plan_check.h"
#include "planning/plan_format.h"

namespace goldthread::planning {

namespace ind = goldthread::indicators;

std::string_view TargetStateName(TargetState s) {
  switch (s) {
    case TargetState::kMet: return "met";
    case TargetState::kOnTrack: return "on_track";
    case TargetState::kOffTrack: return "off_track";
    case TargetState::kNotYetMeasurable: return "not_yet_measurable";
  }
  return "not_yet_measurable";
}

std::string_view TargetStateWords(TargetState s) {
  switch (s) {
    case TargetState::kMet: return "met";
    case TargetState::kOnTrack: return "on track";
    case TargetState::kOffTrack: return "off track";
    case TargetState::kNotYetMeasurable: return "not yet measurable";
  }
  return "not yet measurable";
}

TargetStatus JudgeTarget(const Curve* curve, const Target& target, const ind::Definition* def) {
  TargetStatus s;
  if (target.by != kNullDate) s.by_period = PeriodEndingBy(target.by, target.per);
  if (!curve || !def || target.by == kNullDate) {
    s.reason = "not yet measurable: the target is not SMART";
    return s;
  }
  auto v = [&](double x) { return FormatValue(x, *def); };
  const std::string t = v(target.value);
  const std::string by = s.by_period.Label();
  const int32_t last = curve->LastFinal();
  if (last >= 0) {
    s.latest = curve->points[last].value;
    s.latest_period = curve->points[last].period;
  }
  s.realism = CheckRealism(*curve, target.value, *def, s.by_period);
  const int32_t at = curve->Find(s.by_period);
  if (at >= 0) {
    s.date_reached = true;
    const CurvePoint& p = curve->points[at];
    if (p.provisional) {
      s.reason = fmt::format("not yet measurable: the figure for {} is provisional (its {}-day follow-up is not "
                             "over in the data)",
                             by, def->follow_up_days);
    } else if (!p.value) {
      s.reason = fmt::format("not yet measurable: there is no figure for {} at {}", by, curve->org_unit);
    } else if (Meets(*p.value, target.value, def->polarity)) {
      s.state = TargetState::kMet;
      s.reason = fmt::format("met: {} in {}, against {}", v(*p.value), by, t);
    } else {
      s.state = TargetState::kOffTrack;
      s.reason = fmt::format("off track: missed, {} in {} against {}", v(*p.value), by, t);
    }
    return s;
  }
  if (!curve->points.empty() && s.by_period.end < curve->points.front().period.start) {
    s.reason = fmt::format("not yet measurable: {} is before the data begin ({})", by,
                           curve->points.front().period.Label());
    return s;
  }
  if (last < 0) {
    s.reason = fmt::format("not yet measurable: no figures yet for {} at {}", def->id, curve->org_unit);
    return s;
  }
  const std::string latest = fmt::format("{} in {}", v(*s.latest), s.latest_period.Label());
  if (Meets(*s.latest, target.value, def->polarity)) {
    s.state = TargetState::kMet;
    s.reason = fmt::format("met already: {}, against {} by {}", latest, t, by);
    return s;
  }
  const CurveForecast* f = curve->ForecastFor(s.by_period);
  if (!f) {
    s.reason = fmt::format("not yet measurable: {}, and no forecast ({})", latest,
                           curve->forecast_note.empty() ? "none for " + by : curve->forecast_note);
    return s;
  }
  s.forecast = *f;
  const std::string forecast =
      fmt::format("the baseline forecast for {} is {} (95% {} to {})", by, v(f->fit), v(f->low95), v(f->high95));
  if (Meets(f->fit, target.value, def->polarity)) {
    s.state = TargetState::kOnTrack;
    s.reason = fmt::format("on track: {}; {}, meeting {}", latest, forecast, t);
  } else {
    s.state = TargetState::kOffTrack;
    s.reason = fmt::format("off track: {}; {}, short of {}", latest, forecast, t);
  }
  return s;
}

std::string RollUp::Summary() const {
  const int32_t n = total();
  if (n == 0) return "not yet measurable: no targets";
  std::string out = fmt::format("{}: ", TargetStateWords(state));
  const std::pair<TargetState, int32_t> parts[] = {{TargetState::kOffTrack, off_track},
                                                   {TargetState::kOnTrack, on_track},
                                                   {TargetState::kMet, met},
                                                   {TargetState::kNotYetMeasurable, not_yet_measurable}};
  bool first = true;
  for (const auto& [st, count] : parts) {
    if (count == 0) continue;
    if (first) out += fmt::format("{} of {} target{} {}", count, n, n == 1 ? "" : "s", TargetStateWords(st));
    else out += fmt::format(", {} {}", count, TargetStateWords(st));
    first = false;
  }
  return out;
}

RollUp RollUpOf(const std::vector<TargetState>& states) {
  RollUp r;
  for (TargetState s : states) {
    switch (s) {
      case TargetState::kMet: ++r.met; break;
      case TargetState::kOnTrack: ++r.on_track; break;
      case TargetState::kOffTrack: ++r.off_track; break;
      case TargetState::kNotYetMeasurable: ++r.not_yet_measurable; break;
    }
  }
  r.state = r.off_track   ? TargetState::kOffTrack
            : r.on_track  ? TargetState::kOnTrack
            : r.met       ? TargetState::kMet
                          : TargetState::kNotYetMeasurable;
  return r;
}

}  // namespace goldthread::planning

namespace goldthread::planning {

ThreadRollUps RollUpThread(const PlanDocument& doc, const Thread& thread, const std::vector<TargetState>& states) {
  ThreadRollUps out;
  auto of = [&](const std::vector<int32_t>& plans) {
    std::vector<TargetState> picked;
    for (int32_t p : plans)
      for (int32_t t : thread.targets_of_plan[p]) picked.push_back(states[t]);
    return RollUpOf(picked);
  };
  const int32_t n = static_cast<int32_t>(doc.plans.size());
  for (int32_t p = 0; p < n; ++p) {
    out.plans_own.push_back(of({p}));
    // p and every plan whose chain of parents passes through p.
    std::vector<int32_t> below;
    for (int32_t q = 0; q < n; ++q) {
      int32_t steps = 0;
      for (int32_t a = q; a >= 0 && steps <= n; a = thread.parent_plan[a], ++steps) {
        if (a == p) {
          below.push_back(q);
          break;
        }
      }
    }
    out.plans.push_back(of(below));
  }
  for (const std::vector<int32_t>& targets : thread.targets_of_objective) {
    std::vector<TargetState> picked;
    for (int32_t t : targets) picked.push_back(states[t]);
    out.objectives.push_back(RollUpOf(picked));
  }
  return out;
}

}  // namespace goldthread::planning
