// End-to-end (issue 13, the analyst's output): the built goldthread's
// compute table (names, trend, --json with the table, --quiet), export
// --format csv|xlsx, spc and funnel tables and charts, and the negation
// warning, on a small council worked by hand.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unzip.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace goldthread {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  int code;
  std::string out, err;
};

std::string Slurp(const std::string& path) {
  std::stringstream s;
  s << std::ifstream(path, std::ios::binary).rdbuf();
  return s.str();
}

std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
      else if (c == '"') quoted = false;
      else out.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}

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

// The docs' reviews-overdue, as a council's own definition.
constexpr const char* kOverdue = R"toml(id = "reviews-overdue"
title = "Long-term service users overdue a review"
description = "Overdue."
unit = "percent"
polarity = "down"
oba = "how_well"
kind = "snapshot"
version = 1

[population]
unit = "person"
from = "services"
where = "term = 'long' and active_at(period_end)"

[let]
due = "latest(support_plans, review_due_on, agreed_on <= period_end)"

[numerator]
where = "due < period_end and not exists(reviews, completed_on >= due and completed_on <= period_end)"
)toml";

// 24 people P01..P24 in team T1 "Carrow" (P01..P12) and T2 "Dereham", each
// with a long-term service from 2023 and a plan agreed 2024-01-10 due
// 2024-04-10. Reviewed since: P01..P06 (2024-04-20) and P13..P15; the rest
// not. So for April 2024 (period end 2024-04-30): T1 overdue 6 of 12 (50%),
// T2 9 of 12 (75%), the council 15 of 24 (62.5%). Every person also has a
// review in 2022, which the negation trap counts.
class Issue13CliTest : public testing::Test {
 protected:
  void SetUp() override {
    root_ = testing::TempDir() + "/issue13_cli_" + testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(root_);
    fs::create_directories(root_ + "/data");
    std::string people = "person_id,role,birth_date,sex,ethnicity,area,primary_support_reason,employment,groups\n";
    std::string services =
        "service_id,person_id,service_type,hub_intervention,setting,term,delivery,start_on,end_on,"
        "planned_hours_week,weekly_cost,provider_id,org_unit_id,worker_id,recorded_at,recorded_by\n";
    std::string plans =
        "plan_id,person_id,agreed_on,outcomes_agreed,review_due_on,copy_given,contact_named,org_unit_id,"
        "worker_id,recorded_at,recorded_by\n";
    std::string reviews =
        "review_id,person_id,kind,due_on,completed_on,outcomes_achieved,org_unit_id,worker_id,recorded_at,"
        "recorded_by\n";
    for (int i = 1; i <= 24; ++i) {
      const std::string p = (i < 10 ? "P0" : "P") + std::to_string(i), team = i <= 12 ? "T1" : "T2";
      people += p + ",service_user,1940-05-01,F,white,A1,physical,,\n";
      services += "S" + p + "," + p + ",home_care,,community,long,commissioned,2023-01-01,,,,," + team + ",,,\n";
      plans += "L" + p + "," + p + ",2024-01-10,,2024-04-10,,," + team + ",,,\n";
      reviews += "W" + p + "," + p + ",planned,,2022-06-01,," + team + ",,,\n";
      if (i <= 6 || (i >= 13 && i <= 15)) reviews += "V" + p + "," + p + ",planned,,2024-04-20,," + team + ",,,\n";
    }
    Write("data/org_units.csv",
          "org_unit_id,parent_id,name,kind\nC1,,Council,council\nT1,C1,Carrow,team\nT2,C1,Dereham,team\n");
    Write("data/people.csv", people);
    Write("data/services.csv", services);
    Write("data/support_plans.csv", plans);
    Write("data/reviews.csv", reviews);
    Write("local/reviews-overdue.toml", kOverdue);
    store_ = root_ + "/s.db";
    Outcome r = Goldthread("import " + store_ + " " + root_ + "/data");
    ASSERT_EQ(r.code, 0) << r.err;
  }
  void Write(const std::string& name, const std::string& text) {
    fs::create_directories(fs::path(root_ + "/" + name).parent_path());
    std::ofstream(root_ + "/" + name) << text;
  }
  Outcome Goldthread(const std::string& args) {
    std::string out = root_ + "/stdout", err = root_ + "/stderr";
    int status = std::system((std::string(GOLDTHREAD_BINARY) + " " + args + " >" + out + " 2>" + err).c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, Slurp(out), Slurp(err)};
  }
  std::string Window() const { return " --from 2023-05 --to 2024-04 --indicators " + root_ + "/local"; }
  std::string root_, store_;
};

