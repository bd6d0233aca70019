// The indicator engine on a simulated council (issue 3): the full built-in
// library by month over 36 months, for every org unit and every cut.
//
//   goldthread simulate --people 1000000 --months 36 --seed 1 --out /tmp/council
//   compute_perftest /tmp/council [--threads 2] [--indicators DIR]
//
// Reads the canonical CSV straight into a SnapshotBuilder (the simulator
// writes no quoted fields, so a plain split suffices here; the importer is
// measured by its own benchmark), then reports: snapshot build time, bytes
// per record, compute time, records/s, and the process's peak memory.

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "indicators/definition.h"
#include "indicators/engine.h"
#include "model/snapshot.h"

namespace gt = goldthread;
namespace ind = goldthread::indicators;

namespace {

double Seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
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

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: compute_perftest DIR [--threads N] [--indicators DIR]\n";
    return 2;
  }
  std::string dir = argv[1], defs_dir = GOLDTHREAD_INDICATORS_DIR;
  int threads = 2;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--threads") threads = std::stoi(argv[i + 1]);
    if (a == "--indicators") defs_dir = argv[i + 1];
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
  auto t2 = std::chrono::steady_clock::now();
  auto r = ind::Compute(s, *defs, o);
  auto t3 = std::chrono::steady_clock::now();
  if (!r.ok()) {
    std::cerr << r.status().ToString() << "\n";
    return 1;
  }
  size_t figures = 0;
  for (const auto& ir : r->indicators) figures += ir.figures.size();
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("people                 %d\n", s.people());
  std::printf("records                %lld\n", static_cast<long long>(s.TotalRows()));
  std::printf("snapshot build         %.2f s (CSV parse + sort)\n", Seconds(t0, t1));
  std::printf("snapshot bytes/record  %.1f (%.1f MB)\n",
              static_cast<double>(s.MemoryBytes()) / static_cast<double>(s.TotalRows()), s.MemoryBytes() / 1e6);
  std::printf("indicators x periods   %zu x %zu, org units %lld\n", defs->size(), r->periods.size(),
              static_cast<long long>(s.table(gt::TableId::kOrgUnits).rows));
  std::printf("compute                %.2f s on %d threads, %zu figures\n", Seconds(t2, t3), threads, figures);
  std::printf("records/s              %.0f (records x 1 pass / compute time)\n",
              static_cast<double>(s.TotalRows()) / Seconds(t2, t3));
  std::printf("peak memory            %.0f MB\n", ru.ru_maxrss / 1024.0);
  return 0;
}
