// The indicators and their series as JSON, for any client:
//   GET /api/indicators                       definitions, periods, org units
//   GET /api/indicators/{id}?org_unit=&group=&by=month|quarter
// A viewer gets the numbers under disclosure control (report/disclosure.h),
// with no intervals.

#include <fmt/format.h>

#include "report/disclosure.h"
#include "report/disclosure_derived.h"
#include "server/handlers.h"
#include "server/handlers_util.h"
#include "stats/spc.h"

namespace goldthread::server {
namespace {

namespace ind = goldthread::indicators;

nlohmann::json Opt(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }
nlohmann::json Shown(const report::Disclosed& d) { return d.suppressed ? nlohmann::json() : Opt(d.value); }

void Indicators(RequestContext& c, const report::Analysis& a) {
  nlohmann::json defs = nlohmann::json::array();
  for (size_t i = 0; i < a.definitions.size(); ++i) {
    const ind::Definition& d = a.definitions[i];
    defs.push_back({{"id", d.id},
                    {"title", d.title},
                    {"unit", ind::UnitName(d.unit)},
                    {"polarity", ind::PolarityName(d.polarity)},
                    {"version", d.version},
                    {"groups", a.monthly.result.indicators[i].groups},
                    {"series", "/api/indicators/" + d.id}});
  }
  nlohmann::json months = nlohmann::json::array(), quarters = nlohmann::json::array(),
                 units = nlohmann::json::array();
  for (const Period& p : a.monthly.result.periods) months.push_back(p.Label());
  for (const Period& p : a.quarterly.result.periods) quarters.push_back(p.Label());
  const int32_t n = static_cast<int32_t>(a.snapshot->table(TableId::kOrgUnits).rows);
  for (int32_t o = 0; o < n; ++o) {
    const int32_t parent = a.snapshot->OrgParent(o);
    units.push_back(
        {{"id", a.snapshot->OrgUnitId(o)},
         {"name", a.OrgUnitName(o)},
         {"kind", a.OrgUnitKind(o)},
         {"parent", parent >= 0 ? nlohmann::json(a.snapshot->OrgUnitId(parent)) : nlohmann::json()}});
  }
  c.Json(
      200,
      {{"indicators", defs}, {"periods", {{"month", months}, {"quarter", quarters}}}, {"org_units", units}});
}

void IndicatorSeries(RequestContext& c, const report::Analysis& a) {
  const int i = a.IndicatorIndex(c.path["id"]);
  if (i < 0)
    return c.Fail(404,
                  fmt::format("There is no indicator '{}' (GET /api/indicators lists them).", c.path["id"]));
  int32_t unit;
  if (!TryOrgUnitParam(c, a, "org_unit", a.Council(), unit)) return;
  const std::string by_text = c.Param("by").empty() ? "month" : c.Param("by");
  if (by_text != "month" && by_text != "quarter")
    return c.Fail(400, fmt::format("by '{}' is not month or quarter", by_text));
  const report::Grain& g = a.grain(by_text == "quarter" ? PeriodKind::kQuarter : PeriodKind::kMonth);
  const ind::IndicatorResult& ir = g.result.indicators[i];
  const std::string group = c.Param("group").empty() ? "all" : c.Param("group");
  const auto gi = std::find(ir.groups.begin(), ir.groups.end(), group);
  if (gi == ir.groups.end())
    return c.Fail(400, fmt::format("group '{}' is not a cut of indicator '{}'", group, ir.def->id));
  const int32_t group_index = static_cast<int32_t>(gi - ir.groups.begin());
  const bool disclose = NeedsDisclosureControl(c.who->role);
  const ind::Definition& d = *ir.def;
  nlohmann::json points = nlohmann::json::array();
  for (size_t f = 0; f < ir.figures.size(); ++f) {
    const ind::Figure& fig = ir.figures[f];
    if (fig.org_unit != unit || fig.group != group_index) continue;
    const ind::FigureStats& fs = g.stats.indicators[i].figures[f];
    nlohmann::json p = {{"period", g.result.periods[fig.period].Label()}, {"provisional", fs.provisional}};
    if (disclose && d.derived) {
      // A derived figure's numerator and denominator are its components'
      // values, not counts: the rule is applied to its components instead,
      // and it is shown (rounded) only when both would be
      // (docs/disclosure.md); its components' values are not repeated here.
      const report::DisclosedFigure x = report::DiscloseFigure(&a, d, fig, report::DisclosureRule{});
      p["numerator"] = p["denominator"] = nlohmann::json();
      p["value"] = Shown(x.shown);
      p["suppressed"] = x.shown.suppressed;
      if (!x.reason.empty()) p["suppressed_reason"] = x.reason;
    } else if (disclose) {
      // Counts rounded, small ones suppressed; a percentage from the exact
      // numbers, shown only on a denominator of 10 or more.
      const report::Disclosed num = report::DiscloseCount(fig.numerator);
      p["numerator"] = Shown(num);
      p["denominator"] = fig.denominator ? Shown(report::DiscloseCount(*fig.denominator)) : nlohmann::json();
      report::Disclosed value;
      if (!fig.value)
        value = {std::nullopt, false};
      else if (d.unit == ind::Unit::kPercent && fig.denominator)
        value = report::DisclosePercent(fig.numerator, *fig.denominator);
      else if (d.unit == ind::Unit::kCount)
        value = num;
      else if (d.unit == ind::Unit::kRatePer100k)
        value = report::DiscloseRate(*fig.value, fig.numerator);
      else
        value = report::DiscloseMean(*fig.value, fig.denominator.value_or(fig.numerator), 1);
      p["value"] = Shown(value);
      p["suppressed"] = num.suppressed || value.suppressed;
    } else {
      p["numerator"] = fig.numerator;
      p["denominator"] = Opt(fig.denominator);
      p["value"] = Opt(fig.value);
      p["ci_low"] = Opt(fig.ci_low);
      p["ci_high"] = Opt(fig.ci_high);
      p["mean"] = Opt(fs.mean);
      p["lpl"] = Opt(fs.lpl);
      p["upl"] = Opt(fs.upl);
    }
    p["point_type"] = fs.point_type ? nlohmann::json(stats::PointTypeName(*fs.point_type)) : nlohmann::json();
    points.push_back(std::move(p));
  }
  nlohmann::json variation;
  for (const ind::SeriesSpc& s : g.stats.indicators[i].spc)
    if (s.org_unit == unit && s.group == group_index && s.variation)
      variation = stats::PointTypeName(*s.variation);
  c.Json(200, {{"indicator", d.id},
               {"title", d.title},
               {"unit", ind::UnitName(d.unit)},
               {"polarity", ind::PolarityName(d.polarity)},
               {"org_unit", a.snapshot->OrgUnitId(unit)},
               {"group", group},
               {"by", by_text},
               {"disclosure_control", disclose},
               {"variation", variation},
               {"points", points}});
}

}  // namespace

// Both answer from the analysis alone: kept in the page cache.
void IndicatorsApi(RequestContext& c) {
  if (std::shared_ptr<const report::Analysis> a = RequireAnalysis(c)) AnswerCached(c, a, Indicators);
}

void IndicatorSeriesApi(RequestContext& c) {
  if (std::shared_ptr<const report::Analysis> a = RequireAnalysis(c)) AnswerCached(c, a, IndicatorSeries);
}

}  // namespace goldthread::server
