#include "planning/plan_check.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/text.h"

namespace goldthread::planning {
namespace {

namespace ind = goldthread::indicators;

// Seed 003 ("Roots of quality"): "each team in future will have six or
// eight prime PIs to look after".
constexpr size_t kFewestPrime = 6;
constexpr size_t kMostPrime = 8;

std::string Number(double v) { return fmt::format("{:g}", v); }

class Checker {
 public:
  Checker(const PlanDocument& doc, const CheckInputs& in) : doc_(doc), in_(in), thread_(BuildThread(doc, in.org)) {
    for (const ind::Definition& d : *in.definitions) {
      defs_[d.id] = &d;
      def_ids_.push_back(d.id);
    }
  }

  std::vector<Diagnostic> Run() {
    Ids();
    for (const Objective& o : doc_.objectives)
      for (const std::string& id : o.indicators) Indicator(id, o.loc, "objective " + o.id + ": population indicator");
    for (size_t p = 0; p < doc_.plans.size(); ++p) PlanRefs(static_cast<int32_t>(p));
    for (size_t t = 0; t < doc_.targets.size(); ++t) TargetSmart(static_cast<int32_t>(t));
    for (size_t p = 0; p < doc_.plans.size(); ++p) Prime(static_cast<int32_t>(p));
    Cascade();
    return std::move(out_);
  }

 private:
  void Add(Severity s, std::string rule, SourceLoc loc, std::string message, int32_t target = -1) {
    out_.push_back({s, std::move(rule), loc, std::move(message), target});
  }
  void Error(std::string rule, SourceLoc loc, std::string message, int32_t target = -1) {
    Add(Severity::kError, std::move(rule), loc, std::move(message), target);
  }
  void Warn(std::string rule, SourceLoc loc, std::string message, int32_t target = -1) {
    Add(Severity::kWarning, std::move(rule), loc, std::move(message), target);
  }

  static std::string Hint(std::string_view name, const std::vector<std::string_view>& candidates) {
    const std::string h = ClosestName(name, candidates);
    return h.empty() ? "" : " (did you mean '" + h + "'?)";
  }
  std::string IndicatorHint(std::string_view id) const { return Hint(id, def_ids_); }
  std::string OrgHint(std::string_view id) const { return Hint(id, in_.org->Ids()); }

  /// Whether an indicator id is defined; an error naming `what` if not.
  bool Indicator(const std::string& id, SourceLoc loc, const std::string& what) {
    if (defs_.count(id)) return true;
    Error("indicator", loc, fmt::format("{} '{}' is not defined{}", what, id, IndicatorHint(id)));
    return false;
  }

  void Ids() {
    std::map<std::string, SourceLoc> seen;
    for (const Objective& o : doc_.objectives) {
      if (o.id.empty()) continue;
      auto [it, fresh] = seen.emplace(o.id, o.loc);
      if (!fresh)
        Error("duplicate", o.loc, fmt::format("objective {} is defined twice (first at line {})", o.id, it->second.line));
    }
    seen.clear();
    for (const Plan& p : doc_.plans) {
      if (p.id.empty()) continue;
      auto [it, fresh] = seen.emplace(p.id, p.loc);
      if (!fresh)
        Error("duplicate", p.loc, fmt::format("plan {} is defined twice (first at line {})", p.id, it->second.line));
    }
  }

  void PlanRefs(int32_t pi) {
    const Plan& p = doc_.plans[pi];
    const std::string what = p.id.empty() ? "plan" : "plan " + p.id;
    std::vector<std::string_view> objective_ids;
    for (const Objective& o : doc_.objectives) objective_ids.push_back(o.id);
    for (const std::string& o : p.objectives)
      if (doc_.FindObjective(o) < 0)
        Error("objective", p.loc,
              fmt::format("{}: objective '{}' is not an [[objective]] of this file{}", what, o, Hint(o, objective_ids)));
    for (const std::string& id : p.prime) Indicator(id, p.prime_loc, what + ": prime indicator");
    for (const std::string& id : p.indicators) Indicator(id, p.loc, what + ": indicator");
    for (const IndicatorOwner& o : p.owners) Indicator(o.indicator, o.loc, what + ": owners names indicator");
    if (!in_.org || p.org_unit.empty()) return;
    if (thread_.plan_unit[pi] < 0) {
      Error("org_unit", p.org_unit_loc,
            fmt::format("{}: org unit '{}' is not in the store's org units{}", what, p.org_unit, OrgHint(p.org_unit)));
      return;
    }
    for (int32_t q = 0; q < pi; ++q) {
      if (thread_.plan_unit[q] == thread_.plan_unit[pi]) {
        Error("org_unit", p.org_unit_loc,
              fmt::format("{}: org unit {} already has plan {} (line {}); one plan per org unit", what, p.org_unit,
                          doc_.plans[q].id, doc_.plans[q].loc.line));
        return;
      }
    }
  }

