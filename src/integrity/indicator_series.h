#pragma once
// The indicator series the series checks read (implausible_jump and
// process_outcome_divergence, shared/DESIGN.md sections 6.7 and 6.8): the
// engine runs once over the snapshot, by financial quarter, and each
// definition's figures for group "all" become two tables of periods x
// units with numerators and denominators, one over the teams (org units of
// the lowest level: the peers) and one over the council (the top unit).
//
// Why quarters: a team's monthly denominators are tens of cases (20-70
// assessments and 1-10 outcome follow-ups a month per team on the
// 20,000-person demo council), so month-on-month movements are mostly
// binomial noise and an SPC chart of them signals little; a quarter
// triples every denominator, is the period councils report and are judged
// on (DESIGN section 4: "2024-25 Q1"), and a year would leave too few
// points to chart.
//
// The periods are the whole quarters between the data's start and end: a
// quarter is left out when the data's first month or its last (incomplete)
// month falls inside it, so a flow is never counted over part of a quarter.
// The data start is the month of the first percentile of the case records'
// timeline dates, so a few stray old records do not stretch the series
// back over empty years; the end is DataEnd (check_util.h).
//
// Thread-safety: BuildIndicatorSeries reads the snapshot and definitions
// only. The result points at the definitions: keep them alive.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/period.h"
#include "core/status.h"
#include "indicators/definition.h"
#include "indicators/engine.h"
#include "integrity/check_util.h"
#include "integrity/jump.h"
#include "model/snapshot.h"

namespace goldthread::integrity {

struct IndicatorSeries {
  const indicators::Definition* def = nullptr;
  SeriesTable teams;    // one row per team; the peers of implausible_jump
  SeriesTable council;  // one row per top-level unit (normally one)
};

struct IndicatorSeriesSet {
  std::vector<Period> periods;          // the quarters, in order; every table's columns
  Date data_start = kNullDate;          // first day of the data's first month
  std::vector<IndicatorSeries> series;  // in the order of the definitions

  /// The series of an indicator id, or nullptr.
  const IndicatorSeries* Find(std::string_view id) const;
  /// The index of the first period that starts warmup_months or more after
  /// the data start (periods.size() when none does). Indicators looking back
  /// over "the 12 months to the period end" read an empty past in the first
  /// year of an extract and rise as it fills: a movement of the data, not of
  /// the practice.
  size_t FirstAfterWarmup(int warmup_months) const;
};

/// The first day of the month by which 1% of the case records' timeline
/// dates have passed (kNullDate when there are none).
Date DataStart(const Snapshot& snap);

/// The months BuildIndicatorSeries computes its quarters over (first days
/// of the first and last month: whole quarters between the data's start and
/// end, narrowed by scope.from / scope.to), or nullopt when the data span
/// no whole quarter. For a caller that has computed the quarters already
/// (the report's analysis) and tabulates them with SeriesFromResult.
std::optional<std::pair<Date, Date>> IndicatorSeriesMonths(const Snapshot& snap, const CheckScope& scope);

/// Runs the engine over every definition by quarter (threads: 0 = every
/// core) and tabulates the figures. scope.from / scope.to, when set, narrow
/// the quarters. When the data spans no whole quarter the set is empty (no
/// periods, no series); errors are the engine's.
Result<IndicatorSeriesSet> BuildIndicatorSeries(const Snapshot& snap,
                                                const std::vector<indicators::Definition>& defs,
                                                const CheckScope& scope, int threads = 0);

/// Tabulates a computed result (group "all" only). A figure of a period
/// whose follow-up runs past data_end (indicators::IsProvisional) is left
/// unknown (NaN). Exposed for tests.
IndicatorSeriesSet SeriesFromResult(const Snapshot& snap, const indicators::ComputeResult& result,
                                    Date data_start, Date data_end = kNullDate);

/// The table without its first `first` periods.
SeriesTable DropLeadingPeriods(const SeriesTable& table, size_t first);

}  // namespace goldthread::integrity
