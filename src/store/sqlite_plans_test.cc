// The plan and story tables of the SQLite store: versions kept whole and
// queryable, all-or-nothing saves, stories as append-only history, and the
// migration of a version 3 store.
#include "store/sqlite_plans.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include "store/store.h"

namespace goldthread {
namespace {

std::string TempStore(const std::string& name) {
  std::string path = testing::TempDir() + "/plans_store_test_" + name + "_" + std::to_string(::getpid()) + ".db";
  for (const char* s : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + s);
  return path;
}

std::unique_ptr<Store> MustOpen(const std::string& path) {
  auto s = OpenStore(path, OpenMode::kCreateIfMissing);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move(*s);
}

PlanRecord Plan(const std::string& text, double target_value) {
  PlanRecord p;
  p.info.loaded_at = 1764576000;  // 2025-12-01T08:00:00Z
  p.info.loaded_by = "analyst";
  p.info.source = "plan.toml";
  p.info.sha256 = "sha-" + text;
  p.info.title = "Business plan";
  p.info.years = {"2025-26", "2026-27", "2027-28"};
  p.text = text;
  p.objectives = {{"O1", "Carers have a life of their own", "Director", "customer", "", {"carer-qol"}, 4},
                  {"O2", "Value for money", "Finance lead", "financial", "Spend well", {}, 10}};
  PlanPlanRow team;
  team.id = "P-T1";
  team.org_unit = "T1";
  team.owner = "Team manager";
  team.objectives = {"O1", "O2"};
  team.prime = {"reviews-12m", "carer-emergency-plan"};
  team.indicators = {"complaints"};
  team.owners = {{"reviews-12m", "Senior practitioner"}};
  team.line = 20;
  PlanPlanRow service;
  service.id = "P-S";
  service.org_unit = "S";
  service.owner = "Head of service";
  service.objectives = {"O1"};
  service.line = 15;
  p.plans = {service, team};
  p.targets = {{"P-T1", "reviews-12m", "T1", "Senior practitioner", "", "O1", target_value, "2027-03-31", "quarter", 30},
               {"P-T1", "carer-emergency-plan", "T1", "Team manager", "from 45%", "", 60.5, "2026-03-31", "year", 38}};
  return p;
}

void ExpectSameRows(const PlanRecord& a, const PlanRecord& b) {
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.info.sha256, b.info.sha256);
  EXPECT_EQ(a.info.years, b.info.years);
  EXPECT_EQ(a.info.title, b.info.title);
  EXPECT_EQ(a.info.loaded_at, b.info.loaded_at);
  EXPECT_EQ(a.info.loaded_by, b.info.loaded_by);
  ASSERT_EQ(a.objectives.size(), b.objectives.size());
  for (size_t i = 0; i < a.objectives.size(); ++i) {
    const PlanObjectiveRow &x = a.objectives[i], &y = b.objectives[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.title, y.title);
    EXPECT_EQ(x.owner, y.owner);
    EXPECT_EQ(x.perspective, y.perspective);
    EXPECT_EQ(x.description, y.description);
    EXPECT_EQ(x.indicators, y.indicators);
    EXPECT_EQ(x.line, y.line);
  }
  ASSERT_EQ(a.plans.size(), b.plans.size());
  for (size_t i = 0; i < a.plans.size(); ++i) {
    const PlanPlanRow &x = a.plans[i], &y = b.plans[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.org_unit, y.org_unit);
    EXPECT_EQ(x.owner, y.owner);
    EXPECT_EQ(x.objectives, y.objectives);
    EXPECT_EQ(x.prime, y.prime);
    EXPECT_EQ(x.indicators, y.indicators);
    ASSERT_EQ(x.owners.size(), y.owners.size());
    for (size_t k = 0; k < x.owners.size(); ++k) {
      EXPECT_EQ(x.owners[k].indicator, y.owners[k].indicator);
      EXPECT_EQ(x.owners[k].owner, y.owners[k].owner);
    }
    EXPECT_EQ(x.line, y.line);
  }
  ASSERT_EQ(a.targets.size(), b.targets.size());
  for (size_t i = 0; i < a.targets.size(); ++i) {
    const PlanTargetRow &x = a.targets[i], &y = b.targets[i];
    EXPECT_EQ(x.plan, y.plan);
    EXPECT_EQ(x.indicator, y.indicator);
    EXPECT_EQ(x.org_unit, y.org_unit);
    EXPECT_EQ(x.owner, y.owner);
    EXPECT_EQ(x.note, y.note);
    EXPECT_EQ(x.objective, y.objective);
    EXPECT_EQ(x.value, y.value);
    EXPECT_EQ(x.by, y.by);
    EXPECT_EQ(x.per, y.per);
    EXPECT_EQ(x.line, y.line);
  }
}

TEST(SqlitePlansTest, EachVersionIsKeptWholeAndReadBackAsLoaded) {
  const std::string path = TempStore("versions");
  {
    auto store = MustOpen(path);
    auto none = store->LoadPlanVersion(0);
    ASSERT_TRUE(none.ok()) << none.status().ToString();
    EXPECT_FALSE(none->has_value());
    auto v1 = store->SavePlanVersion(Plan("first", 80.0));
    ASSERT_TRUE(v1.ok()) << v1.status().ToString();
    EXPECT_EQ(v1->version, 1);
    auto v2 = store->SavePlanVersion(Plan("second", 85.0));
    ASSERT_TRUE(v2.ok()) << v2.status().ToString();
    EXPECT_EQ(v2->version, 2);
  }
  // Reopened: both versions are there, each as it was saved.
  auto store = MustOpen(path);
  auto versions = store->PlanVersions();
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].version, 1);
  EXPECT_EQ((*versions)[0].sha256, "sha-first");
  EXPECT_EQ((*versions)[1].sha256, "sha-second");
  EXPECT_EQ((*versions)[1].years, (std::vector<std::string>{"2025-26", "2026-27", "2027-28"}));
  auto first = store->LoadPlanVersion(1);
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->info.version, 1);
  ExpectSameRows(**first, Plan("first", 80.0));
  EXPECT_EQ((*first)->targets[0].value, 80.0);
  auto latest = store->LoadPlanVersion(0);
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->info.version, 2);
  ExpectSameRows(**latest, Plan("second", 85.0));
  auto missing = store->LoadPlanVersion(3);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST(SqlitePlansTest, AFailedSaveStoresNothing) {
  const std::string path = TempStore("rollback");
  auto store = MustOpen(path);
  ASSERT_TRUE(store->SavePlanVersion(Plan("good", 80.0)).ok());
  PlanRecord bad = Plan("bad", 80.0);
  bad.objectives.push_back(bad.objectives[0]);  // the same objective id twice: the key refuses it
  auto r = store->SavePlanVersion(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIOError);
  EXPECT_NE(r.status().message().find("storing an objective"), std::string::npos) << r.status().message();
  auto versions = store->PlanVersions();
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 1u);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT count(*) FROM plan_objectives", -1, &s, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(s, 0), 2);  // version 1's two objectives only
  sqlite3_finalize(s);
  sqlite3_close(db);
  // The store still takes the next good version, numbered after version 1.
  auto next = store->SavePlanVersion(Plan("next", 81.0));
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->version, 2);
}

