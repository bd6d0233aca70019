#include "indicators/result_json.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "model/snapshot.h"

namespace goldthread::indicators {

namespace {

nlohmann::json Optional(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

nlohmann::json PersonIds(const Snapshot& snap, const std::vector<int32_t>& persons) {
  nlohmann::json out = nlohmann::json::array();
  for (int32_t p : persons) out.push_back(snap.PersonId(p));
  return out;
}

// The statistics' numbers are written to 7 significant digits: within the
// 1e-6 relative agreement shared/STATISTICS.md asks of them, and the demo
// council's JSON is 19.0 MB instead of 21.6 MB with 17 (docs/indicators.md,
// "SPC and funnels in the output"). Undefined values are null, as in
// `spc --json`.
nlohmann::json Stat(const std::optional<double>& v) {
  if (!v || !std::isfinite(*v)) return nullptr;
  return std::strtod(fmt::format("{:.7g}", *v).c_str(), nullptr);
}

nlohmann::json TypeJson(const std::optional<stats::PointType>& t) {
  return t ? nlohmann::json(stats::PointTypeName(*t)) : nlohmann::json();
}

// null for none, as `funnel --json`.
nlohmann::json OutlierJson(const std::optional<stats::Outlier>& o) {
  return o && *o != stats::Outlier::kNone ? nlohmann::json(stats::OutlierName(*o)) : nlohmann::json();
}

// What a rate's denominator is, and where it is given (docs/indicators.md,
// "Rates over other populations").
std::string RateNote(const Definition& d) {
  const std::string per = "rates " + PerLabel(d.rate_per);
  if (d.rate_population) {
    const TableSpec& t = Table(d.rate_population->branches[0].table);
    const std::string of = per + " of the " + (d.rate_population->count_persons ? "persons" : "records") +
                           " with " + std::string(t.name) + " records its [rate] where selects, counted as a "
                           "population is";
    if (t.has_lineage) return of + ", in each org unit and group (a person in the team of their latest such record)";
    return of + ", for the council only (" + std::string(t.name) + " records carry no team)";
  }
  if (d.rate_table == TableId::kCarerPopulations)
    return per + " estimated carers are for the council only (carer_populations.csv counts carers by area, not by "
                 "team), from the rows its [rate] where selects";
  return per + " residents are for the council only (residents are counted by area, not by team), from the "
               "populations.csv year on or before each period's end; none where no such year is loaded";
}

nlohmann::json TextJson(const std::string& text) { return text.empty() ? nlohmann::json() : nlohmann::json(text); }

nlohmann::json SpcJson(const SeriesSpc& s, const IndicatorResult& ir, const std::vector<std::string>& org_ids) {
  return {{"org_unit", org_ids[s.org_unit]},
          {"group", ir.groups[s.group]},
          {"chart", SpcChartName(s.chart)},
          {"points", s.points},
          {"variation", TypeJson(s.variation)},
          {"assurance", s.assurance ? nlohmann::json(stats::AssuranceName(*s.assurance)) : nlohmann::json()},
          {"trial_limits", s.trial_limits},
          {"note", TextJson(s.note)}};
}

nlohmann::json FunnelJson(const PeriodFunnel& pf, const ComputeResult& result, const IndicatorResult& ir,
                          const std::vector<std::string>& org_ids) {
  nlohmann::json units = nlohmann::json::array();
  for (const FunnelEntry& e : pf.units) {
    auto limit = [&](double stats::FunnelLimits::*m) {
      return Stat(e.limits ? std::optional<double>((*e.limits).*m) : std::nullopt);
    };
    units.push_back({{"unit", org_ids[e.org_unit]},
                     {"z", Stat(e.z)},
                     {"lower95", limit(&stats::FunnelLimits::lower95)},
                     {"upper95", limit(&stats::FunnelLimits::upper95)},
                     {"lower998", limit(&stats::FunnelLimits::lower998)},
                     {"upper998", limit(&stats::FunnelLimits::upper998)},
                     {"outlier", OutlierJson(e.outlier)}});
  }
  return {{"period", result.periods[pf.period].Label()},
          {"group", ir.groups[pf.group]},
          {"level", pf.level},
          {"target", Stat(pf.target)},
          {"phi", Stat(pf.phi)},
          {"tau2", Stat(pf.tau2)},
          {"adjusted", pf.adjusted},
          {"units", std::move(units)}};
}

}  // namespace

namespace {

// Stands in for an indicator's series while the rest of it is dumped; the
// series are then written in its place one figure at a time. Its quotes are
// JSON structure (a quote inside a string value is written \"), so the key
// and this value cannot be matched inside any text of the indicator.
constexpr std::string_view kSlotValue = "goldthread:series-written-in-place";
constexpr std::string_view kSeriesKey = R"("series":)";

}  // namespace

void WriteResultJson(const ComputeResult& result, const Snapshot& snap, const ResultStats& series_stats,
                     const JsonOptions& options, const JsonSink& sink) {
  // Written as nlohmann's dump() of the whole document would write it (keys
  // in order, no spaces), byte for byte, but never held whole: at national
  // scale the document is 4.4M figures and 1.4 GB, and its tree was 10 GB
  // (README, "National scale"). An indicator is held without its series;
  // each figure is built, written and dropped.
  sink(R"({"indicators":[)");
  std::vector<std::string> org_ids;
  for (int32_t o = 0; o < static_cast<int32_t>(snap.table(TableId::kOrgUnits).rows); ++o)
    org_ids.push_back(snap.OrgUnitId(o));
  for (size_t i = 0; i < result.indicators.size(); ++i) {
    const IndicatorResult& ir = result.indicators[i];
    const IndicatorStats& is = series_stats.indicators[i];
    const Definition& d = *ir.def;
    nlohmann::json j;
    j["id"] = d.id;
    j["title"] = d.title;
    j["description"] = d.description;
    j["unit"] = UnitName(d.unit);
    j["polarity"] = PolarityName(d.polarity);
    j["oba"] = ObaName(d.oba);
    j["kind"] = KindName(d.kind);
    j["version"] = d.version;
    const bool of_values = (d.unit == Unit::kMean || d.unit == Unit::kDays) && !d.derived;
    if (d.derived) {
      // Made from two indicators' figures (docs/indicators.md, Indicators
      // from indicators): numerator and denominator are theirs.
      j["derived"] = {{"op", DerivedOpName(d.derived->op)}, {"of", d.derived->of}};
      if (d.derived->op == DerivedOp::kRatio) j["derived"]["per"] = d.rate_per;
    }
    if (of_values) {
      // What `value` is of the cases' values (docs/indicators.md, Output).
      j["statistic"] = StatisticName(d.statistic);
      if (d.statistic == Statistic::kPercentile) j["percentile"] = d.percentile;
    }
    auto prev = options.previous_versions.find(d.id);
    bool brk = prev != options.previous_versions.end() && prev->second != d.version;
    j["series_break"] = brk;
    if (brk) j["previous_version"] = prev->second;
    j["links"] = d.links;
    j["criteria"] = d.criteria;
    j["series"] = kSlotValue;
    const bool unavailable = options.unavailable.contains(d.id);
    if (unavailable) {
      // Zeros would say the council did nothing; it is the data that is missing.
      j["unavailable"] = options.unavailable.at(d.id);
      j["spc"] = nlohmann::json::array();
      j["funnels"] = nlohmann::json::array();
    } else {
      nlohmann::json& spc = j["spc"] = nlohmann::json::array();
      for (const SeriesSpc& sp : is.spc) spc.push_back(SpcJson(sp, ir, org_ids));
      j["funnel_type"] = is.funnel_type ? nlohmann::json(FunnelTypeName(*is.funnel_type)) : nlohmann::json();
      j["funnel_note"] = TextJson(is.funnel_note);
      if (d.unit == Unit::kRatePer100k && !d.derived) j["rate_note"] = RateNote(d);
      nlohmann::json& funnels = j["funnels"] = nlohmann::json::array();
      for (const PeriodFunnel& pf : is.funnels) funnels.push_back(FunnelJson(pf, result, ir, org_ids));
    }
    const std::string whole = j.dump();
    const std::string slot_text = std::string(kSeriesKey) + '"' + std::string(kSlotValue) + '"';
    const size_t slot = whole.find(slot_text);
    if (i > 0) sink(",");
    sink(std::string_view(whole).substr(0, slot + kSeriesKey.size()));
    sink("[");
    if (!unavailable) {
      for (size_t fi = 0; fi < ir.figures.size(); ++fi) {
        const Figure& f = ir.figures[fi];
        const FigureStats& fs = is.figures[fi];
        nlohmann::json s;
        s["period"] = result.periods[f.period].Label();
        s["org_unit"] = org_ids[f.org_unit];
        s["group"] = ir.groups[f.group];
        s["numerator"] = f.numerator;
        s["denominator"] = Optional(f.denominator);
        s["value"] = Optional(f.value);
        if (f.ci_low) s["ci_low"] = *f.ci_low, s["ci_high"] = *f.ci_high;
        s["mean"] = Stat(fs.mean);
        s["lpl"] = Stat(fs.lpl);
        s["upl"] = Stat(fs.upl);
        s["point_type"] = TypeJson(fs.point_type);
        if (fs.provisional) s["provisional"] = true;
        if (of_values) s["without_value"] = f.without_value;
        if (!d.criteria.empty()) {
          s["claimed"] = f.claimed;
          s["substantiated"] = f.numerator;
          nlohmann::json failing = nlohmann::json::object();
          for (size_t c = 0; c < d.criteria.size(); ++c) failing[d.criteria[c]] = f.failing[c];
          s["failing"] = failing;
        }
        if (options.cases) {
          s["cases"] = {{"numerator", PersonIds(snap, f.numerator_persons)},
                        {"denominator", PersonIds(snap, f.denominator_persons)}};
        }
        if (fi > 0) sink(",");
        sink(s.dump());
      }
    }
    sink("]");
    sink(std::string_view(whole).substr(slot + slot_text.size()));
  }
  nlohmann::json periods = nlohmann::json::array();
  for (const Period& p : result.periods) periods.push_back(p.Label());
  sink(R"(],"periods":)");
  sink(periods.dump());
  sink("}");
}

std::string ResultToJson(const ComputeResult& result, const Snapshot& snap, const ResultStats& series_stats,
                         const JsonOptions& options) {
  std::string out;
  WriteResultJson(result, snap, series_stats, options, [&out](std::string_view part) { out += part; });
  return out;
}

std::string DefinitionsJson(const std::vector<Definition>& defs) {
  nlohmann::json out = nlohmann::json::array();
  for (const Definition& d : defs) out.push_back({{"id", d.id}, {"version", d.version}, {"file", d.file}});
  return out.dump();
}

std::map<std::string, int64_t> ParseDefinitionsJson(const std::string& json) {
  std::map<std::string, int64_t> out;
  nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return out;
  for (const auto& e : j)
    if (e.is_object() && e.contains("id") && e["id"].is_string() && e.contains("version") &&
        e["version"].is_number_integer())
      out[e["id"].get<std::string>()] = e["version"].get<int64_t>();
  return out;
}

}  // namespace goldthread::indicators
