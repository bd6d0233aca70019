#pragma once
// A council's plan document (issue 11, shared/DESIGN.md section 7,
// docs/plans.md): the objectives it means to achieve, the plans of its org
// units that serve them (council -> service -> team, down the org-unit
// tree), and the SMART targets of each plan. Plain data: parsing is
// plan_parse.h, checking plan_check.h, the figures plan_evaluate.h.
//
// Lines and columns are 1-based positions in the source file, for messages;
// 0 when unknown (a plan read back from an old store row without them).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/period.h"

namespace goldthread::planning {

/// The balanced scorecard's four perspectives (Kaplan and Norton; seed 004,
/// "The 'Balanced Scorecard'").
enum class Perspective { kFinancial, kCustomer, kInternalProcess, kLearningGrowth };
inline constexpr Perspective kPerspectives[] = {Perspective::kFinancial, Perspective::kCustomer,
                                                Perspective::kInternalProcess, Perspective::kLearningGrowth};
std::string_view PerspectiveName(Perspective p);   // "financial", "customer", "internal_process", "learning_growth"
std::string_view PerspectiveTitle(Perspective p);  // "Financial", "Customer", "Internal process", "Learning and growth"
bool TryParsePerspective(std::string_view s, Perspective& out);

struct SourceLoc {
  int64_t line = 0;
  int64_t column = 0;
};

struct Objective {
  std::string id, title, owner, description;
  Perspective perspective = Perspective::kCustomer;
  /// Population indicators (Outcomes Based Accountability): how the whole
  /// population is doing on this result, measured at the council.
  std::vector<std::string> indicators;
  SourceLoc loc;
};

struct IndicatorOwner {
  std::string indicator, owner;
  SourceLoc loc;
};

/// One org unit's plan: the council's strategic plan, a service plan or a
/// team plan, by the kind of its org unit.
struct Plan {
  std::string id, title, org_unit, owner;
  std::vector<std::string> objectives;  // the objectives it serves
  std::vector<std::string> prime;       // a team's 6-8 prime indicators (seed 003)
  std::vector<std::string> indicators;  // further indicators the plan watches
  std::vector<IndicatorOwner> owners;   // who answers for each indicator
  SourceLoc loc, org_unit_loc, prime_loc;
};

struct Target {
  std::string plan, indicator, org_unit, owner, note;
  /// The objective it serves: one of its plan's. Empty: every objective its
  /// plan serves.
  std::string objective;
  double value = 0.0;  // in the indicator's unit (percent: 0-100)
  Date by = kNullDate;
  /// The figure the target is judged on: the period of this kind that ends
  /// on or before `by` (a quarter unless the file says otherwise).
  PeriodKind per = PeriodKind::kQuarter;
  bool has_value = false;
  SourceLoc loc, indicator_loc, org_unit_loc, value_loc, by_loc, objective_loc;
  /// "reviews-12m at T03 by 2027-03-31": how messages name a target.
  std::string Label() const;
};

struct PlanDocument {
  std::string file;  // as given, for messages
  std::string title;
  std::vector<int> years;  // financial years by their first calendar year: 2024 is "2024-25"
  std::vector<Objective> objectives;
  std::vector<Plan> plans;
  std::vector<Target> targets;
  SourceLoc years_loc;

  /// 1 April of the first year and 31 March after the last; kNullDate
  /// without years.
  Date Start() const;
  Date End() const;
  std::vector<std::string> YearLabels() const;  // "2024-25", ...
  /// Index of the objective / plan with this id, or -1.
  int32_t FindObjective(std::string_view id) const;
  int32_t FindPlan(std::string_view id) const;
};

enum class Severity { kError, kWarning };

/// A problem or a remark about a plan file. Errors refuse the plan (a
/// target that is not SMART, a missing owner, a broken reference);
/// warnings are advice (prime indicators, realism, gaps in the thread).
struct Diagnostic {
  Severity severity = Severity::kError;
  std::string rule;  // "toml", "specific", "measurable", "time_bound", "realism", "prime_count", ...
  SourceLoc loc;     // line 0: about the plan as a whole or the org tree
  std::string message;
  int32_t target = -1;  // index into PlanDocument::targets, -1 when not about one
};

/// "plan.toml:12:3: error: <message>" (without a line: "plan.toml: ...").
std::string FormatDiagnostic(std::string_view file, const Diagnostic& d);
/// Sorts into line order, errors and warnings mixed, so a reader goes down
/// the file once; file-wide remarks (line 0) last; ties keep their order.
void SortDiagnostics(std::vector<Diagnostic>& diagnostics);
bool HasErrors(const std::vector<Diagnostic>& diagnostics);

}  // namespace goldthread::planning
