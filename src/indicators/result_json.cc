#include "indicators/result_json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <thread>
#include <utility>

#include "model/snapshot.h"

namespace goldthread::indicators {

namespace {

// The statistics' numbers are written to 7 significant digits: within the
// 1e-6 relative agreement shared/STATISTICS.md asks of them, and the demo
// council's JSON is 19.0 MB instead of 21.6 MB with 17 (docs/indicators.md,
// "SPC and funnels in the output"). Undefined values are null, as in
// `spc --json`. Rounded through the correctly rounded decimal text of
// std::to_chars and read back by std::from_chars: the double nearest the
// 7-digit decimal, as "{:.7g}" and strtod gave, without an allocation.
std::optional<double> Round7(const std::optional<double>& v) {
  if (!v || !std::isfinite(*v)) return std::nullopt;
  char buf[32];
  const std::to_chars_result r = std::to_chars(buf, buf + sizeof buf, *v, std::chars_format::scientific, 6);
  double rounded = 0;
  std::from_chars(buf, r.ptr, rounded);
  return rounded;
}

nlohmann::json TypeJson(const std::optional<stats::PointType>& t) {
  return t ? nlohmann::json(stats::PointTypeName(*t)) : nlohmann::json();
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

// compute --json is written by hand as nlohmann's dump() of the document
// built whole would write it (keys in std::map order, numbers and strings as
// its serializer writes them), byte for byte: at national scale building
// and dumping a nlohmann object per figure and funnel unit took 53 of the
// run's 88 s (README, "National scale").
// SeriesStatsTest.HandWrittenFiguresAreTheTree holds the figures and the
// funnels to the objects built with nlohmann, for every key. Each helper
// appends to out.

// A key, after a comma unless it opens its object.
void WriteKey(std::string_view name, std::string& out) {
  if (out.back() != '{') out += ',';
  out += '"';
  out += name;
  out += "\":";
}

// nlohmann's serializer: null for a non-finite number, else its own
// shortest round-trip digits (Grisu2) laid out as dump() lays them out
// ("2.0", "1e-05"); calling its formatter is what makes the bytes its.
void WriteNumber(double v, std::string& out) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char buf[64];
  out.append(buf, nlohmann::detail::to_chars(buf, buf + sizeof buf, v));
}

void WriteOptional(const std::optional<double>& v, std::string& out) {
  if (v) WriteNumber(*v, out);
  else out += "null";
}

void WriteStat(const std::optional<double>& v, std::string& out) { WriteOptional(Round7(v), out); }

void WriteInteger(int64_t v, std::string& out) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

// A string as dump() writes it: copied between quotes when nothing in it
// needs escaping or checking (printable ASCII without " or \\), else by
// nlohmann itself (its escapes, and its refusal of invalid UTF-8).
void WriteString(std::string_view s, std::string& out) {
  for (unsigned char ch : s)
    if (ch < 0x20 || ch >= 0x80 || ch == '"' || ch == '\\') {
      out += nlohmann::json(std::string(s)).dump();
      return;
    }
  out += '"';
  out += s;
  out += '"';
}

std::vector<std::string> JsonStrings(const std::vector<std::string>& texts) {
  std::vector<std::string> out;
  out.reserve(texts.size());
  for (const std::string& t : texts) out.push_back(nlohmann::json(t).dump());
  return out;
}

// The ids and labels a figure or funnel names, each as its JSON string once.
struct Names {
  const std::vector<std::string>& periods;  // by ComputeResult::periods
  const std::vector<std::string>& orgs;     // by snapshot org unit row
  const std::vector<std::string>& groups;   // by IndicatorResult::groups
};

// Appends a funnel of `funnel --json`'s fields, its statistics to 7 digits.
void WriteFunnel(const PeriodFunnel& pf, const Names& names, std::string& out) {
  out += R"({"adjusted":)";
  out += pf.adjusted ? "true" : "false";
  WriteKey("group", out);
  out += names.groups[pf.group];
  WriteKey("level", out);
  WriteString(pf.level, out);
  WriteKey("period", out);
  out += names.periods[pf.period];
  WriteKey("phi", out);
  WriteStat(pf.phi, out);
  WriteKey("target", out);
  WriteStat(pf.target, out);
  WriteKey("tau2", out);
  WriteStat(pf.tau2, out);
  WriteKey("units", out);
  out += '[';
  for (size_t u = 0; u < pf.units.size(); ++u) {
    const FunnelEntry& e = pf.units[u];
    auto limit = [&e](double stats::FunnelLimits::*m) {
      return e.limits ? std::optional<double>((*e.limits).*m) : std::nullopt;
    };
    out += u > 0 ? R"(,{"lower95":)" : R"({"lower95":)";
    WriteStat(limit(&stats::FunnelLimits::lower95), out);
    WriteKey("lower998", out);
    WriteStat(limit(&stats::FunnelLimits::lower998), out);
    WriteKey("outlier", out);  // null for none, as `funnel --json`
    if (e.outlier && *e.outlier != stats::Outlier::kNone) WriteString(stats::OutlierName(*e.outlier), out);
    else out += "null";
    WriteKey("unit", out);
    out += names.orgs[e.org_unit];
    WriteKey("upper95", out);
    WriteStat(limit(&stats::FunnelLimits::upper95), out);
    WriteKey("upper998", out);
    WriteStat(limit(&stats::FunnelLimits::upper998), out);
    WriteKey("z", out);
    WriteStat(e.z, out);
    out += '}';
  }
  out += "]}";
}

class FigureWriter {
 public:
  FigureWriter(const Names& names, const Definition& d, bool of_values, bool cases, const Snapshot& snap)
      : names_(names), of_values_(of_values), cases_(cases), snap_(snap) {
    // failing[name] = ...: one key per name, in key order, the last
    // criterion of a name giving its count.
    std::map<std::string, size_t> failing;
    for (size_t c = 0; c < d.criteria.size(); ++c) failing[d.criteria[c]] = c;
    for (const auto& [name, c] : failing) failing_.emplace_back(nlohmann::json(name).dump(), c);
  }

