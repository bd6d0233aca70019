#pragma once
// The golden thread of a plan: its objectives, the plans that serve them
// down the org-unit tree (council -> service -> team) and the targets of
// each plan, with the links that let any figure be followed up to the
// objective it serves (and, through plan_evaluate.h, down to its cases).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "planning/plan_model.h"
#include "store/plan_records.h"

namespace goldthread {
class Snapshot;
class Store;
}

namespace goldthread::planning {

struct OrgUnitInfo {
  std::string id, name, kind;  // kind: "council", "service", "team"
  int32_t parent = -1;
};

/// The org units of a store (org_units.csv), indexed as the snapshot's rows.
class OrgTree {
 public:
  static OrgTree FromSnapshot(const Snapshot& snap);
  /// The store's current org_units rows, without loading a snapshot (in
  /// the store's order, so indices are not the snapshot's rows).
  static Result<OrgTree> FromStore(Store& store);
  /// For tests and callers without a snapshot; parent is an earlier index or -1.
  void Add(std::string id, std::string name, std::string kind, int32_t parent);

  int32_t size() const { return static_cast<int32_t>(units_.size()); }
  bool empty() const { return units_.empty(); }
  const OrgUnitInfo& at(int32_t i) const { return units_[static_cast<size_t>(i)]; }
  /// Index of the unit with this id, or -1.
  int32_t Find(std::string_view id) const;
  /// Whether unit is ancestor or lies below it.
  bool Within(int32_t unit, int32_t ancestor) const;
  /// The unit with no parent (the council); -1 when none or several.
  int32_t Root() const;
  std::vector<std::string_view> Ids() const;
  /// "T03 (Carrow Locality Team)", or the id alone when it has no name.
  std::string Describe(int32_t i) const;

 private:
  std::vector<OrgUnitInfo> units_;
};

/// The links of a document's thread. Built without an org tree, a plan's
/// unit and parent are unknown (-1).
struct Thread {
  std::vector<int32_t> plan_unit;    // per plan: its org unit's index in the tree, -1 when unknown
  std::vector<int32_t> parent_plan;  // per plan: the plan of the nearest unit above it, -1 at the top
  std::vector<std::vector<int32_t>> plans_of_objective;  // per objective: the plans serving it, file order
  std::vector<std::vector<int32_t>> targets_of_plan;     // per plan: its targets, file order
  /// per objective: the targets serving it (those naming it, and those of
  /// its plans that name no objective), file order.
  std::vector<std::vector<int32_t>> targets_of_objective;
  /// per target: the objectives it serves.
  std::vector<std::vector<int32_t>> objectives_of_target;
};

Thread BuildThread(const PlanDocument& doc, const OrgTree* org);

/// A plan as loaded from the store (or from a file, with version 0), with
/// its org tree and thread: what the reports, the dashboard and the
/// scorecards start from.
struct LoadedPlan {
  PlanDocument doc;
  PlanVersionInfo version;  // version 0: not stored
  OrgTree org;
  Thread thread;
};

/// The way up the thread from one figure: the targets set for that
/// indicator at that unit, the plans from the unit's own (or its nearest
/// ancestor's) up to the top, and the objectives they serve.
struct ThreadUp {
  std::vector<int32_t> targets;
  std::vector<int32_t> plans;       // nearest first
  std::vector<int32_t> objectives;  // the targets' objectives, else the nearest plan's; file order
};

ThreadUp FollowUp(const LoadedPlan& plan, std::string_view indicator, std::string_view org_unit);

/// Every indicator a plan watches: its prime indicators, its other
/// indicators and its targets' indicators, each once, in that order.
std::vector<std::string> PlanIndicators(const PlanDocument& doc, int32_t plan, const Thread& thread);

}  // namespace goldthread::planning