TEST_F(Issue13CliTest, ExportCsvHoldsEveryFigureOfComputeWithNames) {
  Outcome c = Goldthread("compute " + store_ + Window() + " --json " + root_ + "/out.json --quiet");
  ASSERT_EQ(c.code, 0) << c.err;
  Outcome e = Goldthread("export " + store_ + Window() + " --format csv --out " + root_ + "/figures.csv");
  ASSERT_EQ(e.code, 0) << e.err;
  std::istringstream csv(Slurp(root_ + "/figures.csv"));
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line,
            "indicator,title,measure,period,unit,name,group,numerator,denominator,value,ci_low,ci_high,point_type,"
            "provisional\r");
  std::map<std::string, std::vector<std::string>> rows;  // indicator|period|unit|group
  while (std::getline(csv, line)) {
    std::vector<std::string> f = SplitCsvLine(line);
    ASSERT_EQ(f.size(), 14u) << line;
    rows[f[0] + "|" + f[3] + "|" + f[4] + "|" + f[6]] = f;
  }
  // By hand (see the fixture): the council 15 of 24, T1 6 of 12, T2 9 of 12.
  const auto& council = rows.at("reviews-overdue|2024-04|C1|all");
  EXPECT_EQ(council[5], "Council");
  EXPECT_EQ(council[7] + " " + council[8] + " " + council[9], "15 24 62.5");
  const auto& t1 = rows.at("reviews-overdue|2024-04|T1|all");
  EXPECT_EQ(t1[5] + " " + t1[7] + " " + t1[8] + " " + t1[9], "Carrow 6 12 50");
  const auto& t2 = rows.at("reviews-overdue|2024-04|T2|all");
  EXPECT_EQ(t2[5] + " " + t2[7] + " " + t2[8] + " " + t2[9], "Dereham 9 12 75");
  // Every figure of compute's JSON is a row with the same numbers.
  nlohmann::json j = nlohmann::json::parse(Slurp(root_ + "/out.json"));
  size_t figures = 0;
  auto same = [](const nlohmann::json& v, const std::string& cell) {
    if (v.is_null()) return cell.empty();
    const double x = v.get<double>();
    return !cell.empty() && std::fabs(std::stod(cell) - x) <= 1e-6 * std::max(1.0, std::fabs(x));
  };
  for (const auto& ind : j["indicators"])
    for (const auto& s : ind["series"]) {
      ++figures;
      const std::string key = ind["id"].get<std::string>() + "|" + s["period"].get<std::string>() + "|" +
                              s["org_unit"].get<std::string>() + "|" + s["group"].get<std::string>();
      ASSERT_TRUE(rows.count(key)) << key;
      const auto& r = rows.at(key);
      const auto at = [&](const char* k) { return s.value(k, nlohmann::json()); };  // absent: null
      EXPECT_TRUE(same(at("numerator"), r[7])) << key;
      EXPECT_TRUE(same(at("denominator"), r[8])) << key;
      EXPECT_TRUE(same(at("value"), r[9])) << key;
      EXPECT_TRUE(same(at("ci_low"), r[10])) << key;
      EXPECT_TRUE(same(at("ci_high"), r[11])) << key;
      EXPECT_EQ(at("point_type").is_null() ? "" : at("point_type").get<std::string>(), r[12]) << key;
    }
  EXPECT_EQ(rows.size(), figures);
  // 12 months x 3 units for reviews-overdue alone; the built-ins reading
  // tables the fixture never supplied have no rows (as in compute's JSON),
  // and export says so rather than writing zeros.
  EXPECT_GT(figures, 12u * 3);
  EXPECT_EQ(std::count_if(rows.begin(), rows.end(), [](const auto& r) { return r.first.starts_with("intensive-home-care|"); }),
            0);
  EXPECT_NE(e.err.find("goldthread export: intensive-home-care: no rows: it needs visits records, which this store "
                       "does not hold (no import has supplied visits.csv)\n"),
            std::string::npos)
      << e.err;
}

TEST_F(Issue13CliTest, ExportXlsxHasTheFiguresSheet) {
  Outcome e = Goldthread("export " + store_ + Window() + " --format xlsx --out " + root_ + "/figures.xlsx");
  ASSERT_EQ(e.code, 0) << e.err;
  const std::string path = root_ + "/figures.xlsx";
  EXPECT_NE(ReadZipEntry(path, "xl/workbook.xml").find("name=\"figures\""), std::string::npos);
  const std::string sheet = ReadZipEntry(path, "xl/worksheets/sheet1.xml");
  EXPECT_NE(sheet.find("state=\"frozen\""), std::string::npos);
  EXPECT_NE(sheet.find("<t>reviews-overdue</t>"), std::string::npos);
  EXPECT_NE(sheet.find("<t>Dereham</t>"), std::string::npos);
  EXPECT_NE(sheet.find("<v>62.5</v>"), std::string::npos);  // a number, not text
}

