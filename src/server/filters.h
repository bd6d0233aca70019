#pragma once
// The filter form above every page: period, org unit and group, a plain GET
// form that works without script (a "Show" button submits it).

#include <string>
#include <string_view>
#include <vector>

#include "core/period.h"
#include "report/analysis.h"

namespace goldthread::server {

struct FilterChoice {
  bool period = true;
  PeriodKind by = PeriodKind::kMonth;  // which grain's periods to offer
  /// Org units to offer (rows); empty: no org unit choice.
  std::vector<int32_t> units;
  std::string unit_label = "Org unit";
  bool group = false;
};

struct FilterValues {
  std::string period, org_unit, group;  // "" the page's default
};

/// The <form class="gt-filters" method="get" action="..."> with a select
/// per choice (latest period first, "latest" as the default), the current
/// values selected.
std::string FilterForm(const report::Analysis& a, std::string_view action, const FilterChoice& choice,
                       const FilterValues& current);

/// Every cut group of any indicator ("sex:F", ...), without "all", sorted.
std::vector<std::string> AllGroups(const report::Analysis& a);

}  // namespace goldthread::server
