#include "cli/compute_verify.h"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "core/period.h"
#include "indicators/definition.h"
#include "indicators/engine.h"
#include "indicators/figures_digest.h"
#include "indicators/result_json.h"
#include "store/snapshot_loader.h"

namespace goldthread::cli {
namespace {

namespace ind = goldthread::indicators;

std::string JoinIds(const std::vector<int64_t>& ids) {
  std::string out;
  for (int64_t id : ids) out += (out.empty() ? "" : ", ") + std::to_string(id);
  return out;
}

// The run's parameters as compute wrote them (cmd_compute.cc).
struct RunParams {
  ind::ComputeOptions options;
  std::string indicators_dir;
};

Result<RunParams> ParseParams(const RunRecord& run) {
  nlohmann::json j = nlohmann::json::parse(run.params_json, nullptr, /*allow_exceptions=*/false);
  RunParams p;
  auto text = [&](const char* key) {
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
  };
  if (!j.is_object() || !TryParseMonth(text("from"), p.options.from_month) ||
      !TryParseMonth(text("to"), p.options.to_month) || !TryParsePeriodKind(text("by"), p.options.by))
    return Status::InvalidArgument(
        fmt::format("run {} has no from, to and by among its parameters ({}): it cannot be recomputed", run.id,
                    run.params_json));
  p.indicators_dir = text("indicators");
  return p;
}

}  // namespace

int VerifyComputeRun(const std::string& store_path, int64_t run_id, int threads, const StoreFlags& flags) {
  auto store = OpenStoreFor("compute", store_path, OpenMode::kMustExist, flags);
  if (!store.ok()) return Fail("compute", store.status());
  auto found = (*store)->FindRun(run_id);
  if (!found.ok()) return Fail("compute", found.status());
  if (!found->has_value())
    return Fail("compute", Status::NotFound(fmt::format("store '{}' has no run {}", store_path, run_id)));
  const RunRecord& run = **found;
  if (run.kind != "compute")
    return Fail("compute", Status::InvalidArgument(fmt::format(
                               "run {} is a {} run; only compute runs can be verified", run_id, run.kind)));
  nlohmann::json digests = nlohmann::json::parse(run.digests_json, nullptr, /*allow_exceptions=*/false);
  if (!digests.is_object() || digests.empty() || run.batch_ids.empty())
    return Fail("compute", Status::InvalidArgument(fmt::format(
                               "run {} has no figure digests (recorded before goldthread kept them, or over no "
                               "batches): it cannot be verified",
                               run_id)));
  Result<RunParams> params = ParseParams(run);
  if (!params.ok()) return Fail("compute", params.status());
  params->options.threads = threads;

  auto defs = ind::LoadBuiltInAndLocal(params->indicators_dir);
  if (!defs.ok()) return Fail("compute", defs.status());
  // Batches are numbered in the order they committed, and a run reads every
  // batch with a current record, so its last batch fixes what it saw.
  const int64_t as_of = *std::max_element(run.batch_ids.begin(), run.batch_ids.end());
  auto snap = LoadSnapshot(**store, as_of);
  if (!snap.ok()) return Fail("compute", snap.status());
  auto result = ind::Compute(**snap, *defs, params->options);
  if (!result.ok()) return Fail("compute", result.status());
  const std::map<std::string, std::string> now = ind::FiguresDigests(*result, **snap);
  const std::map<std::string, int64_t> then_versions = ind::ParseDefinitionsJson(run.definitions_json);

  std::cout << fmt::format("run {}: compute by {} at {}, {} .. {} by {}, over batches {}\n", run.id,
                           run.run_by.empty() ? "(unknown)" : run.run_by, FormatTimestamp(run.started_at),
                           FormatMonth(params->options.from_month), FormatMonth(params->options.to_month),
                           PeriodKindName(params->options.by), JoinIds(run.batch_ids));
  if ((*snap)->batch_ids() != run.batch_ids)
    std::cout << fmt::format("  the store as it was after batch {} has records of batches {}\n", as_of,
                             JoinIds((*snap)->batch_ids()));
  int identical = 0, total = 0;
  for (const auto& [id, hex] : digests.items()) {
    ++total;
    auto it = now.find(id);
    const ind::Definition* def = nullptr;
    for (const ind::Definition& d : *defs)
      if (d.id == id) def = &d;
    auto version = then_versions.find(id);
    if (it == now.end() || !def) {
      std::cout << fmt::format("  {}: no longer defined, not recomputed\n", id);
    } else if (version != then_versions.end() && version->second != def->version) {
      std::cout << fmt::format("  {}: definition version {} now, {} in the run: not comparable\n", id, def->version,
                               version->second);
    } else if (!hex.is_string() || hex.get<std::string>() != it->second) {
      std::cout << fmt::format("  {}: figures differ (digest {}, {} in the run)\n", id, it->second,
                               hex.is_string() ? hex.get<std::string>() : std::string("none"));
    } else {
      ++identical;
    }
  }
  if (identical == total && (*snap)->batch_ids() == run.batch_ids) {
    std::cout << fmt::format("verified: all {} indicators bit-identical\n", total);
    return kExitOk;
  }
  std::cout << fmt::format("not verified: {} of {} indicators bit-identical\n", identical, total);
  return kExitBadInput;
}

}  // namespace goldthread::cli
