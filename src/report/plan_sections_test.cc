// The plan in the reports (report/plan_sections.h): a simulated council's
// store with the demo's sample plan loaded, its targets on the charts by
// grain, and the sections each audience gains; without a plan, the reports
// say so and gain nothing.
#include "report/plan_sections.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "ingest/import.h"
#include "model/data_end.h"
#include "planning/plan_load.h"
#include "planning/plan_sample.h"
#include "report/report_builder.h"
#include "sim/simulator.h"
#include "store/snapshot_loader.h"

namespace goldthread::report {
namespace {

using namespace goldthread::planning;  // NOLINT(google-build-using-namespace): the plan's types throughout

namespace fs = std::filesystem;
namespace rp = goldthread::report;

// 1,500 people over 24 months to 2026-09-30 (6 teams, 3 services).
class PlanReportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<fs::path>(fs::temp_directory_path() / ("gt_plan_report_" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    sim::SimOptions o;
    o.people = 1500;
    o.months = 24;
    o.seed = 7;
    o.start = DateFromCivil(2024, 10, 1);
    ASSERT_TRUE(sim::Simulate(o, *dir_ / "data").ok());
    auto store = OpenStore((*dir_ / "store.db").string(), OpenMode::kCreateIfMissing);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto imported = ImportDirectory(**store, (*dir_ / "data").string(), ImportOptions{});
    ASSERT_TRUE(imported.ok() && imported->committed);
    rp::AnalysisOptions ao;
    ao.record_run = false;
    auto analysis = rp::LoadAnalysis(**store, ao);
    ASSERT_TRUE(analysis.ok()) << analysis.status().ToString();
    analysis_ = std::make_unique<std::shared_ptr<const rp::Analysis>>(*analysis);
    // No plan yet.
    auto none = LoadPlanForReports(**store, *analysis_);
    ASSERT_TRUE(none.ok());
    EXPECT_EQ(*none, nullptr);
    // The sample plan, checked and stored.
    const SamplePlan sample =
        MakeSamplePlan(planning::OrgTree::FromSnapshot(*(*analysis_)->snapshot), LastTimelineDay(*(*analysis_)->snapshot));
    auto checked = CheckPlanText(sample.final, "plan.toml", (*analysis_)->definitions, (*analysis_)->snapshot.get());
    ASSERT_TRUE(checked.ok() && !checked->refused());
    PlanVersionInfo info;
    info.source = "plan.toml";
    info.loaded_by = "tester";
    ASSERT_TRUE(SavePlan(**store, *checked, sample.final, info).ok());
    auto plan = LoadPlanForReports(**store, *analysis_);
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    ASSERT_NE(*plan, nullptr);
    plan_ = std::make_unique<std::shared_ptr<const PlanForReports>>(*plan);
    RegisterPlanSections();
    RegisterPlanSections();  // once only: a second call adds nothing
  }
  static void TearDownTestSuite() {
    plan_.reset();
    analysis_.reset();
    fs::remove_all(*dir_);
    dir_.reset();
  }
  static rp::Document Build(rp::Audience audience, std::string team = "", bool with_plan = true,
                            std::optional<bool> disclosure = std::nullopt) {
    rp::ReportOptions o;
    o.audience = audience;
    o.team = std::move(team);
    o.disclosure = disclosure;
    if (with_plan) o.targets = PlanTargets(*plan_, ReportGrain(o));
    auto doc = rp::BuildReport(**analysis_, o);
    EXPECT_TRUE(doc.ok()) << doc.status().ToString();
    return doc.ok() ? *doc : rp::Document{};
  }
  static int32_t Unit(const std::string& id) { return (*analysis_)->OrgUnit(id); }
  static std::unique_ptr<fs::path> dir_;
  static std::unique_ptr<std::shared_ptr<const rp::Analysis>> analysis_;
  static std::unique_ptr<std::shared_ptr<const PlanForReports>> plan_;
};
std::unique_ptr<fs::path> PlanReportTest::dir_;
std::unique_ptr<std::shared_ptr<const rp::Analysis>> PlanReportTest::analysis_;
std::unique_ptr<std::shared_ptr<const PlanForReports>> PlanReportTest::plan_;

std::vector<std::string> SectionIds(const rp::Document& d) {
  std::vector<std::string> ids;
  for (const rp::Section& s : d.sections) ids.push_back(s.id);
  return ids;
}

const rp::Table* FindTable(const rp::Document& d, const std::string& id) {
  for (const rp::Table* t : rp::Tables(d))
    if (t->id == id) return t;
  return nullptr;
}

bool HasCallout(const rp::Document& d, const std::string& title) {
  for (const rp::Section& s : d.sections)
    for (const rp::Block& b : s.blocks)
      if (const auto* c = std::get_if<rp::Callout>(&b); c && c->title == title) return true;
  return false;
}

TEST_F(PlanReportTest, TargetsByIndicatorUnitAndGrain) {
  const PlanTargets month(*plan_, PeriodKind::kMonth), quarter(*plan_, PeriodKind::kQuarter);
  // Percentages on any grain; T01 carries the unrealistic 95%.
  EXPECT_EQ(month("assessment-28d", Unit("T02")), 85.0);
  EXPECT_EQ(month("assessment-28d", Unit("T01")), 95.0);
  EXPECT_EQ(quarter("assessment-28d", Unit("T01")), 95.0);
  // Two targets on reviews-12m: 55% by 2026-03-31 (before the data's end,
  // 2026-09-30) and 65% by 2027-03-31, the one still due.
  EXPECT_EQ(month("reviews-12m", Unit("T02")), 65.0);
  // A rate per 100,000 in a quarter: on quarterly charts only.
  EXPECT_EQ(quarter("care-home-admissions-65", Unit("C00")), 150.0);
  EXPECT_EQ(month("care-home-admissions-65", Unit("C00")), std::nullopt);
  // No target set there, an unknown indicator, no unit.
  EXPECT_EQ(month("assessment-28d", Unit("C00")), std::nullopt);
  EXPECT_EQ(month("no-such-indicator", Unit("T01")), std::nullopt);
  EXPECT_EQ(month("assessment-28d", -1), std::nullopt);
  rp::ReportOptions o;
  o.audience = rp::Audience::kCabinet;
  EXPECT_EQ(ReportGrain(o), PeriodKind::kQuarter);
  o.audience = rp::Audience::kTeam;
  EXPECT_EQ(ReportGrain(o), PeriodKind::kMonth);
  o.period = "2026-27 Q1";
  EXPECT_EQ(ReportGrain(o), PeriodKind::kQuarter);
}

TEST_F(PlanReportTest, WithoutAPlanTheReportsSaySoAndGainNothing) {
  const rp::Document team = Build(rp::Audience::kTeam, "T01", false);
  EXPECT_TRUE(HasCallout(team, "No plan loaded."));
  const std::vector<std::string> ids = SectionIds(team);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "team-plan"), 0);
  const rp::Document cabinet = Build(rp::Audience::kCabinet, "", false);
  EXPECT_TRUE(HasCallout(cabinet, "No plan loaded."));
  EXPECT_EQ(FindTable(cabinet, "objectives"), nullptr);
  const rp::Document management = Build(rp::Audience::kManagement, "", false);
  EXPECT_EQ(FindTable(management, "plan-targets"), nullptr);
}

