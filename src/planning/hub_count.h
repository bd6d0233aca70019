#pragma once
// The Hub audit's reading of the snapshot: for one financial year, every
// person with a Hub service active in it, the interventions and providers
// that reached them, the carer groups they belong to, their area, whether a
// carer assessment was ever recorded, and their satisfaction and outcome
// where measured. Internal to the Hub audit (hub_audit.cc); tested through
// it.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/period.h"
#include "model/snapshot.h"

namespace goldthread::planning::internal {

/// A provider of a carer's service: its id in the snapshot's string pool,
/// or kDirectPayment (a direct payment names none).
inline constexpr int32_t kDirectPayment = -1;

struct CarerFacts {
  int32_t person = -1;
  uint32_t interventions = 0;  // bit i: reached by HubInterventions()[i]
  uint32_t groups = 0;         // bit g: belongs to HubGroups()[g]; bit 0 (all) always
  int area = -1;               // index into the area list; -1 unknown
  bool assessed = false;       // a carer or joint assessment completed by the year's end
  int8_t satisfied = -1;       // latest q_satisfaction in the year: 1 extremely/very satisfied, 0 not, -1 none
  int8_t improved = -1;        // latest follow-up in the year: 1 better than its baseline, 0 not, -1 none
  bool unknown_condition = false;
  bool unknown_age = false;
  int32_t team = -1;           // org unit (row) that recorded the carer's first Hub service in the year
  std::vector<std::pair<int, int32_t>> providers;  // (intervention, provider), distinct
};

/// The areas the audit reports: every area code of the carers with a Hub
/// service and of carer_populations.csv (but "all"), sorted; `by_pool`
/// maps a string-pool index of an area to its position (-1 none).
struct AreaList {
  std::vector<std::string> names;
  std::map<int32_t, int> by_pool;
  int Find(int32_t pool_index) const {
    auto it = by_pool.find(pool_index);
    return it == by_pool.end() ? -1 : it->second;
  }
  int Find(std::string_view name) const;
};
AreaList CollectAreas(const Snapshot& snap);

/// A person's latest q_satisfaction answer of the carers' survey (sace) in
/// the period: 1 extremely or very satisfied, 0 otherwise, -1 none.
int8_t SatisfiedIn(const Snapshot& snap, int32_t person, const Period& period);
/// A person's latest follow-up outcome measure in the period against the
/// latest earlier baseline of the same instrument (outcome-improved's
/// rule): 1 better, 0 not, -1 none.
int8_t ImprovedIn(const Snapshot& snap, int32_t person, const Period& period);

/// Everyone reached in `year`, in person order.
std::vector<CarerFacts> CollectCarers(const Snapshot& snap, const Period& year, const AreaList& areas);

}  // namespace goldthread::planning::internal
