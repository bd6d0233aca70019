#include "planning/hub_rules.h"

#include <algorithm>
#include <cassert>
#include <variant>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/file.h"

namespace goldthread::planning {
namespace {

constexpr std::string_view kDefaultToml = R"(# Carers' Hub audit rules (goldthread hub --rules FILE).
# Red/Amber/Green after the ADASS / Princess Royal Trust audit tool (2010),
# section 8.7; docs/hub.md gives the sentence each threshold stands for.
# The tool gives words, not numbers: these numbers are a starting point for
# the council to set from its own carers' views and its peers' results.
# Percentages are 0-100. Reach is carers reached in the year as a
# percentage of the estimated carers in the group (carer_populations.csv).

[red]
# "little or nothing is offered to carers"
reach_below_percent = 0.5
# "what is on offer is not of an acceptable quality": share of the group's
# carers' survey respondents extremely or very satisfied (ASCOF 3B's answers)
satisfaction_below_percent = 20
# "carers have few or no choices and many needs remain unmet", for one
# group: its reach is below this share of all carers' reach for the same
# support in the same area, clearly (its 95% upper limit is below it)
group_share_of_all = 0.5

[green]
# "there are comprehensive services of this type for all carers who wish to use them"
reach_at_least_percent = 2
# "carers of many groups and communities report high levels of satisfaction"
satisfaction_at_least_percent = 40
# "positive impacts have been measured using robust processes": the share
# of carers whose outcome measure improved on its baseline
outcomes_improved_at_least_percent = 50
# "for all carers": all carers' cell is not green while an overlooked
# group's cell for the same support is red ("only accessed by certain groups")
every_overlooked_group = true

[evidence]
# "robust processes": the fewest survey respondents and outcome measures
# a rating may rest on; with fewer, the evidence says "not measured"
min_respondents = 10
min_measured = 10

[over_provision]
# seed 001 section 8.3, "Where is there duplication or over-provision?":
# this many providers or more, same support, same group and area, each
# reaching fewer than this percentage of the group's carers
min_providers = 3
provider_reach_below_percent = 0.5

[scale]
# Early / Intermediate / Advanced: "firm plans in place for future work" is
# a loaded plan's target on one of these indicators
plan_indicators = ["carers-supported", "carer-assessments", "carer-emergency-plan", "carer-qol",
                   "carer-satisfaction", "carer-involved", "carer-info-easy", "working-carers"]

# An intervention's own reach thresholds, for support not every carer needs:
# [intervention.housing]
# reach_below_percent = 0.1
# reach_at_least_percent = 0.5
)";

enum class Kind { kPercent, kShare, kCount, kBool, kStrings };

struct Key {
  std::string_view name;
  Kind kind;
  void* slot;
  int64_t min = 0;  // kCount's least value
};

struct Section {
  std::string_view name;
  std::vector<Key> keys;
};

std::vector<Section> Sections(HubRules& r) {
  return {
      {"red",
       {{"reach_below_percent", Kind::kPercent, &r.reach.red_below},
        {"satisfaction_below_percent", Kind::kPercent, &r.red_satisfaction_below},
        {"group_share_of_all", Kind::kShare, &r.red_group_share_of_all}}},
      {"green",
       {{"reach_at_least_percent", Kind::kPercent, &r.reach.green_at_least},
        {"satisfaction_at_least_percent", Kind::kPercent, &r.green_satisfaction_at_least},
        {"outcomes_improved_at_least_percent", Kind::kPercent, &r.green_improved_at_least},
        {"every_overlooked_group", Kind::kBool, &r.green_every_overlooked_group}}},
      {"evidence",
       {{"min_respondents", Kind::kCount, &r.min_respondents}, {"min_measured", Kind::kCount, &r.min_measured}}},
      {"over_provision",
       // "Several providers": one provider alone is no duplication.
       {{"min_providers", Kind::kCount, &r.over_min_providers, 2},
        {"provider_reach_below_percent", Kind::kPercent, &r.over_provider_reach_below}}},
      {"scale", {{"plan_indicators", Kind::kStrings, &r.plan_indicators}}},
  };
}

std::string KeyList(const std::vector<Key>& keys) {
  std::string out;
  for (const Key& k : keys) out += (out.empty() ? "" : ", ") + std::string(k.name);
  return out;
}

std::string Got(const toml::node& node) {
  if (auto v = node.value<double>(); v && node.is_number()) return fmt::format("{}", *v);
  if (node.is_string()) return fmt::format("\"{}\"", *node.value<std::string>());
  if (node.is_boolean()) return *node.value<bool>() ? "true" : "false";
  if (node.is_array()) return "an array";
  if (node.is_table()) return "a table";
  return "another type";
}

// "" on success, else what was expected.
std::string Assign(const toml::node& node, const Key& key) {
  switch (key.kind) {
    case Kind::kPercent: {
      auto v = node.value<double>();
      // Written as "not within" so that nan (valid TOML) is refused too.
      if (!node.is_number() || !v || !(*v >= 0 && *v <= 100))
        return "expected a number from 0 to 100 (got " + Got(node) + ")";
      *static_cast<double*>(key.slot) = *v / 100.0;
      return "";
    }
    case Kind::kShare: {
      auto v = node.value<double>();
      if (!node.is_number() || !v || !(*v >= 0 && *v <= 1))
        return "expected a number from 0 to 1 (got " + Got(node) + ")";
      *static_cast<double*>(key.slot) = *v;
      return "";
    }
    case Kind::kCount: {
      if (!node.is_integer() || *node.value<int64_t>() < key.min)
        return fmt::format("expected a whole number of {} or more (got {})", key.min, Got(node));
      *static_cast<int64_t*>(key.slot) = *node.value<int64_t>();
      return "";
    }
    case Kind::kBool:
      if (!node.is_boolean()) return "expected true or false (got " + Got(node) + ")";
      *static_cast<bool*>(key.slot) = *node.value<bool>();
      return "";
    case Kind::kStrings: {
      const toml::array* arr = node.as_array();
      if (!arr) return "expected an array of indicator ids (got " + Got(node) + ")";
      std::vector<std::string> out;
      for (const toml::node& item : *arr) {
        if (!item.is_string()) return "expected an array of indicator ids (got an item that is " + Got(item) + ")";
        out.push_back(*item.value<std::string>());
      }
      *static_cast<std::vector<std::string>*>(key.slot) = std::move(out);
      return "";
    }
  }
  return "";
}

std::string Where(std::string_view source, const toml::node& node, std::string_view path) {
  int64_t line = node.source().begin.line;
  return line > 0 ? fmt::format("{}:{}: {}", source, line, path) : fmt::format("{}: {}", source, path);
}

/// "FILE:LINE: a is above b", at the line of whichever of the two the file
/// sets (the red one first); without a line when both are the defaults'.
std::string Clash(const toml::table& parsed, std::string_view source, std::string_view a, std::string_view b) {
  const toml::node* at = parsed.at_path(a).node();
  if (!at) at = parsed.at_path(b).node();
  const std::string what = fmt::format("{} is above {}", a, b);
  return at ? Where(source, *at, what) : fmt::format("{}: {}", source, what);
}

Status ParseInterventions(const toml::table& table, std::string_view source, HubRules& rules) {
  for (const auto& [code, node] : table) {
    int iv = FindHubIntervention(code.str());
    std::string path = "intervention." + std::string(code.str());
    if (iv < 0) {
      std::string codes;
      for (const HubInterventionInfo& h : HubInterventions()) codes += (codes.empty() ? "" : ", ") + std::string(h.code);
      return Status::InvalidArgument(Where(source, node, path) + ": unknown intervention (expected one of: " + codes + ")");
    }
    const toml::table* t = node.as_table();
    if (!t) return Status::InvalidArgument(Where(source, node, path) + ": expected a table");
    ReachThresholds own = rules.reach;
    std::vector<Key> keys = {{"reach_below_percent", Kind::kPercent, &own.red_below},
                             {"reach_at_least_percent", Kind::kPercent, &own.green_at_least}};
    for (const auto& [name, value] : *t) {
      const Key* key = nullptr;
      for (const Key& k : keys)
        if (k.name == name.str()) key = &k;
      std::string where = Where(source, value, path + "." + std::string(name.str()));
      if (!key) return Status::InvalidArgument(where + ": unknown key (expected one of: " + KeyList(keys) + ")");
      if (std::string problem = Assign(value, *key); !problem.empty())
        return Status::InvalidArgument(where + ": " + problem);
    }
    if (own.red_below > own.green_at_least)
      return Status::InvalidArgument(Where(source, node, path) +
                                     ": reach_below_percent is above reach_at_least_percent (red would overlap green)");
    rules.intervention_reach[static_cast<size_t>(iv)] = own;
  }
  return Status::Ok();
}

}  // namespace

