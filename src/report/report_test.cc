// Reports (issue 10): disclosure control on hand-worked figures, the exact
// provenance text, and every audience built from one simulated council
// (2,000 people, 24 months, the demo's planted patterns: letters in T03,
// bunching in T05) imported into a SQLite store: every chart it promises,
// no external URL, the same figures in HTML and JSON, XLSX read back, and
// the gaming marker on T05's assessment-28d.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>
#include <unzip.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>

#include "ingest/import.h"
#include "integrity/checks.h"
#include "integrity/indicator_series.h"
#include "report/analysis.h"
#include "report/charts.h"
#include "report/charts_internal.h"
#include "report/disclosure.h"
#include "report/render.h"
#include "report/render_html.h"
#include "report/report_builder.h"
#include "sim/simulator.h"
#include "store/store.h"

namespace goldthread::report {
namespace {

namespace fs = std::filesystem;

TEST(DisclosureTest, CountsHandWorked) {
  // count -> shown (nullopt: suppressed)
  const std::pair<double, std::optional<double>> cases[] = {
      {0, 0}, {1, std::nullopt}, {2, std::nullopt}, {4, std::nullopt}, {5, 5},   {7, 5},
      {8, 10}, {12, 10},        {13, 15},          {22, 20},          {23, 25}, {1234, 1235}};
  for (const auto& [count, shown] : cases) {
    const Disclosed d = DiscloseCount(count);
    EXPECT_EQ(d.value, shown) << count;
    EXPECT_EQ(d.suppressed, !shown.has_value()) << count;
  }
}

TEST(DisclosureTest, PercentagesFromExactNumbersRoundedToWholePercent) {
  // A hand-worked table: team, numerator, denominator -> shown.
  struct Row {
    double num, den;
    std::optional<double> shown;
  };
  const Row rows[] = {
      {3, 9, std::nullopt},  // denominator under 10
      {7, 10, 70},           // exactly 10: shown
      {1, 12, 8},            // 8.33%: from the exact 1/12, though 1 alone would be suppressed
      {13, 23, 57},          // 56.52% (rounding 13 and 23 first would give 15/25 = 60%)
      {2, 3, std::nullopt},  // 66.7% of 3 people: suppressed
      {0, 40, 0},
  };
  for (const Row& r : rows) {
    const Disclosed d = DisclosePercent(r.num, r.den);
    EXPECT_EQ(d.value, r.shown) << r.num << "/" << r.den;
    EXPECT_EQ(d.suppressed, !r.shown.has_value()) << r.num << "/" << r.den;
  }
  EXPECT_TRUE(DiscloseMean(7.25, 9, 2).suppressed);
  EXPECT_EQ(DiscloseMean(7.256, 10, 2).value, 7.26);
  EXPECT_TRUE(DiscloseRate(12.5, 3).suppressed);
  EXPECT_EQ(DiscloseRate(180.04, 171).value, 180.0);
  const Cell c = DisclosedCell(DiscloseCount(3), "/cases?x");
  EXPECT_TRUE(c.suppressed);
  EXPECT_EQ(c.text, "[c]");
  EXPECT_EQ(c.link, "");  // a suppressed figure opens onto nothing
  EXPECT_EQ(DisclosureNote(),
            "Disclosure control: counts of 1 to 4 are shown as [c], other counts are rounded to the nearest 5; a "
            "percentage is shown only where at least 10 people are behind it, computed from the exact numbers and "
            "rounded to a whole percent.");
}

TEST(ProvenanceTest, ExactText) {
  Analysis a;
  Provenance& p = a.provenance;
  p.store = "council.db";
  p.run_id = 7;
  p.computed_at = 1764583200;  // 2025-12-01 10:00 UTC
  p.run_by = "analyst";
  p.records = 1234;
  p.data_end = DateFromCivil(2025, 11, 30);
  p.figures_digest = "00ff00ff00ff00ff";
  BatchInfo b;
  b.id = 3;
  b.imported_at = 1764496800;  // 2025-11-30 10:00 UTC
  b.imported_by = "ana";
  b.rows_stored = 1200;
  p.batches = {b};
  p.definitions = {{"reviews-12m", 1, "reviews-12m.toml"}, {"pb-share", 2, "pb-share.toml"}};
  a.breaks = {{"pb-share", 2, 1, DateFromCivil(2025, 10, 1)}};
  EXPECT_EQ(ProvenanceText(a),
            "Computed by goldthread in run 7 at 2025-12-01 10:00 UTC from the store council.db for analyst, 1234 "
            "current records up to 2025-11-30, read from batch 3 (imported 2025-11-30 10:00 UTC by ana, 1200 rows "
            "stored). Definitions: reviews-12m v1, pb-share v2. pb-share changed from v1 to v2 from 2025-10; charts "
            "mark the break. Figures digest 00ff00ff00ff00ff.");
}

TEST(ReportTest, AudienceParsing) {
  Audience a;
  std::string team, problem;
  EXPECT_TRUE(TryParseAudience("team:T05", a, team, problem));
  EXPECT_EQ(a, Audience::kTeam);
  EXPECT_EQ(team, "T05");
  EXPECT_FALSE(TryParseAudience("team:", a, team, problem));
  EXPECT_EQ(problem, "audience 'team:' is not cabinet, management, team:ID or public");
  Format f;
  EXPECT_TRUE(TryFormatOfPath("x.xlsx", f));
  EXPECT_EQ(f, Format::kXlsx);
  EXPECT_FALSE(TryFormatOfPath("x.pdf", f));
}

// One simulated council for every test below, loaded once.
class CouncilReportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ =
        std::make_unique<fs::path>(fs::temp_directory_path() / ("gt_report_" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    sim::SimOptions o;
    o.people = 2000;
    o.months = 24;
    o.seed = 12;
    o.start = DateFromCivil(2024, 10, 1);
    o.scenarios = {{sim::ScenarioKind::kLetters, "T03"}, {sim::ScenarioKind::kBunching, "T05"}};
    ASSERT_TRUE(sim::Simulate(o, *dir_ / "data").ok());
    auto store = OpenStore((*dir_ / "s.db").string(), OpenMode::kCreateIfMissing);
    ASSERT_TRUE(store.ok());
    auto imported = ImportDirectory(**store, (*dir_ / "data").string(), ImportOptions{});
    ASSERT_TRUE(imported.ok() && imported->committed);
    AnalysisOptions ao;
    ao.run_by = "tester";
    auto a = LoadAnalysis(**store, ao);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    analysis_ = std::make_unique<std::shared_ptr<const Analysis>>(*a);
  }
  static void TearDownTestSuite() {
    analysis_.reset();
    fs::remove_all(*dir_);
    dir_.reset();
  }
  static const Analysis& A() { return **analysis_; }
  static Document Build(Audience audience, std::string team = "") {
    ReportOptions o;
    o.audience = audience;
    o.team = std::move(team);
    auto doc = BuildReport(A(), o);
    EXPECT_TRUE(doc.ok()) << doc.status().ToString();
    return doc.ok() ? *doc : Document{};
  }
  static std::unique_ptr<fs::path> dir_;
  static std::unique_ptr<std::shared_ptr<const Analysis>> analysis_;
};
std::unique_ptr<fs::path> CouncilReportTest::dir_;
std::unique_ptr<std::shared_ptr<const Analysis>> CouncilReportTest::analysis_;

// Every row of every table has one cell per column.
void ExpectRectangular(const Document& d) {
  for (const Table* t : Tables(d))
    for (const auto& row : t->rows) ASSERT_EQ(row.size(), t->columns.size()) << t->id;
}

std::vector<std::string> ChartIds(const Document& d) {
  ExpectRectangular(d);
  std::vector<std::string> ids;
  for (const Chart* c : Charts(d)) ids.push_back(c->id);
  return ids;
}

// No URL a browser would fetch: the only "http" is the SVG namespace.
void ExpectOffline(const std::string& html) {
  std::string rest = std::regex_replace(html, std::regex("xmlns=\"http://www.w3.org/2000/svg\""), "");
  EXPECT_EQ(rest.find("http:"), std::string::npos);
  EXPECT_EQ(rest.find("https:"), std::string::npos);
  EXPECT_EQ(rest.find("<script"), std::string::npos);
  EXPECT_EQ(rest.find("<link"), std::string::npos);
  EXPECT_EQ(rest.find(" src="), std::string::npos);
  EXPECT_EQ(rest.find("@import"), std::string::npos);
  EXPECT_FALSE(std::regex_search(rest, std::regex("url\\((?!#)")));
}

TEST_F(CouncilReportTest, CabinetHasEveryOutcomeSparklineAndIconsAndNoExternalUrl) {
  const Document full = Build(Audience::kCabinet);
  // After the scorecard's three sections, the carers' audits (issue 12): the
  // Hub wheel with the headline reach, and the headline cost figures.
  ASSERT_EQ(full.sections.size(), 5u);
  EXPECT_EQ(full.sections[3].id, "carers-hub");
  EXPECT_EQ(full.sections[4].id, "money");
  EXPECT_EQ(ChartIds(full), (std::vector<std::string>{"cabinet-hub-wheel"}));
  Document d = full;
  d.sections.resize(3);
  std::vector<std::string> outcomes;
  for (const auto& def : A().definitions)
    if (def.oba == indicators::Oba::kBetterOff) outcomes.push_back(def.title);
  EXPECT_EQ(outcomes.size(), 9u);
  ExpectRectangular(d);
  // The scorecard: one row per outcome measure, each with its sparkline-size
  // SPC chart and its variation and assurance icons beside the words.
  const Table* score = nullptr;
  const Table* numbers = nullptr;
  for (const Table* t : Tables(d)) {
    if (t->id == "scorecard") score = t;
    if (t->id == "trend-numbers") numbers = t;
  }
  ASSERT_NE(score, nullptr);
  ASSERT_NE(numbers, nullptr);
  std::vector<std::string> headings;
  for (const Column& c : score->columns) headings.push_back(c.heading);
  EXPECT_EQ(headings, (std::vector<std::string>{"Measure", "Period", "Value", "Unit", "Trend", "Variation",
                                                "Assurance"}));
  ASSERT_EQ(score->rows.size(), outcomes.size());
  for (size_t r = 0; r < score->rows.size(); ++r) {
    const auto& row = score->rows[r];
    EXPECT_EQ(row[0].text, outcomes[r]);
    EXPECT_EQ(row[4].svg.rfind("<svg", 0), 0u) << outcomes[r];
    EXPECT_NE(row[4].svg.find("class=\"sparkline\""), std::string::npos) << outcomes[r];
    EXPECT_NE(row[4].svg.find("<title>Trend of " + outcomes[r] + "</title>"), std::string::npos) << outcomes[r];
    EXPECT_NE(row[6].svg.find("Assurance: no target set"), std::string::npos) << outcomes[r];
    EXPECT_EQ(row[6].text, "no target set");
    // A charted series has its variation icon; one with too few points says why.
    if (row[5].text.rfind("fewer than 6 points", 0) == 0) EXPECT_EQ(row[5].svg, "") << outcomes[r];
    else EXPECT_NE(row[5].svg.find("<title>Variation: " + row[5].text + "</title>"), std::string::npos) << outcomes[r];
  }
  // The numbers behind the sparklines: each measure by quarter.
  ASSERT_EQ(numbers->rows.size(), outcomes.size());
  EXPECT_EQ(numbers->columns.size(), 1 + A().quarterly.result.periods.size());
  // One or two A4 pages (checked by printing the demo's with chromium, see
  // docs/reports.md): three sections, no full-size chart (those are in the
  // management report), three findings at most and no evidence tables.
  EXPECT_EQ(d.sections.size(), 3u);
  EXPECT_TRUE(Charts(d).empty());
  size_t findings = 0, rows = 0;
  for (const Section& s : d.sections)
    for (const Block& b : s.blocks)
      if (const auto* f = std::get_if<FindingBlock>(&b)) {
        ++findings;
        EXPECT_TRUE(f->evidence.rows.empty());
        EXPECT_EQ(f->why, "");
      }
  for (const Table* t : Tables(d)) rows += t->rows.size();
  EXPECT_LE(findings, 3u);
  EXPECT_EQ(rows, 2 * outcomes.size());  // no published figures: no peers table
  const std::string html = RenderHtml(d);
  ExpectOffline(html);
  EXPECT_NE(html.find("<main class=\"audience-cabinet\">"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"cell-svg\"><svg"), std::string::npos);
  EXPECT_NE(html.find(d.provenance.text.substr(0, 40)), std::string::npos);
  EXPECT_NE(html.find("No plan loaded."), std::string::npos);
  EXPECT_NE(html.find("No published figures loaded."), std::string::npos);
  EXPECT_NE(html.find("break-inside:avoid"), std::string::npos);
  // The two pages carry no chart's table: the numbers behind the sparklines,
  // the wheel and the unit costs are in the annex after them, in that order,
  // each linked from where it is shown, and whole in JSON and XLSX.
  EXPECT_TRUE(full.numbers_in_annex);
  const std::string whole = RenderHtml(full);
  const size_t annex = whole.find("<section id=\"annex\" class=\"page-break annex\">");
  ASSERT_NE(annex, std::string::npos);
  std::vector<std::string> annexed;
  for (size_t at = whole.find("<table id=\""); at != std::string::npos; at = whole.find("<table id=\"", at + 1)) {
    const std::string id = whole.substr(at + 11, whole.find('"', at + 11) - at - 11);
    if (at > annex) annexed.push_back(id);
    else EXPECT_TRUE(id != "trend-numbers" && id != "cabinet-hub-wheel-data" && id != "cabinet-costs") << id;
  }
  EXPECT_EQ(annexed, (std::vector<std::string>{"trend-numbers", "cabinet-hub-wheel-data", "cabinet-costs"}));
  EXPECT_NE(whole.find("<a href=\"#trend-numbers\">"), std::string::npos);
  EXPECT_NE(whole.find("<a href=\"#cabinet-hub-wheel-data\">Its numbers: annex, table 2.</a>"), std::string::npos);
  EXPECT_EQ(RenderHtml(Build(Audience::kManagement)).find("id=\"annex\""), std::string::npos);
  // The wheel's table beside it is the headline (rating and reach); the
  // evidence is the management report's.
  std::vector<std::string> wheel;
  for (const Column& c : Charts(full).front()->data.columns) wheel.push_back(c.heading);
  EXPECT_EQ(wheel, (std::vector<std::string>{"Intervention", "Rating", "Carers reached", "Estimated carers", "Reach"}));
}

// The analysis tabulates the checks' quarterly series from its own quarterly
// grain rather than running the engine again: the findings must be exactly
// those `goldthread check` computes.
TEST_F(CouncilReportTest, FindingsAreThoseTheChecksComputeThemselves) {
  auto own = integrity::RunChecksWithIndicators(*A().snapshot, integrity::CheckConfig{}, integrity::CheckScope{},
                                                A().definitions);
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  ASSERT_EQ(own->size(), A().findings.size());
  for (size_t i = 0; i < own->size(); ++i) {
    const integrity::Finding &x = (*own)[i], &y = A().findings[i];
    EXPECT_EQ(x.check, y.check) << i;
    EXPECT_EQ(x.org_unit, y.org_unit) << i;
    EXPECT_EQ(x.period, y.period) << i;
    EXPECT_EQ(x.summary, y.summary) << i;
    EXPECT_EQ(x.value, y.value) << i;
  }
  EXPECT_GT(own->size(), 0u);
}

// A shorter analysis than the data: the checks also read quarters before
// its first, which it computes alone and puts in front of its own quarters
// (the engine is not run over the analysis's quarters a second time). The
// findings are still exactly those the checks compute themselves.
TEST_F(CouncilReportTest, ChecksOfAShortAnalysisAreThoseTheChecksComputeThemselves) {
  auto store = OpenStore((*dir_ / "s.db").string(), OpenMode::kMustExist);
  ASSERT_TRUE(store.ok());
  AnalysisOptions ao;
  ao.months = 12;
  ao.record_run = false;
  std::vector<std::string> steps;
  ao.on_step = [&steps](std::string_view step, double ms) {
    EXPECT_GE(ms, 0.0);
    steps.emplace_back(step);
  };
  auto a = LoadAnalysis(**store, ao);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(steps, (std::vector<std::string>{"snapshot", "monthly", "quarterly", "checks", "published", "run"}));
  const auto months = integrity::IndicatorSeriesMonths(*(*a)->snapshot, integrity::CheckScope{});
  ASSERT_TRUE(months.has_value());
  ASSERT_FALSE((*a)->quarterly.result.periods.empty());
  EXPECT_LT(months->first, (*a)->quarterly.result.periods.front().start);  // quarters before the analysis's
  auto own = integrity::RunChecksWithIndicators(*(*a)->snapshot, integrity::CheckConfig{}, integrity::CheckScope{},
                                                (*a)->definitions);
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  ASSERT_EQ(own->size(), (*a)->findings.size());
  for (size_t i = 0; i < own->size(); ++i) {
    const integrity::Finding &x = (*own)[i], &y = (*a)->findings[i];
    EXPECT_EQ(x.check, y.check) << i;
    EXPECT_EQ(x.org_unit, y.org_unit) << i;
    EXPECT_EQ(x.period, y.period) << i;
    EXPECT_EQ(x.summary, y.summary) << i;
    EXPECT_EQ(x.value, y.value) << i;
    EXPECT_EQ(x.evidence.figures, y.evidence.figures) << i;
  }
}

// A derived figure's numerator and denominator are its components' values
// (docs/indicators.md): under disclosure control the rule is never applied
// to them (100 x 40 / 20 = 200%) but to its components, which are found in
// the analysis; without one it is suppressed (disclosure_derived_test.cc
// has the components' cases).
TEST(ShowFigureTest, ADerivedFigureIsSuppressedUnderDisclosureControl) {
  auto d = indicators::ParseDefinition(
      "id = \"g\"\ntitle = \"G\"\ndescription = \"G\"\nunit = \"percent\"\npolarity = \"down\"\n"
      "oba = \"how_well\"\nkind = \"snapshot\"\nversion = 1\n[derived]\nof = [\"a\", \"b\"]\nop = \"difference\"\n",
      "g.toml");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  indicators::Figure f;
  f.numerator = 40, f.denominator = 20, f.value = 20;
  ChartContext ctx;
  EXPECT_EQ(internal::ShowFigure(ctx, *d, f).value, 20.0);  // the analyst's view: the value
  ctx.disclosure = DisclosureRule{};
  const internal::Shown shown = internal::ShowFigure(ctx, *d, f);
  EXPECT_TRUE(shown.suppressed);
  EXPECT_FALSE(shown.value.has_value());
}

TEST_F(CouncilReportTest, GamingMarkerOnT05AssessmentsWithin28Days) {
  const int ind = A().IndicatorIndex("assessment-28d");
  const int32_t t05 = A().OrgUnit("T05");
  ASSERT_GE(ind, 0);
  ASSERT_GE(t05, 0);
  ChartContext ctx;
  ctx.analysis = &A();
  const SeriesRef ref{PeriodKind::kMonth, ind, t05, 0};
  const Chart c = SpcChart(ctx, ref, "t05");
  EXPECT_NE(c.svg.find("class=\"finding-marker\""), std::string::npos);
  EXPECT_NE(c.svg.find("assessments bunched just inside the 28-day deadline"), std::string::npos);
  const Icons icons = SeriesIcons(ctx, ref);
  // On this small council the team's monthly series shows no special-cause
  // point during the finding's year, so the warning is "see: ..."; on the
  // demo council (20,000 people) it reads "improvement, but see: ...".
  EXPECT_EQ(icons.warning, "see: assessments bunched just inside the 28-day deadline (deadline_bunching, 2025-26)");
  // A team without a finding has no marker and no warning.
  const Chart clean = SpcChart(ctx, {PeriodKind::kMonth, ind, A().OrgUnit("T01"), 0}, "t01");
  EXPECT_EQ(clean.svg.find("finding-marker"), std::string::npos);
  EXPECT_EQ(SeriesIcons(ctx, {PeriodKind::kMonth, ind, A().OrgUnit("T01"), 0}).warning, "");
}

// The words beside the icons agree with the variation icon (the latest
// point): on the demo council T05's assessment-28d improved under the
// deadline-bunching finding in earlier months and is common cause now, and
// its row read "common cause" beside "improvement, but see: ...".
TEST(FindingWarningTest, TheWordsAgreeWithTheVariationIcon) {
  const std::string see = "assessments bunched just inside the 28-day deadline (deadline_bunching, 2025-26)";
  using stats::PointType;
  EXPECT_EQ(internal::FindingWarning(PointType::kCommonCause, stats::Polarity::kUp, {"2025-06", "2025-07"}, see),
            "earlier improvement (2025-06, 2025-07; now common cause), but see: " + see);
  EXPECT_EQ(internal::FindingWarning(PointType::kConcern, stats::Polarity::kUp, {"2025-06"}, see),
            "earlier improvement (2025-06; now concern), but see: " + see);
  EXPECT_EQ(internal::FindingWarning(std::nullopt, stats::Polarity::kUp, {"2025-06"}, see),
            "earlier improvement (2025-06; now not charted), but see: " + see);
  // Improving now: the icon says improvement, and so do the words.
  EXPECT_EQ(internal::FindingWarning(PointType::kImprovement, stats::Polarity::kUp, {"2025-06"}, see),
            "improvement, but see: " + see);
  EXPECT_EQ(internal::FindingWarning(PointType::kImprovement, stats::Polarity::kDown, {}, see),
            "improvement, but see: " + see);
  // No improvement under the finding: no claim of one.
  EXPECT_EQ(internal::FindingWarning(PointType::kCommonCause, stats::Polarity::kUp, {}, see), "see: " + see);
  EXPECT_EQ(internal::FindingWarning(PointType::kNeutralHigh, stats::Polarity::kUp, {}, see), "see: " + see);
}

TEST_F(CouncilReportTest, JsonHasTheSameFiguresAsHtml) {
  const Document d = Build(Audience::kCabinet);
  const std::string html = RenderHtml(d);
  const auto j = nlohmann::json::parse(RenderJson(d));
  EXPECT_EQ(j["audience"], "cabinet");
  auto table_of = [](const nlohmann::json& b) -> const nlohmann::json* {
    if (b["type"] == "chart") return &b["data"];
    if (b["type"] == "table") return &b;
    return nullptr;
  };
  EXPECT_EQ(j["provenance"]["text"], d.provenance.text);
  size_t checked = 0;
  for (const auto& s : j["sections"])
    for (const auto& b : s["blocks"]) {
      const nlohmann::json* tp = table_of(b);
      if (!tp) continue;
      const auto& t = *tp;
      // Each table of the JSON is in the HTML with the same row count, and
      // each value appears as the HTML formats it.
      const std::string id = t["id"];
      const size_t at = html.find("<table id=\"" + id + "\"");
      ASSERT_NE(at, std::string::npos) << id;
      const std::string table = html.substr(at, html.find("</table>", at) - at);
      size_t rows = 0;
      for (size_t p = table.find("<tr>"); p != std::string::npos; p = table.find("<tr>", p + 1)) ++rows;
      EXPECT_EQ(rows, t["rows"].size() + 1) << id;  // + the header row
      for (const auto& row : t["rows"])
        for (size_t c = 0; c < row.size(); ++c) {
          if (!row[c].is_number_float()) continue;
          const auto& col = t["columns"][c];
          const double v = row[c].get<double>();
          // The column's digits, or a cell's own in a column of mixed units
          // (Cell::decimals, display only: a count "412" among means "7.10").
          const bool percent = col["type"].get<std::string>() == "percent";
          bool found = false;
          std::string tried;
          for (const int dec : {col["decimals"].get<int>(), 0, 1, 2}) {
            const std::string shown = percent ? fmt::format("{:.{}f}%", v, dec) : fmt::format("{:.{}f}", v, dec);
            found = found || table.find(">" + shown + "<") != std::string::npos;
            tried += " " + shown;
          }
          EXPECT_TRUE(found) << id << ":" << tried;
          ++checked;
        }
    }
  EXPECT_GT(checked, 50u);
}

TEST_F(CouncilReportTest, ManagementHasEveryIndicatorFunnelsAndSmallMultiples) {
  const Document d = Build(Audience::kManagement);
  std::vector<std::string> expected;
  for (const auto& def : A().definitions) {
    expected.push_back("spc-" + def.id);
    if (def.unit == indicators::Unit::kPercent) {
      expected.push_back("funnel-" + def.id);
      expected.push_back("teams-" + def.id);
    }
  }
  // The carers' audits (issue 12): the Hub's wheel and matrices, and the
  // unit cost of each service whose budget is on target while activity falls.
  for (const char* id : {"hub-wheel", "hub-matrix-groups", "hub-matrix-areas"}) expected.push_back(id);
  ASSERT_TRUE(A().audits.costs.has_value());
  for (const auto& c : A().audits.costs->services)
    if (std::find(c.flags.begin(), c.flags.end(), "activity_falls_budget_on_target") != c.flags.end()) {
      expected.push_back("unit-cost-" + c.service_type);
    }
  EXPECT_EQ(ChartIds(d), expected);
  std::vector<std::string> sections;
  for (const Section& s : d.sections) sections.push_back(s.id);
  EXPECT_EQ(sections, (std::vector<std::string>{"summary", "by-service", "by-user-group", "indicators", "findings",
                                                "data-quality", "carers-hub", "money", "casework", "added-value"}));
  ExpectOffline(RenderHtml(d));
  EXPECT_TRUE(d.person_level_views.empty());
  // Each indicator chart's numbers are folded under it on screen (the page
  // was 85,630 px tall at 1280 px) and printed open: every chart of the
  // indicators section, and only those, folds its table.
  const std::string html = RenderHtml(d);
  size_t folded = 0;
  for (size_t at = 0; (at = html.find("<details class=\"fold chart-data\">", at)) != std::string::npos; ++at) ++folded;
  size_t folded_charts = 0;
  for (const Chart* c : Charts(d)) {
    const bool indicator_chart = c->id.starts_with("spc-") || c->id.starts_with("funnel-") || c->id.starts_with("teams-");
    if (indicator_chart) {
      EXPECT_TRUE(c->data.folded) << c->id;
    }
    folded_charts += c->data.folded;
  }
  EXPECT_EQ(folded, folded_charts);  // the Hub's wheel folds its table as before
  EXPECT_GT(folded_charts, 50u);
  EXPECT_NE(html.find("details.chart-data::details-content{content-visibility:visible;display:block}"),
            std::string::npos);
}

// A count prints as a whole number wherever it sits, even in a column of
// mixed figures (a finding's evidence, the at-a-glance table): "4", never
// "4.00" (seen in the management report's evidence tables).
TEST_F(CouncilReportTest, CountsPrintAsWholeNumbersInMixedColumns) {
  const Document d = Build(Audience::kManagement);
  const std::string html = RenderHtml(d);
  size_t evidence = 0;
  for (const Section& s : d.sections)
    for (const Block& b : s.blocks) {
      const auto* f = std::get_if<FindingBlock>(&b);
      if (!f) continue;
      ASSERT_FALSE(f->evidence.rows.empty());
      const size_t at = html.find("<table id=\"" + f->evidence.id + "\"");
      ASSERT_NE(at, std::string::npos);
      const std::string table = html.substr(at, html.find("</table>", at) - at);
      const double records = *f->evidence.rows[0][1].number;
      EXPECT_NE(table.find(fmt::format("<th scope=\"row\">records</th><td class=\"num\">{:.0f}</td>", records)),
                std::string::npos)
          << table;
      EXPECT_FALSE(std::regex_search(table, std::regex(">[0-9]+\\.0+<"))) << table;
      ++evidence;
    }
  EXPECT_GT(evidence, 0u);
  // The at-a-glance table: a count indicator's value has no decimals.
  const Table* glance = nullptr;
  for (const Table* t : Tables(d))
    if (t->id == "summary-table") glance = t;
  ASSERT_NE(glance, nullptr);
  size_t counts = 0;
  for (size_t i = 0; i < A().definitions.size(); ++i) {
    if (A().definitions[i].unit != indicators::Unit::kCount || !glance->rows[i][2].number) continue;
    EXPECT_EQ(glance->rows[i][2].decimals, 0) << A().definitions[i].id;
    EXPECT_EQ(glance->rows[i][3].text, "count") << A().definitions[i].id;  // the unit beside it
    ++counts;
  }
  EXPECT_GT(counts, 0u);
}

// Every finding's "why" is a sentence: what was looked at and why it fired,
// shares as percentages; the check's own statistic stays beside it.
TEST_F(CouncilReportTest, FindingsSayWhyInWordsAndKeepTheCheckStatistic) {
  const Document d = Build(Audience::kManagement);
  size_t n = 0;
  for (const Section& s : d.sections)
    for (const Block& b : s.blocks) {
      const auto* f = std::get_if<FindingBlock>(&b);
      if (!f) continue;
      const integrity::Finding& src = A().findings[n++];
      EXPECT_EQ(f->why.rfind("Looked at ", 0), 0u) << f->why;
      EXPECT_NE(f->why.find(". Flagged because "), std::string::npos) << f->why;
      EXPECT_EQ(f->why.find(">="), std::string::npos) << f->why;
      if (src.statistic.find("share") != std::string::npos) {
        EXPECT_NE(f->why.find('%'), std::string::npos) << f->why;
      }
      EXPECT_EQ(f->rule, fmt::format("{} = {:.4g} ({})", src.statistic, src.value, src.threshold));
    }
  EXPECT_EQ(n, A().findings.size());
}

TEST_F(CouncilReportTest, TeamReportHasItsChartsAndItsCasesLogged) {
  const Document d = Build(Audience::kTeam, "T03");
  size_t spc = 0, curves = 0;
  for (const std::string& id : ChartIds(d)) {
    spc += id.rfind("spc-", 0) == 0 && id.size() > 4 && id.substr(id.size() - 4) == "-T03";
    curves += id.rfind("curve-", 0) == 0;
  }
  EXPECT_GE(spc, 8u);
  EXPECT_GE(curves, 3u);
  // The SPC charts' and curves' numbers fold under them (the page was
  // 37,963 px tall at 1280 px), as the management report's do.
  for (const Chart* c : Charts(d)) EXPECT_EQ(c->data.folded, c->id.starts_with("spc-") || c->id.starts_with("curve-")) << c->id;
  ASSERT_EQ(d.person_level_views.size(), 4u);
  EXPECT_EQ(d.person_level_views[2].detail, "cases-budgets-criteria");
  const Table* budgets = nullptr;
  for (const Table* t : Tables(d))
    if (t->id == "cases-budgets-criteria") budgets = t;
  ASSERT_NE(budgets, nullptr);
  EXPECT_TRUE(budgets->person_level);
  // The letters planted in T03: budgets counted without a support plan.
  ASSERT_FALSE(budgets->rows.empty());
  EXPECT_EQ(d.person_level_views[2].records, static_cast<int64_t>(budgets->rows.size()));
  size_t no_plan = 0;
  for (const auto& row : budgets->rows) no_plan += row[4].text.find("no support plan agreed") != std::string::npos;
  EXPECT_GT(no_plan, budgets->rows.size() / 2);
  // Without person-level permission, no case list and nothing to log.
  ReportOptions o;
  o.audience = Audience::kTeam;
  o.team = "T03";
  o.person_level = false;
  auto without = BuildReport(A(), o);
  ASSERT_TRUE(without.ok());
  EXPECT_TRUE(without->person_level_views.empty());
  for (const Section& s : without->sections) EXPECT_FALSE(s.person_level) << s.id;
  EXPECT_EQ(BuildReport(A(), [] {
              ReportOptions x;
              x.audience = Audience::kTeam;
              x.team = "T99";
              return x;
            }()).status().message(),
            "no org unit 'T99' in the store");
}

TEST_F(CouncilReportTest, PublicIsAggregateOnlyUnderDisclosureControl) {
  const Document d = Build(Audience::kPublic);
  ExpectRectangular(d);
  EXPECT_TRUE(d.disclosure_control);
  EXPECT_TRUE(d.person_level_views.empty());
  for (const Table* t : Tables(d)) {
    EXPECT_FALSE(t->person_level) << t->id;
    for (size_t c = 0; c < t->columns.size(); ++c)
      for (const auto& row : t->rows) {
        if (!row[c].number) continue;
        const double v = *row[c].number;
        if (t->columns[c].type == ColumnType::kCount) {
          EXPECT_EQ(std::fmod(v, 5.0), 0.0) << t->id << " " << t->columns[c].heading;  // rounded to 5
        }
        if (t->columns[c].type == ColumnType::kPercent) {
          EXPECT_EQ(v, std::round(v)) << t->id;  // whole percent
          EXPECT_EQ(t->columns[c].decimals, 0);
        }
        EXPECT_EQ(row[c].link, "");
      }
  }
  const std::string html = RenderHtml(d);
  ExpectOffline(html);
  EXPECT_NE(html.find("Is anyone better off?"), std::string::npos);
  EXPECT_EQ(html.find("cases-"), std::string::npos);
}

// Reads one file of a zip archive (minizip).
std::string ReadZipEntry(const std::string& zip, const std::string& name) {
  unzFile z = unzOpen(zip.c_str());
  if (!z) return "";
  std::string out;
  if (unzLocateFile(z, name.c_str(), 0) == UNZ_OK && unzOpenCurrentFile(z) == UNZ_OK) {
    char buf[8192];
    int n;
    while ((n = unzReadCurrentFile(z, buf, sizeof buf)) > 0) out.append(buf, n);
    unzCloseCurrentFile(z);
  }
  unzClose(z);
  return out;
}

TEST_F(CouncilReportTest, XlsxStoresNumbersAsNumbersWithFrozenHeaders) {
  const Document d = Build(Audience::kCabinet);
  auto bytes = RenderXlsx(d);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  const std::string path = (*dir_ / "cabinet.xlsx").string();
  std::ofstream(path, std::ios::binary) << *bytes;
  const std::string workbook = ReadZipEntry(path, "xl/workbook.xml");
  EXPECT_NE(workbook.find("name=\"at-a-glance\""), std::string::npos);
  EXPECT_NE(workbook.find("name=\"findings\""), std::string::npos);
  EXPECT_NE(workbook.find("name=\"Provenance\""), std::string::npos);
  // Sheet 1, the scorecard: a frozen pane under its header, its values as
  // numbers (<v> without t="s") in a number format.
  const std::string sheet = ReadZipEntry(path, "xl/worksheets/sheet1.xml");
  EXPECT_NE(sheet.find("<pane ySplit=\"4\" topLeftCell=\"A5\" activePane=\"bottomLeft\" state=\"frozen\"/>"),
            std::string::npos)
      << sheet.substr(0, 600);
  const std::regex number_cell("<c r=\"C5\" s=\"(\\d+)\"><v>([0-9.]+)</v></c>");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(sheet, m, number_cell)) << sheet.substr(0, 2000);
  // The management report's sheet 4, every indicator's SPC table: the
  // percent values stored as fractions with a % format.
  auto mbytes = RenderXlsx(Build(Audience::kManagement));
  ASSERT_TRUE(mbytes.ok()) << mbytes.status().ToString();
  const std::string mpath = (*dir_ / "management.xlsx").string();
  std::ofstream(mpath, std::ios::binary) << *mbytes;
  EXPECT_NE(ReadZipEntry(mpath, "xl/workbook.xml").find("<sheet name=\"indicators\" sheetId=\"4\""), std::string::npos);
  const std::string trends = ReadZipEntry(mpath, "xl/worksheets/sheet4.xml");
  const std::string styles = ReadZipEntry(mpath, "xl/styles.xml");
  EXPECT_NE(styles.find("formatCode=\"0.0%\""), std::string::npos);
  EXPECT_TRUE(std::regex_search(trends, std::regex("<c r=\"D\\d+\" s=\"\\d+\"><v>0\\.\\d+</v></c>")))
      << trends.substr(0, 3000);
}

// A store whose published figures cannot be read is an error, not a report
// without peers: a failed statement (here a published_measures table
// without the expected columns) used to be taken as "none loaded".
TEST(AnalysisTest, UnreadablePublishedFiguresAreAnErrorNotNoPeers) {
  const fs::path dir = fs::temp_directory_path() / ("gt_report_published_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  sim::SimOptions o;
  o.people = 100;
  o.months = 3;
  o.seed = 3;
  o.start = DateFromCivil(2024, 10, 1);
  ASSERT_TRUE(sim::Simulate(o, dir / "data").ok());
  const std::string path = (dir / "s.db").string();
  {
    auto store = OpenStore(path, OpenMode::kCreateIfMissing);
    ASSERT_TRUE(store.ok());
    auto imported = ImportDirectory(**store, (dir / "data").string(), ImportOptions{});
    ASSERT_TRUE(imported.ok() && imported->committed);
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE published_measures (year TEXT)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = OpenStore(path, OpenMode::kMustExist);
  ASSERT_TRUE(store.ok());
  AnalysisOptions ao;
  ao.record_run = false;
  ao.months = 3;
  auto a = LoadAnalysis(**store, ao);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().message(), "store '" + path + "': reading published_measures: no such column: ons_code");
  store->reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace goldthread::report