  /// Appends the figure's object to out.
  void Write(const Figure& f, const FigureStats& fs, std::string& out) const {
    out += '{';
    const bool criteria = !failing_.empty();
    if (cases_) {
      WriteKey("cases", out);
      out += R"({"denominator":)";
      PersonIds(f.denominator_persons, out);
      out += R"(,"numerator":)";
      PersonIds(f.numerator_persons, out);
      out += '}';
    }
    if (f.ci_low) {
      WriteKey("ci_high", out);
      WriteNumber(*f.ci_high, out);
      WriteKey("ci_low", out);
      WriteNumber(*f.ci_low, out);
    }
    if (criteria) {
      WriteKey("claimed", out);
      WriteInteger(f.claimed, out);
    }
    WriteKey("denominator", out);
    WriteOptional(f.denominator, out);
    if (criteria) {
      WriteKey("failing", out);
      out += '{';
      for (const auto& [name, c] : failing_) {
        if (out.back() != '{') out += ',';
        out += name;
        out += ':';
        WriteInteger(f.failing[c], out);
      }
      out += '}';
    }
    WriteKey("group", out);
    out += names_.groups[f.group];
    WriteKey("lpl", out);
    WriteStat(fs.lpl, out);
    WriteKey("mean", out);
    WriteStat(fs.mean, out);
    WriteKey("numerator", out);
    WriteNumber(f.numerator, out);
    WriteKey("org_unit", out);
    out += names_.orgs[f.org_unit];
    WriteKey("period", out);
    out += names_.periods[f.period];
    WriteKey("point_type", out);
    if (fs.point_type) WriteString(stats::PointTypeName(*fs.point_type), out);
    else out += "null";
    if (fs.provisional) {
      WriteKey("provisional", out);
      out += "true";
    }
    if (criteria) {
      WriteKey("substantiated", out);
      WriteNumber(f.numerator, out);
    }
    WriteKey("upl", out);
    WriteStat(fs.upl, out);
    WriteKey("value", out);
    WriteOptional(f.value, out);
    if (of_values_) {
      WriteKey("without_value", out);
      WriteInteger(f.without_value, out);
    }
    out += '}';
  }

 private:
  void PersonIds(const std::vector<int32_t>& persons, std::string& out) const {
    out += '[';
    for (size_t i = 0; i < persons.size(); ++i) {
      if (i > 0) out += ',';
      WriteString(snap_.PersonId(persons[i]), out);
    }
    out += ']';
  }

