#include "integrity/config.h"

#include <sstream>
#include <variant>

#include <toml++/toml.h>

#include "core/file.h"

namespace goldthread::integrity {
namespace {

using Slot = std::variant<bool*, int*, double*, unsigned*>;
struct Key {
  const char* name;
  Slot slot;
};
struct Section {
  const char* name;
  std::vector<Key> keys;
};

std::vector<Section> Sections(CheckConfig& c) {
  auto& b = c.deadline_bunching;
  auto& l = c.late_registration;
  auto& r = c.clock_reset;
  auto& d = c.backdating;
  auto& s = c.period_end_surge;
  auto& k = c.bulk_change;
  auto& g = c.criteria_gap;
  auto& q = c.data_quality;
  auto& j = c.implausible_jump;
  auto& v = c.process_outcome_divergence;
  return {
      {"deadline_bunching",
       {{"enabled", &b.enabled}, {"threshold_days", &b.threshold_days}, {"window_days", &b.window_days},
        {"degree", &b.degree}, {"bootstrap", &b.bootstrap}, {"seed", &b.seed}, {"min_cases", &b.min_cases},
        {"min_ratio", &b.min_ratio}, {"min_excess", &b.min_excess}}},
      {"late_registration",
       {{"enabled", &l.enabled}, {"late_days", &l.late_days}, {"min_requests", &l.min_requests},
        {"min_share", &l.min_share}}},
      {"clock_reset",
       {{"enabled", &r.enabled}, {"window_days", &r.window_days}, {"min_requests", &r.min_requests},
        {"min_share", &r.min_share}}},
      {"backdating",
       {{"enabled", &d.enabled}, {"quantile", &d.quantile}, {"min_records", &d.min_records},
        {"min_shift_days", &d.min_shift_days}, {"min_late_records", &d.min_late_records}}},
      {"period_end_surge",
       {{"enabled", &s.enabled}, {"last_days", &s.last_days}, {"min_entries", &s.min_entries},
        {"min_ratio", &s.min_ratio}}},
      {"bulk_change",
       {{"enabled", &k.enabled}, {"min_changes", &k.min_changes}, {"min_multiple", &k.min_multiple},
        {"min_top_share", &k.min_top_share}}},
      {"criteria_gap",
       {{"enabled", &g.enabled}, {"min_gap", &g.min_gap}, {"min_gap_share", &g.min_gap_share},
        {"high_gap_share", &g.high_gap_share}}},
      {"data_quality",
       {{"enabled", &q.enabled}, {"min_records", &q.min_records}, {"min_missing_share", &q.min_missing_share},
        {"min_missing", &q.min_missing}, {"max_peer_missing_share", &q.max_peer_missing_share},
        {"max_median_lag_days", &q.max_median_lag_days}, {"benford", &q.benford},
        {"benford_min_amounts", &q.benford_min_amounts}}},
      {"implausible_jump",
       {{"enabled", &j.enabled}, {"robust_z", &j.robust_z}, {"min_change", &j.min_change},
        {"min_history", &j.min_history}, {"min_denominator", &j.min_denominator}, {"sampling_z", &j.sampling_z},
        {"warmup_months", &j.warmup_months}}},
      {"process_outcome_divergence",
       {{"enabled", &v.enabled}, {"min_points", &v.min_points}, {"window", &v.window},
        {"run_length", &v.run_length}, {"min_denominator", &v.min_denominator}, {"min_change", &v.min_change},
        {"warmup_months", &v.warmup_months}, {"outcome_lag_months", &v.outcome_lag_months}}},
  };
}

// Returns "" on success, else what was wrong.
std::string Assign(const toml::node& node, const Slot& slot) {
  if (auto p = std::get_if<bool*>(&slot)) {
    auto v = node.value<bool>();
    if (!v || !node.is_boolean()) return "expected true or false";
    **p = *v;
  } else if (auto p = std::get_if<int*>(&slot)) {
    if (!node.is_integer()) return "expected a whole number";
    **p = static_cast<int>(*node.value<int64_t>());
  } else if (auto p = std::get_if<unsigned*>(&slot)) {
    if (!node.is_integer() || *node.value<int64_t>() < 0) return "expected a whole number >= 0";
    **p = static_cast<unsigned>(*node.value<int64_t>());
  } else if (auto p = std::get_if<double*>(&slot)) {
    if (!node.is_number()) return "expected a number";
    **p = *node.value<double>();
  }
  return "";
}

}  // namespace

Result<CheckConfig> ParseCheckConfig(const std::string& toml_text, const std::string& source) {
  // The system toml++ is a compiled library built with exceptions; its
  // parse error is caught here, at the boundary, and becomes a Status
  // (shared/STYLE_ANCHORS.md section 5).
  toml::table parsed;
  try {
    parsed = toml::parse(toml_text, source);
  } catch (const toml::parse_error& err) {
    return Status::InvalidArgument(source + ":" + std::to_string(err.source().begin.line) + ": " +
                                   std::string(err.description()));
  }
  CheckConfig config;
  std::vector<Section> sections = Sections(config);
  for (const auto& [name, node] : parsed) {
    const Section* section = nullptr;
    for (const Section& s : sections)
      if (name.str() == s.name) section = &s;
    if (!section) return Status::InvalidArgument(source + ": " + std::string(name.str()) + ": unknown check");
    const toml::table* table = node.as_table();
    if (!table) return Status::InvalidArgument(source + ": " + std::string(name.str()) + ": expected a table");
    for (const auto& [key, value] : *table) {
      const Key* found = nullptr;
      for (const Key& k : section->keys)
        if (key.str() == k.name) found = &k;
      std::string where = source + ": " + std::string(name.str()) + "." + std::string(key.str());
      if (!found) return Status::InvalidArgument(where + ": unknown key");
      std::string problem = Assign(value, found->slot);
      if (!problem.empty()) return Status::InvalidArgument(where + ": " + problem);
    }
  }
  if (config.deadline_bunching.degree < 1 || config.deadline_bunching.degree > 9)
    return Status::InvalidArgument(source + ": deadline_bunching.degree: expected 1 to 9");
  if (config.backdating.quantile <= 0 || config.backdating.quantile >= 1)
    return Status::InvalidArgument(source + ": backdating.quantile: expected a number between 0 and 1");
  const DivergenceConfig& v = config.process_outcome_divergence;
  if (v.run_length != 6 && v.run_length != 7)
    return Status::InvalidArgument(source + ": process_outcome_divergence.run_length: expected 6 or 7");
  if (v.window < 1 || v.min_points < v.window + 2)
    return Status::InvalidArgument(source +
                                   ": process_outcome_divergence: expected window >= 1 and min_points >= window + 2");
  return config;
}

Result<CheckConfig> LoadCheckConfig(const std::string& path) {
  // A regular file of bounded size (core/file.h), never a FIFO or a device.
  Result<std::string> text = ReadInputFile(path);
  if (!text.ok()) return text.status();
  return ParseCheckConfig(*text, path);
}

}  // namespace goldthread::integrity
