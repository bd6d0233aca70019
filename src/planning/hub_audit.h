#pragma once
// The Carers' Hub audit (issue 12; seed 001 sections 5-8; shared/DESIGN.md
// section 7): for every Hub intervention x carer group x area (and the whole
// council), the carers reached in a financial year, the estimated carers in
// the group, reach with its 95% Wilson interval, satisfaction and outcomes
// where measured, the providers; a Red/Amber/Green rating and an
// Early/Intermediate/Advanced rating, each with its evidence and what is
// missing; under- and over-provision, and the answers the data give to the
// step-3 questions of section 8.3.
//
// "Reached": a distinct person with a service whose hub_intervention is the
// intervention, active on some day of the year (start_on on or before its
// end, end_on empty or on or after its start). No assessment is needed:
// carers supported by the voluntary sector without one count (seed 000).
//
// Thread-safety: RunHubAudit reads the snapshot only; the result owns its
// data.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/period.h"
#include "core/status.h"
#include "model/snapshot.h"
#include "planning/hub_rules.h"
#include "stats/intervals.h"

namespace goldthread::planning {

enum class Rating { kNone, kRed, kAmber, kGreen };  // kNone: not rated (no estimate)
enum class Scale { kEarly, kIntermediate, kAdvanced };
std::string_view RatingName(Rating r);  // "red", "amber", "green"; "" for kNone
std::string_view ScaleName(Scale s);    // "early", "intermediate", "advanced"

struct HubProviderReach {
  std::string id;
  int64_t reached = 0;
  std::optional<double> reach;  // of the cell's estimated carers
};

/// A target of a loaded plan, as the scale reads it: "firm plans in place".
struct HubPlanTarget {
  std::string plan;       // plan id
  std::string indicator;  // indicator id
  int32_t org_unit = -1;  // snapshot row
  std::string org_unit_id;
  Date by = kNullDate;
};

struct HubCell {
  int intervention = -1;  // index into HubInterventions(); -1 for any intervention (the totals)
  int group = 0;          // index into HubGroups()
  int area = -1;          // index into HubAudit::areas; -1 the whole council
  int64_t reached = 0;
  int64_t without_assessment = 0;  // reached with no carer assessment recorded by the year's end
  int64_t previous_reached = -1;   // the year before; -1 when the data do not reach back to its start
  std::optional<int64_t> estimated;
  std::optional<double> reach;
  std::optional<stats::Interval> reach_ci;
  int64_t respondents = 0, satisfied = 0;  // carers' survey (sace) q_satisfaction in the year
  int64_t measured = 0, improved = 0;      // outcome measures followed up in the year
  std::vector<HubProviderReach> providers;  // most carers first
  int64_t direct_payments = 0;  // carers reached through a direct payment (no provider)
  Rating rating = Rating::kNone;
  std::string evidence;              // "Amber: reach 1.2% (1.1-1.3%) of an estimated 4,100 BME carers; ..."
  std::vector<std::string> missing;  // "satisfaction not measured", ...
  Scale scale = Scale::kEarly;
  std::string scale_evidence;
  bool has_plan = false;
};

/// One line of the under- or over-provision list.
struct HubProvision {
  int intervention = 0, group = 0, area = -1;
  std::string why;  // in words, with the figures
};

/// Seed 001 section 8.3's questions and what the data answer.
struct HubQuestion {
  std::string question;
  std::vector<std::string> answers;
};

struct HubAudit {
  Period year;
  Date data_end = kNullDate;
  bool partial = false;               // the data end before the year does
  bool previous_comparable = false;   // the data reach back to the previous year's start
  std::vector<std::string> areas;     // people.csv area codes, sorted
  std::vector<HubCell> cells;         // by intervention, then group, then area (-1 first)
  std::vector<HubCell> totals;        // any intervention: by group, then area
  std::vector<HubProvision> under, over;
  std::vector<HubQuestion> questions;
  std::vector<std::string> warnings;  // input problems the audit worked round
  std::vector<HubPlanTarget> plan_targets;  // the targets that count as plans
  int64_t carers_reached = 0;          // any intervention, whole council
  int64_t carers_without_assessment = 0;
  int64_t carers_unknown_condition = 0;  // reached, cared-for person's reason unknown or no care link
  int64_t carers_unknown_age = 0;

  int AreaCount() const { return static_cast<int>(areas.size()); }
  const HubCell& cell(int intervention, int group, int area) const {
    return cells[CellIndex(intervention, group, area)];
  }
  const HubCell& total(int group, int area) const {
    return totals[static_cast<size_t>(group) * (areas.size() + 1) + static_cast<size_t>(area + 1)];
  }
  size_t CellIndex(int intervention, int group, int area) const {
    return (static_cast<size_t>(intervention) * kHubGroupCount + static_cast<size_t>(group)) * (areas.size() + 1) +
           static_cast<size_t>(area + 1);
  }
  std::string AreaName(int area) const { return area < 0 ? "all" : areas[static_cast<size_t>(area)]; }
};

struct HubOptions {
  int year = 0;                 // financial year by its first calendar year (2025: "2025-26")
  Date data_end = kNullDate;    // the last day the records reach (model/data_end.h)
  Date data_start = kNullDate;  // the first
  HubRules rules;
  std::vector<HubPlanTarget> plan_targets;  // every target of the loaded plan
};

/// The audit of one financial year. Fails only on a snapshot without org
/// units; a missing carer_populations.csv or an unknown group in it is a
/// warning, and the cells say "no estimate".
Result<HubAudit> RunHubAudit(const Snapshot& snap, const HubOptions& options);

/// The latest financial year the data cover completely (by its first
/// calendar year), else the one data_end falls in.
int DefaultHubYear(Date data_end);

}  // namespace goldthread::planning
