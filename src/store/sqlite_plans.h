#pragma once
// The SQLite store's plan and story tables (issue 11): migration 4 and the
// Store methods of store.h's "Plans and stories" block, as functions of the
// store's checked connection (sqlite_db.h), so that a store held by an
// import waits (bounded) and then fails with kBusy, and sqlite_store_impl.h
// only forwards to them. Internal to src/store.
//
// Tables (schema version 4), every one keyed by the plan version it
// belongs to, so that each version stays queryable as it was loaded:
//   plan_versions(version, loaded_at, loaded_by, source, sha256, title, years, text)
//   plan_objectives(plan_version, position, id, title, owner, perspective, description, line)
//   plan_objective_indicators(plan_version, objective_id, position, indicator)
//   plan_plans(plan_version, position, id, title, org_unit, owner, line)
//   plan_plan_items(plan_version, plan_id, kind, position, value)   kind: objective | prime | indicator
//   plan_plan_owners(plan_version, plan_id, position, indicator, owner)
//   plan_targets(plan_version, position, plan_id, indicator, org_unit, value, by_date, per, owner, note,
//                objective, line)
//   plan_stories(id, written_at, author, indicator, org_unit, section, text, plan_version)   append-only
// `years` is the financial years joined by ','; `position` keeps file order.
// Plain SQL types (INTEGER, TEXT, REAL) and no SQLite-only features, so a
// PostgreSQL store can create the same tables.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/plan_records.h"
#include "store/sqlite_db.h"

namespace goldthread::sqlite {

Result<PlanVersionInfo> SavePlanVersion(Db& db, const PlanRecord& plan);
Result<std::vector<PlanVersionInfo>> PlanVersions(Db& db);
Result<std::optional<PlanRecord>> LoadPlanVersion(Db& db, int64_t version);
Result<int64_t> AddStory(Db& db, const StoryRecord& story);
Result<std::vector<StoryRecord>> Stories(Db& db, std::string_view indicator, std::string_view org_unit);

}  // namespace goldthread::sqlite
