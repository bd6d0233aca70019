#pragma once
// One target as every scorecard, report and dashboard shows it: what it
// asks, of whom, for which objective, and where it stands. A plain struct,
// copied out of the plan and its evaluation, so a renderer needs nothing
// else.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "indicators/definition.h"
#include "planning/plan_evaluate.h"
#include "planning/plan_thread.h"
#include "stats/spc.h"

namespace goldthread::planning {

struct TargetLine {
  int32_t target = -1;  // index into PlanDocument::targets
  std::string plan, indicator, indicator_title, org_unit, owner, note;
  std::vector<std::string> objectives;  // ids of the objectives it serves
  indicators::Unit unit = indicators::Unit::kPercent;
  double rate_per = 100000;  // the definition's: a rate is "per 1,000" when 1000
  indicators::Polarity polarity = indicators::Polarity::kUp;
  double value = 0.0;
  std::string by;         // "2027-03-31"
  std::string by_period;  // "2026-27 Q4"
  TargetState state = TargetState::kNotYetMeasurable;
  std::string reason;
  std::optional<double> latest;
  std::string latest_period;
  Realism realism = Realism::kNotChecked;
  std::string realism_reason;
  std::optional<stats::Assurance> assurance;
  std::optional<stats::PointType> variation;  // the curve's last point
  int32_t curve = -1;  // index into PlanEvaluation::curves
};

/// The definitions by id, as the scorecard builders take them.
using DefinitionIndex = std::map<std::string, const indicators::Definition*, std::less<>>;
DefinitionIndex IndexDefinitions(const std::vector<indicators::Definition>& defs);

TargetLine MakeTargetLine(const LoadedPlan& plan, const PlanEvaluation& ev, const DefinitionIndex& defs,
                          int32_t target);

}  // namespace goldthread::planning
