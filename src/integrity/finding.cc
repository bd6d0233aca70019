#include "integrity/finding.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

namespace goldthread::integrity {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kLow: return "low";
    case Severity::kMedium: return "medium";
    case Severity::kHigh: return "high";
  }
  return "low";
}

void Finding::AddRecordId(std::string id) {
  if (evidence.record_ids.size() < kMaxRecordIds) {
    evidence.record_ids.push_back(std::move(id));
  } else {
    ++evidence.record_ids_omitted;
  }
}

void RankFindings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    // Within a severity, the larger statistic relative to nothing is not
    // comparable across checks, so order by name for stable output.
    if (a.check != b.check) return a.check < b.check;
    if (a.org_unit != b.org_unit) return a.org_unit < b.org_unit;
    return a.period < b.period;
  });
}

namespace {

nlohmann::json Number(double v) {
  if (!std::isfinite(v)) return nullptr;
  // Four decimals are enough for any statistic we report and keep the JSON
  // readable; integers stay integers.
  if (v == std::floor(v) && std::fabs(v) < 1e15) return static_cast<int64_t>(v);
  return std::round(v * 10000.0) / 10000.0;
}

nlohmann::json FindingJson(const Finding& f) {
  nlohmann::json j;
  j["check"] = f.check;
  j["indicator"] = f.indicators.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.indicators.front());
  j["indicators"] = f.indicators;
  j["org_unit"] = f.org_unit;
  j["period"] = f.period;
  j["severity"] = SeverityName(f.severity);
  j["summary"] = f.summary;
  j["statistic"] = {{"name", f.statistic}, {"value", Number(f.value)}, {"threshold", f.threshold}};
  j["looked_at"] = f.looked_at;
  j["innocent_if"] = f.innocent_if;
  nlohmann::json e;
  e["records"] = f.evidence.records;
  for (const auto& [name, v] : f.evidence.figures) e[name] = Number(v);
  if (!f.evidence.dates.empty()) e["dates"] = f.evidence.dates;
  if (!f.evidence.users.empty()) {
    nlohmann::json users = nlohmann::json::array();
    for (const auto& [u, n] : f.evidence.users) users.push_back({{"user", u}, {"records", n}});
    e["users"] = users;
  }
  if (!f.evidence.batches.empty()) {
    nlohmann::json batches = nlohmann::json::array();
    for (const auto& [b, n] : f.evidence.batches) batches.push_back({{"batch", b}, {"records", n}});
    e["batches"] = batches;
  }
  e["record_ids"] = f.evidence.record_ids;
  if (f.evidence.record_ids_omitted > 0) e["record_ids_omitted"] = f.evidence.record_ids_omitted;
  j["evidence"] = e;
  return j;
}

}  // namespace

std::string FindingsToJson(const std::vector<Finding>& findings, int indent) {
  nlohmann::json arr = nlohmann::json::array();
  for (const Finding& f : findings) arr.push_back(FindingJson(f));
  nlohmann::json root;
  root["findings"] = arr;
  return root.dump(indent);
}

std::string FindingsToText(const std::vector<Finding>& findings) {
  std::ostringstream out;
  for (const Finding& f : findings) {
    std::string sev(SeverityName(f.severity));
    std::transform(sev.begin(), sev.end(), sev.begin(), [](unsigned char c) { return std::toupper(c); });
    sev.resize(7, ' ');
    std::string check = f.check;
    check.resize(std::max<size_t>(check.size() + 1, 27), ' ');
    std::string unit = f.org_unit;
    unit.resize(std::max<size_t>(unit.size() + 1, 10), ' ');
    std::string period = f.period;
    period.resize(std::max<size_t>(period.size() + 1, 11), ' ');
    out << sev << check << unit << period << f.summary << "\n";
    out << "       why: " << f.statistic << " = " << f.value << " (" << f.threshold << ")\n";
  }
  return out.str();
}

}  // namespace goldthread::integrity
