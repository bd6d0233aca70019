#pragma once
// Casework (issue 12; seed 004 "Monitoring casework": "a systematic
// approach to auditing files will also provide collective hard data for
// management ... comparisons across locations, teams and trends over
// time"): case-file audit compliance with each checklist item by team and by
// financial quarter (case-audit-met's rule: items met of items audited, `na`
// left out), the items that fail most, and the teams whose files disagree
// with their figures: good indicators, poor files.
//
// A team "diverges" when, in the year, (a) its case-audit-met lies below
// the 95% limit of the funnel of every team's (shared/STATISTICS.md section
// 3) and (b) at least half of its how_well percentage indicators (at least
// options.min_indicators of them) are better than the council's. Where an
// audit item checks what an indicator counts (review_in_date and
// reviews-12m, ...), the pair is shown side by side.
//
// Thread-safety: RunCasework reads its inputs only.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/period.h"
#include "core/status.h"
#include "indicators/definition.h"
#include "model/snapshot.h"
#include "stats/intervals.h"

namespace goldthread::planning {

struct CaseworkOptions {
  int year = 0;               // financial year by its first calendar year
  int quarters = 12;          // quarters of history, ending with the year's last
  int64_t min_items = 30;     // audited items a team needs in the year to be judged
  int min_indicators = 3;     // how_well indicators it needs compared with the council
};

struct AuditRate {
  int64_t met = 0, audited = 0, na = 0;  // audited = met + not_met
  std::optional<double> rate;
  std::optional<stats::Interval> ci;  // Wilson
};

struct CaseworkItem {
  std::string item;
  AuditRate council;                 // in the year
  std::vector<AuditRate> by_team;    // parallel to CaseworkAudit::teams, in the year
  std::vector<AuditRate> by_quarter; // the council, parallel to CaseworkAudit::quarters
};

/// A team's indicator beside the council's, in the year.
struct IndicatorStanding {
  std::string indicator;
  double team = 0, council = 0;  // percent
  bool better = false;
  std::string item;              // the audit item that checks the same thing ("" none)
  std::optional<double> item_team, item_council;  // that item's met rate
};

struct CaseworkTeam {
  int32_t org_unit = -1;
  AuditRate year;
  std::vector<AuditRate> by_quarter;  // parallel to CaseworkAudit::quarters
  std::optional<double> funnel_lower95;  // the 95% limit at its number of items
  bool poor_files = false;
  std::vector<IndicatorStanding> indicators;
  int better = 0;
  bool diverges = false;
  std::string why;  // for a diverging team, in words
};

struct CaseworkAudit {
  Period year;
  std::vector<Period> quarters;
  AuditRate council;
  std::vector<AuditRate> council_by_quarter;
  std::vector<CaseworkTeam> teams;   // org units of kind team, in snapshot order
  std::vector<CaseworkItem> items;   // most failed first (lowest met rate in the year)
  std::vector<int> diverging;        // indices into teams
  std::vector<std::string> notes;
};

/// `defs` are the indicator definitions (built-in and the council's), for
/// case-audit-met and the how_well indicators. InvalidArgument when the
/// store has no case audits in the year.
Result<CaseworkAudit> RunCasework(const Snapshot& snap, const std::vector<indicators::Definition>& defs,
                                  const CaseworkOptions& options);

/// The audit items that check what an indicator counts.
struct ItemIndicator {
  const char* item;
  const char* indicator;
};
std::span<const ItemIndicator> ItemIndicatorPairs();

}  // namespace goldthread::planning