TEST(SqlitePlansTest, StoriesAreHistoryNeverReplaced) {
  const std::string path = TempStore("stories");
  auto store = MustOpen(path);
  StoryRecord a{0, "reviews-12m", "T1", "story", "Reviews fell when two workers left.", "amy", 1764576000, 1};
  StoryRecord b{0, "reviews-12m", "T1", "story", "Agency cover since October; back on track.", "bob", 1767254400, 1};
  StoryRecord c{0, "reviews-12m", "T2", "action_plan", "", "cy", 1767254400, 0};
  StoryRecord d{0, "complaints", "T1", "partners", "Healthwatch", "amy", 1767254500, 1};
  for (const StoryRecord* s : {&a, &b, &c, &d}) {
    auto id = store->AddStory(*s);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
  }
  auto t1 = store->Stories("reviews-12m", "T1");
  ASSERT_TRUE(t1.ok());
  ASSERT_EQ(t1->size(), 2u);
  EXPECT_EQ((*t1)[0].id, 1);
  EXPECT_EQ((*t1)[0].author, "amy");
  EXPECT_EQ((*t1)[0].text, "Reviews fell when two workers left.");
  EXPECT_EQ((*t1)[0].written_at, 1764576000);
  EXPECT_EQ((*t1)[1].id, 2);
  EXPECT_EQ((*t1)[1].author, "bob");
  EXPECT_EQ((*t1)[1].written_at, 1767254400);
  EXPECT_EQ((*t1)[1].plan_version, 1);
  auto any_unit = store->Stories("reviews-12m", "");
  ASSERT_TRUE(any_unit.ok());
  ASSERT_EQ(any_unit->size(), 3u);
  EXPECT_EQ((*any_unit)[2].org_unit, "T2");
  EXPECT_EQ((*any_unit)[2].section, "action_plan");
  EXPECT_EQ((*any_unit)[2].text, "");
  auto all = store->Stories("", "");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 4u);
  auto none = store->Stories("complaints", "T2");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(SqlitePlansTest, AVersionThreeStoreIsMigrated) {
  const std::string path = TempStore("migrate");
  { MustOpen(path); }
  // Make it a version 3 store: no plan tables.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  for (const char* t : {"plan_versions", "plan_objectives", "plan_objective_indicators", "plan_plans",
                        "plan_plan_items", "plan_plan_owners", "plan_targets", "plan_stories"})
    ASSERT_EQ(sqlite3_exec(db, (std::string("DROP TABLE ") + t).c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << t;
  ASSERT_EQ(sqlite3_exec(db, "UPDATE schema_version SET version = 3", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = MustOpen(path);
  EXPECT_EQ(store->schema_version(), kStoreSchemaVersion);
  auto v = store->SavePlanVersion(Plan("after migration", 70.0));
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->version, 1);
}

}  // namespace
}  // namespace goldthread
