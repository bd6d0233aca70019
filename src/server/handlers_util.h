#pragma once
// Pieces the data handlers share: the analysis being served (or a 503 that
// says it is still being computed), and parameters checked against it.

#include <functional>
#include <memory>
#include <string>

#include "report/analysis.h"
#include "server/context.h"

namespace goldthread::server {

/// The current analysis; when there is none yet, answers 503 (a page that
/// reloads itself, or JSON with Retry-After) and returns null.
std::shared_ptr<const report::Analysis> RequireAnalysis(RequestContext& c);

/// What a cached answer depends on besides the analysis: the path and
/// query, the reader's role and org unit (server/page_cache.h).
std::string CacheKey(const RequestContext& c);

/// Answers from the page cache when the same request was answered from the
/// same analysis before; otherwise runs answer(c, a) and keeps its answer
/// when it is a 200. Only for answers that depend on nothing but CacheKey
/// and the analysis (and `extra_key`, e.g. the plan version) and that log
/// no person-level view.
void AnswerCached(RequestContext& c, const std::shared_ptr<const report::Analysis>& a,
                  const std::function<void(RequestContext&, const report::Analysis&)>& answer,
                  const std::string& extra_key = "");

/// The period parameter `name` as a month or financial quarter of the
/// analysis; "" (absent) gives `fallback`. False after answering 400
/// "period 'x' is not a month (YYYY-MM) or quarter (YYYY-YY Qn) of the
/// figures (they run from A to B)".
bool TryPeriodParam(RequestContext& c, const report::Analysis& a, const std::string& name, Period& out);

/// The org unit parameter as a row; "" gives `fallback`. False after 400
/// "org_unit 'X' is not an org unit of the store".
bool TryOrgUnitParam(RequestContext& c, const report::Analysis& a, const std::string& name, int32_t fallback,
                     int32_t& out);

/// The indicator parameter as an index. False after 400 naming the closest id.
bool TryIndicatorParam(RequestContext& c, const report::Analysis& a, const std::string& name, int& out);

}  // namespace goldthread::server