TEST_F(PlanReportTest, CabinetShowsObjectivesAndTheCouncilsTargetsAfterTheGlance) {
  const rp::Document d = Build(rp::Audience::kCabinet);
  const std::vector<std::string> ids = SectionIds(d);
  ASSERT_GE(ids.size(), 2u);
  EXPECT_EQ(ids[0], "at-a-glance");
  EXPECT_EQ(ids[1], "plan-objectives");
  EXPECT_FALSE(HasCallout(d, "No plan loaded."));
  const rp::Table* obj = FindTable(d, "objectives");
  ASSERT_NE(obj, nullptr);
  ASSERT_EQ(obj->rows.size(), 5u);  // O1-O5, by perspective: financial first
  EXPECT_EQ(obj->rows[0][0].text, "Financial");
  EXPECT_EQ(obj->rows[0][1].text, "O4 Personal budgets that people control, at a cost the council can sustain");
  const rp::Table* t = FindTable(d, "council-targets");
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[0][2].text, "C00");
  EXPECT_EQ(t->rows[0][3].text, "O2 People live at home, independently, after a crisis");
  EXPECT_EQ(t->rows[0][5].number, 150.0);
  EXPECT_EQ(t->rows[0][6].text, "per 100,000");
  EXPECT_EQ(t->rows[1][5].number, 8.0);
  // Under disclosure control the plan's figures are withheld.
  const rp::Document disclosed = Build(rp::Audience::kCabinet, "", true, true);
  const rp::Table* dt = FindTable(disclosed, "council-targets");
  ASSERT_NE(dt, nullptr);
  EXPECT_EQ(dt->rows[0][8].text, "not shown (disclosure control)");
  EXPECT_EQ(dt->rows[0][8].number, std::nullopt);
}