  void TargetSmart(int32_t ti) {
    const Target& t = doc_.targets[ti];
    const std::string what = "target " + t.Label();
    const int32_t pi = doc_.FindPlan(t.plan);
    if (!t.plan.empty() && pi < 0) {
      std::vector<std::string_view> plan_ids;
      for (const Plan& p : doc_.plans) plan_ids.push_back(p.id);
      Error("plan", t.loc,
            fmt::format("{}: plan '{}' is not a [[plan]] of this file{}", what, t.plan, Hint(t.plan, plan_ids)), ti);
    }
    if (!t.objective.empty()) {
      if (doc_.FindObjective(t.objective) < 0) {
        std::vector<std::string_view> objective_ids;
        for (const Objective& o : doc_.objectives) objective_ids.push_back(o.id);
        Error("objective", t.objective_loc,
              fmt::format("{}: objective '{}' is not an [[objective]] of this file{}", what, t.objective,
                          Hint(t.objective, objective_ids)),
              ti);
      } else if (pi >= 0 && std::find(doc_.plans[pi].objectives.begin(), doc_.plans[pi].objectives.end(),
                                      t.objective) == doc_.plans[pi].objectives.end()) {
        Error("objective", t.objective_loc,
              fmt::format("{}: objective {} is not one its plan {} serves (add it to the plan's objectives, or "
                          "set the target in a plan that serves it)",
                          what, t.objective, t.plan),
              ti);
      }
    }
    // Specific: one indicator that is defined, one org unit that exists.
    const ind::Definition* def = nullptr;
    if (!t.indicator.empty()) {
      auto it = defs_.find(t.indicator);
      if (it == defs_.end())
        Error("specific", t.indicator_loc,
              fmt::format("{} is not Specific: indicator '{}' is not defined{}", what, t.indicator,
                          IndicatorHint(t.indicator)),
              ti);
      else
        def = it->second;
    }
    if (in_.org && !t.org_unit.empty()) {
      const int32_t unit = in_.org->Find(t.org_unit);
      if (unit < 0) {
        Error("specific", t.org_unit_loc,
              fmt::format("{} is not Specific: org unit '{}' is not in the store's org units{}", what, t.org_unit,
                          OrgHint(t.org_unit)),
              ti);
      } else if (pi >= 0 && thread_.plan_unit[pi] >= 0 && !in_.org->Within(unit, thread_.plan_unit[pi])) {
        Error("specific", t.org_unit_loc,
              fmt::format("{} is not Specific: org unit {} is outside plan {}'s org unit {} (a plan's targets are "
                          "for its own unit or the units below it)",
                          what, t.org_unit, t.plan, doc_.plans[pi].org_unit),
              ti);
      }
    }
    // Measurable: a number, in range for the indicator's unit. Negative
    // only where the indicator's values can be (MayBeNegative).
    if (def && t.has_value) {
      const bool negative = MayBeNegative(*def, 0);
      const bool difference = def->derived && def->derived->op == ind::DerivedOp::kDifference;
      if (def->unit == ind::Unit::kPercent && difference && (t.value < -100.0 || t.value > 100.0))
        Error("measurable", t.value_loc,
              fmt::format("{} is not Measurable: value {} is outside -100 to 100 ({} is a difference of "
                          "percentages, in points: write -5.0 for 5 points lower)",
                          what, Number(t.value), def->id),
              ti);
      else if (def->unit == ind::Unit::kPercent && !def->derived && (t.value < 0.0 || t.value > 100.0))
        Error("measurable", t.value_loc,
              fmt::format("{} is not Measurable: value {} is outside 0-100 ({} is a percentage: write 60.0 for 60%)",
                          what, Number(t.value), def->id),
              ti);
      else if (!negative && t.value < 0.0)
        Error("measurable", t.value_loc,
              fmt::format("{} is not Measurable: value {} is negative ({} is a {})", what, Number(t.value),
                          def->id, KindWords(*def)),
              ti);
    }
    // Time bound: a date within the plan's years.
    if (t.by != kNullDate && !doc_.years.empty() && (t.by < doc_.Start() || t.by > doc_.End())) {
      Error("time_bound", t.by_loc,
            fmt::format("{} is not Time bound: by {} is outside the plan's years {} to {} ({} to {})", what,
                        FormatDate(t.by), doc_.YearLabels().front(), doc_.YearLabels().back(),
                        FormatDate(doc_.Start()), FormatDate(doc_.End())),
            ti);
    } else if (t.by != kNullDate) {
      const Period p = PeriodEndingBy(t.by, t.per);
      if (p.end != t.by)
        Warn("time_bound", t.by_loc,
             fmt::format("{}: {} is not the end of a {}; it is judged on the {} ending {} ({})", what,
                         FormatDate(t.by), PeriodKindName(t.per), PeriodKindName(t.per), FormatDate(p.end),
                         p.Label()),
             ti);
    }
  }

