#include "planning/plan_model.h"

#include <algorithm>

#include <fmt/format.h>

namespace goldthread::planning {

std::string_view PerspectiveName(Perspective p) {
  switch (p) {
    case Perspective::kFinancial: return "financial";
    case Perspective::kCustomer: return "customer";
    case Perspective::kInternalProcess: return "internal_process";
    case Perspective::kLearningGrowth: return "learning_growth";
  }
  return "customer";
}

std::string_view PerspectiveTitle(Perspective p) {
  switch (p) {
    case Perspective::kFinancial: return "Financial";
    case Perspective::kCustomer: return "Customer";
    case Perspective::kInternalProcess: return "Internal process";
    case Perspective::kLearningGrowth: return "Learning and growth";
  }
  return "Customer";
}

bool TryParsePerspective(std::string_view s, Perspective& out) {
  for (Perspective p : kPerspectives) {
    if (s == PerspectiveName(p)) {
      out = p;
      return true;
    }
  }
  return false;
}

std::string Target::Label() const {
  std::string out = indicator.empty() ? std::string("(no indicator)") : indicator;
  if (!org_unit.empty()) out += " at " + org_unit;
  if (by != kNullDate) out += " by " + FormatDate(by);
  return out;
}

Date PlanDocument::Start() const { return years.empty() ? kNullDate : FinancialYearPeriod(years.front()).start; }
Date PlanDocument::End() const { return years.empty() ? kNullDate : FinancialYearPeriod(years.back()).end; }

std::vector<std::string> PlanDocument::YearLabels() const {
  std::vector<std::string> out;
  for (int y : years) out.push_back(FinancialYearPeriod(y).Label());
  return out;
}

int32_t PlanDocument::FindObjective(std::string_view id) const {
  for (size_t i = 0; i < objectives.size(); ++i)
    if (objectives[i].id == id) return static_cast<int32_t>(i);
  return -1;
}

int32_t PlanDocument::FindPlan(std::string_view id) const {
  for (size_t i = 0; i < plans.size(); ++i)
    if (plans[i].id == id) return static_cast<int32_t>(i);
  return -1;
}

std::string FormatDiagnostic(std::string_view file, const Diagnostic& d) {
  const char* kind = d.severity == Severity::kError ? "error" : "warning";
  if (d.loc.line <= 0) return fmt::format("{}: {}: {}", file, kind, d.message);
  if (d.loc.column <= 0) return fmt::format("{}:{}: {}: {}", file, d.loc.line, kind, d.message);
  return fmt::format("{}:{}:{}: {}: {}", file, d.loc.line, d.loc.column, kind, d.message);
}

void SortDiagnostics(std::vector<Diagnostic>& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    const int64_t la = a.loc.line > 0 ? a.loc.line : INT64_MAX, lb = b.loc.line > 0 ? b.loc.line : INT64_MAX;
    if (la != lb) return la < lb;
    return a.loc.column < b.loc.column;
  });
}

bool HasErrors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

}  // namespace goldthread::planning
