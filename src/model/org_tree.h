#pragma once
// The org-unit hierarchy (council -> services -> teams), validated once so
// that nothing walks it unbounded: every parent exists and no unit is its
// own ancestor. Each unit's chain up to its root is precomputed, so callers
// never follow parent links themselves (a cycle in the data would make such
// a walk spin forever; issue 9).
//
// Import refuses a batch that would make a cycle (ingest/import.cc); the
// snapshot refuses a store that holds one anyway (written by an older
// binary), with the same message naming the cycle.
//
// Thread-safety: immutable after Build; any number of threads may read it.

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"

namespace goldthread {

/// At most this many org units in a store: a council has hundreds, a
/// national data set thousands. Figures are kept per unit, so the bound
/// also bounds compute's memory.
inline constexpr int32_t kMaxOrgUnits = 100000;
/// At most this many levels below a root (a council's tree has 2 to 5), so
/// each unit's chain up the tree is short.
inline constexpr int32_t kMaxOrgDepth = 32;

/// Units of parents (a unit's parent, or -1 at a root) that lie on a cycle,
/// each cycle once, in the order of its walk from its lowest-numbered unit:
/// {{1, 2}} for 1 -> 2 -> 1, {{3}} for a unit that is its own parent.
/// Parents out of range count as roots. O(n).
std::vector<std::vector<int32_t>> FindParentCycles(std::span<const int32_t> parents);

/// "A -> B -> A": a cycle named by its units' ids, back to where it starts.
std::string CycleText(std::span<const int32_t> cycle, const std::function<std::string(int32_t)>& id_of);

class OrgTree {
 public:
  OrgTree() = default;
  /// parents[i]: unit i's parent, -1 at a root. Fails (InvalidArgument) on
  /// more than kMaxOrgUnits units, a parent out of range, a cycle ("the org
  /// units form a cycle: A -> B -> A (expected a tree: no unit may be its own
  /// ancestor)") or a unit deeper than kMaxOrgDepth; id_of names units.
  static Result<OrgTree> Build(std::span<const int32_t> parents, const std::function<std::string(int32_t)>& id_of);

  int32_t size() const { return static_cast<int32_t>(parent_.size()); }
  /// The unit's parent, or -1 at a root.
  int32_t parent(int32_t unit) const { return parent_[unit]; }
  /// 0 at a root.
  int32_t depth(int32_t unit) const { return static_cast<int32_t>(chain_start_[unit + 1] - chain_start_[unit]) - 1; }
  /// The unit, its parent, ..., its root.
  std::span<const int32_t> chain(int32_t unit) const {
    return {chains_.data() + chain_start_[unit], chains_.data() + chain_start_[unit + 1]};
  }
  int32_t root(int32_t unit) const { return chains_[chain_start_[unit + 1] - 1]; }
  bool has_children(int32_t unit) const { return has_children_[unit] != 0; }
  /// The first root in unit order (the council), or -1 when there are no units.
  int32_t first_root() const { return first_root_; }

 private:
  std::vector<int32_t> parent_;
  std::vector<int64_t> chain_start_;  // size()+1 offsets into chains_
  std::vector<int32_t> chains_;
  std::vector<uint8_t> has_children_;
  int32_t first_root_ = -1;
};

}  // namespace goldthread
