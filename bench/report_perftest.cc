// Report speed (issue 10: `report` for every audience on the demo council in
// under 2 s each). Times, on a store given on the command line (the demo's
// goldthread-demo/goldthread.db), the analysis and each of its steps
// (snapshot: reading the store, which issue 14's persisted snapshot
// replaces; the monthly and quarterly grains with their SPC; the checks;
// published figures; the run record), then each audience's document and
// its rendering apart, best and median of --repeat runs. What `goldthread
// report` does is the analysis plus one audience; the dashboard builds the
// analysis once and then only documents. Each step's CPU time (every
// thread's, std::clock) is printed beside its wall time, since the machine
// is shared. Last, the checks as they ran before the analysis fed them its
// own quarters (integrity::RunChecksWithIndicators: the engine run a third
// time), for comparison with the "checks" step.
//
//   bench/report_perftest STORE [--repeat N]

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "integrity/checks.h"
#include "report/analysis.h"
#include "report/render.h"
#include "report/report_builder.h"
#include "store/store.h"

namespace {

using goldthread::report::Audience;
using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

void Print(const std::string& what, std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  fmt::print("{:<34} best {:8.1f} ms  median {:8.1f} ms  ({} runs)\n", what, ms.front(), ms[ms.size() / 2], ms.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: report_perftest STORE [--repeat N]\n");
    return 2;
  }
  const std::string path = argv[1];
  int repeat = 3;
  if (argc >= 4 && std::string(argv[2]) == "--repeat") repeat = std::max(1, std::atoi(argv[3]));
  auto store = goldthread::OpenStore(path, goldthread::OpenMode::kMustExist);
  if (!store.ok()) {
    fmt::print(stderr, "{}\n", store.status().message());
    return 1;
  }
  goldthread::report::AnalysisOptions ao;
  ao.record_run = false;  // a benchmark leaves the store as it found it
  std::vector<std::string> order;
  std::map<std::string, std::vector<double>> steps, cpu;
  std::clock_t cpu_at = std::clock();
  ao.on_step = [&](std::string_view step, double ms) {
    const std::string name(step);
    if (!steps.count(name)) order.push_back(name);
    steps[name].push_back(ms);
    const std::clock_t now = std::clock();
    cpu[name].push_back(1000.0 * static_cast<double>(now - cpu_at) / CLOCKS_PER_SEC);
    cpu_at = now;
  };
  std::vector<double> load;
  std::shared_ptr<const goldthread::report::Analysis> analysis;
  for (int i = 0; i < repeat; ++i) {
    const auto t0 = Clock::now();
    cpu_at = std::clock();
    auto a = goldthread::report::LoadAnalysis(**store, ao);
    const auto t1 = Clock::now();
    if (!a.ok()) {
      fmt::print(stderr, "{}\n", a.status().message());
      return 1;
    }
    analysis = *a;
    load.push_back(Ms(t0, t1));
  }
  fmt::print("store {}: {} records\n", path, analysis->provenance.records);
  Print("analysis (load + compute)", load);
  for (const std::string& name : order) {
    Print("  " + name, steps[name]);
    Print("  " + name + " (cpu)", cpu[name]);
  }
  const std::pair<Audience, const char*> audiences[] = {{Audience::kCabinet, "cabinet"},
                                                       {Audience::kManagement, "management"},
                                                       {Audience::kTeam, "team:T05"},
                                                       {Audience::kPublic, "public"}};
  for (const auto& [aud, name] : audiences) {
    std::vector<double> build;
    for (int i = 0; i < repeat; ++i) {
      goldthread::report::ReportOptions o;
      o.audience = aud;
      if (aud == Audience::kTeam) o.team = "T05";
      const auto t0 = Clock::now();
      auto doc = goldthread::report::BuildReport(*analysis, o);
      build.push_back(Ms(t0, Clock::now()));
      if (!doc.ok()) return 1;
    }
    Print(std::string(name) + " document", build);
    for (auto format : {goldthread::report::Format::kHtml, goldthread::report::Format::kXlsx}) {
      std::vector<double> ms;
      size_t bytes = 0;
      for (int i = 0; i < repeat; ++i) {
        goldthread::report::ReportOptions o;
        o.audience = aud;
        if (aud == Audience::kTeam) o.team = "T05";
        const auto t0 = Clock::now();
        auto doc = goldthread::report::BuildReport(*analysis, o);
        if (!doc.ok()) {
          fmt::print(stderr, "{}: {}\n", name, doc.status().message());
          return 1;
        }
        auto out = goldthread::report::Render(*doc, format);
        const auto t1 = Clock::now();
        if (!out.ok()) return 1;
        bytes = out->size();
        ms.push_back(Ms(t0, t1));
      }
      const std::string what = std::string(name) + (format == goldthread::report::Format::kHtml ? " html" : " xlsx") +
                               " (" + std::to_string(bytes / 1024) + " KiB), document + render";
      Print(what, ms);
    }
  }
  std::vector<double> own, own_cpu;
  for (int i = 0; i < repeat; ++i) {
    const auto t0 = Clock::now();
    const std::clock_t c0 = std::clock();
    auto f = goldthread::integrity::RunChecksWithIndicators(*analysis->snapshot, goldthread::integrity::CheckConfig{},
                                                            goldthread::integrity::CheckScope{}, analysis->definitions);
    own_cpu.push_back(1000.0 * static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC);
    own.push_back(Ms(t0, Clock::now()));
    if (!f.ok() || f->size() != analysis->findings.size()) {
      fmt::print(stderr, "the checks' own run found {} findings, the analysis {}\n", f.ok() ? f->size() : 0,
                 analysis->findings.size());
      return 1;
    }
  }
  Print("checks computing their own quarters", own);
  Print("checks computing their own quarters (cpu)", own_cpu);
  return 0;
}
