// Import throughput (issue 2: at least 500,000 rows/s on one core into
// SQLite). Run on a Release build:
//   build-rel/bench/import_perftest --benchmark_counters_tabular=true
//
// BM_CsvReader vs BM_GetlineSplit: the hand-written reader (ingest/csv.h)
// against the simple baseline it replaces (std::getline + split into
// std::strings), both over the same visits-shaped file, so the reason for
// writing a CSV reader by hand is a measured figure rather than a claim.
// BM_Import: a simulated council (sim/simulator.h) into a fresh SQLite store,
// everything the `goldthread import` command does (hashing, validation,
// reference checks, SQLite inserts, commit), rows/s over all files.
// The full-size figure is measured by hand with
//   goldthread simulate --people 1000000 --months 36 --seed 1 --out DIR
//   /usr/bin/time -v goldthread import STORE DIR

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/csv.h"
#include "ingest/import.h"
#include "core/key_set.h"
#include "sim/simulator.h"
#include "store/store.h"

namespace {

namespace fs = std::filesystem;

// A visits-shaped file of `rows` rows: 9 columns, mostly short ids and
// dates, a quoted field on every 50th row. Written once per size and process.
std::string VisitsFile(int64_t rows) {
  struct Files {
    std::map<int64_t, std::string> paths;
    ~Files() {
      for (const auto& [n, p] : paths) fs::remove(p);
    }
  };
  static Files files;
  std::map<int64_t, std::string>& paths = files.paths;
  std::string& path = paths[rows];
  if (path.empty()) {
    std::string p =
        (fs::temp_directory_path() / ("goldthread_import_perftest_visits_" + std::to_string(rows) + "_" +
                                      std::to_string(::getpid()) + ".csv"))
            .string();
    std::ofstream out(p, std::ios::binary);
    out << "visit_id,person_id,service_id,visit_on,minutes,org_unit_id,worker_id,recorded_at,recorded_by\n";
    for (int64_t i = 0; i < rows; ++i) {
      out << "V" << 10000000 + i << ",P" << 1000000 + i / 30 << ",S" << 2000000 + i / 60 << ",2024-0"
          << 1 + i % 9 << "-" << 10 + i % 18 << "," << 15 + i % 60 << ",T0" << i % 8 << ","
          << (i % 50 == 0 ? "\"W, 12\"" : "W12") << ",2024-04-02T10:00:00Z,u" << i % 40 << "\n";
    }
    path = p;
  }
  return path;
}

void BM_CsvReader(benchmark::State& state) {
  const std::string path = VisitsFile(state.range(0));
  int64_t rows = 0, bytes = 0;
  for (auto _ : state) {
    auto r = goldthread::CsvReader::Open(path, "visits.csv");
    size_t sum = 0;
    while ((*r)->Next()) {
      for (std::string_view f : (*r)->fields()) sum += f.size();
      ++rows;
    }
    bytes += (*r)->bytes_read();
    benchmark::DoNotOptimize(sum);
  }
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(bytes);
}
// 1,000 rows and 300 people below: the smoke sizes ctest runs (label
// bench), so the benchmark cannot rot; the figures are the larger sizes.
BENCHMARK(BM_CsvReader)->Arg(1000)->Arg(1000000)->Unit(benchmark::kMillisecond);

// The baseline: what one writes first. Not RFC 4180 (no quotes or embedded
// newlines), so it is the lower bound of a simple approach's cost.
void BM_GetlineSplit(benchmark::State& state) {
  const std::string path = VisitsFile(state.range(0));
  int64_t rows = 0, bytes = 0;
  for (auto _ : state) {
    std::ifstream in(path, std::ios::binary);
    std::string line;
    std::vector<std::string> fields;
    size_t sum = 0;
    while (std::getline(in, line)) {
      bytes += static_cast<int64_t>(line.size()) + 1;
      fields.clear();
      std::stringstream ss(line);
      std::string f;
      while (std::getline(ss, f, ',')) fields.push_back(f);
      for (const std::string& x : fields) sum += x.size();
      ++rows;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_GetlineSplit)->Arg(1000)->Arg(1000000)->Unit(benchmark::kMillisecond);

void BM_Import(benchmark::State& state) {
  // One folder per process: ctest runs this at a smoke size while other
  // builds on the machine may run it too.
  fs::path root =
      fs::temp_directory_path() /
      ("goldthread_import_perftest_" + std::to_string(state.range(0)) + "_" + std::to_string(::getpid()));
  fs::path dir = root / "csv";
  std::string store_path = (root / "store.db").string();
  goldthread::sim::SimOptions o;
  o.people = state.range(0);
  o.months = 36;
  o.seed = 1;
  o.start = goldthread::DateFromCivil(2023, 10, 1);
  auto sim = goldthread::sim::Simulate(o, dir);
  if (!sim.ok()) {
    state.SkipWithError(sim.status().ToString().c_str());
    return;
  }
  int64_t rows = 0;
  for (auto _ : state) {
    state.PauseTiming();
    for (const char* s : {"", "-wal", "-shm", "-journal"}) fs::remove(store_path + s);
    // As `goldthread import` opens a new store.
    auto store = goldthread::OpenStore(store_path, goldthread::OpenMode::kCreateWithFirstBatch);
    state.ResumeTiming();
    auto r = goldthread::ImportDirectory(**store, dir.string(), goldthread::ImportOptions{});
    if (!r.ok() || !r->committed) {
      state.SkipWithError(r.ok() ? r->problems.front().c_str() : r.status().ToString().c_str());
      break;
    }
    rows += r->batch.rows_stored;
    store->reset();  // closing checkpoints the WAL: the user waits for it, so it is timed
  }
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
  state.counters["rows"] = benchmark::Counter(static_cast<double>(rows) / state.iterations());
  fs::remove_all(root);
}
BENCHMARK(BM_Import)->Arg(300)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->Iterations(1);

// The import's key set (ingest/key_set.h) over range(0) keys of range(1)
// bytes, differing only at their end: inserts and finds per second, and the
// bytes the set holds per key (at most about 100, whatever the keys'
// length; it was 24 + the key's bytes: 4 KiB ids took 4 GiB a million).
void BM_KeySet(benchmark::State& state) {
  const int64_t keys = state.range(0);
  const size_t bytes = static_cast<size_t>(state.range(1));
  std::string key(bytes, 'k');
  auto make = [&](int64_t i) {
    const std::string n = std::to_string(i);
    key.replace(bytes - n.size(), n.size(), n);
    return std::string_view{key};
  };
  size_t memory = 0;
  for (auto _ : state) {
    goldthread::KeySet set;
    for (int64_t i = 0; i < keys; ++i) set.Insert(make(i), i);
    int64_t found = 0;
    for (int64_t i = 0; i < keys; ++i) found += set.Contains(make(i));
    benchmark::DoNotOptimize(found);
    memory = set.memory_bytes();
  }
  state.counters["keys/s"] =
      benchmark::Counter(static_cast<double>(keys * state.iterations()), benchmark::Counter::kIsRate);
  state.counters["set_bytes_per_key"] = static_cast<double>(memory) / static_cast<double>(keys);
  state.counters["key_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_KeySet)
    ->Args({1000, 12})
    ->Args({1000, 4096})
    ->Args({1000000, 12})
    ->Args({1000000, 36})
    ->Args({250000, 4096})
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