TEST_F(Issue13CliTest, ExportRefusesWhatItCannotDo) {
  Outcome none = Goldthread("export " + store_ + " --out " + root_ + "/x.csv");
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.err.find("usage: goldthread export STORE --format FORMAT"), std::string::npos) << none.err;
  EXPECT_NE(none.err.find("  csv  every computed figure as CSV, for Excel (--out FILE.csv)\n"), std::string::npos)
      << none.err;
  Outcome pdf = Goldthread("export " + store_ + " --format pdf --out " + root_ + "/x.pdf");
  EXPECT_EQ(pdf.code, 2);
  EXPECT_NE(pdf.err.find("goldthread export: --format 'pdf' is not a format (expected one of"), std::string::npos)
      << pdf.err;
  Outcome stdout_xlsx = Goldthread("export " + store_ + " --format xlsx --out -");
  EXPECT_EQ(stdout_xlsx.code, 2);
  EXPECT_NE(stdout_xlsx.err.find("--out must be a file for xlsx"), std::string::npos) << stdout_xlsx.err;
  Outcome missing = Goldthread("export " + root_ + "/none.db --format csv --out " + root_ + "/x.csv");
  EXPECT_EQ(missing.code, 1) << missing.err;
  EXPECT_FALSE(fs::exists(root_ + "/x.csv"));
}

TEST_F(Issue13CliTest, ComputeTableNamesUnitsAndShowsTheTrend) {
  Outcome c = Goldthread("compute " + store_ + Window() + " --json " + root_ + "/out.json");
  ASSERT_EQ(c.code, 0) << c.err;
  // The table is printed beside --json FILE; each unit by id and name, its
  // trend of the last six months beneath (the first plan is due in April,
  // so none is overdue before).
  EXPECT_NE(c.out.find("\n  C1 Council" + std::string(26, ' ') + "62.5% (42.7-78.8) 15/24"), std::string::npos) << c.out;
  EXPECT_NE(c.out.find("\n    T2 Dereham" + std::string(24, ' ') + "75.0% (46.8-91.1) 9/12"), std::string::npos) << c.out;
  EXPECT_NE(c.out.find("      trend 0.0 0.0 0.0 0.0 0.0 75.0\n"), std::string::npos) << c.out;
  EXPECT_NE(c.out.find("trend: the value in the last 6 periods (2023-11 .. 2024-04)"), std::string::npos);
  Outcome q = Goldthread("compute " + store_ + Window() + " --json " + root_ + "/out.json --quiet");
  ASSERT_EQ(q.code, 0) << q.err;
  EXPECT_EQ(q.out.find("trend"), std::string::npos) << q.out;
  EXPECT_NE(q.out.find("indicators, 12 periods"), std::string::npos) << q.out;
}

// A council's derived indicator beside its components (the built-in
// reviews-12m: reviewed in the 365 days to the period end, 9 of 24; T1 6
// of 12): the table, the JSON's derived, and a definition naming an
// indicator that is not there.
TEST_F(Issue13CliTest, ComputeShowsADerivedIndicatorAndRefusesAnUnknownComponent) {
  const std::string head =
      "id = \"overdue-gap\"\ntitle = \"Overdue less reviewed\"\ndescription = \"Points.\"\nunit = \"percent\"\n"
      "polarity = \"down\"\noba = \"how_well\"\nkind = \"snapshot\"\nversion = 1\n[derived]\n";
  Write("local/overdue-gap.toml", head + "of = [\"reviews-overdue\", \"reviews-12m\"]\nop = \"difference\"\n");
  Outcome c = Goldthread("compute " + store_ + Window() + " --json " + root_ + "/out.json");
  ASSERT_EQ(c.code, 0) << c.err;
  // 62.5 - 37.5 = 25 points; Newcombe's interval from the Wilson intervals
  // of 15/24 and 9/24: -3.0 to 48.1.
  EXPECT_NE(c.out.find("overdue-gap  Overdue less reviewed\n  [percent, difference of reviews-overdue and "
                       "reviews-12m, lower is better, v1]\n  C1 Council" + std::string(26, ' ') +
                       "25.0% (-3.0 to 48.1) from 62.5 - 37.5 "),
            std::string::npos)
      << c.out;
  EXPECT_NE(c.out.find("\n    T1 Carrow" + std::string(25, ' ') + "0.0% (-34.8 to 34.8) from 50 - 50 "),
            std::string::npos)
      << c.out;
  nlohmann::json j = nlohmann::json::parse(Slurp(root_ + "/out.json"));
  bool found = false;
  for (const auto& ind : j["indicators"])
    if (ind["id"] == "overdue-gap") {
      found = true;
      EXPECT_EQ(ind["derived"].dump(), R"({"of":["reviews-overdue","reviews-12m"],"op":"difference"})");
    }
  EXPECT_TRUE(found);
  Write("local/overdue-gap.toml", head + "of = [\"reviews-overdue\", \"reviews-12n\"]\nop = \"difference\"\n");
  Outcome bad = Goldthread("compute " + store_ + Window() + " --quiet");
  EXPECT_EQ(bad.code, 1);
  EXPECT_EQ(bad.err, "goldthread compute: " + root_ +
                         "/local/overdue-gap.toml:10:26: 'reviews-12n' is not an indicator (did you mean "
                         "'reviews-12m'?): [derived] of names indicators by their id, built-in or in the "
                         "--indicators directory\n");
}

