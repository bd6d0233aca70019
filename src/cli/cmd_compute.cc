// goldthread compute: every indicator definition over a store's current
// records (shared/DESIGN.md sections 4 and 10, issue 3). Prints the latest
// period's figures for the council and its units, or writes the JSON, and
// stores the run so reports read it without recomputing.

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "core/period.h"
#include "indicators/definition.h"
#include "indicators/engine.h"
#include "indicators/result_json.h"
#include "model/snapshot.h"
#include "store/snapshot_loader.h"
#include "store/store.h"

namespace goldthread::cli {
namespace {

namespace ind = goldthread::indicators;

// The built-in definitions: $GOLDTHREAD_INDICATORS, else the project's
// indicators/ directory this binary was built from.
std::string BuiltInDir() {
  if (const char* env = std::getenv("GOLDTHREAD_INDICATORS")) return env;
  return GOLDTHREAD_INDICATORS_DIR;
}

// The last month with any dated record on a person's timeline.
Date LastMonthInData(const Snapshot& snap) {
  Date last = kNullDate;
  for (const TableSpec& spec : AllTables()) {
    if (spec.date_field < 0 || spec.person_field < 0 || spec.id == TableId::kPeople) continue;
    const TableData& t = snap.table(spec.id);
    for (int32_t v : t.columns[spec.date_field].i32)
      if (v != kNullI32 && (last == kNullDate || v > last)) last = v;
  }
  if (last == kNullDate) return kNullDate;
  YearMonthDay ymd = CivilFromDate(last);
  return DateFromCivil(ymd.year, ymd.month, 1);
}

std::string Fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string FormatValue(const ind::Definition& d, const ind::Figure& f) {
  if (!f.value) return "-";
  int dec = d.unit == ind::Unit::kCount ? 0 : 1;
  std::string s = Fixed(*f.value, dec) + (d.unit == ind::Unit::kPercent ? "%" : "");
  if (f.ci_low) s += " (" + Fixed(*f.ci_low, dec) + "-" + Fixed(*f.ci_high, dec) + ")";
  if (f.denominator && d.unit != ind::Unit::kRatePer100k)
    s += " " + Fixed(f.numerator, d.unit == ind::Unit::kMean || d.unit == ind::Unit::kDays ? 1 : 0) + "/" +
         Fixed(*f.denominator, 0);
  return s;
}

std::string Pad(std::string s, size_t n) {
  if (s.size() < n) s.resize(n, ' ');
  return s;
}

// The latest period: each indicator, the council and every unit below it.
void PrintTable(const ind::ComputeResult& r, const Snapshot& snap, std::ostream& out) {
  const int32_t last = static_cast<int32_t>(r.periods.size()) - 1;
  out << "period " << r.periods[last].Label();
  if (last > 0) out << " (trend against " << r.periods[last - 1].Label() << ")";
  out << "\n";
  for (const ind::IndicatorResult& ir : r.indicators) {
    const ind::Definition& d = *ir.def;
    out << "\n" << d.id << "  " << d.title << "  [" << ind::UnitName(d.unit) << ", "
        << (d.polarity == ind::Polarity::kUp ? "higher is better" : "lower is better") << ", v" << d.version;
    if (!d.criteria.empty()) out << ", criteria";
    out << "]\n";
    // Figures for "all", by org unit, in the latest and previous period.
    std::vector<const ind::Figure*> now(snap.table(TableId::kOrgUnits).rows), prev(now.size());
    for (const ind::Figure& f : ir.figures) {
      if (f.group != 0) continue;
      if (f.period == last) now[f.org_unit] = &f;
      if (f.period == last - 1) prev[f.org_unit] = &f;
    }
    for (size_t o = 0; o < now.size(); ++o) {
      const ind::Figure* f = now[o];
      if (!f) continue;
      std::string trend = " ";
      if (prev[o] && prev[o]->value && f->value) {
        double a = *prev[o]->value, b = *f->value;
        trend = std::fabs(b - a) < 1e-9 ? "→" : b > a ? "↑" : "↓";
      }
      int depth = 0;
      for (int32_t u = snap.OrgParent(static_cast<int32_t>(o)); u >= 0; u = snap.OrgParent(u)) ++depth;
      std::string name = std::string(depth * 2 + 2, ' ') + snap.OrgUnitId(static_cast<int32_t>(o));
      out << Pad(name, 16) << Pad(FormatValue(d, *f), 38) << trend;
      if (!d.criteria.empty()) {
        out << "  claimed " << f->claimed;
        for (size_t c = 0; c < d.criteria.size(); ++c) out << ", failing " << d.criteria[c] << " " << f->failing[c];
      }
      out << "\n";
    }
  }
}

}  // namespace

int CmdCompute(const Args& args) {
  CLI::App app{"Compute every indicator over a store's current records.", "compute"};
  std::string store_path, from, to, by = "month", json_out, extra_dir;
  bool cases = false;
  int threads = 0;
  app.add_option("STORE", store_path, "the store (SQLite file)")->required();
  app.add_option("--from", from, "first month YYYY-MM (default: 35 months before --to)");
  app.add_option("--to", to, "last month YYYY-MM (default: the last month in the data)");
  app.add_option("--by", by, "month | quarter | year (financial quarters and years)");
  app.add_option("--indicators", extra_dir, "a directory of the council's own definitions (*.toml)");
  app.add_option("--json", json_out, "write the figures as JSON to FILE ('-' for stdout)");
  app.add_flag("--cases", cases, "include the person ids behind each figure in the JSON");
  app.add_option("--threads", threads, "worker threads (default: every core)");
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;

  ind::ComputeOptions options;
  options.keep_cases = cases;
  options.threads = threads;
  if (!TryParsePeriodKind(by, options.by) || options.by == PeriodKind::kRolling12) {
    std::cerr << "goldthread compute: --by '" << by << "' is not month, quarter or year\n";
    return kExitUsage;
  }
  if (!from.empty() && !TryParseMonth(from, options.from_month)) {
    std::cerr << "goldthread compute: --from '" << from << "' is not a month (expected YYYY-MM)\n";
    return kExitUsage;
  }
  if (!to.empty() && !TryParseMonth(to, options.to_month)) {
    std::cerr << "goldthread compute: --to '" << to << "' is not a month (expected YYYY-MM)\n";
    return kExitUsage;
  }

  auto defs = ind::LoadDefinitionDir(BuiltInDir());
  if (!defs.ok()) {
    std::cerr << "goldthread compute: " << defs.status().message() << "\n";
    return kExitBadInput;
  }
  if (!extra_dir.empty()) {
    auto extra = ind::LoadDefinitionDir(extra_dir);
    Status s = extra.ok() ? ind::MergeDefinitions(*defs, std::move(extra).value()) : extra.status();
    if (!s.ok()) {
      std::cerr << "goldthread compute: " << s.message() << "\n";
      return kExitBadInput;
    }
  }

  auto store = OpenStore(store_path, OpenMode::kMustExist);
  if (!store.ok()) {
    std::cerr << "goldthread compute: " << store.status().message() << "\n";
    return kExitBadInput;
  }
  auto t0 = std::chrono::steady_clock::now();
  auto snap = LoadSnapshot(**store);
  if (!snap.ok()) {
    std::cerr << "goldthread compute: " << snap.status().message() << "\n";
    return kExitBadInput;
  }
  const Snapshot& s = **snap;
  if (options.to_month == kNullDate) options.to_month = LastMonthInData(s);
  if (options.to_month == kNullDate) {
    std::cerr << "goldthread compute: the store has no dated records; give --to\n";
    return kExitBadInput;
  }
  if (options.from_month == kNullDate) options.from_month = AddMonths(options.to_month, -35);
  auto t1 = std::chrono::steady_clock::now();
  auto result = ind::Compute(s, *defs, options);
  if (!result.ok()) {
    std::cerr << "goldthread compute: " << result.status().message() << "\n";
    return kExitBadInput;
  }
  auto t2 = std::chrono::steady_clock::now();

  ind::JsonOptions jo;
  jo.cases = cases;
  auto previous = (*store)->LatestRun("compute");
  if (previous.ok() && previous->has_value()) jo.previous_versions = ind::ParseDefinitionsJson((*previous)->definitions_json);
  std::string json = ind::ResultToJson(*result, s, jo);

  RunRecord run;
  run.kind = "compute";
  run.started_at = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  const char* user = std::getenv("USER");
  run.run_by = user ? user : "";
  run.params_json = "{\"from\":\"" + FormatMonth(options.from_month) + "\",\"to\":\"" + FormatMonth(options.to_month) +
                    "\",\"by\":\"" + std::string(PeriodKindName(options.by)) + "\",\"indicators\":\"" + extra_dir +
                    "\",\"cases\":" + (cases ? "true" : "false") + "}";
  run.definitions_json = ind::DefinitionsJson(*defs);
  run.batch_ids = s.batch_ids();
  run.result_json = json;
  auto saved = (*store)->SaveRun(run);
  if (!saved.ok()) {
    std::cerr << "goldthread compute: could not store the run: " << saved.status().message() << "\n";
    return kExitBadInput;
  }

  if (!json_out.empty()) {
    if (json_out == "-") {
      std::cout << json << "\n";
    } else {
      std::ofstream f(json_out, std::ios::binary);
      f << json << "\n";
      if (!f) {
        std::cerr << "goldthread compute: cannot write " << json_out << "\n";
        return kExitBadInput;
      }
    }
  }
  if (json_out != "-") {
    if (json_out.empty()) PrintTable(*result, s, std::cout);
    auto ms = [](auto a, auto b) { return std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count(); };
    std::cout << "\n" << defs->size() << " indicators, " << result->periods.size() << " periods ("
              << result->periods.front().Label() << " .. " << result->periods.back().Label() << "), "
              << s.TotalRows() << " records; snapshot " << ms(t0, t1) << " ms, compute " << ms(t1, t2)
              << " ms; run " << *saved << " stored\n";
  }
  return kExitOk;
}

}  // namespace goldthread::cli