  const Names& names_;
  std::vector<std::pair<std::string, size_t>> failing_;  // the key's JSON, the criterion
  bool of_values_;
  bool cases_;
  const Snapshot& snap_;
};

}  // namespace

namespace {

// Gives sink the JSON of items [0, n), comma-separated, a part per item, in
// order; the items are formatted on two threads, a batch of each at a time
// (a national run's 7.3M figures took 20 s to format on one).
// format(i, out) appends item i to out, and must be safe to call from two
// threads at once.
template <typename Format>
void WriteItems(size_t n, const Format& format, const JsonSink& sink) {
  constexpr size_t kBatch = 8192;
  struct Batch {
    std::string text;
    std::vector<size_t> ends;  // of each item in text
    void Fill(const Format& format, size_t from, size_t to) {
      text.clear();
      ends.clear();
      for (size_t i = from; i < to; ++i) {
        format(i, text);
        ends.push_back(text.size());
      }
    }
  };
  Batch first, second;
  for (size_t from = 0; from < n; from += 2 * kBatch) {
    const size_t mid = std::min(n, from + kBatch), to = std::min(n, from + 2 * kBatch);
    std::thread helper;
    if (mid < to) helper = std::thread([&] { second.Fill(format, mid, to); });
    first.Fill(format, from, mid);
    if (helper.joinable()) helper.join();
    for (const Batch* b : {&first, &second}) {
      if (b == &second && mid == to) break;
      size_t begin = 0;
      for (size_t end : b->ends) {
        if (from > 0 || begin > 0 || b == &second) sink(",");
        sink(std::string_view(b->text).substr(begin, end - begin));
        begin = end;
      }
    }
  }
}

// Stands in for an indicator's funnels and series while the rest of it is
// dumped; they are then written in its place, a funnel or a figure at a
// time. Its quotes are JSON structure (a quote inside a string value is
// written \"), so a key and this value cannot be matched inside any text of
// the indicator.
constexpr std::string_view kSlotValue = "goldthread:written-in-place";

// Where a slot is in an indicator's dump: the end of its key, and the end
// of the slot's value.
std::pair<size_t, size_t> FindSlot(const std::string& whole, std::string_view key) {
  const std::string text = "\"" + std::string(key) + "\":\"" + std::string(kSlotValue) + '"';
  const size_t at = whole.find(text);
  return {at + key.size() + 3, at + text.size()};
}

}  // namespace

void WriteResultJson(const ComputeResult& result, const Snapshot& snap, const ResultStats& series_stats,
                     const JsonOptions& options, const JsonSink& sink) {
  // Written as nlohmann's dump() of the whole document would write it (keys
  // in order, no spaces), byte for byte, but never held whole: at national
  // scale the document is 4.4M figures and 1.4 GB, and its tree was 10 GB
  // (README, "National scale"). An indicator is held without its funnels
  // and series; each funnel and figure is written and dropped.
  sink(R"({"indicators":[)");
  std::vector<std::string> org_ids, period_labels;
  for (int32_t o = 0; o < static_cast<int32_t>(snap.table(TableId::kOrgUnits).rows); ++o)
    org_ids.push_back(snap.OrgUnitId(o));
  for (const Period& p : result.periods) period_labels.push_back(p.Label());
  const std::vector<std::string> org_json = JsonStrings(org_ids), periods_json = JsonStrings(period_labels);
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
    j["funnels"] = kSlotValue;
    const bool unavailable = options.unavailable.contains(d.id);
    if (unavailable) {
      // Zeros would say the council did nothing; it is the data that is missing.
      j["unavailable"] = options.unavailable.at(d.id);
      j["spc"] = nlohmann::json::array();
    } else {
      nlohmann::json& spc = j["spc"] = nlohmann::json::array();
      for (const SeriesSpc& sp : is.spc) spc.push_back(SpcJson(sp, ir, org_ids));
      j["funnel_type"] = is.funnel_type ? nlohmann::json(FunnelTypeName(*is.funnel_type)) : nlohmann::json();
      j["funnel_note"] = TextJson(is.funnel_note);
      if (d.unit == Unit::kRatePer100k && !d.derived) j["rate_note"] = RateNote(d);
    }
    const std::string whole = j.dump();
    // "funnels" is before "series": the keys are in order.
    const auto [funnels_at, funnels_end] = FindSlot(whole, "funnels");
    const auto [series_at, series_end] = FindSlot(whole, "series");
    const std::vector<std::string> groups_json = JsonStrings(ir.groups);
    const Names names{periods_json, org_json, groups_json};
    if (i > 0) sink(",");
    sink(std::string_view(whole).substr(0, funnels_at));
    sink("[");
    if (!unavailable)
      WriteItems(is.funnels.size(), [&](size_t k, std::string& out) { WriteFunnel(is.funnels[k], names, out); }, sink);
    sink("]");
    sink(std::string_view(whole).substr(funnels_end, series_at - funnels_end));
    sink("[");
    if (!unavailable) {
      const FigureWriter writer(names, d, of_values, options.cases, snap);
      WriteItems(
          ir.figures.size(), [&](size_t k, std::string& out) { writer.Write(ir.figures[k], is.figures[k], out); },
          sink);
    }
    sink("]");
    sink(std::string_view(whole).substr(series_end));
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
