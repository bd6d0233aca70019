#include "indicators/derived.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/text.h"
#include "indicators/engine_plan.h"
#include "indicators/figure_stats.h"

namespace goldthread::indicators {
namespace {

// A chain of indicators each derived from the next, at most this deep: a
// file can hold no deeper nesting than a person would write, and the walk
// below recurses once per level.
constexpr size_t kMaxDerivedDepth = 64;

// The derived definitions of defs in an order where each comes after its
// components (depth first), or the first unknown component or cycle.
class Order {
 public:
  explicit Order(const std::vector<Definition>& defs) : defs_(defs), state_(defs.size(), State::kNew) {
    for (size_t i = 0; i < defs.size(); ++i) by_id_.emplace(defs[i].id, i);
  }

  Result<std::vector<size_t>> Run() {
    for (size_t i = 0; i < defs_.size(); ++i) GT_RETURN_IF_ERROR(Visit(i));
    return order_;
  }

  size_t Index(const std::string& id) const { return by_id_.at(id); }

 private:
  enum class State { kNew, kOnPath, kDone };

  Status Visit(size_t i) {
    if (state_[i] == State::kDone) return Status::Ok();
    const Definition& d = defs_[i];
    if (!d.derived) {
      state_[i] = State::kDone;
      return Status::Ok();
    }
    state_[i] = State::kOnPath;
    path_.push_back(i);
    if (path_.size() > kMaxDerivedDepth)
      return Status::InvalidArgument(d.file + ": indicator '" + d.id + "' is derived from derived indicators " +
                                     std::to_string(kMaxDerivedDepth) + " deep (at most " +
                                     std::to_string(kMaxDerivedDepth) + ")");
    for (size_t j = 0; j < d.derived->of.size(); ++j) {
      const std::string& id = d.derived->of[j];
      const std::string at = j < d.derived->of_at.size() ? d.derived->of_at[j] : d.file + ": ";
      auto it = by_id_.find(id);
      if (it == by_id_.end()) {
        std::vector<std::string_view> ids;
        for (const Definition& o : defs_) ids.push_back(o.id);
        const std::string hint = ClosestName(id, ids);
        return Status::InvalidArgument(at + "'" + id + "' is not an indicator" +
                                       (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                                       ": [derived] of names indicators by their id, built-in or in the "
                                       "--indicators directory");
      }
      const size_t c = it->second;
      if (state_[c] == State::kOnPath) {
        std::string chain;
        for (auto p = std::find(path_.begin(), path_.end(), c); p != path_.end(); ++p) chain += defs_[*p].id + " -> ";
        chain += defs_[c].id;
        return Status::InvalidArgument(at + "indicator '" + defs_[c].id + "' is defined from itself: " + chain +
                                       ". A derived indicator must in the end come from indicators with a "
                                       "[population]: define one of these from a [population] instead");
      }
      GT_RETURN_IF_ERROR(Visit(c));
    }
    path_.pop_back();
    state_[i] = State::kDone;
    order_.push_back(i);
    return Status::Ok();
  }

  const std::vector<Definition>& defs_;
  std::map<std::string_view, size_t, std::less<>> by_id_;
  std::vector<State> state_;
  std::vector<size_t> path_;
  std::vector<size_t> order_;
};

constexpr double kZ95 = 1.959963984540054;  // the standard normal's 97.5th percentile

// The variance of ln(value) of a component figure, for the interval of a
// ratio on the log scale (the delta method: var(ln x) ~ var(x) / x^2):
//   a percentage x/n: 1/x - 1/n, Katz's log method for a ratio of two
//     proportions (Katz D, Baptista J, Azen SP, Pike MC. Obtaining
//     confidence intervals for the risk ratio in cohort studies.
//     Biometrics 1978;34:469-474);
//   a count or rate of x events: 1/x, the Poisson variance on the log
//     scale, as for a rate ratio (Rothman KJ, Greenland S, Lash TL. Modern
//     Epidemiology, 3rd ed. 2008, chapter 14).
// None for a mean, days, median or derived figure (the figure keeps no
// standard error to combine), and for none counted (the log of 0).
std::optional<double> LogVariance(const Definition& d, const Figure& f) {
  if (d.derived) return std::nullopt;
  switch (d.unit) {
    case Unit::kPercent:
      if (!(f.numerator > 0) || !f.denominator || !(*f.denominator > 0)) return std::nullopt;
      return 1.0 / f.numerator - 1.0 / *f.denominator;
    case Unit::kCount:
    case Unit::kRatePer100k:
      if (!(f.numerator > 0)) return std::nullopt;
      return 1.0 / f.numerator;
    case Unit::kMean:
    case Unit::kDays:
      return std::nullopt;
  }
  return std::nullopt;
}

// The figure of a derived definition from its components' figures fa, fb
// (of definitions da, db). Both intervals treat the components as
// independent samples (docs/indicators.md says when they are not).
Figure Combine(const Definition& d, const Definition& da, const Figure& fa, const Definition& db, const Figure& fb) {
  Figure f;
  f.numerator = fa.value.value_or(0);
  f.denominator = fb.value;
  if (!fa.value || !fb.value) return f;
  const double a = *fa.value, b = *fb.value;
  if (d.derived->op == DerivedOp::kDifference) {
    f.value = a - b;
    // MOVER, the method of variance estimates recovery (Zou GY, Donner A.
    // Construction of confidence limits about effect measures: a general
    // approach. Stat Med 2008;27:1693-1702), from each component's own
    // interval; for two proportions with Wilson intervals it is Newcombe's
    // method 10 (Newcombe RG. Interval estimation for the difference
    // between independent proportions: comparison of eleven methods. Stat
    // Med 1998;17:873-890):
    //   L = a - b - sqrt((a - la)^2 + (ub - b)^2)
    //   U = a - b + sqrt((ua - a)^2 + (b - lb)^2)
    if (fa.ci_low && fa.ci_high && fb.ci_low && fb.ci_high) {
      f.ci_low = a - b - std::hypot(a - *fa.ci_low, *fb.ci_high - b);
      f.ci_high = a - b + std::hypot(*fa.ci_high - a, b - *fb.ci_low);
    }
    return f;
  }
  if (b == 0) return f;
  const double r = d.rate_per * a / b;
  if (!std::isfinite(r)) return f;
  f.value = r;
  // ln(r) +- z sqrt(var(ln a) + var(ln b)), back on the ratio's scale.
  const std::optional<double> va = LogVariance(da, fa), vb = LogVariance(db, fb);
  if (va && vb && r > 0) {
    const double half = kZ95 * std::sqrt(*va + *vb);
    f.ci_low = r * std::exp(-half);
    f.ci_high = r * std::exp(half);
  }
  return f;
}

// Figure index by period x org unit x group of one indicator's result.
std::vector<int32_t> GridOf(const IndicatorResult& ir, size_t n_periods, int32_t n_org) {
  std::vector<int32_t> grid(n_periods * static_cast<size_t>(n_org) * ir.groups.size(), -1);
  for (size_t i = 0; i < ir.figures.size(); ++i) {
    const Figure& f = ir.figures[i];
    grid[(static_cast<size_t>(f.period) * n_org + f.org_unit) * ir.groups.size() + f.group] =
        static_cast<int32_t>(i);
  }
  return grid;
}

}  // namespace

Status ResolveDerived(std::vector<Definition>& defs) {
  Order order(defs);
  Result<std::vector<size_t>> sorted = order.Run();
  if (!sorted.ok()) return sorted.status();
  for (size_t i : *sorted) {
    Definition& d = defs[i];
    const Definition& a = defs[order.Index(d.derived->of[0])];
    const Definition& b = defs[order.Index(d.derived->of[1])];
    if (d.derived->op == DerivedOp::kDifference && (a.unit != d.unit || b.unit != d.unit))
      return Status::InvalidArgument(
          d.derived->op_at + "op = \"difference\" needs both components in this indicator's unit (" +
          std::string(UnitName(d.unit)) + "): '" + a.id + "' is " + std::string(UnitName(a.unit)) + ", '" + b.id +
          "' is " + std::string(UnitName(b.unit)));
    if (d.derived->op == DerivedOp::kDifference) {
      // A difference is in its components' unit, a rate in their
      // multiplier: two rates per 1,000 differ by so many per 1,000.
      if (d.unit == Unit::kRatePer100k && a.rate_per != b.rate_per)
        return Status::InvalidArgument(
            d.derived->op_at + "op = \"difference\" needs both rates per the same number: '" + a.id +
            "' is " + PerLabel(a.rate_per) + ", '" + b.id + "' is " + PerLabel(b.rate_per));
      d.rate_per = a.rate_per;
    }
    d.cuts.clear();
    for (Cut c : a.cuts)
      if (std::find(b.cuts.begin(), b.cuts.end(), c) != b.cuts.end()) d.cuts.push_back(c);
    d.follow_up_days = std::max(a.follow_up_days, b.follow_up_days);
  }
  return Status::Ok();
}

Status ComputeDerived(const std::vector<Definition>& defs, int32_t n_org, ComputeResult& result) {
  Order order(defs);
  Result<std::vector<size_t>> sorted = order.Run();
  if (!sorted.ok()) return sorted.status();
  const size_t n_periods = result.periods.size();
  for (size_t i : *sorted) {
    const Definition& d = defs[i];
    const size_t ia = order.Index(d.derived->of[0]), ib = order.Index(d.derived->of[1]);
    const IndicatorResult& ra = result.indicators[ia];
    const IndicatorResult& rb = result.indicators[ib];
    const std::vector<int32_t> grid_a = GridOf(ra, n_periods, n_org), grid_b = GridOf(rb, n_periods, n_org);
    IndicatorResult& ir = result.indicators[i];
    ir.groups.clear();
    ir.figures.clear();
    // The groups both components have, in the order of the derived
    // definition's own cuts (ResolveDerived: those both have).
    std::vector<std::pair<size_t, size_t>> from;  // per group: its index in a's and b's groups
    for (const std::string& label : internal::LayoutFor(d).labels) {
      auto ga = std::find(ra.groups.begin(), ra.groups.end(), label);
      auto gb = std::find(rb.groups.begin(), rb.groups.end(), label);
      if (ga == ra.groups.end() || gb == rb.groups.end()) continue;
      ir.groups.push_back(label);
      from.push_back({static_cast<size_t>(ga - ra.groups.begin()), static_cast<size_t>(gb - rb.groups.begin())});
    }
    // A count's empty cut group is left out by the engine: it is a count of
    // 0, with its interval (where the other component has a figure).
    auto component = [&](const IndicatorResult& r, const std::vector<int32_t>& grid, size_t k, int32_t o, size_t g,
                         Figure& zero) -> const Figure* {
      const int32_t at = grid[(k * n_org + o) * r.groups.size() + g];
      if (at >= 0) return &r.figures[at];
      if (g == 0 || r.def->derived || r.def->unit != Unit::kCount) return nullptr;
      zero = Figure();
      FillFigure(Unit::kCount, 0, 0, 0, 0, 0, 0, zero);
      return &zero;
    };
    Figure zero_a, zero_b;
    for (size_t k = 0; k < n_periods; ++k) {
      for (int32_t o = 0; o < n_org; ++o) {
        for (size_t g = 0; g < from.size(); ++g) {
          const Figure* fa = component(ra, grid_a, k, o, from[g].first, zero_a);
          const Figure* fb = component(rb, grid_b, k, o, from[g].second, zero_b);
          if (!fa || !fb || (fa == &zero_a && fb == &zero_b)) continue;
          Figure f = Combine(d, *ra.def, *fa, *rb.def, *fb);
          f.period = static_cast<int32_t>(k);
          f.org_unit = o;
          f.group = static_cast<int32_t>(g);
          // The cases behind it are its components': the numerator's persons
          // the first's, the denominator's everyone behind either.
          f.numerator_persons = fa->denominator_persons;
          std::set_union(fa->denominator_persons.begin(), fa->denominator_persons.end(),
                         fb->denominator_persons.begin(), fb->denominator_persons.end(),
                         std::back_inserter(f.denominator_persons));
          ir.figures.push_back(std::move(f));
        }
      }
    }
  }
  return Status::Ok();
}

}  // namespace goldthread::indicators