TEST_F(PlanReportTest, TeamReportLeadsWithItsPlanPrimeIndicatorsAndTargets) {
  const rp::Document d = Build(rp::Audience::kTeam, "T01");
  ASSERT_FALSE(d.sections.empty());
  EXPECT_EQ(d.sections[0].id, "team-plan");
  EXPECT_FALSE(HasCallout(d, "No plan loaded."));
  const rp::Table* t = FindTable(d, "team-prime");
  ASSERT_NE(t, nullptr);
  // Seven prime indicators; reviews-12m has two targets (two rows).
  ASSERT_EQ(t->rows.size(), 8u);
  bool found = false;
  for (const auto& row : t->rows) {
    ASSERT_EQ(row.size(), t->columns.size());
    if (row[6].number != std::optional<double>(95.0)) continue;
    found = true;
    EXPECT_EQ(row[5].text.rfind("Team manager, ", 0), 0u) << row[5].text;
    EXPECT_EQ(row[7].text, "2027-03-31");
    EXPECT_EQ(row[8].text, "O3 Assessments and reviews are timely and done well");
  }
  EXPECT_TRUE(found) << "the unrealistic 95% assessment-28d target";
  // The thread up, in words.
  const auto* p = std::get_if<rp::Paragraph>(&d.sections[0].blocks[0]);
  ASSERT_NE(p, nullptr);
  const std::string service = (*plan_)->plan.org.at((*plan_)->plan.org.at((*plan_)->plan.org.Find("T01")).parent).id;
  EXPECT_NE(p->text.find("Up the thread: P-T01 -> P-" + service + " (" + service + ") -> P-C00 (C00)."),
            std::string::npos)
      << p->text;
  // The unit's own plan leads for a service too; no prime-count warning
  // there (prime indicators are a team's).
  const rp::Document svc = Build(rp::Audience::kTeam, service);
  ASSERT_FALSE(svc.sections.empty());
  EXPECT_EQ(svc.sections[0].id, "team-plan");
  EXPECT_FALSE(HasCallout(svc, "0 prime indicator(s), not 6 to 8."));
  const auto* sp = std::get_if<rp::Paragraph>(&svc.sections[0].blocks[0]);
  ASSERT_NE(sp, nullptr);
  EXPECT_EQ(sp->text.rfind("Plan P-" + service + " of " + service + ", owned by Head of Service, ", 0), 0u) << sp->text;
}

TEST_F(PlanReportTest, ManagementListsEveryPlanAndEveryTarget) {
  const rp::Document d = Build(rp::Audience::kManagement);
  ASSERT_FALSE(d.sections.empty());
  EXPECT_EQ(d.sections.back().id, "plan-every-plan");
  const rp::Table* plans = FindTable(d, "plans");
  ASSERT_NE(plans, nullptr);
  EXPECT_EQ(plans->rows.size(), (*plan_)->plan.doc.plans.size());
  EXPECT_EQ(plans->rows.size(), 10u);  // the council, 3 services, 6 teams
  EXPECT_EQ(plans->rows[0][4].text, "the top");
  const rp::Table* targets = FindTable(d, "plan-targets");
  ASSERT_NE(targets, nullptr);
  EXPECT_EQ(targets->rows.size(), (*plan_)->plan.doc.targets.size());
  for (const auto& row : targets->rows) ASSERT_EQ(row.size(), targets->columns.size());
}

}  // namespace
}  // namespace goldthread::report
