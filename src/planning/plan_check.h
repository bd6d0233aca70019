#pragma once
// Checking a parsed plan against the indicator definitions and, with a
// store, its org units (issue 11, docs/plans.md "What plan check says"):
//
// - references: every objective, plan, indicator and org unit a plan names
//   exists; ids are unique; one plan per org unit;
// - SMART targets, refused when not (errors): Specific (one indicator that
//   is defined, one org unit that exists, within its plan's unit), Measurable
//   (a number, in range for the indicator's unit), Time bound (a date within
//   the plan's years), with an owner. "Measurable" against the data and
//   the Achievable/Realistic check need the figures: plan_evaluate.h;
// - prime indicators (warnings): a team with none, fewer than 6 or more
//   than 8 (seed 003), none of them a better_off measure (seed 000), an
//   indicator with no owner, a prime indicator with no target;
// - the thread (warnings): a plan serving an objective its parent plan does
//   not, an objective no plan serves, a team or service with no plan.

#include <vector>

#include "indicators/definition.h"
#include "planning/plan_model.h"
#include "planning/plan_thread.h"

namespace goldthread::planning {

struct CheckInputs {
  const std::vector<indicators::Definition>* definitions = nullptr;  // required
  const OrgTree* org = nullptr;  // the store's org units; nullptr: not checked
};

/// The document's problems, in the order found (parse problems are
/// ParsePlan's; call both, then SortDiagnostics).
std::vector<Diagnostic> CheckPlan(const PlanDocument& doc, const CheckInputs& in);

/// The last period of kind `per` that ends on or before `by`.
Period PeriodEndingBy(Date by, PeriodKind per);

}  // namespace goldthread::planning
