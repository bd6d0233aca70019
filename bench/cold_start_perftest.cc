// Cold start (issue 14): from process start to the first indicator
// computed, with the snapshot mapped from STORE.snapshot or built from
// SQLite as every command did before. Timed from outside by farm-bench:
//
//   farm-bench -n 5 --vs 'cold_start_perftest STORE --from-store' -- cold_start_perftest STORE
//
//   cold_start_perftest STORE [--from-store] [--indicator ID] [--months N]
//
// Opens STORE, loads the snapshot (--from-store: GOLDTHREAD_SNAPSHOT=off's
// path, the build from the store's records), loads the built-in
// definitions and computes one indicator (default reviews-12m) by month
// over the last N months (default 24) for every org unit, then prints the
// time of each step since process start (from /proc/self/stat), where the
// snapshot came from, and the indicator's figures digest (the run digest of
// compute: indicators/figures_digest.h), which must be the same either way.

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "indicators/definition.h"
#include "indicators/engine.h"
#include "indicators/figures_digest.h"
#include "model/data_end.h"
#include "store/snapshot_loader.h"
#include "store/store.h"

namespace gt = goldthread;
namespace ind = goldthread::indicators;

namespace {

// Seconds since this process started: /proc/self/stat's start time (field
// 22, in clock ticks since boot) against CLOCK_BOOTTIME.
double SinceStart() {
  std::ifstream f("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(f)), {});
  size_t at = stat.rfind(')');
  int64_t ticks = 0;
  int field = 2;
  for (size_t i = at + 1; i < stat.size() && field < 22; ++i)
    if (stat[i] == ' ' && ++field == 22) ticks = std::stoll(stat.substr(i + 1));
  timespec now{};
  clock_gettime(CLOCK_BOOTTIME, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9 -
         static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

int main(int argc, char** argv) {
  std::string store_path, indicator = "reviews-12m";
  bool from_store = false;
  int months = 24;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--from-store") from_store = true;
    else if (a == "--indicator" && i + 1 < argc) indicator = argv[++i];
    else if (a == "--months" && i + 1 < argc) months = std::stoi(argv[++i]);
    else if (store_path.empty() && a[0] != '-') store_path = a;
    else {
      std::fprintf(stderr, "usage: cold_start_perftest STORE [--from-store] [--indicator ID] [--months N]\n");
      return 2;
    }
  }
  if (store_path.empty()) {
    std::fprintf(stderr, "usage: cold_start_perftest STORE [--from-store] [--indicator ID] [--months N]\n");
    return 2;
  }
  const double t_start = SinceStart();
  auto store = gt::OpenStore(store_path, gt::OpenMode::kMustExist);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  gt::SnapshotLoadOptions lo;
  if (from_store) lo.persistence = gt::SnapshotPersistence::kOff;
  gt::SnapshotLoadInfo info;
  auto snap = gt::LoadSnapshot(**store, std::nullopt, lo, &info);
  if (!snap.ok()) {
    std::fprintf(stderr, "%s\n", snap.status().ToString().c_str());
    return 1;
  }
  const double t_snapshot = SinceStart();
  auto all = ind::LoadBuiltInAndLocal("");
  if (!all.ok()) {
    std::fprintf(stderr, "%s\n", all.status().ToString().c_str());
    return 1;
  }
  std::vector<ind::Definition> defs;
  for (ind::Definition& d : *all)
    if (d.id == indicator) defs.push_back(std::move(d));
  if (defs.empty()) {
    std::fprintf(stderr, "no indicator '%s'\n", indicator.c_str());
    return 1;
  }
  const gt::Snapshot& s = **snap;
  ind::ComputeOptions o;
  o.to_month = gt::FirstOfMonth(gt::LastTimelineDay(s));
  o.from_month = gt::AddMonths(o.to_month, -(months - 1));
  auto r = ind::Compute(s, defs, o);
  if (!r.ok()) {
    std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
    return 1;
  }
  const double t_computed = SinceStart();
  const std::string digest = nlohmann::json::parse(ind::FiguresDigestsJson(*r, s))[indicator].get<std::string>();
  std::printf("snapshot               %s\n", info.from_file ? "mapped from STORE.snapshot" : "built from the store");
  std::printf("records                %lld, %d people\n", static_cast<long long>(s.TotalRows()), s.people());
  std::printf("process start to store open     %.3f s\n", t_start);
  std::printf("process start to snapshot ready %.3f s\n", t_snapshot);
  std::printf("process start to %s  %.3f s (%zu figures)\n", indicator.c_str(), t_computed,
              r->indicators[0].figures.size());
  std::printf("figures digest         %s\n", digest.c_str());
  return 0;
}
