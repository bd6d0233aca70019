#include "report/disclosure_derived.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <tuple>

namespace goldthread::report {
namespace {

namespace ind = goldthread::indicators;

// A derived chain is at most this deep (indicators/derived.cc refuses
// deeper); the walk below recurses once per level.
constexpr int kMaxDepth = 64;

DisclosedFigure Suppressed(std::string reason) { return {{std::nullopt, true}, std::move(reason)}; }

// The rule for a figure with a population of its own.
Disclosed Plain(const ind::Definition& d, const ind::Figure& f, const DisclosureRule& r) {
  switch (d.unit) {
    case ind::Unit::kPercent:
      return DisclosePercent(f.numerator, f.denominator.value_or(0), r);
    case ind::Unit::kCount:
      return DiscloseCount(*f.value, r);
    case ind::Unit::kRatePer100k:
      return DiscloseRate(*f.value, f.numerator, r);
    case ind::Unit::kMean:
    case ind::Unit::kDays:
      return DiscloseMean(*f.value, f.denominator.value_or(0), 2, r);
  }
  return {std::nullopt, true};
}

// Why a plain figure is suppressed, in the rule's words.
std::string PlainReason(const ind::Definition& d, const DisclosureRule& r) {
  switch (d.unit) {
    case ind::Unit::kCount:
      return fmt::format("a count of 1 to {}", r.suppress_max);
    case ind::Unit::kRatePer100k:
      return fmt::format("a count of 1 to {} behind it", r.suppress_max);
    case ind::Unit::kPercent:
    case ind::Unit::kMean:
    case ind::Unit::kDays:
      return fmt::format("fewer than {} people behind it", r.min_denominator);
  }
  return "";
}

// A derived figure's value from its exact figure, rounded for its unit.
double Rounded(const ind::Definition& d, double v, const DisclosureRule& r) {
  switch (d.unit) {
    case ind::Unit::kPercent:
      return std::round(v);
    case ind::Unit::kCount:
      return r.round_to > 1 ? std::round(v / r.round_to) * r.round_to : v;
    case ind::Unit::kRatePer100k:
      return std::round(v * 10.0) / 10.0;
    case ind::Unit::kMean:
    case ind::Unit::kDays:
      return std::round(v * 100.0) / 100.0;
  }
  return v;
}

// The figure of r at (period, org unit, group), or null. The engine and
// ComputeDerived give figures in (period, org unit, group) order, so a
// binary search finds it; a scan covers a result built otherwise.
const ind::Figure* FindFigure(const ind::IndicatorResult& r, int32_t period, int32_t org_unit,
                              int32_t group) {
  const auto key = std::make_tuple(period, org_unit, group);
  auto of = [](const ind::Figure& x) { return std::make_tuple(x.period, x.org_unit, x.group); };
  auto it = std::lower_bound(r.figures.begin(), r.figures.end(), key,
                             [&](const ind::Figure& x, const auto& k) { return of(x) < k; });
  if (it != r.figures.end() && of(*it) == key) return &*it;
  for (const ind::Figure& x : r.figures)
    if (of(x) == key) return &x;
  return nullptr;
}

DisclosedFigure Through(const Analysis& a, const Grain& g, const ind::Definition& d, const ind::Figure& f,
                        const DisclosureRule& rule, int depth) {
  if (!f.value) return {};
  if (!d.derived) {
    const Disclosed x = Plain(d, f, rule);
    return {x, x.suppressed ? PlainReason(d, rule) : ""};
  }
  const int self = a.IndicatorIndex(d.id);
  if (self < 0 || depth > kMaxDepth) return Suppressed("its components cannot be found");
  const ind::IndicatorResult& ir = g.result.indicators[self];
  const std::string label =
      f.group >= 0 && static_cast<size_t>(f.group) < ir.groups.size() ? ir.groups[f.group] : "all";
  for (const std::string& id : d.derived->of) {
    const int c = a.IndicatorIndex(id);
    if (c < 0) return Suppressed(fmt::format("its component '{}' is not computed", id));
    const ind::IndicatorResult& cr = g.result.indicators[c];
    const auto gi = std::find(cr.groups.begin(), cr.groups.end(), label);
    const int32_t group = gi == cr.groups.end() ? -1 : static_cast<int32_t>(gi - cr.groups.begin());
    const ind::Figure* cf = group < 0 ? nullptr : FindFigure(cr, f.period, f.org_unit, group);
    // A count's empty cut group is a count of 0 (ComputeDerived), and 0
    // is shown.
    if (!cf && group > 0 && !cr.def->derived && cr.def->unit == ind::Unit::kCount) continue;
    if (!cf) return Suppressed(fmt::format("its component '{}' has no figure here", id));
    const DisclosedFigure x = Through(a, g, *cr.def, *cf, rule, depth + 1);
    if (x.shown.suppressed)
      return Suppressed(fmt::format("its component '{}' is not shown: {}", id, x.reason));
    if (!x.shown.value) return Suppressed(fmt::format("its component '{}' has no value here", id));
  }
  return {{Rounded(d, *f.value, rule), false}, ""};
}

}  // namespace

DisclosedFigure DiscloseFigure(const Analysis* a, const ind::Definition& d, const ind::Figure& f,
                               const DisclosureRule& rule) {
  if (!f.value) return {};
  if (!d.derived) return {Plain(d, f, rule), ""};  // its marker is the table note's to explain
  if (!a) return Suppressed("its components cannot be found");
  const int i = a->IndicatorIndex(d.id);
  const std::less<const ind::Figure*> before;
  for (const Grain* g : {&a->monthly, &a->quarterly}) {
    if (i < 0 || static_cast<size_t>(i) >= g->result.indicators.size()) continue;
    const auto& figs = g->result.indicators[i].figures;
    if (!figs.empty() && !before(&f, figs.data()) && before(&f, figs.data() + figs.size()))
      return Through(*a, *g, d, f, rule, 0);
  }
  return Suppressed("its components cannot be found");
}

}  // namespace goldthread::report
