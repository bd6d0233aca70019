#include "cli/audit_command.h"

#include <cstdlib>
#include <ctime>
#include <iostream>

#include "core/period.h"
#include "store/snapshot_loader.h"

namespace goldthread::cli {

bool ParseAuditYear(std::string_view command, const std::string& label, int& year) {
  if (label.empty()) return true;
  Period p;
  if (!TryParsePeriod(label, p) || p.kind != PeriodKind::kYear) {
    std::cerr << "goldthread " << command << ": --year '" << label
              << "' is not a financial year (expected YYYY-YY, e.g. 2025-26)\n";
    return false;
  }
  year = FinancialYearOf(p.start);
  return true;
}

Result<AuditInputs> OpenAuditInputs(std::string_view command, const std::string& store_path,
                                    const StoreFlags& flags) {
  auto store = OpenStoreFor(command, store_path, OpenMode::kMustExist, flags);
  if (!store.ok()) return store.status();
  auto snap = LoadSnapshot(**store);
  if (!snap.ok()) return snap.status();
  return AuditInputs{std::move(store).value(), std::move(snap).value()};
}

bool SaveAuditRun(std::string_view command, Store& store, const Snapshot& snap, const std::string& params_json,
                  const std::string& result_json) {
  RunRecord run;
  run.kind = std::string(command);
  run.started_at = static_cast<Timestamp>(std::time(nullptr));
  const char* user = std::getenv("USER");
  run.run_by = user ? user : "";
  run.params_json = params_json;
  run.batch_ids = snap.batch_ids();
  run.result_json = result_json;
  if (auto saved = store.SaveRun(run); !saved.ok()) {
    std::cerr << "goldthread " << command << ": could not store the run: " << saved.status().message() << "\n";
    return false;
  }
  return true;
}

}  // namespace goldthread::cli
