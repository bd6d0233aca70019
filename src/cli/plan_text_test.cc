// `plan trace`'s words for the cases behind a figure: the lists are people,
// and a figure over records (assessments, reviews) can count one person
// twice; found trying the golden thread as a new user (T05's
// assessment-28d: "63 of 89", then 62 people counted and 26 not).
#include "cli/plan_text.h"

#include <gtest/gtest.h>

#include <sstream>

namespace goldthread::cli {
namespace {

namespace pl = goldthread::planning;

std::string Trace(double numerator, double denominator) {
  pl::LoadedPlan plan;
  pl::PlanEvaluation ev;
  pl::DefinitionIndex defs;
  pl::ThreadUp up;
  pl::FigureCases cases;
  cases.indicator = "assessment-28d";
  cases.org_unit = "T05";
  cases.period = QuarterPeriod(2026, 2);
  cases.value = 100.0 * numerator / denominator;
  cases.numerator = numerator;
  cases.denominator = denominator;
  cases.counted = {"P1", "P2"};
  cases.not_counted = {"P3", "P4"};
  std::ostringstream out;
  PrintTrace(plan, ev, defs, up, nullptr, &cases, 20, out);
  const std::string text = out.str();
  return text.substr(text.find("down to the cases"));
}

TEST(PlanTraceTextTest, SaysThePeopleListedAreFewerThanTheRecordsCounted) {
  EXPECT_EQ(Trace(3, 5),
            "down to the cases: 2026-27 Q2, 60.0% = 3 of 5\n"
            "  (people, each listed once: the figure counts records, and some people have more than one)\n"
            "  counted (2): P1 P2\n"
            "  not counted (2): P3 P4\n");
}

TEST(PlanTraceTextTest, SaysNothingMoreWhenEachPersonIsOneRecord) {
  EXPECT_EQ(Trace(2, 4),
            "down to the cases: 2026-27 Q2, 50.0% = 2 of 4\n"
            "  counted (2): P1 P2\n"
            "  not counted (2): P3 P4\n");
}

}  // namespace
}  // namespace goldthread::cli