  bool IsTeamPlan(int32_t pi) const {
    if (!in_.org) return !doc_.plans[pi].prime.empty();
    const int32_t u = thread_.plan_unit[pi];
    return u >= 0 && in_.org->at(u).kind == "team";
  }

  std::string PlanWhat(int32_t pi) const {
    const Plan& p = doc_.plans[pi];
    const int32_t u = thread_.plan_unit[pi];
    if (u >= 0) return fmt::format("plan {} ({} {})", p.id, in_.org->at(u).kind, p.org_unit);
    return "plan " + p.id;
  }

  // Whether an indicator's values can be below 0: a difference (a - b)
  // can, and a ratio of components that can; a mean or days of a case
  // value can (the value is the definition's expression). A proportion,
  // a count and a rate of cases counted cannot. depth: the derived chain
  // walked so far (ResolveDerived refuses cycles; this bounds the walk
  // if it was not run).
  bool MayBeNegative(const ind::Definition& d, int depth) const {
    if (!d.derived) return d.unit == ind::Unit::kMean || d.unit == ind::Unit::kDays;
    if (d.derived->op == ind::DerivedOp::kDifference) return true;
    if (depth >= 64) return false;
    for (const std::string& id : d.derived->of)
      if (auto it = defs_.find(id); it != defs_.end() && MayBeNegative(*it->second, depth + 1)) return true;
    return false;
  }

  // What an indicator that cannot be negative is, for the message.
  static std::string KindWords(const ind::Definition& d) {
    if (d.derived) return "ratio of two indicators that cannot be negative";
    if (d.unit == ind::Unit::kCount) return "count";
    if (d.unit == ind::Unit::kRatePer100k) return "rate " + ind::PerLabel(d.rate_per);
    return std::string(ind::UnitName(d.unit));
  }

  void Prime(int32_t pi) {
    const Plan& p = doc_.plans[pi];
    const std::string what = PlanWhat(pi);
    if (IsTeamPlan(pi)) {
      if (p.prime.empty()) {
        Warn("prime_count", p.loc,
             what + " names no prime indicators (expected prime = [...]: the six to eight indicators the team looks "
                    "after, seed 003)");
      } else if (p.prime.size() < kFewestPrime || p.prime.size() > kMostPrime) {
        Warn("prime_count", p.prime_loc,
             fmt::format("{} has {} prime indicator{}; a team looks after six to eight (seed 003: \"each team ... "
                         "will have six or eight prime PIs\")",
                         what, p.prime.size(), p.prime.size() == 1 ? "" : "s"));
      }
      std::set<ind::Oba> obas;
      for (const std::string& id : p.prime)
        if (auto it = defs_.find(id); it != defs_.end()) obas.insert(it->second->oba);
      if (!obas.empty() && !obas.count(ind::Oba::kBetterOff)) {
        const std::string kinds = obas.size() == 1 && obas.count(ind::Oba::kHowMuch)   ? "all how_much"
                                  : obas.size() == 1 && obas.count(ind::Oba::kHowWell) ? "all how_well"
                                                                                       : "how_much and how_well only";
        Warn("prime_outcome", p.prime_loc,
             fmt::format("{}: none of its prime indicators is a better_off measure ({}: counting process instead of "
                         "outcomes, seed 000)",
                         what, kinds));
      }
    }
    // Every indicator of a plan has someone answerable for it: an owners
    // entry, or the owner of one of its targets.
    for (const std::string& id : PlanIndicators(doc_, pi, thread_)) {
      if (!defs_.count(id)) continue;
      bool owned = std::any_of(p.owners.begin(), p.owners.end(),
                               [&](const IndicatorOwner& o) { return o.indicator == id && !o.owner.empty(); });
      bool has_target = false;
      for (int32_t t : thread_.targets_of_plan[pi]) {
        if (doc_.targets[t].indicator != id) continue;
        has_target = true;
        owned = owned || !doc_.targets[t].owner.empty();
      }
      if (!owned)
        Warn("indicator_owner", p.loc,
             fmt::format("{}: indicator {} has no owner (name one in owners = {{ \"{}\" = \"...\" }} or give it a "
                         "target with an owner)",
                         PlanWhat(pi), id, id));
      if (!has_target && std::find(p.prime.begin(), p.prime.end(), id) != p.prime.end())
        Warn("prime_target", p.prime_loc,
             fmt::format("{}: prime indicator {} has no target (seed 003: \"each of the prime PIs must be considered "
                         "for improvement\")",
                         PlanWhat(pi), id));
    }
  }

