#include "indicators/result_json.h"

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

}  // namespace

std::string ResultToJson(const ComputeResult& result, const Snapshot& snap, const JsonOptions& options) {
  nlohmann::json out;
  out["periods"] = nlohmann::json::array();
  for (const Period& p : result.periods) out["periods"].push_back(p.Label());
  nlohmann::json& inds = out["indicators"] = nlohmann::json::array();
  std::vector<std::string> org_ids;
  for (int32_t o = 0; o < static_cast<int32_t>(snap.table(TableId::kOrgUnits).rows); ++o)
    org_ids.push_back(snap.OrgUnitId(o));
  for (const IndicatorResult& ir : result.indicators) {
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
    auto prev = options.previous_versions.find(d.id);
    bool brk = prev != options.previous_versions.end() && prev->second != d.version;
    j["series_break"] = brk;
    if (brk) j["previous_version"] = prev->second;
    j["links"] = d.links;
    j["criteria"] = d.criteria;
    nlohmann::json& series = j["series"] = nlohmann::json::array();
    for (const Figure& f : ir.figures) {
      nlohmann::json s;
      s["period"] = result.periods[f.period].Label();
      s["org_unit"] = org_ids[f.org_unit];
      s["group"] = ir.groups[f.group];
      s["numerator"] = f.numerator;
      s["denominator"] = Optional(f.denominator);
      s["value"] = Optional(f.value);
      if (f.ci_low) s["ci_low"] = *f.ci_low, s["ci_high"] = *f.ci_high;
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
      series.push_back(std::move(s));
    }
    inds.push_back(std::move(j));
  }
  return out.dump();
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
