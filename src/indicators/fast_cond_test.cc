// Compiled conditions (fast_cond.h) give what the node evaluator gives, for
// each shape they compile, with unknown values, text literals and values of
// the period; checked against hand-worked answers on three services.
#include "indicators/fast_cond.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "indicators/expr.h"
#include "indicators/test_util.h"

namespace goldthread::indicators {
namespace {

using testing::Data;

// P1 (born 1950-07-01) has S1 and S2, P2 (a carer, birth unknown) has S3;
// the periods are March and April 2024.
std::unique_ptr<Snapshot> Services() {
  Data d;
  d.Person("P1", "service_user", "1950-07-01", {{"sex", "F"}});
  d.Person("P2", "carer", "");
  d.Add("services", {{"service_id", "S1"},
                     {"person_id", "P1"},
                     {"service_type", "home_care"},
                     {"setting", "community"},
                     {"term", "long"},
                     {"delivery", "direct_payment"},
                     {"start_on", "2024-01-10"},
                     {"planned_hours_week", "10.5"},
                     {"weekly_cost", "250"},
                     {"provider_id", "PRV1"}});
  d.Add("services", {{"service_id", "S2"},
                     {"person_id", "P1"},
                     {"service_type", "day_care"},
                     {"term", "short"},
                     {"start_on", "2024-03-01"},
                     {"end_on", "2024-04-15"}});
  d.Add("services", {{"service_id", "S3"},
                     {"person_id", "P2"},
                     {"service_type", "equipment"},
                     {"hub_intervention", "information"},
                     {"setting", "community"},
                     {"term", "short"},
                     {"delivery", "commissioned"},
                     {"start_on", "2024-04-20"},
                     {"end_on", "2024-04-20"},
                     {"weekly_cost", "99.99"},
                     {"provider_id", "PRV1"}});
  d.Add("visits", {{"visit_id", "V1"},
                   {"person_id", "P1"},
                   {"service_id", "S1"},
                   {"visit_on", "2024-03-05"},
                   {"minutes", "45"}});
  d.Add("visits", {{"visit_id", "V2"},
                   {"person_id", "P1"},
                   {"service_id", "S1"},
                   {"visit_on", "2024-03-06"},
                   {"minutes", "20"}});
  return d.Finish();
}

struct Case {
  const char* where;
  // Per service S1, S2, S3: in March, in April ('1' holds, '0' not).
  const char* expected;
  bool interpreted = false;
};

TEST(FastCondTest, EachShapeGivesTheNodeEvaluatorsAnswer) {
  auto snap = Services();
  const std::vector<Period> periods = {MonthPeriod(2024, 3), MonthPeriod(2024, 4)};
  const TableData& svc = snap->table(TableId::kServices);
  ASSERT_EQ(svc.rows, 3);
  const Case cases[] = {
      {"term = 'long'", "11 00 00"},
      {"setting != 'community'", "00 00 00"},  // S2's setting is unknown: not "not community"
      {"setting is null", "00 11 00"},
      {"weekly_cost > 100", "11 00 00"},
      {"planned_hours_week * 2 >= 21", "11 00 00"},
      {"end_on - start_on < 50", "00 11 11"},  // S1 has no end; S2 runs 45 days, S3 one
      {"start_on in period", "00 10 01"},
      {"start_on in days_before(period_end, 45)", "00 10 01"},  // 16 Feb-31 Mar, 17 Mar-30 Apr
      // The engine turns active_at into date compares (engine_plan.h); here it is a node.
      {"active_at(period_end)", "11 10 00", true},  // S2 ends 15 April, S3 on 20 April
      {"person.role = 'carer'", "00 00 11"},
      {"age_at(period_end) >= 73", "11 11 00"},  // 73 in March and April; P2's age unknown
      {"delivery in ('direct_payment', 'managed_budget') or hub_intervention is not null", "11 00 11"},
      {"not (term = 'short')", "11 00 00"},
      {"between(weekly_cost, 99.99, 250)", "11 00 11"},
      {"provider_id = 'PRV1'", "11 00 11"},
      {"provider_id = 'NOPE'", "00 00 00"},                  // a text no record has
      {"week_start(start_on) >= period_start", "00 00 11"},  // S3's week starts Monday 15 April
      {"count(visits, minutes > 30) >= 1", "11 11 00", true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.where);
    std::vector<std::string> literals;
    CompileEnv env;
    env.text_literals = &literals;
    Expr expr;
    ExprError err;
    ASSERT_TRUE(TryCompile(c.where, {}, TableId::kServices, true, env, expr, err)) << err.message;
    std::vector<int32_t> text_ids;
    for (const std::string& s : literals) {
      int32_t id = snap->strings().Find(s);
      text_ids.push_back(id < 0 ? -2 : id);
    }
    FastCond fast = FastCond::Compile(expr.root(), *snap, periods, text_ids);
    EXPECT_EQ(fast.interpreted(), c.interpreted);
    std::string got;
    for (int64_t r = 0; r < svc.rows; ++r) {
      if (r > 0) got += ' ';
      for (size_t k = 0; k < periods.size(); ++k) {
        EvalContext ctx;
        ctx.snap = snap.get();
        ctx.period = periods[k];
        ctx.person = svc.Int(svc.spec->person_field, r);
        ctx.rows[0] = r;
        ctx.text_ids = &text_ids;
        bool expected = EvalBool(expr, ctx, 0);
        got += fast.Eval(ctx, k) ? '1' : '0';
        EXPECT_EQ(got.back() == '1', expected) << "service " << r << ", period " << k;
      }
    }
    EXPECT_EQ(got, c.expected);
  }
}

}  // namespace
}  // namespace goldthread::indicators
