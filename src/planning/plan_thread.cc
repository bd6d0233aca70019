#include "planning/plan_thread.h"

#include <algorithm>

#include "model/snapshot.h"
#include "store/store.h"

namespace goldthread::planning {

OrgTree OrgTree::FromSnapshot(const Snapshot& snap) {
  OrgTree t;
  const TableData& orgs = snap.table(TableId::kOrgUnits);
  const int name_field = orgs.Field("name"), kind_field = orgs.Field("kind");
  const auto& kinds = orgs.spec->fields[kind_field].codes;
  for (int64_t row = 0; row < orgs.rows; ++row) {
    OrgUnitInfo u;
    u.id = snap.OrgUnitId(static_cast<int32_t>(row));
    u.name = std::string(snap.Text(orgs.Int(name_field, row)));
    const int32_t kind = orgs.Int(kind_field, row);
    if (kind >= 0 && static_cast<size_t>(kind) < kinds.size()) u.kind = std::string(kinds[kind]);
    u.parent = snap.OrgParent(static_cast<int32_t>(row));
    t.units_.push_back(std::move(u));
  }
  return t;
}

Result<OrgTree> OrgTree::FromStore(Store& store) {
  OrgTree t;
  std::vector<std::string> parents;
  const TableSpec& spec = Table(TableId::kOrgUnits);
  const int id = spec.FieldIndex("org_unit_id"), parent = spec.FieldIndex("parent_id"), name = spec.FieldIndex("name"),
            kind = spec.FieldIndex("kind");
  Status s = store.ScanCurrent(TableId::kOrgUnits, [&](const StoredRow& row) {
    t.units_.push_back({std::string(row.values[id]), std::string(row.values[name]), std::string(row.values[kind]), -1});
    parents.emplace_back(row.values[parent]);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  for (size_t i = 0; i < parents.size(); ++i) t.units_[i].parent = parents[i].empty() ? -1 : t.Find(parents[i]);
  return t;
}

void OrgTree::Add(std::string id, std::string name, std::string kind, int32_t parent) {
  units_.push_back({std::move(id), std::move(name), std::move(kind), parent});
}

int32_t OrgTree::Find(std::string_view id) const {
  for (size_t i = 0; i < units_.size(); ++i)
    if (units_[i].id == id) return static_cast<int32_t>(i);
  return -1;
}

bool OrgTree::Within(int32_t unit, int32_t ancestor) const {
  // The tree is small (tens of units) and acyclic: import refuses a cycle.
  for (int32_t u = unit, steps = 0; u >= 0 && steps <= size(); u = at(u).parent, ++steps)
    if (u == ancestor) return true;
  return false;
}

int32_t OrgTree::Root() const {
  int32_t root = -1;
  for (int32_t i = 0; i < size(); ++i) {
    if (at(i).parent >= 0) continue;
    if (root >= 0) return -1;
    root = i;
  }
  return root;
}

std::vector<std::string_view> OrgTree::Ids() const {
  std::vector<std::string_view> out;
  for (const OrgUnitInfo& u : units_) out.push_back(u.id);
  return out;
}

std::string OrgTree::Describe(int32_t i) const {
  const OrgUnitInfo& u = at(i);
  return u.name.empty() || u.name == u.id ? u.id : u.id + " (" + u.name + ")";
}

Thread BuildThread(const PlanDocument& doc, const OrgTree* org) {
  Thread t;
  const size_t n = doc.plans.size();
  t.plan_unit.assign(n, -1);
  t.parent_plan.assign(n, -1);
  t.plans_of_objective.resize(doc.objectives.size());
  t.targets_of_plan.resize(n);
  for (size_t p = 0; p < n; ++p) {
    if (org) t.plan_unit[p] = org->Find(doc.plans[p].org_unit);
    for (const std::string& o : doc.plans[p].objectives) {
      const int32_t i = doc.FindObjective(o);
      if (i >= 0) t.plans_of_objective[i].push_back(static_cast<int32_t>(p));
    }
  }
  if (org) {
    // The first plan of each unit is its plan (a second one is refused).
    std::vector<int32_t> plan_of_unit(static_cast<size_t>(org->size()), -1);
    for (size_t p = 0; p < n; ++p)
      if (t.plan_unit[p] >= 0 && plan_of_unit[t.plan_unit[p]] < 0) plan_of_unit[t.plan_unit[p]] = static_cast<int32_t>(p);
    for (size_t p = 0; p < n; ++p) {
      if (t.plan_unit[p] < 0) continue;
      int32_t steps = 0;
      for (int32_t u = org->at(t.plan_unit[p]).parent; u >= 0 && steps <= org->size(); u = org->at(u).parent, ++steps) {
        if (plan_of_unit[u] >= 0) {
          t.parent_plan[p] = plan_of_unit[u];
          break;
        }
      }
    }
  }
  t.targets_of_objective.resize(doc.objectives.size());
  t.objectives_of_target.resize(doc.targets.size());
  for (size_t i = 0; i < doc.targets.size(); ++i) {
    const Target& g = doc.targets[i];
    const int32_t p = doc.FindPlan(g.plan);
    if (p >= 0) t.targets_of_plan[p].push_back(static_cast<int32_t>(i));
    if (!g.objective.empty()) {
      if (const int32_t o = doc.FindObjective(g.objective); o >= 0) t.objectives_of_target[i].push_back(o);
    } else if (p >= 0) {
      for (const std::string& id : doc.plans[p].objectives)
        if (const int32_t o = doc.FindObjective(id); o >= 0) t.objectives_of_target[i].push_back(o);
    }
    for (int32_t o : t.objectives_of_target[i]) t.targets_of_objective[o].push_back(static_cast<int32_t>(i));
  }
  return t;
}

ThreadUp FollowUp(const LoadedPlan& plan, std::string_view indicator, std::string_view org_unit) {
  ThreadUp up;
  const PlanDocument& doc = plan.doc;
  for (size_t i = 0; i < doc.targets.size(); ++i)
    if (doc.targets[i].indicator == indicator && doc.targets[i].org_unit == org_unit)
      up.targets.push_back(static_cast<int32_t>(i));
  // The plan of the unit itself, or of the nearest unit above it.
  int32_t nearest = -1;
  const int32_t unit = plan.org.Find(org_unit);
  for (int32_t u = unit, steps = 0; u >= 0 && nearest < 0 && steps <= plan.org.size();
       u = plan.org.at(u).parent, ++steps) {
    for (size_t p = 0; p < doc.plans.size(); ++p) {
      if (plan.thread.plan_unit[p] == u) {
        nearest = static_cast<int32_t>(p);
        break;
      }
    }
  }
  if (unit < 0) {  // no org tree: match the plan by its unit's id
    for (size_t p = 0; p < doc.plans.size() && nearest < 0; ++p)
      if (doc.plans[p].org_unit == org_unit) nearest = static_cast<int32_t>(p);
  }
  for (int32_t p = nearest, steps = 0; p >= 0 && steps <= static_cast<int32_t>(doc.plans.size());
       p = plan.thread.parent_plan[p], ++steps)
    up.plans.push_back(p);
  std::vector<bool> served(doc.objectives.size(), false);
  auto serve = [&](int32_t p) {
    for (const std::string& o : doc.plans[p].objectives) {
      const int32_t i = doc.FindObjective(o);
      if (i >= 0) served[i] = true;
    }
  };
  for (int32_t t : up.targets)
    for (int32_t o : plan.thread.objectives_of_target[t]) served[o] = true;
  if (up.targets.empty() && nearest >= 0) serve(nearest);
  for (size_t i = 0; i < served.size(); ++i)
    if (served[i]) up.objectives.push_back(static_cast<int32_t>(i));
  return up;
}

std::vector<std::string> PlanIndicators(const PlanDocument& doc, int32_t plan, const Thread& thread) {
  std::vector<std::string> out;
  auto add = [&](const std::string& id) {
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  };
  const Plan& p = doc.plans[plan];
  for (const std::string& id : p.prime) add(id);
  for (const std::string& id : p.indicators) add(id);
  for (int32_t t : thread.targets_of_plan[plan])
    if (!doc.targets[t].indicator.empty()) add(doc.targets[t].indicator);
  return out;
}

}  // namespace goldthread::planning
