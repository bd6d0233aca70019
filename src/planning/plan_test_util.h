#pragma once
// Test helpers for src/planning: the built-in definitions, a small org
// tree (C > S1 > T1, T2; C > S2 > T3), and running the file checks.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "indicators/definition.h"
#include "planning/plan_check.h"
#include "planning/plan_model.h"
#include "planning/plan_parse.h"
#include "planning/plan_thread.h"

namespace goldthread::planning::testing {

inline const std::vector<indicators::Definition>& BuiltIns() {
  static const std::vector<indicators::Definition> defs = [] {
    auto d = indicators::LoadDefinitionDir(std::string(GOLDTHREAD_SOURCE_DIR) + "/indicators");
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    return d.ok() ? std::move(d).value() : std::vector<indicators::Definition>();
  }();
  return defs;
}

/// Lines 1-14 of a plan file: a year range, an objective and team T1's
/// plan; a test appends a [[target]] at line 15.
inline constexpr const char* kPlanHead = R"(years = ["2024-25", "2025-26", "2026-27"]

[[objective]]
id = "O1"
title = "Carers have a life of their own"
owner = "Director"
perspective = "customer"

[[plan]]
id = "P-T1"
org_unit = "T1"
owner = "Team manager"
objectives = ["O1"]

)";

inline OrgTree SmallTree() {
  OrgTree t;
  t.Add("C", "Council", "council", -1);
  t.Add("S1", "Service one", "service", 0);
  t.Add("T1", "Team one", "team", 1);
  t.Add("T2", "Team two", "team", 1);
  t.Add("S2", "Service two", "service", 0);
  t.Add("T3", "Team three", "team", 4);
  return t;
}

/// Parses and checks text as "plan.toml" against defs (the built-ins when
/// null); every diagnostic formatted, in line order.
inline std::vector<std::string> Check(const std::string& text, const OrgTree* org,
                                      PlanDocument* doc = nullptr,
                                      const std::vector<indicators::Definition>* defs = nullptr) {
  ParsedPlan parsed = ParsePlan(text, "plan.toml");
  std::vector<Diagnostic> all = parsed.diagnostics;
  if (all.empty() || all.front().rule != "toml") {
    CheckInputs in;
    in.definitions = defs ? defs : &BuiltIns();
    in.org = org;
    for (Diagnostic& d : CheckPlan(parsed.doc, in)) all.push_back(std::move(d));
  }
  SortDiagnostics(all);
  std::vector<std::string> out;
  for (const Diagnostic& d : all) out.push_back(FormatDiagnostic("plan.toml", d));
  if (doc) *doc = std::move(parsed.doc);
  return out;
}

/// The diagnostics of `all` that contain `part`.
inline std::vector<std::string> Matching(const std::vector<std::string>& all, const std::string& part) {
  std::vector<std::string> out;
  for (const std::string& s : all)
    if (s.find(part) != std::string::npos) out.push_back(s);
  return out;
}

}  // namespace goldthread::planning::testing
