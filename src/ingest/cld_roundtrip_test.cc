// canonical -> CLD -> canonical: a simulated council imported as canonical
// files, exported as a CLD return, and that return imported into a second
// store give the same figures for every indicator CLD feeds (docs/cld.md).

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/file.h"
#include "indicators/definition.h"
#include "indicators/engine.h"
#include "ingest/cld_export.h"
#include "ingest/cld_import.h"
#include "ingest/cld_mapping.h"
#include "ingest/import.h"
#include "sim/simulator.h"
#include "store/snapshot_loader.h"
#include "store/store.h"

namespace goldthread {
namespace {

namespace fs = std::filesystem;
namespace ind = indicators;

/// "period|value" of the council's "all" figures, for one indicator.
using Series = std::map<std::string, std::string>;

std::map<std::string, Series> CouncilFigures(Store& store, const std::vector<ind::Definition>& defs,
                                             const std::string& council, Date from, Date to) {
  auto snap = LoadSnapshot(store);
  EXPECT_TRUE(snap.ok()) << snap.status().ToString();
  if (!snap.ok()) return {};
  ind::ComputeOptions o;
  o.by = PeriodKind::kQuarter;
  o.from_month = from;
  o.to_month = to;
  o.threads = 1;
  auto r = ind::Compute(**snap, defs, o);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  std::map<std::string, Series> out;
  for (const ind::IndicatorResult& ir : r->indicators) {
    for (const ind::Figure& f : ir.figures) {
      if (f.group != 0 || (*snap)->OrgUnitId(f.org_unit) != council) continue;
      std::ostringstream v;
      v << f.numerator << "/" << (f.denominator ? std::to_string(*f.denominator) : "-");
      out[ir.def->id][r->periods[f.period].Label()] = v.str();
    }
  }
  return out;
}

class CldRoundTripTest : public testing::Test {
 protected:
  void SetUp() override {
    root_ = testing::TempDir() + "/cld_roundtrip_" + std::to_string(::getpid());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  std::unique_ptr<Store> NewStore(const std::string& name) {
    auto s = OpenStore(root_ + "/" + name, OpenMode::kCreateIfMissing);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }
  void ImportDir(Store& store, const std::string& dir) {
    ImportOptions o;
    o.imported_by = "tester";
    auto r = ImportDirectory(store, dir, o);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_TRUE(r->committed) << (r->problems.empty() ? "" : r->problems[0]);
  }
  std::string root_;
};

TEST_F(CldRoundTripTest, TheIndicatorsCldFeedsGiveTheSameFigures) {
  sim::SimOptions so;
  so.people = 600;
  so.months = 24;
  so.seed = 15;
  so.start = DateFromCivil(2023, 4, 1);
  const std::string sim_dir = root_ + "/sim";
  auto simulated = sim::Simulate(so, sim_dir);
  ASSERT_TRUE(simulated.ok()) << simulated.status().ToString();

  // A: the canonical files as simulated.
  auto a = NewStore("a.db");
  ImportDir(*a, sim_dir);
  // A2: the same, except what CLD has no column for: carer support has no
  // term in CLD (its Service_Type is "Carer Support: ..."), so it comes back
  // short-term, outside the long-term service populations.
  const std::string sim2 = root_ + "/sim2";
  fs::copy(sim_dir, sim2);
  {
    std::ifstream in(sim_dir + "/services.csv");
    std::ofstream out(sim2 + "/services.csv", std::ios::trunc);
    std::string line;
    while (std::getline(in, line)) {
      const size_t at = line.find(",carer_support,");
      if (at != std::string::npos) {
        // service_id,person_id,service_type,hub_intervention,setting,term,...
        size_t p = at + 1;
        for (int i = 0; i < 3; ++i) p = line.find(',', p) + 1;
        const size_t e = line.find(',', p);
        line.replace(p, e - p, "short");
      }
      out << line << "\n";
    }
  }
  auto a2 = NewStore("a2.db");
  ImportDir(*a2, sim2);

  // B: A exported as CLD, imported back (its events keep their ids through
  // Event_Reference; the area comes back from Postcode), with populations.csv
  // for rates.
  auto exported = ExportCld(*a, root_ + "/cld", CldExportOptions{});
  ASSERT_TRUE(exported.ok()) << exported.status().ToString();
  EXPECT_GT(exported->events[0], 100);
  EXPECT_GT(exported->events[2], 100);
  std::string text(DefaultCldMappingText());
  text.replace(text.find("area = \"la_code\""), 16, "area = \"postcode\"");
  auto mapping = ParseCldMapping(text, "roundtrip.toml");
  ASSERT_TRUE(mapping.ok()) << mapping.status().message();
  auto b = NewStore("b.db");
  CldImportOptions co;
  co.mapping = &*mapping;
  co.import.imported_by = "tester";
  auto imported = ImportCld(*b, exported->path, co);
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  ASSERT_TRUE(imported->import.committed)
      << (imported->import.problems.empty() ? "" : imported->import.problems[0]);
  fs::create_directories(root_ + "/pop");
  fs::copy_file(sim_dir + "/populations.csv", root_ + "/pop/populations.csv");
  ImportDir(*b, root_ + "/pop");

  auto defs = ind::LoadDefinitionDir(std::string(GOLDTHREAD_SOURCE_DIR) + "/indicators");
  ASSERT_TRUE(defs.ok()) << defs.status().ToString();
  const std::string council = exported->la_code;
  const Date from = DateFromCivil(2023, 4, 1), to = DateFromCivil(2025, 3, 1);
  auto fa = CouncilFigures(*a, *defs, council, from, to);
  auto fa2 = CouncilFigures(*a2, *defs, council, from, to);
  auto fb = CouncilFigures(*b, *defs, council, from, to);
  // Exactly as the canonical files:
  for (const char* id : {"requests-new", "assessments-completed", "carer-assessments", "carers-supported",
                         "assessment-28d", "working-carers", "care-home-admissions-65"}) {
    ASSERT_FALSE(fa[id].empty()) << id;
    EXPECT_EQ(fb[id], fa[id]) << id;
  }
  // As the canonical files with carer support short-term:
  for (const char* id : {"reviews-12m", "dp-share"}) {
    ASSERT_FALSE(fa2[id].empty()) << id;
    EXPECT_EQ(fb[id], fa2[id]) << id;
  }
  // And importing the same return again changes nothing.
  auto again = ImportCld(*b, exported->path, co);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->import.duplicate);
}

}  // namespace
}  // namespace goldthread
