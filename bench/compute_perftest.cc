// The indicator engine on a simulated council (issue 3): the full built-in
// library by month over 36 months, for every org unit and every cut.
//
//   goldthread simulate --people 1000000 --months 36 --seed 1 --out /tmp/council
//   compute_perftest /tmp/council [--threads 2] [--indicators DIR] [--cases 1]
//                    [--repeat N] [--expect DIGEST] [--breakdown 1]
//                    [--per-indicator 1]
//
// Reads the canonical CSV straight into a SnapshotBuilder (the simulator
// writes no quoted fields, so a plain split suffices here; the importer is
// measured by its own benchmark), then reports: snapshot build time, bytes
// per record (per table and column with --breakdown 1), compute time,
// records/s, and the process's peak memory.
//
// Results must not change when the snapshot or the engine is made faster:
// the run prints a digest of every figure (FNV-1a 64 over the exact bits of
// every field, persons too with --cases 1), and --expect DIGEST fails the run
// (exit 3) when it differs from a digest taken before the change.

#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "indicators/definition.h"
#include "indicators/engine.h"
#include "model/snapshot.h"

namespace gt = goldthread;
namespace ind = goldthread::indicators;

namespace {

// FNV-1a, 64-bit (Fowler, Noll, Vo; offset basis 14695981039346656037,
// prime 1099511628211: http://www.isthe.com/chongo/tech/comp/fnv/).
struct Fnv1a64 {
  uint64_t h = 14695981039346656037ull;
  void Bytes(const void* p, size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
  }
  template <typename T>
  void Pod(const T& v) {
    Bytes(&v, sizeof v);
  }
  void Str(const std::string& s) {
    Pod(s.size());
    Bytes(s.data(), s.size());
  }
  void Opt(const std::optional<double>& v) {
    Pod(v.has_value());
    if (v) Pod(*v);
  }
};

uint64_t DigestOf(const ind::ComputeResult& r) {
  Fnv1a64 d;
  d.Pod(r.periods.size());
  for (const gt::Period& p : r.periods) d.Pod(p.start), d.Pod(p.end);
  d.Pod(r.cases_evaluated);
  for (const ind::IndicatorResult& ir : r.indicators) {
    d.Str(ir.def->id);
    d.Pod(ir.groups.size());
    for (const std::string& g : ir.groups) d.Str(g);
    d.Pod(ir.figures.size());
    for (const ind::Figure& f : ir.figures) {
      d.Pod(f.period), d.Pod(f.org_unit), d.Pod(f.group), d.Pod(f.numerator);
      d.Opt(f.denominator), d.Opt(f.value), d.Opt(f.ci_low), d.Opt(f.ci_high);
      d.Pod(f.claimed);
      d.Pod(f.failing.size());
      for (int64_t x : f.failing) d.Pod(x);
      d.Pod(f.numerator_persons.size());
      for (int32_t x : f.numerator_persons) d.Pod(x);
      d.Pod(f.denominator_persons.size());
      for (int32_t x : f.denominator_persons) d.Pod(x);
    }
  }
  return d.h;
}

double Seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// CPU seconds used by every thread of the process so far: less sensitive
// than wall time to other work on a shared machine.
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

bool LoadCsv(gt::SnapshotBuilder& b, const gt::TableSpec& spec, const std::string& path, int64_t& rows) {
  std::ifstream in(path);
  if (!in) return true;  // an absent file is an empty table
  std::string line;
  std::getline(in, line);  // header
  std::vector<std::string_view> values;
  while (std::getline(in, line)) {
    values.clear();
    size_t start = 0;
    for (size_t i = 0; i <= line.size(); ++i)
      if (i == line.size() || line[i] == ',') {
        values.emplace_back(line.data() + start, i - start);
        start = i + 1;
      }
    gt::Status s = b.AddRow(spec.id, values, 1);
    if (!s.ok()) {
      std::cerr << path << ": " << s.ToString() << "\n";
      return false;
    }
    ++rows;
  }
  return true;
}

// Where the snapshot's bytes go: per table and per column, the pool and the
// indexes, in MB and bytes per record of the whole snapshot.
void PrintBreakdown(const gt::Snapshot& s) {
  const double total_rows = static_cast<double>(s.TotalRows());
  auto line = [&](const std::string& what, size_t bytes, int64_t rows) {
    std::printf("  %-44s %9.1f MB %6.2f B/rec", what.c_str(), bytes / 1e6, bytes / total_rows);
    if (rows > 0) std::printf(" %6.2f B/row", static_cast<double>(bytes) / static_cast<double>(rows));
    std::printf("\n");
  };
  std::printf("snapshot bytes by table and column (B/rec: per record of the whole snapshot)\n");
  for (const gt::TableSpec& spec : gt::AllTables()) {
    const gt::TableData& t = s.table(spec.id);
    size_t table_bytes = t.MemoryBytes();
    if (t.rows == 0) continue;
    line(std::string(spec.name) + " (" + std::to_string(t.rows) + " rows)", table_bytes, t.rows);
    for (size_t f = 0; f < spec.fields.size(); ++f) {
      const gt::Column& c = t.columns[f];
      std::string how = c.type == gt::FieldType::kId ? "id"
                        : (c.type == gt::FieldType::kAmount || c.type == gt::FieldType::kScore)
                            ? (c.f64.scale() > 0 ? "x" + std::to_string(static_cast<int>(c.f64.scale())) : "double")
                            : c.i32.encoding();
      line("  " + std::string(spec.fields[f].name) + " (" + how + ")", c.MemoryBytes(), t.rows);
    }
    line("  (batch " + t.batch.encoding() + ")", t.batch.MemoryBytes(), t.rows);
    line("  (person index " + t.person_start.encoding() + ")", t.person_start.MemoryBytes(), t.rows);
  }
  line("string pool (" + std::to_string(s.strings().size()) + " strings)", s.strings().MemoryBytes(), 0);
  line("whole snapshot", s.MemoryBytes(), s.TotalRows());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: compute_perftest DIR [--threads N] [--indicators DIR] [--cases 1] [--repeat N]"
                 " [--expect DIGEST] [--breakdown 1] [--per-indicator 1]\n";
    return 2;
  }
  std::string dir = argv[1], defs_dir = ind::BuiltInDir(), expect;
  int threads = 2, repeat = 1;
  bool cases = false, breakdown = false, per_indicator = false;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--threads") threads = std::stoi(argv[i + 1]);
    else if (a == "--indicators") defs_dir = argv[i + 1];
    else if (a == "--cases") cases = std::string(argv[i + 1]) == "1";
    else if (a == "--repeat") repeat = std::max(1, std::stoi(argv[i + 1]));
    else if (a == "--expect") expect = argv[i + 1];
    else if (a == "--breakdown") breakdown = std::string(argv[i + 1]) == "1";
    else if (a == "--per-indicator") per_indicator = std::string(argv[i + 1]) == "1";
    else {
      std::cerr << "unknown option " << a << "\n";
      return 2;
    }
  }
  auto defs = ind::LoadDefinitionDir(defs_dir);
  if (!defs.ok()) {
    std::cerr << defs.status().ToString() << "\n";
    return 1;
  }
  auto t0 = std::chrono::steady_clock::now();
  gt::SnapshotBuilder builder;
  int64_t rows = 0;
  for (const gt::TableSpec& spec : gt::AllTables())
    if (!LoadCsv(builder, spec, dir + "/" + spec.FileName(), rows)) return 1;
  auto snap = builder.Finish();
  if (!snap.ok()) {
    std::cerr << snap.status().ToString() << "\n";
    return 1;
  }
  auto t1 = std::chrono::steady_clock::now();
  const gt::Snapshot& s = **snap;
  // The last 36 months of the data.
  gt::Date last = gt::kNullDate;
  for (int32_t v : s.table(gt::TableId::kVisits).columns[3].i32)
    if (v != gt::kNullI32 && (last == gt::kNullDate || v > last)) last = v;
  gt::YearMonthDay ymd = gt::CivilFromDate(last);
  ind::ComputeOptions o;
  o.to_month = gt::DateFromCivil(ymd.year, ymd.month, 1);
  o.from_month = gt::AddMonths(o.to_month, -35);
  o.threads = threads;
  o.keep_cases = cases;
  // With --repeat, the fastest of N runs (for profiling and noisy machines).
  double best = 0, best_cpu = 0;
  gt::Result<ind::ComputeResult> r = gt::Status::InvalidArgument("not run");
  for (int i = 0; i < repeat; ++i) {
    double c2 = CpuSeconds();
    auto t2 = std::chrono::steady_clock::now();
    r = ind::Compute(s, *defs, o);
    auto t3 = std::chrono::steady_clock::now();
    double cpu = CpuSeconds() - c2;
    if (!r.ok()) {
      std::cerr << r.status().ToString() << "\n";
      return 1;
    }
    if (i == 0 || Seconds(t2, t3) < best) best = Seconds(t2, t3);
    if (i == 0 || cpu < best_cpu) best_cpu = cpu;
  }
  size_t figures = 0;
  for (const auto& ir : r->indicators) figures += ir.figures.size();
  std::string digest = fmt::format("{:016x}", DigestOf(*r));
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  if (breakdown) PrintBreakdown(s);
  if (per_indicator) {
    // Each definition alone (same options), slowest first.
    std::vector<std::pair<double, std::string>> times;
    for (const ind::Definition& d : *defs) {
      std::vector<ind::Definition> one;
      auto again = ind::LoadDefinitionFile(d.file);
      if (!again.ok()) continue;
      one.push_back(std::move(*again));
      double c4 = CpuSeconds();
      auto ro = ind::Compute(s, one, o);
      times.emplace_back(CpuSeconds() - c4, d.id);
    }
    std::sort(times.rbegin(), times.rend());
    for (const auto& [sec, id] : times) std::printf("  %-28s %7.3f s cpu\n", id.c_str(), sec);
  }
  std::printf("people                 %d\n", s.people());
  std::printf("records                %lld\n", static_cast<long long>(s.TotalRows()));
  std::printf("snapshot build         %.2f s (CSV parse + sort)\n", Seconds(t0, t1));
  std::printf("snapshot bytes/record  %.1f (%.1f MB)\n",
              static_cast<double>(s.MemoryBytes()) / static_cast<double>(s.TotalRows()), s.MemoryBytes() / 1e6);
  std::printf("indicators x periods   %zu x %zu, org units %lld\n", defs->size(), r->periods.size(),
              static_cast<long long>(s.table(gt::TableId::kOrgUnits).rows));
  std::printf("compute                %.2f s on %d threads, %zu figures%s\n", best, threads, figures,
              repeat > 1 ? " (fastest of the runs)" : "");
  std::printf("compute cpu            %.2f s (all threads)\n", best_cpu);
  std::printf("records/s              %.0f (records x 1 pass / compute time)\n",
              static_cast<double>(s.TotalRows()) / best);
  std::printf("peak memory            %.0f MB\n", ru.ru_maxrss / 1024.0);
  std::printf("figures digest         %s%s\n", digest.c_str(), cases ? " (with persons)" : "");
  if (!expect.empty() && expect != digest) {
    std::printf("DIGEST MISMATCH: expected %s\n", expect.c_str());
    return 3;
  }
  if (!expect.empty()) std::printf("digest matches the expected one\n");
  return 0;
}
