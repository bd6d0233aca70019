#pragma once
// Where each target stands, and each plan and objective above it (issue 11,
// "Roll-up"). A target is judged on its curve (target_curve.h) for the
// period of its `per` that ends on or before its date:
//
// - the date is within the data: met if that period's figure meets the
//   target, off track (missed) if not; not yet measurable if the figure is
//   provisional or there is none;
// - the date is still ahead: met if the latest final figure already meets
//   it; on track if the baseline forecast for the date does; off track if
//   it does not; not yet measurable without a figure or a forecast.
//
// A roll-up takes the worst of its targets' states: any off track makes it
// off track, else any on track on track, else any met met, else not yet
// measurable (counts of each kept beside it). A plan rolls up its own
// targets and those of every plan below it; an objective, the targets of
// every plan that serves it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/period.h"
#include "indicators/definition.h"
#include "planning/plan_model.h"
#include "planning/plan_thread.h"
#include "planning/target_curve.h"
#include "planning/target_realism.h"

namespace goldthread::planning {

enum class TargetState { kMet, kOnTrack, kOffTrack, kNotYetMeasurable };
std::string_view TargetStateName(TargetState s);   // "met", "on_track", "off_track", "not_yet_measurable"
std::string_view TargetStateWords(TargetState s);  // "met", "on track", "off track", "not yet measurable"

struct TargetStatus {
  int32_t target = -1;  // index into PlanDocument::targets
  int32_t curve = -1;   // index into PlanEvaluation::curves, -1 when none
  Period by_period;     // the period it is judged on
  bool date_reached = false;  // by_period is within the data
  TargetState state = TargetState::kNotYetMeasurable;
  std::string reason;
  std::optional<double> latest;  // the latest final figure
  Period latest_period;
  std::optional<CurveForecast> forecast;  // for by_period, when it is ahead of the data
  RealismCheck realism;
};

/// Judges target against curve (nullptr: no curve, e.g. an undefined indicator).
TargetStatus JudgeTarget(const Curve* curve, const Target& target, const indicators::Definition* def);

struct RollUp {
  TargetState state = TargetState::kNotYetMeasurable;
  int32_t met = 0, on_track = 0, off_track = 0, not_yet_measurable = 0;
  int32_t total() const { return met + on_track + off_track + not_yet_measurable; }
  /// "off track: 1 of 5 targets off track, 2 on track, 1 met, 1 not yet measurable";
  /// "not yet measurable: no targets".
  std::string Summary() const;
};

RollUp RollUpOf(const std::vector<TargetState>& states);

struct ThreadRollUps {
  std::vector<RollUp> plans_own;   // per plan: its own targets
  std::vector<RollUp> plans;       // per plan: its targets and those of every plan below it
  std::vector<RollUp> objectives;  // per objective: the targets serving it (Thread::targets_of_objective)
};

/// Rolls target states (parallel to doc.targets) up the thread.
ThreadRollUps RollUpThread(const PlanDocument& doc, const Thread& thread, const std::vector<TargetState>& states);

}  // namespace goldthread::planning