std::string_view DefaultHubRulesToml() { return kDefaultToml; }

const HubRules& DefaultHubRules() {
  static const HubRules kRules = [] {
    Result<HubRules> r = ParseHubRules(kDefaultToml, "");
    // The default text is ours and tested (hub_rules_test.cc): it parses.
    assert(r.ok());
    return r.ok() ? *r : HubRules{};
  }();
  return kRules;
}

Result<HubRules> ParseHubRules(std::string_view toml_text, std::string_view source) {
  // toml++ reports parse errors by exception; caught here, at the boundary.
  toml::table parsed;
  try {
    parsed = toml::parse(toml_text, source);
  } catch (const toml::parse_error& err) {
    return Status::InvalidArgument(
        fmt::format("{}:{}: {}", source, err.source().begin.line, std::string(err.description())));
  }
  HubRules rules;
  rules.source = std::string(source);
  std::vector<Section> sections = Sections(rules);
  const toml::table* interventions = nullptr;
  for (const auto& [name, node] : parsed) {
    if (name.str() == "intervention") {
      interventions = node.as_table();
      if (!interventions) return Status::InvalidArgument(Where(source, node, "intervention") + ": expected a table");
      continue;
    }
    const Section* section = nullptr;
    for (const Section& s : sections)
      if (s.name == name.str()) section = &s;
    if (!section) {
      std::string names;
      for (const Section& s : sections) names += std::string(s.name) + ", ";
      return Status::InvalidArgument(Where(source, node, name.str()) + ": unknown table (expected one of: " + names +
                                     "intervention)");
    }
    const toml::table* table = node.as_table();
    if (!table) return Status::InvalidArgument(Where(source, node, name.str()) + ": expected a table");
    for (const auto& [key_name, value] : *table) {
      const Key* key = nullptr;
      for (const Key& k : section->keys)
        if (k.name == key_name.str()) key = &k;
      std::string where = Where(source, value, std::string(name.str()) + "." + std::string(key_name.str()));
      if (!key) return Status::InvalidArgument(where + ": unknown key (expected one of: " + KeyList(section->keys) + ")");
      if (std::string problem = Assign(value, *key); !problem.empty())
        return Status::InvalidArgument(where + ": " + problem);
    }
  }
  if (const toml::node* n = parsed.at_path("scale.plan_indicators").node()) rules.plan_indicators_line = n->source().begin.line;
  // Per-intervention thresholds start from the council-wide ones, so read
  // them after [red] and [green] whatever the order in the file.
  if (interventions) GT_RETURN_IF_ERROR(ParseInterventions(*interventions, source, rules));
  if (rules.reach.red_below > rules.reach.green_at_least)
    return Status::InvalidArgument(Clash(parsed, source, "red.reach_below_percent", "green.reach_at_least_percent") +
                                   " (red would overlap green)");
  if (rules.red_satisfaction_below > rules.green_satisfaction_at_least)
    return Status::InvalidArgument(
        Clash(parsed, source, "red.satisfaction_below_percent", "green.satisfaction_at_least_percent"));
  return rules;
}

Status CheckPlanIndicators(const HubRules& rules, const std::vector<std::string>& indicator_ids) {
  for (const std::string& id : rules.plan_indicators) {
    if (std::find(indicator_ids.begin(), indicator_ids.end(), id) != indicator_ids.end()) continue;
    std::string known;
    for (const std::string& k : indicator_ids) known += (known.empty() ? "" : ", ") + k;
    // The default rules have no file to point into.
    const std::string where = rules.source.empty()        ? std::string("the default rules")
                              : rules.plan_indicators_line > 0 ? fmt::format("{}:{}", rules.source, rules.plan_indicators_line)
                                                               : rules.source;
    return Status::InvalidArgument(fmt::format(
        "{}: scale.plan_indicators: '{}' is not an indicator (the indicators are: {})", where, id, known));
  }
  return Status::Ok();
}

Result<HubRules> LoadHubRules(const std::string& path) {
  Result<std::string> text = ReadInputFile(path);
  if (!text.ok()) return text.status();
  return ParseHubRules(*text, path);
}

}  // namespace goldthread::planning
