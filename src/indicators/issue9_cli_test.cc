// End-to-end (issue 9, the definition language): the built `goldthread
// compute` with a council's own definitions that once gave a wrong answer
// or crashed it. Each is refused with file:line:col and exit 1, or computed
// exactly as written. (A definition that is no regular file:
// ingest/import_cli_test.cc.)

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/test_cli.h"

namespace goldthread {
namespace {

namespace fs = std::filesystem;

using test::Outcome;
using test::Slurp;

constexpr const char* kHeader = R"(id = "local-x"
title = "X"
description = "A council's own."
unit = "percent"
polarity = "up"
oba = "how_well"
kind = "snapshot"
version = 1
)";

class Issue9CliTest : public testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(root_ + "/data");
    auto write = [&](const std::string& name, const std::string& text) { std::ofstream(root_ + "/data/" + name) << text; };
    write("org_units.csv", "org_unit_id,parent_id,name,kind\nC1,,Council,council\nT1,C1,Team,team\n");
    write("people.csv",
          "person_id,role,birth_date,sex,ethnicity,area,primary_support_reason,employment,groups\n"
          "P1,service_user,1940-05-01,F,white,A1,physical,,\nP2,service_user,1941-05-01,M,white,A1,physical,,\n");
    write("services.csv",
          "service_id,person_id,service_type,hub_intervention,setting,term,delivery,start_on,end_on,"
          "planned_hours_week,weekly_cost,provider_id,org_unit_id,worker_id,recorded_at,recorded_by\n"
          "S1,P1,home_care,,community,long,commissioned,2023-01-01,,,,,T1,,,\n"
          "S2,P2,home_care,,community,long,commissioned,2023-01-01,,,,,T1,,,\n");
    // P1: plans due 2023-06-01, 2023-10-01, 2024-03-01; review 2024-03-15 (after the latest due date).
    // P2: plans due 2024-02-01, 2024-04-10; reviews 2024-03-20 (before it) and 2024-05-02.
    write("support_plans.csv",
          "plan_id,person_id,agreed_on,outcomes_agreed,review_due_on,copy_given,contact_named,org_unit_id,"
          "worker_id,recorded_at,recorded_by\n"
          "L1,P1,2023-03-01,,2023-06-01,,,T1,,,\nL2,P1,2023-06-01,,2023-10-01,,,T1,,,\n"
          "L3,P1,2023-09-01,,2024-03-01,,,T1,,,\nL4,P2,2023-08-01,,2024-02-01,,,T1,,,\n"
          "L5,P2,2024-01-10,,2024-04-10,,,T1,,,\n");
    write("reviews.csv",
          "review_id,person_id,kind,due_on,completed_on,outcomes_achieved,org_unit_id,worker_id,recorded_at,"
          "recorded_by\nV1,P1,planned,,2024-03-15,,T1,,,\nV2,P2,planned,,2024-03-20,,T1,,,\n"
          "V3,P2,planned,,2024-05-02,,T1,,,\n");
    store_ = root_ + "/s.db";
    Outcome r = Goldthread("import " + store_ + " " + root_ + "/data");
    ASSERT_EQ(r.code, 0) << r.err;
  }
  Outcome Goldthread(const std::string& args) { return test::RunGoldthread(args, root_); }
  // A directory holding one definition.
  std::string Definitions(const std::string& name, const std::string& body) {
    std::string dir = root_ + "/" + name;
    fs::create_directories(dir);
    std::ofstream(dir + "/" + name + ".toml") << kHeader << body;
    return dir;
  }
  // The figures of local-x for April 2024, council.
  nlohmann::json Figure(const std::string& dir) {
    Outcome r = Goldthread("compute " + store_ + " --from 2023-05 --to 2024-04 --indicators " + dir + " --json " +
                           root_ + "/out.json --cases");
    EXPECT_EQ(r.code, 0) << r.err;
    nlohmann::json j = nlohmann::json::parse(Slurp(root_ + "/out.json"), nullptr, false);
    for (const auto& ind : j["indicators"])
      if (ind["id"] == "local-x")
        for (const auto& s : ind["series"])
          if (s["period"] == "2024-04" && s["org_unit"] == "C1" && s["group"] == "all") return s;
    ADD_FAILURE() << "no figure";
    return {};
  }
  test::TestDir dir_{"issue9_cli"};  // removed after the test
  const std::string root_ = dir_.path();
  std::string store_;
};

const char* kPopulation = "[population]\nunit = \"person\"\nfrom = \"services\"\n"
                          "where = \"term = 'long' and active_at(period_end)\"\n";

// The issue's example: a let holding an aggregate, used inside another
// table's exists(), means exactly its expression written out.
TEST_F(Issue9CliTest, LetInsideExistsIsItsExpression) {
  const std::string k = "max(support_plans, review_due_on, agreed_on <= period_end)";
  nlohmann::json with = Figure(Definitions("with_let", std::string(kPopulation) + "[let]\nk = \"" + k + "\"\n" +
                                                           "[numerator]\nwhere = \"exists(reviews, completed_on >= k "
                                                           "and completed_on <= period_end)\"\n"));
  nlohmann::json written = Figure(Definitions("written_out", std::string(kPopulation) +
                                                                 "[numerator]\nwhere = \"exists(reviews, completed_on >= " +
                                                                 k + " and completed_on <= period_end)\"\n"));
  EXPECT_EQ(with["numerator"], 1);
  EXPECT_EQ(with["denominator"], 2);
  EXPECT_EQ(with["cases"]["numerator"], nlohmann::json::array({"P1"}));
  EXPECT_EQ(with["numerator"], written["numerator"]);
  EXPECT_EQ(with["cases"], written["cases"]);
}

TEST_F(Issue9CliTest, DeepNestingIsRefusedWithItsPosition) {
  std::string dir = Definitions("deep", std::string(kPopulation) + "[numerator]\nwhere = \"" +
                                            std::string(5000, '(') + "term = 'long'" + std::string(5000, ')') + "\"\n");
  Outcome r = Goldthread("compute " + store_ + " --indicators " + dir);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "goldthread compute: " + dir + "/deep.toml:14:266: expression nested too deeply (at most 256 "
                   "levels of parentheses, operators, function calls and lets)\n");
  dir = Definitions("minus", std::string(kPopulation) + "[numerator]\nwhere = \"1 > " + std::string(100000, '-') + "1\"\n");
  r = Goldthread("compute " + store_ + " --indicators " + dir);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "goldthread compute: " + dir + "/minus.toml:14:269: expression nested too deeply (at most 256 "
                   "levels of parentheses, operators, function calls and lets)\n");
}

TEST_F(Issue9CliTest, DivisionByZeroIsRefusedWithItsPosition) {
  std::string dir = Definitions("zero", "[parameters]\nweeks = 0\n" + std::string(kPopulation) +
                                            "[numerator]\nwhere = \"exists(reviews, completed_on >= period_end - 365 / weeks)\"\n");
  Outcome r = Goldthread("compute " + store_ + " --indicators " + dir);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "goldthread compute: " + dir + "/zero.toml:16:61: division by zero: parameter 'weeks' is 0\n");
}

}  // namespace
}  // namespace goldthread
