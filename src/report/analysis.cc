#include "report/analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>

#include "indicators/availability.h"
#include "indicators/result_json.h"
#include "integrity/check_util.h"
#include "integrity/checks.h"
#include "integrity/config.h"
#include "integrity/indicator_series.h"
#include "model/data_end.h"
#include "planning/hub_plan.h"
#include "store/snapshot_loader.h"
#include "store/supplied_tables.h"

namespace goldthread::report {
namespace {

namespace ind = goldthread::indicators;
using json = nlohmann::json;

// The code text of a kCode field value.
std::string CodeText(const TableData& t, int field, int64_t row) {
  const int32_t v = t.Int(field, row);
  const auto& codes = t.spec->fields[field].codes;
  return v >= 0 && static_cast<size_t>(v) < codes.size() ? std::string(codes[v]) : std::string();
}

// Quarters of the financial year start in April, July, October and January.
Date QuarterStartOnOrAfter(Date month) {
  while ((CivilFromDate(month).month - 1) % 3 != 0) month = AddMonths(month, 1);
  return month;
}

Result<Grain> ComputeGrain(const Snapshot& snap, const std::vector<ind::Definition>& defs, PeriodKind by,
                           Date from, Date to, Date data_end, const std::vector<VersionBreak>& breaks,
                           const AnalysisOptions& options) {
  ind::ComputeOptions co;
  co.by = by;
  co.from_month = from;
  co.to_month = to;
  co.keep_cases = options.keep_cases;
  co.threads = options.threads;
  auto result = ind::Compute(snap, defs, co);
  if (!result.ok()) return result.status();
  ind::SeriesStatsOptions so;
  so.data_end = data_end;
  for (const VersionBreak& b : breaks) so.rebase_from[b.indicator] = b.from_month;
  auto stats = ind::ComputeSeriesStats(*result, snap, so);
  if (!stats.ok()) return stats.status();
  Grain g;
  g.by = by;
  g.result = std::move(result).value();
  g.stats = std::move(stats).value();
  return g;
}

// Every check, as integrity::RunChecksWithIndicators runs them, but with the
// quarterly series of the two series checks tabulated from the analysis's
// quarterly grain (integrity::IndicatorSeriesMonths): a quarter's figures do
// not depend on the range computed, so the engine need not run a third time
// over the quarters the analysis has. Quarters the checks read before the
// analysis's first (history older than its months: the demo's budgets and
// care links start years before its 36 months) are computed alone and put
// in front; anything else falls back to the checks' own computation.
Result<std::vector<integrity::Finding>> RunChecksOn(const Snapshot& s, const integrity::CheckConfig& config,
                                                    const std::vector<ind::Definition>& defs, const Grain& quarterly,
                                                    const AnalysisOptions& options) {
  const integrity::CheckScope scope;
  if (!config.implausible_jump.enabled && !config.process_outcome_divergence.enabled)
    return integrity::RunChecks(s, config, scope, integrity::IndicatorInputs{&defs, nullptr});
  integrity::IndicatorSeriesSet series;
  series.data_start = integrity::DataStart(s);
  if (const auto months = integrity::IndicatorSeriesMonths(s, scope)) {
    const std::vector<Period> want = PeriodsBetween(months->first, months->second, PeriodKind::kQuarter);
    const std::vector<Period>& have = quarterly.result.periods;
    auto same = [](const Period& x, const Period& y) { return x.start == y.start && x.end == y.end; };
    // The first quarter the checks want that the analysis has, and how many
    // the checks want before it.
    size_t lead = 0;
    while (lead < want.size() && (have.empty() || want[lead].start < have.front().start)) ++lead;
    if (lead == want.size() || !same(want[lead], have.front()) || have.size() < want.size() - lead ||
        !std::equal(want.begin() + static_cast<std::ptrdiff_t>(lead), want.end(), have.begin(), same))
      return integrity::RunChecksWithIndicators(s, config, scope, defs);
    ind::ComputeResult before;
    if (lead > 0) {
      ind::ComputeOptions co;
      co.by = PeriodKind::kQuarter;
      co.from_month = want.front().start;
      co.to_month = FirstOfMonth(want[lead - 1].end);
      co.threads = options.threads;
      auto computed = ind::Compute(s, defs, co);
      if (!computed.ok()) return computed.status();
      before = std::move(computed).value();
      if (before.periods.size() != lead || !std::equal(before.periods.begin(), before.periods.end(), want.begin(), same))
        return integrity::RunChecksWithIndicators(s, config, scope, defs);
    }
    ind::ComputeResult sub;  // the checks' quarters, group "all" (all SeriesFromResult reads)
    sub.periods = want;
    const int32_t hi = static_cast<int32_t>(want.size() - lead);
    for (size_t k = 0; k < quarterly.result.indicators.size(); ++k) {
      const ind::IndicatorResult& ir = quarterly.result.indicators[k];
      ind::IndicatorResult& out = sub.indicators.emplace_back();
      out.def = ir.def;
      out.groups = {"all"};
      auto add = [&out](const ind::Figure& f, int32_t period) {
        ind::Figure& g = out.figures.emplace_back();
        g.period = period;
        g.org_unit = f.org_unit;
        g.numerator = f.numerator;
        g.denominator = f.denominator;
        g.value = f.value;
      };
      if (lead > 0)
        for (const ind::Figure& f : before.indicators[k].figures)
          if (f.group == 0) add(f, f.period);
      for (const ind::Figure& f : ir.figures)
        if (f.group == 0 && f.period < hi) add(f, f.period + static_cast<int32_t>(lead));
    }
    series = integrity::SeriesFromResult(s, sub, series.data_start, integrity::DataEnd(s));
  }
  return integrity::RunChecks(s, config, scope, integrity::IndicatorInputs{&defs, &series});
}

// The previous run's versions, the month it ended and the breaks it carried.
struct PreviousRun {
  std::map<std::string, int64_t> versions;
  Date to_month = kNullDate;
  std::vector<VersionBreak> breaks;
};

PreviousRun ReadPrevious(Store& store) {
  PreviousRun prev;
  auto analysis = store.LatestRun("analysis");
  std::optional<RunRecord> run;
  if (analysis.ok() && analysis->has_value()) run = **analysis;
  if (!run) {
    auto compute = store.LatestRun("compute");
    if (compute.ok() && compute->has_value()) run = **compute;
  }
  if (!run) return prev;
  prev.versions = ind::ParseDefinitionsJson(run->definitions_json);
  const json params = json::parse(run->params_json, nullptr, false);
  if (params.is_object() && params.contains("to") && params["to"].is_string()) {
    Date m;
    if (TryParseMonth(params["to"].get<std::string>(), m)) prev.to_month = m;
  }
  if (run->kind == "analysis") {
    const json result = json::parse(run->result_json, nullptr, false);
    if (result.is_object() && result.contains("breaks") && result["breaks"].is_array()) {
      for (const json& b : result["breaks"]) {
        VersionBreak vb;
        Date m;
        if (!b.is_object() || !b.value("from", json()).is_string() ||
            !TryParseMonth(b["from"].get<std::string>(), m))
          continue;
        vb.indicator = b.value("id", "");
        vb.version = b.value("version", int64_t{0});
        vb.previous_version = b.value("previous_version", int64_t{0});
        vb.from_month = m;
        prev.breaks.push_back(vb);
      }
    }
  }
  return prev;
}

// A new version since the previous run starts at the month after the
// previous run's last; an unchanged version keeps the break it had.
std::vector<VersionBreak> FindBreaks(const std::vector<ind::Definition>& defs, const PreviousRun& prev) {
  std::vector<VersionBreak> out;
  for (const ind::Definition& d : defs) {
    auto it = prev.versions.find(d.id);
    if (it != prev.versions.end() && it->second != d.version && prev.to_month != kNullDate) {
      out.push_back({d.id, d.version, it->second, AddMonths(prev.to_month, 1)});
      continue;
    }
    for (const VersionBreak& b : prev.breaks)
      if (b.indicator == d.id && b.version == d.version) out.push_back(b);
  }
  return out;
}

}  // namespace

int Analysis::IndicatorIndex(std::string_view id) const {
  for (size_t i = 0; i < definitions.size(); ++i)
    if (definitions[i].id == id) return static_cast<int>(i);
  return -1;
}

std::string Analysis::OrgUnitName(int32_t row) const {
  if (row < 0) return "";
  const TableData& t = snapshot->table(TableId::kOrgUnits);
  return std::string(snapshot->Text(t.Int(t.Field("name"), row)));
}

std::string Analysis::OrgUnitKind(int32_t row) const {
  if (row < 0) return "";
  const TableData& t = snapshot->table(TableId::kOrgUnits);
  return CodeText(t, t.Field("kind"), row);
}

int32_t Analysis::Council() const {
  const int32_t n = static_cast<int32_t>(snapshot->table(TableId::kOrgUnits).rows);
  for (int32_t o = 0; o < n; ++o)
    if (snapshot->OrgParent(o) < 0) return o;
  return -1;
}

std::vector<int32_t> Analysis::UnitsOfKind(std::string_view kind) const {
  std::vector<int32_t> out;
  const int32_t n = static_cast<int32_t>(snapshot->table(TableId::kOrgUnits).rows);
  for (int32_t o = 0; o < n; ++o)
    if (OrgUnitKind(o) == kind) out.push_back(o);
  return out;
}

bool Analysis::Within(int32_t unit, int32_t ancestor) const {
  // Bounded by the number of units, so a cycle cannot hang a request.
  const int32_t n = static_cast<int32_t>(snapshot->table(TableId::kOrgUnits).rows);
  for (int32_t u = unit, steps = 0; u >= 0 && steps <= n; u = snapshot->OrgParent(u), ++steps)
    if (u == ancestor) return true;
  return false;
}

const VersionBreak* Analysis::BreakOf(std::string_view id) const {
  for (const VersionBreak& b : breaks)
    if (b.indicator == id) return &b;
  return nullptr;
}

std::string FiguresDigest(const Grain& grain) {
  // FNV-1a, 64 bit (Fowler, Noll, Vo; http://www.isthe.com/chongo/tech/comp/fnv/).
  uint64_t h = 14695981039346656037ull;
  auto mix = [&h](const std::string& s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  };
  for (const ind::IndicatorResult& ir : grain.result.indicators) {
    mix(ir.def->id);
    for (const ind::Figure& f : ir.figures)
      mix(fmt::format("{}|{}|{}|{:.6f}|{:.6f};", f.period, f.org_unit, f.group, f.numerator,
                      f.denominator.value_or(-1.0)));
  }
  return fmt::format("{:016x}", h);
}

Result<std::shared_ptr<const Analysis>> LoadAnalysis(Store& store, const AnalysisOptions& options) {
  if (options.months < 1 || options.months > 240)
    return Status::InvalidArgument(fmt::format("months {} is outside 1-240", options.months));
  auto a = std::make_shared<Analysis>();
  auto since = std::chrono::steady_clock::now();
  auto step = [&](std::string_view name) {
    const auto now = std::chrono::steady_clock::now();
    if (options.on_step) options.on_step(name, std::chrono::duration<double, std::milli>(now - since).count());
    since = now;
  };
  auto defs = ind::LoadBuiltInAndLocal(options.indicators_dir);
  if (!defs.ok()) return defs.status();
  a->definitions = std::move(defs).value();
  integrity::CheckConfig config;
  if (!options.checks_config.empty()) {
    auto loaded = integrity::LoadCheckConfig(options.checks_config);
    if (!loaded.ok()) return loaded.status();
    config = *loaded;
  }
  auto snap = LoadSnapshot(store);
  if (!snap.ok()) return snap.status();
  a->snapshot = std::move(snap).value();
  step("snapshot");
  auto supplied = SuppliedTables(store);
  if (!supplied.ok()) return supplied.status();
  // (A derived indicator goes with a component that cannot be computed:
  // computing it without it would fail.)
  const std::map<std::string, std::string> unavailable = ind::UnavailableDefinitions(a->definitions, *supplied);
  std::erase_if(a->definitions, [&](const ind::Definition& d) {
    auto why = unavailable.find(d.id);
    if (why == unavailable.end()) return false;
    a->unavailable.push_back({d.id, d.title, why->second});
    return true;
  });
  const Snapshot& s = *a->snapshot;
  const Date data_end = LastTimelineDay(s);
  if (data_end == kNullDate) return Status::InvalidArgument("the store has no dated case records to report on");
  const Date to = FirstOfMonth(data_end);
  const Date from = AddMonths(to, -(options.months - 1));

  // The version breaks first: each grain's SPC limits are recalculated from
  // a break on.
  const PreviousRun prev = ReadPrevious(store);
  a->breaks = FindBreaks(a->definitions, prev);

  auto monthly = ComputeGrain(s, a->definitions, PeriodKind::kMonth, from, to, data_end, a->breaks, options);
  if (!monthly.ok()) return monthly.status();
  a->monthly = std::move(monthly).value();
  step("monthly");
  // Whole financial quarters within the same months.
  const Date qfrom = QuarterStartOnOrAfter(from);
  if (!PeriodsBetween(qfrom, to, PeriodKind::kQuarter).empty()) {
    auto quarterly = ComputeGrain(s, a->definitions, PeriodKind::kQuarter, qfrom, to, data_end, a->breaks, options);
    if (!quarterly.ok()) return quarterly.status();
    a->quarterly = std::move(quarterly).value();
  } else {
    a->quarterly.by = PeriodKind::kQuarter;
  }
  a->quarterly.by = PeriodKind::kQuarter;
  step("quarterly");

  auto findings = RunChecksOn(s, config, a->definitions, a->quarterly, options);
  if (!findings.ok()) return findings.status();
  a->findings = std::move(findings).value();
  step("checks");

  CarersAuditOptions audit_options;
  audit_options.hub_rules = options.hub_rules;
  audit_options.plan_targets = options.plan_targets;
  if (audit_options.plan_targets.empty()) {
    // The Hub scale's "firm plans in place": the store's latest plan, as
    // `goldthread hub` reads it (planning/hub_plan.h).
    auto plan_targets = planning::LatestPlanHubTargets(store, s);
    if (!plan_targets.ok()) return plan_targets.status();
    audit_options.plan_targets = std::move(plan_targets).value();
  }
  for (const Analysis::Unavailable& u : a->unavailable) audit_options.unavailable_ids.push_back(u.id);
  auto audits = RunCarersAudits(s, a->definitions, audit_options);
  if (!audits.ok()) return audits.status();
  a->audits = std::move(audits).value();

  // Published figures are optional: a store without them (or not SQLite)
  // simply has no peers to show. One that cannot be read (busy past the
  // timeout, a failed statement) is an error, not "no published figures".
  // Reading never waits for an import (WAL); the wait is for a store that
  // a rollback-journal writer holds, as before: 5 s.
  StoreOptions published_wait;
  published_wait.wait = std::chrono::seconds(5);
  if (auto published = PublishedStore::Open(store.location(), published_wait); published.ok()) {
    auto values = (*published)->Values();
    if (!values.ok()) return values.status();
    a->published = std::move(values).value();
  } else if (published.status().code() != StatusCode::kUnsupported &&
             published.status().code() != StatusCode::kNotFound) {
    return published.status();
  }
  step("published");

  Provenance& p = a->provenance;
  p.store = store.location();
  p.computed_at = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  p.run_by = options.run_by;
  p.data_end = data_end;
  p.records = s.TotalRows();
  p.figures_digest = FiguresDigest(a->monthly);
  for (const ind::Definition& d : a->definitions) p.definitions.push_back({d.id, d.version, d.file});
  auto batches = store.Batches();
  if (!batches.ok()) return batches.status();
  for (const BatchInfo& b : *batches)
    for (int64_t id : s.batch_ids())
      if (id == b.id) {
        BatchInfo copy = b;
        copy.files.clear();  // the digests are in the store; the provenance names the batch
        p.batches.push_back(std::move(copy));
        break;
      }

  if (options.record_run) {
    RunRecord run;
    run.kind = "analysis";
    run.started_at = p.computed_at;
    run.run_by = options.run_by;
    run.params_json = json{{"from", FormatMonth(from)},
                           {"to", FormatMonth(to)},
                           {"months", options.months},
                           {"indicators", options.indicators_dir},
                           {"checks", options.checks_config},
                           {"hub_rules", options.hub_rules}}
                          .dump();
    run.definitions_json = ind::DefinitionsJson(a->definitions);
    run.batch_ids = s.batch_ids();
    json breaks = json::array();
    for (const VersionBreak& b : a->breaks)
      breaks.push_back({{"id", b.indicator},
                        {"version", b.version},
                        {"previous_version", b.previous_version},
                        {"from", FormatMonth(b.from_month)}});
    // Only what a run must keep (issue 9): the figures can be recomputed
    // from the same batches and definitions, and the digest says whether
    // they came out the same.
    run.result_json = json{{"figures_digest", p.figures_digest},
                           {"findings", a->findings.size()},
                           {"breaks", breaks}}
                          .dump();
    auto saved = store.SaveRun(run);
    if (!saved.ok()) return saved.status();
    p.run_id = *saved;
  }
  step("run");
  return std::shared_ptr<const Analysis>(std::move(a));
}

}  // namespace goldthread::report
