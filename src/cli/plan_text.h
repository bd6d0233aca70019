#pragma once
// The plan commands' terminal output: the thread (`plan show`), a
// figure's way up and down (`plan trace`), and the scorecards. Plain text
// that fits 110 columns; the same content as their --json.

#include <iosfwd>
#include <string>
#include <vector>

#include "planning/plan_evaluate.h"
#include "planning/plan_model.h"
#include "planning/plan_thread.h"
#include "planning/scorecard_balanced.h"
#include "planning/scorecard_oba.h"
#include "planning/scorecard_target.h"
#include "planning/scorecard_team.h"
#include "planning/target_cases.h"
#include "core/file.h"

namespace goldthread::cli {

struct ShowFilter {
  std::string objective;  // only this objective and the targets serving it
  std::string org_unit;   // only this unit's plan, the plans above it and its targets
  bool why = false;       // every target's reason and realism, not only when filtered
};

/// Every diagnostic of a check, one a line, then a summary line.
/// What the plan commands' outputs must never replace: the store, the
/// definition files, and the plan file read (each may be empty).
ProtectedFiles PlanInputs(const std::string& store, const std::string& extra_dir, const std::string& plan_file);

void PrintDiagnostics(const std::string& file, const std::vector<planning::Diagnostic>& diagnostics,
                      std::ostream& out);

void PrintThread(const planning::LoadedPlan& plan, const planning::PlanEvaluation& ev,
                 const planning::DefinitionIndex& defs, const ShowFilter& filter, std::ostream& out);
void PrintTrace(const planning::LoadedPlan& plan, const planning::PlanEvaluation& ev,
                const planning::DefinitionIndex& defs, const planning::ThreadUp& up, const planning::Curve* curve,
                const planning::FigureCases* cases, size_t max_cases, std::ostream& out);
void PrintBalanced(const planning::BalancedScorecard& card, std::ostream& out);
void PrintOba(const planning::ObaScorecard& card, std::ostream& out);
void PrintTeamProgress(const std::vector<planning::TeamProgress>& teams, std::ostream& out);
/// The org-unit tree, each unit with its plan in doc (version v), if any.
void PrintUnits(const planning::OrgTree& org, const planning::PlanDocument* doc, int64_t version, std::ostream& out);
void PrintVersions(const std::vector<PlanVersionInfo>& versions, std::ostream& out);
void PrintStories(const std::vector<StoryRecord>& stories, std::ostream& out);

}  // namespace goldthread::cli
