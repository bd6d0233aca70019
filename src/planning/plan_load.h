#pragma once
// From a plan file to a checked plan, into the store and back out
// (`plan check`, `plan load`, `plan show`): reading the file safely,
// running every check in one go, storing a new version only when the file
// changed, and reading any stored version back as a LoadedPlan.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "indicators/definition.h"
#include "model/snapshot.h"
#include "planning/plan_evaluate.h"
#include "planning/plan_model.h"
#include "planning/plan_thread.h"
#include "store/store.h"

namespace goldthread::planning {

/// Reads a plan file through core/file.h's checked open: a regular file
/// (not a directory, device or pipe) of at most kMaxPlanFileBytes. Errors
/// name the path.
Result<std::string> ReadPlanFile(const std::string& path);

struct PlanCheckResult {
  LoadedPlan plan;  // the document, with the store's org tree when checked against one
  std::vector<Diagnostic> diagnostics;       // every problem, in line order
  std::optional<PlanEvaluation> evaluation;  // with a snapshot, when the file parsed
  bool refused() const { return HasErrors(diagnostics); }
};

/// Parses and checks text (file names it in messages); with snap (the
/// store's current data) also its org units, the data behind each target,
/// realism and status. Fails only when the figures cannot be computed.
Result<PlanCheckResult> CheckPlanText(std::string_view text, std::string_view file,
                                      const std::vector<indicators::Definition>& defs, const Snapshot* snap,
                                      const EvaluateOptions& options = {});

/// The store's rows of a document, and back.
PlanRecord ToRecord(const PlanDocument& doc, std::string text, PlanVersionInfo info);
PlanDocument FromRecord(const PlanRecord& record);

struct SaveOutcome {
  PlanVersionInfo version;  // the stored version (the new one, or the unchanged latest)
  bool unchanged = false;   // the file equals the latest version's: nothing stored
};

/// Stores a checked plan as the next version, unless its text equals the
/// latest version's. InvalidArgument when the check refused it. info:
/// loaded_at, loaded_by, source and sha256 (the version is the store's).
Result<SaveOutcome> SavePlan(Store& store, const PlanCheckResult& checked, std::string_view text,
                             PlanVersionInfo info);

/// A stored version (0: the latest) with the snapshot's org tree; nullopt
/// when the store holds no plan (or not that version).
Result<std::optional<LoadedPlan>> LoadStoredPlan(Store& store, int64_t version, const Snapshot& snap);

/// A stored plan evaluated on the store's current data: what `plan show`,
/// the scorecards, the reports and the dashboard start from.
struct PlanView {
  std::unique_ptr<Snapshot> snapshot;
  LoadedPlan plan;
  PlanEvaluation evaluation;
};

/// Loads the snapshot, the plan version (0: the latest) and evaluates it.
/// NotFound "the store 'X' holds no plan (load one with 'goldthread plan
/// load X PLAN.toml')" or "... has no plan version N (it has 1 to 3)".
Result<PlanView> OpenPlanView(Store& store, int64_t version, const std::vector<indicators::Definition>& defs,
                              const EvaluateOptions& options = {});

}  // namespace goldthread::planning
