#include "report/peers.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "report/charts_internal.h"
#include "report/svg_funnel.h"
#include "stats/funnel.h"

namespace goldthread::report::internal {

namespace ind = goldthread::indicators;

std::string_view AscofMeasure(std::string_view indicator) {
  static constexpr std::pair<std::string_view, std::string_view> kMap[] = {
      {"still-home-91", "2B1"}, {"care-home-admissions-65", "2A2"}, {"pb-share", "1C1A"},
      {"dp-share", "1C2A"},     {"carer-qol", "1D"},                 {"carer-satisfaction", "3B"},
      {"carer-involved", "3C"}, {"carer-info-easy", "3D2"}};
  for (const auto& [id, code] : kMap)
    if (id == indicator) return code;
  return "";
}

namespace {

// Fewest councils with a published numerator and denominator for a funnel.
constexpr size_t kMinPeers = 10;

// The published councils' counts of a proportion measure in the latest year
// that has them for at least kMinPeers councils.
struct PeerCounts {
  std::string year;
  std::vector<std::string> names;
  std::vector<double> num, den;
};

std::optional<PeerCounts> PublishedCounts(const Analysis& a, std::string_view code) {
  std::map<std::string, PeerCounts> by_year;
  for (const auto& v : a.published)
    if (v.measure == code && v.disaggregation == "Total" && std::isfinite(v.numerator) &&
        std::isfinite(v.denominator) && v.denominator > 0 && v.numerator >= 0 && v.numerator <= v.denominator) {
      PeerCounts& p = by_year[v.year];
      p.year = v.year;
      p.names.push_back(v.council.empty() ? v.ons_code : v.council);
      p.num.push_back(v.numerator);
      p.den.push_back(v.denominator);
    }
  for (auto it = by_year.rbegin(); it != by_year.rend(); ++it)
    if (it->second.names.size() >= kMinPeers) return it->second;
  return std::nullopt;
}

// Where the council's point lies against the funnel's limits at its size.
std::string Position(double v, const stats::FunnelLimits& l, ind::Polarity polarity) {
  const bool up = polarity == ind::Polarity::kUp;
  auto side = [&](bool high) { return high == up ? "better" : "worse"; };
  if (v > l.upper998) return fmt::format("above the 99.8% limits ({})", side(true));
  if (v < l.lower998) return fmt::format("below the 99.8% limits ({})", side(false));
  if (v > l.upper95) return "above the 95% limits, within the 99.8%";
  if (v < l.lower95) return "below the 95% limits, within the 99.8%";
  return "within the limits: no different from councils of its size";
}

// The council's last four final periods pooled (a year's numerator over its
// denominator, as ASCOF's annual figures are).
struct Pooled {
  double num = 0, den = 0;
  int used = 0;
};

Pooled PoolLastFour(const Grain& g, int indicator, int32_t council, int32_t period) {
  const std::vector<int32_t> figs = SeriesFigures(g, indicator, council, 0);
  Pooled p;
  for (int32_t k = std::min<int32_t>(period, static_cast<int32_t>(figs.size()) - 1); k >= 0 && p.used < 4; --k) {
    if (figs[k] < 0 || g.stats.indicators[indicator].figures[figs[k]].provisional) continue;
    const ind::Figure& f = g.result.indicators[indicator].figures[figs[k]];
    p.num += f.numerator;
    p.den += f.denominator.value_or(0);
    ++p.used;
  }
  return p;
}

// The funnel of the published councils with the council's own point: the
// chart, and its numbers (the council and the councils' pooled target).
std::optional<Chart> PeerFunnel(const Analysis& a, const ind::Definition& d, std::string_view code,
                                const Pooled& ours) {
  if (d.unit != ind::Unit::kPercent || ours.den <= 0) return std::nullopt;
  std::optional<PeerCounts> peers = PublishedCounts(a, code);
  if (!peers) return std::nullopt;
  auto funnel = stats::FunnelPlot(peers->num, peers->den, stats::FunnelOptions{});
  if (!funnel.ok()) return std::nullopt;
  // The council is drawn against the councils' funnel, not fitted into it.
  stats::FunnelUnit u;
  u.numerator = ours.num;
  u.denominator = ours.den;
  u.value = ours.num / ours.den;
  u.limits = stats::LimitsAt(funnel->model, ours.den);
  std::vector<std::string> names = peers->names;
  const std::string council = a.OrgUnitName(a.Council());
  names.push_back(council.empty() ? "This council" : council);
  funnel->units.push_back(u);
  const stats::FunnelLimits& l = *u.limits;
  const std::string position = Position(*u.value, l, d.polarity);

  Chart c;
  c.id = "peers-" + d.id;
  c.title = fmt::format("{} among {} councils ({} published)", d.title, peers->names.size(), peers->year);
  c.alt = fmt::format(
      "Funnel plot of {} for {} councils in {} (ASCOF {}), with this council's last four quarters: {:.1f}% of {:.0f}, "
      "{}.",
      d.title, peers->names.size(), peers->year, code, 100 * *u.value, ours.den, position);
  FunnelSvgOptions o;
  o.title = fmt::format("ASCOF {}, {}", code, peers->year);
  o.desc = c.alt;
  o.percent = true;
  o.x_label = "People counted (denominator)";
  o.y_label = "Percent";
  o.width = 480;
  o.height = 340;
  o.legend_below = true;
  o.highlight = static_cast<int>(funnel->units.size()) - 1;
  o.clip_id = c.id + "-clip";
  c.svg = RenderFunnelSvg(names, *funnel, o);
  Table& t = c.data;
  t.id = c.id + "-data";
  t.caption = "The numbers behind the chart: this council against the funnel at its size";
  t.columns = {{"Who", ColumnType::kText, 0},          {"Numerator", ColumnType::kCount, 0},
               {"Denominator", ColumnType::kCount, 0}, {"Percent", ColumnType::kPercent, 1},
               {"99.8% low", ColumnType::kPercent, 1}, {"99.8% high", ColumnType::kPercent, 1},
               {"Position", ColumnType::kText, 0}};
  t.rows.push_back({TextCell(names.back() + ", last four quarters"), NumberCell(ours.num), NumberCell(ours.den),
                    NumberCell(100 * *u.value), NumberCell(100 * l.lower998), NumberCell(100 * l.upper998),
                    TextCell(position)});
  double sum_num = 0, sum_den = 0;
  for (size_t i = 0; i < peers->num.size(); ++i) sum_num += peers->num[i], sum_den += peers->den[i];
  t.rows.push_back({TextCell(fmt::format("{} councils, {} (the target)", peers->names.size(), peers->year)),
                    NumberCell(sum_num), NumberCell(sum_den), NumberCell(100 * funnel->model.target),
                    NumberCell(std::nullopt), NumberCell(std::nullopt), TextCell("")});
  t.note = fmt::format(
      "Limits: FunnelPlotR's proportion funnel (arcsine scale{}) around the councils' pooled percentage "
      "(shared/STATISTICS.md section 3). Published: NHS Digital, Measures from the Adult Social Care Outcomes "
      "Framework; the years differ.",
      funnel->model.adjusted ? ", adjusted for overdispersion" : "");
  return c;
}

}  // namespace

Section PeersSection(const Analysis& a, const ChartContext& ctx, PeriodKind by, int32_t period) {
  Section s;
  s.id = "peers";
  s.title = "Compared with other councils";
  if (a.published.empty()) {
    s.blocks.push_back(Callout{Callout::Kind::kMissing, "No published figures loaded.",
                               "The council's position among other councils appears here once NHS Digital's ASCOF "
                               "figures are loaded (goldthread benchmark import STORE FILE --year YYYY-YY)."});
    return s;
  }
  const Grain& g = a.grain(by);
  const int32_t council = a.Council();
  Table t;
  t.id = "peers-table";
  t.caption = "The council's last four final quarters against the latest published year of every council";
  t.columns = {{"Measure", ColumnType::kText, 0},        {"ASCOF", ColumnType::kText, 0},
               {"This council", ColumnType::kNumber, 1}, {"Published year", ColumnType::kText, 0},
               {"Councils", ColumnType::kCount, 0},      {"Median", ColumnType::kNumber, 1},
               {"Councils below", ColumnType::kPercent, 0}};
  std::vector<Chart> funnels;
  for (size_t i = 0; i < a.definitions.size(); ++i) {
    const ind::Definition& d = a.definitions[i];
    const std::string_view code = AscofMeasure(d.id);
    if (code.empty()) continue;
    std::string year;
    for (const auto& v : a.published)
      if (v.measure == code && v.disaggregation == "Total" && std::isfinite(v.outcome)) year = std::max(year, v.year);
    if (year.empty()) continue;
    std::vector<double> values;
    for (const auto& v : a.published)
      if (v.measure == code && v.disaggregation == "Total" && v.year == year && std::isfinite(v.outcome))
        values.push_back(v.outcome);
    const Pooled pooled = PoolLastFour(g, static_cast<int>(i), council, period);
    std::optional<double> ours;
    if (pooled.den > 0 && d.unit == ind::Unit::kPercent) ours = 100.0 * pooled.num / pooled.den;
    if (pooled.den > 0 && d.unit == ind::Unit::kMean) ours = pooled.num / pooled.den;
    std::sort(values.begin(), values.end());
    const double median = values.empty() ? NAN : values[values.size() / 2];
    std::optional<double> below;
    if (ours && !values.empty())
      below = 100.0 * static_cast<double>(std::lower_bound(values.begin(), values.end(), *ours) - values.begin()) /
              static_cast<double>(values.size());
    t.rows.push_back({TextCell(d.title), TextCell(std::string(code)),
                      NumberCell(ours, d.unit == ind::Unit::kRatePer100k
                                           ? "not compared: the published rate is per year, ours per quarter"
                                           : "no figure"),
                      TextCell(year), NumberCell(static_cast<double>(values.size())), NumberCell(median),
                      NumberCell(below)});
    // Outcome measures only (the cabinet's subject); disclosure control
    // rounds counts and a funnel needs the exact ones.
    if (!ctx.disclosure && d.oba == ind::Oba::kBetterOff)
      if (std::optional<Chart> c = PeerFunnel(a, d, code, pooled)) funnels.push_back(std::move(*c));
  }
  if (t.rows.empty()) {
    s.blocks.push_back(Callout{Callout::Kind::kMissing, "No comparable published measure.",
                               "The published figures loaded have none of the outcome measures this report shows."});
    return s;
  }
  t.note = "Published: NHS Digital, Measures from the Adult Social Care Outcomes Framework. The years differ: ours are "
           "the latest four quarters computed here, theirs the latest year loaded. A council is shown as its published "
           "outcome; the funnels below, where councils' numerators and denominators are published, show whether the "
           "difference is more than chance at the council's size.";
  s.blocks.push_back(std::move(t));
  // Funnels side by side (two columns on wide screens and in print); a
  // single one across the page, so its table is not squeezed into half of
  // it (seen printed with ASCOF 2020-21 loaded: one word a line).
  if (funnels.size() >= 2) s.columns = 2;
  for (Chart& c : funnels) {
    s.blocks.push_back(Heading{3, c.title});
    s.blocks.push_back(std::move(c));
  }
  return s;
}

}  // namespace goldthread::report::internal
