#include "indicators/series_stats.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "model/snapshot.h"

namespace goldthread::indicators {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Figure index by period x org unit x group, -1 where the engine left a
// figure out (a cut group with no cases; a rate below the council).
class FigureGrid {
 public:
  FigureGrid(const IndicatorResult& ir, size_t periods, size_t org_units)
      : orgs_(org_units), groups_(ir.groups.size()), index_(periods * org_units * groups_, -1) {
    for (size_t i = 0; i < ir.figures.size(); ++i) {
      const Figure& f = ir.figures[i];
      index_[Cell(f.period, f.org_unit, f.group)] = static_cast<int32_t>(i);
    }
  }
  int32_t At(size_t period, size_t org, size_t group) const { return index_[Cell(period, org, group)]; }

 private:
  size_t Cell(size_t period, size_t org, size_t group) const { return (period * orgs_ + org) * groups_ + group; }
  size_t orgs_, groups_;
  std::vector<int32_t> index_;
};

std::optional<double> Scaled(const std::optional<double>& v, double scale) {
  return v ? std::optional<double>(*v * scale) : std::nullopt;
}

stats::FunnelLimits Scaled(const stats::FunnelLimits& l, double scale) {
  return {l.lower95 * scale, l.upper95 * scale, l.lower998 * scale, l.upper998 * scale};
}

// One chart per org unit x group that has any figure, points in period
// order. A percentage is a p-chart of numerator/denominator
// (shared/STATISTICS.md section 2, "proportions with varying
// denominators"); everything else an XmR chart of the value, derived
// indicators too: a ratio or difference of two figures is not a count out of
// a count, so it has no binomial limits.
Status ChartSeries(const ComputeResult& result, const IndicatorResult& ir, const FigureGrid& grid, size_t n_org,
                   const SeriesStatsOptions& options, IndicatorStats& out) {
  const Definition& d = *ir.def;
  const bool percent = d.unit == Unit::kPercent && !d.derived;
  const double scale = percent ? 100.0 : 1.0;  // p-charts work on proportions 0-1
  const size_t n_periods = result.periods.size();
  stats::SpcOptions so;
  so.polarity = d.polarity == Polarity::kUp ? stats::Polarity::kUp : stats::Polarity::kDown;
  so.run_length = options.run_length;
  so.screen = options.screen;
  if (auto it = options.rebase_from.find(d.id); it != options.rebase_from.end()) {
    // The first period ending on or after the break; none when that is the
    // first period (the whole series is the new version's).
    for (size_t k = 0; k < n_periods; ++k)
      if (result.periods[k].end >= it->second) {
        if (k > 0) so.rebase_at.push_back(k);
        break;
      }
  }
  std::vector<double> y(n_periods), num(n_periods), den(n_periods);
  std::vector<int32_t> fig(n_periods);
  for (size_t o = 0; o < n_org; ++o) {
    for (size_t g = 0; g < ir.groups.size(); ++g) {
      bool any = false;
      int points = 0;
      for (size_t k = 0; k < n_periods; ++k) {
        fig[k] = grid.At(k, o, g);
        y[k] = num[k] = den[k] = kNaN;
        if (IsProvisional(result.periods[k], d, options.data_end)) {
          if (fig[k] >= 0) {
            any = true;
            out.figures[fig[k]].provisional = true;
          }
          fig[k] = -1;  // a missing point, and no chart values for the figure
          continue;
        }
        if (fig[k] >= 0) {
          any = true;
          const Figure& f = ir.figures[fig[k]];
          if (percent && f.denominator && *f.denominator > 0) {
            num[k] = f.numerator, den[k] = *f.denominator, ++points;
          } else if (!percent && f.value) {
            y[k] = *f.value, ++points;
          }
        } else if (d.unit == Unit::kCount && !d.derived && g > 0) {
          // The engine leaves out a cut group's empty cells; for a count
          // that is a period with no cases, a true zero.
          y[k] = 0.0, ++points;
        }
      }
      if (!any) continue;
      SeriesSpc s;
      s.org_unit = static_cast<int32_t>(o);
      s.group = static_cast<int32_t>(g);
      s.points = points;
      if (points < options.min_points) {
        s.note = "fewer than " + std::to_string(options.min_points) + " points (" + std::to_string(points) +
                 "): no limits";
        out.spc.push_back(std::move(s));
        continue;
      }
      Result<stats::SpcResult> chart = percent ? stats::PChart(num, den, so) : stats::XmrChart(y, so);
      if (!chart.ok()) return chart.status();
      s.chart = percent ? SpcChart::kP : SpcChart::kXmr;
      s.variation = chart->variation;
      s.assurance = chart->assurance;
      bool limits = false;
      for (size_t k = 0; k < n_periods; ++k) {
        const stats::SpcPoint& p = chart->points[k];
        if (!p.missing) {
          s.trial_limits = s.trial_limits || p.trial_limits;
          limits = limits || p.upl.has_value();
        }
        if (fig[k] < 0) continue;
        FigureStats& fs = out.figures[fig[k]];
        fs.mean = Scaled(p.mean, scale);
        fs.lpl = Scaled(p.lpl, scale);
        fs.upl = Scaled(p.upl, scale);
        if (!p.missing) fs.point_type = p.point_type;
      }
      // stats::XmrChart / PChart leave the limits undefined (docs/statistics.md
      // notes S1 and S8) rather than draw them zero wide.
      if (!limits) {
        s.note = percent ? "no limits: the proportion is 0% or 100% in every period"
                         : "no limits: every point has the same value";
      }
      out.spc.push_back(std::move(s));
    }
  }
  return Status::Ok();
}

// One funnel per period x group x level, over the units of that level with
// a positive denominator (at least two of them).
Status FitFunnels(const ComputeResult& result, const IndicatorResult& ir, const FigureGrid& grid,
                  const std::vector<std::vector<int32_t>>& units_by_kind, std::span<const std::string_view> kinds,
                  const SeriesStatsOptions& options, IndicatorStats& out) {
  const Definition& d = *ir.def;
  const bool proportion = *out.funnel_type == stats::FunnelType::kProportion;
  stats::FunnelOptions fo;
  fo.type = *out.funnel_type;
  fo.adjust = options.adjust;
  fo.outliers_at_998 = options.outliers_at_998;
  std::vector<int32_t> figs;
  std::vector<double> num, den;
  for (size_t k = 0; k < result.periods.size(); ++k) {
    if (IsProvisional(result.periods[k], d, options.data_end)) continue;
    for (size_t g = 0; g < ir.groups.size(); ++g) {
      for (size_t kind = 0; kind < units_by_kind.size(); ++kind) {
        figs.clear(), num.clear(), den.clear();
        double sum_o = 0.0, sum_n = 0.0;
        for (int32_t o : units_by_kind[kind]) {
          const int32_t i = grid.At(k, static_cast<size_t>(o), g);
          if (i < 0) continue;
          const Figure& f = ir.figures[i];
          if (!f.denominator || !(*f.denominator > 0)) continue;
          figs.push_back(i);
          num.push_back(f.numerator);
          den.push_back(*f.denominator);
          sum_o += f.numerator, sum_n += *f.denominator;
        }
        if (figs.size() < 2) continue;
        // Rates: indirectly standardised ratios O/E (shared/STATISTICS.md
        // section 3) with one stratum, E_i = n_i·ΣO/Σn, so O/E is compared
        // with 1 on exact Poisson limits and drawn back on the rate's scale
        // as (O/E)·(ΣO/Σn)·per. No events anywhere: nothing to compare.
        double scale = 100.0;
        if (!proportion) {
          if (!(sum_o > 0.0)) continue;
          const double rate = sum_o / sum_n;
          for (double& e : den) e *= rate;
          scale = rate * d.rate_per;
        }
        Result<stats::FunnelResult> fit = stats::FunnelPlot(num, den, fo);
        if (!fit.ok()) return fit.status();
        PeriodFunnel pf;
        pf.period = static_cast<int32_t>(k);
        pf.group = static_cast<int32_t>(g);
        pf.level = std::string(kinds[kind]);
        pf.target = fit->model.target * scale;
        pf.phi = fit->model.phi;
        pf.tau2 = fit->model.tau2;
        pf.adjusted = fit->model.adjusted;
        const int32_t funnel_index = static_cast<int32_t>(out.funnels.size());
        for (size_t u = 0; u < figs.size(); ++u) {
          const stats::FunnelUnit& fu = fit->units[u];
          FunnelEntry e;
          e.org_unit = ir.figures[figs[u]].org_unit;
          e.figure = figs[u];
          e.z = fu.z;
          if (fu.limits) e.limits = Scaled(*fu.limits, scale);
          e.outlier = fu.outlier;
          FigureStats& fs = out.figures[figs[u]];
          fs.funnel = funnel_index;
          fs.outlier = fu.outlier;
          pf.units.push_back(e);
        }
        out.funnels.push_back(std::move(pf));
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Result<ResultStats> ComputeSeriesStats(const ComputeResult& result, const Snapshot& snap,
                                       const SeriesStatsOptions& options) {
  if (options.run_length != 6 && options.run_length != 7)
    return Status::InvalidArgument("run length must be 6 or 7, got " + std::to_string(options.run_length));
  if (options.min_points < 2)
    return Status::InvalidArgument("an SPC chart needs at least 2 points, got a minimum of " +
                                   std::to_string(options.min_points));
  const TableData& orgs = snap.table(TableId::kOrgUnits);
  const size_t n_org = static_cast<size_t>(orgs.rows);
  const int kind_field = orgs.Field("kind");
  const std::span<const std::string_view> kinds = orgs.spec->fields[kind_field].codes;
  std::vector<std::vector<int32_t>> units_by_kind(kinds.size());
  for (size_t o = 0; o < n_org; ++o) {
    const int32_t code = orgs.Int(kind_field, static_cast<int64_t>(o));
    if (code >= 0) units_by_kind[code].push_back(static_cast<int32_t>(o));
  }

  // One indicator's charts and funnels; the indicators are independent, so
  // threads take them in turn (a national run's 23 took 5.3 s on one).
  auto one = [&](const IndicatorResult& ir, IndicatorStats& is) -> Status {
    is.figures.resize(ir.figures.size());
    const FigureGrid grid(ir, result.periods.size(), n_org);
    GT_RETURN_IF_ERROR(ChartSeries(result, ir, grid, n_org, options, is));
    if (ir.def->derived) {
      is.funnel_note = "no funnel: a derived indicator's figures are a ratio or difference of two indicators' "
                       "figures, not counts of one population (its components have their own funnels)";
    } else {
      switch (ir.def->unit) {
        case Unit::kPercent: is.funnel_type = stats::FunnelType::kProportion; break;
        case Unit::kRatePer100k: is.funnel_type = stats::FunnelType::kRatio; break;
        case Unit::kCount:
          is.funnel_note = "no funnel: a count has no denominator, so units of different sizes cannot be compared";
          break;
        case Unit::kMean:
        case Unit::kDays:
          is.funnel_note = "no funnel: funnels compare proportions and ratios, not means (shared/STATISTICS.md "
                           "section 3)";
          break;
      }
    }
    if (is.funnel_type) {
      GT_RETURN_IF_ERROR(FitFunnels(result, ir, grid, units_by_kind, kinds, options, is));
      if (is.funnels.empty())
        is.funnel_note = "no funnel: no period has two or more units of one kind with a figure to compare";
    }
    return Status::Ok();
  };
  const size_t n = result.indicators.size();
  ResultStats out;
  out.indicators.resize(n);
  std::vector<Status> status(n, Status::Ok());
  std::atomic<size_t> next = 0;
  auto run = [&] {
    for (size_t i = next++; i < n; i = next++) status[i] = one(result.indicators[i], out.indicators[i]);
  };
  int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::clamp(threads, 1, std::max(1, static_cast<int>(n)));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(run);
  run();
  for (std::thread& t : pool) t.join();
  for (const Status& st : status) GT_RETURN_IF_ERROR(st);
  return out;
}

std::string_view SpcChartName(SpcChart c) {
  switch (c) {
    case SpcChart::kNone: return "none";
    case SpcChart::kP: return "p";
    case SpcChart::kXmr: return "xmr";
  }
  return "none";
}

std::string_view FunnelTypeName(stats::FunnelType t) {
  return t == stats::FunnelType::kProportion ? "proportion" : "ratio";
}

}  // namespace goldthread::indicators