// The negation trap: "has a review not in the last 365 days" is true of
// everyone here (each has a 2022 review), and is warned about; the
// not exists() the docs give is not.
TEST_F(Issue13CliTest, ComputeWarnsOfANegatedNumeratorThatIsAlmostAlwaysTrue) {
  std::string trap = kOverdue;
  trap = trap.substr(0, trap.find("[let]")) +
         "[numerator]\nfrom = \"reviews\"\nwhere = \"not (completed_on in days_before(period_end, 365))\"\n";
  trap.replace(trap.find("reviews-overdue"), 15, "not-reviewed");
  Write("trap/not-reviewed.toml", trap);
  Outcome c = Goldthread("compute " + store_ + " --from 2024-04 --to 2024-04 --indicators " + root_ + "/trap --quiet");
  ASSERT_EQ(c.code, 0) << c.err;
  EXPECT_NE(c.err.find("goldthread compute: warning: " + root_ +
                       "/trap/not-reviewed.toml: indicator 'not-reviewed': the numerator's 'not (...)' held for 100% "
                       "of the council's cases (24 of 24) over the periods computed. With from = \"reviews\""),
            std::string::npos)
      << c.err;
  Outcome ok = Goldthread("compute " + store_ + " --from 2024-04 --to 2024-04 --indicators " + root_ + "/local --quiet");
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_EQ(ok.err.find("warning"), std::string::npos) << ok.err;
}

TEST_F(Issue13CliTest, SpcShowsAPChartInPercentAndSaysWhatAssuranceNeeds) {
  Write("p.csv", "x,numerator,denominator\n2024-01,5,10\n2024-02,6,10\n2024-03,4,10\n2024-04,5,10\n"
                 "2024-05,5,10\n2024-06,6,10\n");
  Outcome r = Goldthread("spc " + root_ + "/p.csv");
  ASSERT_EQ(r.code, 0) << r.err;
  // Centre 31 / 60 = 51.6667%.
  EXPECT_NE(r.out.find("2024-01       50%         51.6667%"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("assurance: none (needs a --target)\n"), std::string::npos) << r.out;
  Outcome n = Goldthread("spc " + root_ + "/p.csv --polarity neutral");
  EXPECT_NE(n.out.find("assurance: none (needs --polarity up or down and a --target)\n"), std::string::npos) << n.out;
}

TEST_F(Issue13CliTest, SvgChartsTakeATitleAndLabelsAndNeverNan) {
  Write("y.csv", "x,y\n1,1e308\n2,-1e308\n3,1e308\n4,-1e308\n5,1e308\n6,-1e308\n7,0\n");
  Outcome r = Goldthread("spc " + root_ + "/y.csv --svg " + root_ + "/y.svg --title \"Huge values\" --x-label Month "
                         "--y-label Minutes");
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string svg = Slurp(root_ + "/y.svg");
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_EQ(svg.find("inf"), std::string::npos);
  EXPECT_NE(svg.find("Huge values"), std::string::npos);
  EXPECT_NE(svg.find(">Month<"), std::string::npos);
  EXPECT_NE(svg.find(">Minutes<"), std::string::npos);
  Write("f.csv", "unit,numerator,denominator\nA,1,1400\nB,300,1500\nC,320,1450\nD,310,1480\n");
  Outcome f = Goldthread("funnel " + root_ + "/f.csv --svg " + root_ + "/f.svg --title \"Teams\" --y-label Share");
  ASSERT_EQ(f.code, 0) << f.err;
  const std::string fsvg = Slurp(root_ + "/f.svg");
  EXPECT_NE(fsvg.find("Teams"), std::string::npos);
  EXPECT_NE(fsvg.find(">Share<"), std::string::npos);
  // The table: ten columns, each cell apart from the next.
  std::istringstream t(f.out);
  std::string line;
  int rows = 0;
  while (std::getline(t, line)) {
    if (line.rfind("unit ", 0) != 0 && line.size() < 2) continue;
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string x; words >> x;) w.push_back(x);
    if (!w.empty() && (w[0] == "unit" || w[0].size() == 1)) {
      EXPECT_EQ(w.size(), 10u) << line;
      ++rows;
    }
  }
  EXPECT_EQ(rows, 5);
}

}  // namespace
}  // namespace goldthread
