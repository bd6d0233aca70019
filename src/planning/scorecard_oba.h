#pragma once
// The Outcomes Based Accountability scorecard (Friedman; seed 001 section
// 3): population results with their population indicators, measured at the
// council; and, for each plan, its performance measures sorted into how
// much did we do, how well did we do it, and is anyone better off. Each
// measure is a "turning the curve" chart in data: its history, the baseline
// forecast "if we do nothing differently" (shared/STATISTICS.md section 4),
// its targets, and the latest story behind the curve in each section
// (story, partners, what works, action plan), with its history.

#include <optional>
#include <string>
#include <vector>

#include "planning/plan_evaluate.h"
#include "planning/plan_thread.h"
#include "planning/scorecard_target.h"
#include "store/plan_records.h"

namespace goldthread::planning {

/// The story sections of "turning the curve", in the order OBA asks them.
inline constexpr const char* kStorySections[] = {"story", "partners", "what_works", "action_plan"};
bool IsStorySection(std::string_view s);

struct StorySection {
  std::string section;
  std::optional<StoryRecord> latest;  // the newest entry; nullopt: none yet
  int32_t entries = 0;                // how many have been written (the history)
};

struct ObaMeasure {
  std::string indicator, title, org_unit;
  indicators::Oba oba = indicators::Oba::kHowWell;
  indicators::Unit unit = indicators::Unit::kPercent;
  double rate_per = 100000;  // the definition's: a rate is "per 1,000" when 1000
  indicators::Polarity polarity = indicators::Polarity::kUp;
  Curve curve;  // history and forecast (quarters)
  std::vector<TargetLine> targets;  // set for this indicator at this unit
  std::vector<StorySection> stories;  // one per kStorySections entry
};

struct ObaResult {
  int32_t objective = -1;
  std::string id, title;           // the result: a condition of well-being
  std::vector<ObaMeasure> indicators;  // population indicators, at the council
};

struct ObaPlan {
  int32_t plan = -1;
  std::string id, title, org_unit, owner;
  std::vector<ObaMeasure> how_much, how_well, better_off;
};

struct ObaScorecard {
  std::vector<ObaResult> results;
  std::vector<ObaPlan> plans;
};

/// stories: every story in the store (Store::Stories("", "")), oldest
/// first. org_unit: only that unit's plan ("" for every plan).
ObaScorecard BuildObaScorecard(const LoadedPlan& plan, const PlanEvaluation& ev, const DefinitionIndex& defs,
                               const std::vector<StoryRecord>& stories, std::string_view org_unit = "");

}  // namespace goldthread::planning
