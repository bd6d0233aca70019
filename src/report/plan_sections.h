#pragma once
// The plan in the reports (issue 11, "Where it shows"), through the report
// module's two extension points (report/report_builder.h). It lives in
// report, not planning: report may use planning, never the reverse
// (shared/DESIGN.md section 2, tests/layering_test.cc).
//
// - ReportOptions::targets holds a PlanTargets: the SPC and turning-the-curve
//   charts draw each series' target and the Making Data Count assurance icon
//   judges the series against it;
// - RegisterPlanSections adds, for the cabinet, "Objectives and target
//   assurance" (each objective's status up the thread, the council's
//   targets with their assurance and realism); for management, "Every
//   plan" (each plan's roll-up and every target, with what plan check says
//   about its realism); for a team, "The team plan" first (its prime
//   indicators, each target with the objective it serves and its owner,
//   the way up the thread, and a link down to the cases behind the figure).
//
// The sections find the plan through the options' target lookup
// (std::function::target<PlanTargets>), so each report carries its own plan
// and nothing is global but the registration. Without a plan the reports
// are as before ("No plan loaded."). With disclosure control on (the public
// report, or --disclosure on) no plan figure is shown: statuses only.
//
// Thread-safety: a PlanTargets is immutable once made; copies share it.

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "core/period.h"
#include "core/status.h"
#include "indicators/definition.h"
#include "planning/plan_evaluate.h"
#include "planning/plan_thread.h"
#include "report/analysis.h"
#include "report/report_builder.h"
#include "store/store.h"

namespace goldthread::report {

/// A stored plan evaluated on an analysis's snapshot.
struct PlanForReports {
  std::shared_ptr<const Analysis> analysis;
  planning::LoadedPlan plan;
  planning::PlanEvaluation evaluation;
};

/// TargetLookup: the target set for an indicator at an org unit
/// (the analysis's row). Of several, the first one due on or after the
/// data's last day, else the last one due. A count or a rate grows with the
/// length of its period, so its target is drawn only on charts of the
/// target's own `per` (grain); percentages, means and days on any.
class PlanTargets {
 public:
  PlanTargets(std::shared_ptr<const PlanForReports> plan, PeriodKind grain) : plan_(std::move(plan)), grain_(grain) {}
  std::optional<double> operator()(std::string_view indicator, int32_t org_unit) const;
  /// The index of that target in the plan document, or -1.
  int32_t TargetFor(std::string_view indicator, std::string_view org_unit) const;
  const PlanForReports& plan() const { return *plan_; }

 private:
  std::shared_ptr<const PlanForReports> plan_;
  PeriodKind grain_;
};

/// The grain a report's charts use (report_builder.cc: quarters for the
/// cabinet and the public, months otherwise, or the kind of --period).
PeriodKind ReportGrain(const ReportOptions& options);

/// The store's latest plan evaluated on analysis's snapshot (the same data
/// as the reports); nullptr when the store holds no plan. One serves every
/// report built from that analysis: PlanTargets(plan, ReportGrain(options)).
Result<std::shared_ptr<const PlanForReports>> LoadPlanForReports(Store& store,
                                                                 std::shared_ptr<const Analysis> analysis);

/// A loaded plan evaluated on analysis's snapshot (LoadPlanForReports's
/// second half, for a caller that reads the store under a lock of its own:
/// the dashboard, server/plan_source.h).
Result<std::shared_ptr<const PlanForReports>> EvaluatePlanForReports(planning::LoadedPlan plan,
                                                                     std::shared_ptr<const Analysis> analysis);

/// Registers the plan's sections with the report builder, once per process
/// (later calls do nothing). Call at start-up, before any report is built.
void RegisterPlanSections();

}  // namespace goldthread::report
