// libFuzzer harness for the definition language: indicators::ParseDefinition
// (TOML, the expression parser and the compiler) and, for what it accepts,
// the engine over a small snapshot with a few rows of every table. Nothing
// a user can write in a definition may crash, hang or exhaust memory; an
// error must say where (the file name is in every message).
//
// Built by scripts/fuzz.sh (clang, -DGOLDTHREAD_FUZZ=ON); see README.md.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "indicators/definition.h"
#include "indicators/engine.h"
#include "model/schema.h"
#include "model/snapshot.h"

namespace {

namespace gt = goldthread;

// A valid value of field f for row k of its table: ids t<table>-k, every
// reference to row k of the referred table (org units: C > T1, T2), dates
// rising with the row and the column so date orders hold.
std::string Value(const gt::TableSpec& t, int field, int k) {
  const gt::FieldSpec& f = t.fields[static_cast<size_t>(field)];
  auto id = [](const gt::TableSpec& table, int row) {
    return std::string(table.name) + "-" + std::to_string(row);
  };
  gt::Date day = gt::DateFromCivil(2023, 4, 1) + 40 * k + 3 * field;
  switch (f.type) {
    case gt::FieldType::kId:
      return id(t, k);
    case gt::FieldType::kRef:
      if (f.ref == gt::TableId::kOrgUnits) {
        if (t.id == gt::TableId::kOrgUnits) return k == 0 ? "" : id(t, 0);
        return id(gt::Table(f.ref), 1 + k % 2);
      }
      return id(gt::Table(f.ref), k);
    case gt::FieldType::kDate:
      return gt::FormatDate(day);
    case gt::FieldType::kBirthDate:
      return gt::FormatDate(gt::DateFromCivil(1930 + 15 * k, 1 + k, 1));
    case gt::FieldType::kMonth:
      return gt::FormatMonth(day);
    case gt::FieldType::kTimestamp:
      return gt::FormatDate(day + 2) + "T10:00:00Z";
    case gt::FieldType::kCount:
      return std::to_string(3 + k);
    case gt::FieldType::kInt:
      return std::to_string(2023 + k % 2);
    case gt::FieldType::kAmount:
      return std::to_string(100 * (k + 1)) + ".50";
    case gt::FieldType::kScore:
      return std::to_string(10 + 5 * k);
    case gt::FieldType::kYesNo:
      return k % 2 ? "N" : "Y";
    case gt::FieldType::kCode:
    case gt::FieldType::kCodeSet:
      return f.codes.empty() ? "" : std::string(f.codes[static_cast<size_t>(k) % f.codes.size()]);
    case gt::FieldType::kText:
      return "text " + std::to_string(k);
  }
  return "";
}

const gt::Snapshot* SmallSnapshot() {
  static const std::unique_ptr<gt::Snapshot> snap = [] {
    gt::SnapshotBuilder b;
    for (const gt::TableSpec& t : gt::AllTables()) {
      for (int k = 0; k < 3; ++k) {
        std::vector<std::string> values;
        for (size_t i = 0; i < t.fields.size(); ++i) values.push_back(Value(t, static_cast<int>(i), k));
        std::vector<std::string_view> views(values.begin(), values.end());
        gt::Status s = b.AddRow(t.id, views, 1);
        if (!s.ok())
          std::fprintf(stderr, "definition_fuzzer: %s row %d: %s\n", std::string(t.name).c_str(), k,
                       s.ToString().c_str());
      }
    }
    auto r = b.Finish();
    if (!r.ok()) {
      std::fprintf(stderr, "definition_fuzzer: snapshot: %s\n", r.status().ToString().c_str());
      std::abort();
    }
    return std::move(r).value();
  }();
  return snap.get();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  gt::Result<gt::indicators::Definition> def = gt::indicators::ParseDefinition(text, "fuzz.toml");
  if (!def.ok()) {
    if (def.status().message().find("fuzz.toml") == std::string::npos) {
      std::fprintf(stderr, "definition_fuzzer: an error that does not name the file: %s\n",
                   def.status().ToString().c_str());
      std::abort();
    }
    return 0;
  }
  std::vector<gt::indicators::Definition> defs;
  defs.push_back(std::move(def).value());
  gt::indicators::ComputeOptions o;
  o.by = gt::PeriodKind::kQuarter;
  o.from_month = gt::DateFromCivil(2023, 4, 1);
  o.to_month = gt::DateFromCivil(2024, 3, 1);
  o.threads = 1;
  o.keep_cases = size % 2 == 0;
  (void)gt::indicators::Compute(*SmallSnapshot(), defs, o);
  return 0;
}
