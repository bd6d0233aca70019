#pragma once
// The council's plan as the dashboard serves it (issue 11): the store's
// latest plan version evaluated on the analysis being served
// (report/plan_sections.h), built once per analysis and plan version and
// shared by every request. The latest version is read from the store on
// each call (one small query), so a plan loaded while the dashboard runs
// shows at the next request, without an import or a restart; pages built
// with the plan carry its version in their cache key.
//
// Thread-safety: every method may be called from any thread; one caller
// evaluates a new plan while the others wait for it.

#include <cstdint>
#include <memory>
#include <mutex>

#include "core/status.h"
#include "report/plan_sections.h"
#include "server/shared_store.h"

namespace goldthread::server {

class PlanSource {
 public:
  /// The plan for analysis; null when the store holds none. Errors are
  /// the store's (kBusy while an import holds it past the wait).
  Result<std::shared_ptr<const report::PlanForReports>> For(const std::shared_ptr<const report::Analysis>& analysis,
                                                            SharedStore& store);

 private:
  std::mutex mu_;
  std::weak_ptr<const report::Analysis> analysis_;      // guarded by mu_
  int64_t version_ = -1;                                // guarded by mu_; 0: the store holds no plan
  std::shared_ptr<const report::PlanForReports> plan_;  // guarded by mu_
};

/// The plan version a page was built with, for its cache key (0: none).
inline int64_t PlanVersionOf(const std::shared_ptr<const report::PlanForReports>& plan) {
  return plan ? plan->plan.version.version : 0;
}

}  // namespace goldthread::server
