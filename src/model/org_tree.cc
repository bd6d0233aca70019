#include "model/org_tree.h"

namespace goldthread {

std::vector<std::vector<int32_t>> FindParentCycles(std::span<const int32_t> parents) {
  // Each unit is visited once: walk up from every unvisited unit, marking the
  // units of this walk; reaching a unit of the same walk closes a cycle,
  // reaching one of an earlier walk (or a root) does not.
  const int32_t n = static_cast<int32_t>(parents.size());
  std::vector<int32_t> walk_of(parents.size(), -1);
  std::vector<std::vector<int32_t>> cycles;
  for (int32_t start = 0; start < n; ++start) {
    if (walk_of[start] >= 0) continue;
    int32_t u = start;
    while (u >= 0 && u < n && walk_of[u] < 0) {
      walk_of[u] = start;
      u = parents[u];
    }
    if (u < 0 || u >= n || walk_of[u] != start) continue;
    // u is on a new cycle: list it from its lowest unit.
    std::vector<int32_t> cycle{u};
    for (int32_t v = parents[u]; v != u; v = parents[v]) cycle.push_back(v);
    size_t lowest = 0;
    for (size_t i = 1; i < cycle.size(); ++i)
      if (cycle[i] < cycle[lowest]) lowest = i;
    std::vector<int32_t> ordered(cycle.begin() + static_cast<std::ptrdiff_t>(lowest), cycle.end());
    ordered.insert(ordered.end(), cycle.begin(), cycle.begin() + static_cast<std::ptrdiff_t>(lowest));
    cycles.push_back(std::move(ordered));
  }
  return cycles;
}

std::string CycleText(std::span<const int32_t> cycle, const std::function<std::string(int32_t)>& id_of) {
  std::string out;
  for (int32_t u : cycle) out += id_of(u) + " -> ";
  return cycle.empty() ? out : out + id_of(cycle.front());
}

Result<OrgTree> OrgTree::Build(std::span<const int32_t> parents, const std::function<std::string(int32_t)>& id_of) {
  const int32_t n = static_cast<int32_t>(parents.size());
  if (n > kMaxOrgUnits)
    return Status::InvalidArgument("there are " + std::to_string(n) + " org units (expected at most " +
                                   std::to_string(kMaxOrgUnits) + ")");
  for (int32_t u = 0; u < n; ++u)
    if (parents[u] < -1 || parents[u] >= n)
      return Status::InvalidArgument("org unit '" + id_of(u) + "' has a parent that is not an org unit");
  std::vector<std::vector<int32_t>> cycles = FindParentCycles(parents);
  if (!cycles.empty())
    return Status::InvalidArgument("the org units form a cycle: " + CycleText(cycles.front(), id_of) +
                                   " (expected a tree: no unit may be its own ancestor)");
  // Depths in O(n): walk up to a unit whose depth is known, then back down.
  std::vector<int32_t> depth(parents.size(), -1), path;
  for (int32_t u = 0; u < n; ++u) {
    int32_t v = u;
    while (v >= 0 && depth[v] < 0) {
      path.push_back(v);
      v = parents[v];
    }
    int32_t d = v < 0 ? -1 : depth[v];
    for (auto it = path.rbegin(); it != path.rend(); ++it) depth[*it] = ++d;
    path.clear();
    if (depth[u] > kMaxOrgDepth)
      return Status::InvalidArgument("org unit '" + id_of(u) + "' is " + std::to_string(depth[u]) +
                                     " levels below its root (expected at most " + std::to_string(kMaxOrgDepth) + ")");
  }
  OrgTree t;
  t.parent_.assign(parents.begin(), parents.end());
  t.has_children_.assign(parents.size(), 0);
  t.chain_start_.reserve(parents.size() + 1);
  t.chain_start_.push_back(0);
  for (int32_t u = 0; u < n; ++u) {
    // Acyclic and shallow, so each walk ends at a root within kMaxOrgDepth steps.
    for (int32_t v = u; v >= 0; v = parents[v]) t.chains_.push_back(v);
    t.chain_start_.push_back(static_cast<int64_t>(t.chains_.size()));
    if (parents[u] >= 0) t.has_children_[parents[u]] = 1;
    else if (t.first_root_ < 0) t.first_root_ = u;
  }
  return t;
}

}  // namespace goldthread
