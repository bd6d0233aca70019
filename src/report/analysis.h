#pragma once
// What every report and every dashboard page reads: a store loaded once into
// the snapshot, the indicator definitions, the computed figures by month and
// by financial quarter with their SPC charts and funnels, the integrity
// findings, and where they came from (the run, the batches, the definition
// versions). The engine (indicators::Compute, ComputeSeriesStats), the
// checks (integrity::RunChecksWithIndicators) and the store do the work;
// this file only gathers their results in one place.
//
// Ownership and threads: LoadAnalysis returns a shared_ptr<const Analysis>.
// Once built it is never changed, so any number of threads may read it; the
// dashboard holds one and swaps in a new one when an import lands. Figures'
// `def` pointers point into the Analysis's own definitions.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/period.h"
#include "core/status.h"
#include "indicators/definition.h"
#include "indicators/engine.h"
#include "indicators/series_stats.h"
#include "integrity/finding.h"
#include "model/snapshot.h"
#include "report/audits.h"
#include "store/published_store.h"
#include "store/store.h"

namespace goldthread::report {

struct AnalysisOptions {
  std::string indicators_dir;  // the council's own definitions ("" none)
  std::string checks_config;   // checks.toml ("" the defaults)
  int months = 36;             // monthly history, ending with the data's last month
  bool keep_cases = false;     // keep the persons behind each figure (drill-down)
  bool record_run = true;      // store an "analysis" run (the provenance's run id)
  std::string run_by;          // who asked (OS user, dashboard user)
  int threads = 0;             // engine threads; 0 every core
  std::string hub_rules;       // the Carers' Hub rating rules (TOML); "" the defaults
  /// The plan's targets, for the Hub's scale; empty: the store's latest plan's.
  std::vector<planning::HubPlanTarget> plan_targets;
  /// Called after each step with its name and wall time in milliseconds
  /// ("snapshot", "monthly", "quarterly", "checks", "published", "run"), for
  /// benchmarks (bench/report_perftest.cc); none by default.
  std::function<void(std::string_view step, double ms)> on_step;
};

/// One grain of figures: every indicator over the same periods.
struct Grain {
  PeriodKind by = PeriodKind::kMonth;
  indicators::ComputeResult result;
  indicators::ResultStats stats;
};

/// A definition whose version changed between runs: its figures from
/// `from_period` on were first reported under `version`, those before under
/// `previous_version` (shared/DESIGN.md section 4: charts mark the break).
struct VersionBreak {
  std::string indicator;
  int64_t version = 0, previous_version = 0;
  Date from_month = kNullDate;  // first month reported under the new version
};

struct Provenance {
  std::string store;       // the store's location
  int64_t run_id = 0;      // the stored "analysis" run; 0 when not recorded
  Timestamp computed_at = kNullTimestamp;
  std::string run_by;
  std::vector<BatchInfo> batches;  // the batches the snapshot holds, oldest first
  struct Def {
    std::string id;
    int64_t version = 0;
    std::string file;
  };
  std::vector<Def> definitions;
  Date data_end = kNullDate;  // last timeline day (model/data_end.h)
  int64_t records = 0;        // current records in the snapshot
  std::string figures_digest;  // FNV-1a over every figure, hex: same data, same digest
};

struct Analysis {
  std::unique_ptr<Snapshot> snapshot;
  std::vector<indicators::Definition> definitions;
  Grain monthly, quarterly;
  std::vector<integrity::Finding> findings;  // ranked (integrity::RankFindings)
  std::vector<VersionBreak> breaks;
  std::vector<PublishedValue> published;  // published ASCOF figures, if loaded
  CarersAudits audits;  // the Carers' Hub, costs, casework and added value (issue 12)
  Provenance provenance;
  /// Indicators that read records the store was never given (a CLD-only
  /// store has no visits: indicators/availability.h). They are left out of
  /// definitions and every grain, so no report shows them as zero, and each
  /// report names them with the reason.
  struct Unavailable {
    std::string id, title, reason;
  };
  std::vector<Unavailable> unavailable;

  const Grain& grain(PeriodKind by) const { return by == PeriodKind::kQuarter ? quarterly : monthly; }
  /// Index into definitions (and every grain's result.indicators), or -1.
  int IndicatorIndex(std::string_view id) const;
  /// The org unit's row, or -1.
  int32_t OrgUnit(std::string_view id) const { return snapshot->FindOrgUnit(id); }
  /// The org unit's name and kind from org_units.csv.
  std::string OrgUnitName(int32_t row) const;
  std::string OrgUnitKind(int32_t row) const;
  /// The top unit (the council): the first unit with no parent.
  int32_t Council() const;
  /// Units of a kind ("team", "service"), in snapshot order.
  std::vector<int32_t> UnitsOfKind(std::string_view kind) const;
  /// Whether `unit` is `ancestor` or lies below it.
  bool Within(int32_t unit, int32_t ancestor) const;
  /// The version break of an indicator, or nullptr.
  const VersionBreak* BreakOf(std::string_view id) const;
};

/// Loads the snapshot, definitions (built-in plus options.indicators_dir),
/// computes both grains and runs the checks, reads any published ASCOF
/// figures, and (record_run) stores a small "analysis" run: its parameters,
/// definition versions with their version breaks, the batches and a digest
/// of the figures. Errors are the store's, the definitions' or the
/// engine's, with their messages.
Result<std::shared_ptr<const Analysis>> LoadAnalysis(Store& store, const AnalysisOptions& options);

/// The digest of every figure of a grain (FNV-1a 64 over period, unit, group,
/// numerator, denominator), as 16 hex digits.
std::string FiguresDigest(const Grain& grain);

}  // namespace goldthread::report