  void Cascade() {
    for (size_t o = 0; o < doc_.objectives.size(); ++o)
      if (thread_.plans_of_objective[o].empty() && !doc_.objectives[o].id.empty())
        Warn("thread", doc_.objectives[o].loc,
             fmt::format("objective {} is served by no plan: nothing in the thread leads to it", doc_.objectives[o].id));
    if (!in_.org) return;
    for (size_t pi = 0; pi < doc_.plans.size(); ++pi) {
      const int32_t parent = thread_.parent_plan[pi];
      if (parent < 0) continue;
      const Plan &p = doc_.plans[pi], &up = doc_.plans[parent];
      for (const std::string& o : p.objectives) {
        if (doc_.FindObjective(o) < 0) continue;
        if (std::find(up.objectives.begin(), up.objectives.end(), o) == up.objectives.end())
          Warn("thread", p.loc,
               fmt::format("plan {} serves objective {}, which the plan above it, {} ({}), does not: the thread "
                           "breaks between {} and {}",
                           p.id, o, up.id, up.org_unit, up.org_unit, p.org_unit));
      }
    }
    // Units without a plan: every team (no plan, no prime indicators), and a
    // service or council above a unit that has one.
    std::vector<bool> has_plan(static_cast<size_t>(in_.org->size()), false), below(has_plan.size(), false);
    for (int32_t u : thread_.plan_unit)
      if (u >= 0) has_plan[u] = true;
    for (int32_t u = 0; u < in_.org->size(); ++u) {
      if (!has_plan[u]) continue;
      for (int32_t a = in_.org->at(u).parent, steps = 0; a >= 0 && steps <= in_.org->size();
           a = in_.org->at(a).parent, ++steps)
        below[a] = true;
    }
    if (doc_.plans.empty()) return;
    for (int32_t u = 0; u < in_.org->size(); ++u) {
      if (has_plan[u]) continue;
      const OrgUnitInfo& info = in_.org->at(u);
      if (info.kind == "team")
        Warn("prime_count", {}, fmt::format("team {} has no plan, so no prime indicators", in_.org->Describe(u)));
      else if (below[u])
        Warn("thread", {},
             fmt::format("{} {} has no plan: the plans below it hang straight from the objectives", info.kind,
                         in_.org->Describe(u)));
    }
  }

  const PlanDocument& doc_;
  const CheckInputs& in_;
  Thread thread_;
  std::map<std::string, const ind::Definition*, std::less<>> defs_;
  std::vector<std::string_view> def_ids_;
  std::vector<Diagnostic> out_;
};

}  // namespace

std::vector<Diagnostic> CheckPlan(const PlanDocument& doc, const CheckInputs& in) { return Checker(doc, in).Run(); }

Period PeriodEndingBy(Date by, PeriodKind per) {
  const YearMonthDay ymd = CivilFromDate(by);
  Period p;
  switch (per) {
    case PeriodKind::kMonth:
    case PeriodKind::kRolling12: p = MonthPeriod(ymd.year, ymd.month); break;
    case PeriodKind::kQuarter: p = QuarterPeriod(FinancialYearOf(by), (ymd.month + 8) % 12 / 3 + 1); break;
    case PeriodKind::kYear: p = FinancialYearPeriod(FinancialYearOf(by)); break;
  }
  if (p.end == by) return p;
  // The period before: the one ending the day before this one starts.
  return PeriodEndingBy(p.start - 1, per);
}

}  // namespace goldthread::planning
