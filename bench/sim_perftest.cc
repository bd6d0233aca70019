// Simulation throughput (issue 2: 1,000,000 people over 36 months in under a
// minute). Run on a Release build:
//   build-rel/bench/sim_perftest --benchmark_counters_tabular=true
// The full-size figure is measured by hand with
//   /usr/bin/time -v goldthread simulate --people 1000000 --months 36 --seed 1 --out DIR

#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "sim/simulator.h"

namespace {

void BM_Simulate(benchmark::State& state) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("goldthread_sim_perftest_" + std::to_string(state.range(0)));
  goldthread::sim::SimOptions o;
  o.people = state.range(0);
  o.months = 36;
  o.seed = 1;
  o.start = goldthread::DateFromCivil(2023, 10, 1);
  o.scenarios.push_back({goldthread::sim::ScenarioKind::kLetters, "T03"});
  int64_t rows = 0, bytes = 0;
  for (auto _ : state) {
    auto r = goldthread::sim::Simulate(o, dir);
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      break;
    }
    rows += r->total_rows;
    bytes += r->total_bytes;
  }
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
  state.counters["rows"] = benchmark::Counter(static_cast<double>(rows) / state.iterations());
  state.SetBytesProcessed(bytes);
  fs::remove_all(dir);
}
// 300 people: the smoke size ctest runs (label bench), so the benchmark
// cannot rot; the figures are the larger sizes.
BENCHMARK(BM_Simulate)->Arg(300)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
