#include "server/plan_source.h"

#include <optional>
#include <utility>
#include <vector>

#include "planning/plan_load.h"

namespace goldthread::server {

Result<std::shared_ptr<const report::PlanForReports>> PlanSource::For(
    const std::shared_ptr<const report::Analysis>& analysis, SharedStore& store) {
  Result<int64_t> latest = store.Read([](Store& s) -> Result<int64_t> {
    Result<std::vector<PlanVersionInfo>> versions = s.PlanVersions();
    if (!versions.ok()) return versions.status();
    return versions->empty() ? int64_t{0} : versions->back().version;
  });
  if (!latest.ok()) return latest.status();
  std::lock_guard<std::mutex> lock(mu_);
  const bool same = !analysis_.owner_before(analysis) && !analysis.owner_before(analysis_) && !analysis_.expired();
  if (same && version_ == *latest) return plan_;
  std::shared_ptr<const report::PlanForReports> plan;
  if (*latest > 0) {
    // Read under the store's lock; evaluated (the engine over each target's
    // indicator) outside it, so sign-ins and the access log do not wait.
    Result<std::optional<planning::LoadedPlan>> loaded =
        store.Read([&](Store& s) { return planning::LoadStoredPlan(s, *latest, *analysis->snapshot); });
    if (!loaded.ok()) return loaded.status();
    if (*loaded) {
      Result<std::shared_ptr<const report::PlanForReports>> evaluated =
          report::EvaluatePlanForReports(std::move(**loaded), analysis);
      if (!evaluated.ok()) return evaluated.status();
      plan = std::move(*evaluated);
    }
  }
  analysis_ = analysis;
  version_ = *latest;
  plan_ = plan;
  return plan;
}

}  // namespace goldthread::server
