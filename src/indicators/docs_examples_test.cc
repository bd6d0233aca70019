// Three of them, written as a new analyst would from the docs alone
// (issue 13), are checked month by month against an independent
// computation: SQL over the same rows in SQLite.
//
// Every whole definition in docs/indicators.md (a ```toml block that starts
// with `id =`, unless marked <!-- outline --> or <!-- fragment --> on the
// line before it) loads and computes on the simulated council, with cases
// in some period: a documented example that stops working fails the build.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "indicators/derived.h"
#include "indicators/test_council.h"
#include "indicators/test_util.h"

namespace goldthread::indicators {
namespace {

struct Example {
  int line = 0;  // of the opening fence
  std::string text;
};

std::vector<Example> DocExamples(const std::string& path, int& skipped) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  std::vector<Example> out;
  std::string line, previous;
  int n = 0;
  bool inside = false, marked = false;
  Example e;
  while (std::getline(in, line)) {
    ++n;
    const size_t indent = line.find_first_not_of(' ');
    const std::string trimmed = indent == std::string::npos ? "" : line.substr(indent);
    if (!inside && trimmed == "```toml") {
      inside = true;
      marked = previous.find("<!-- outline -->") != std::string::npos ||
               previous.find("<!-- fragment -->") != std::string::npos;
      e = Example{n, ""};
    } else if (inside && trimmed == "```") {
      inside = false;
      const bool whole = e.text.rfind("id = ", 0) == 0;
      if (whole && !marked) out.push_back(e);
      else ++skipped;
    } else if (inside) {
      e.text += (indent == std::string::npos ? "" : line.substr(std::min(indent, line.size()))) + "\n";
    }
    if (!trimmed.empty()) previous = trimmed;
  }
  EXPECT_FALSE(inside) << path << ": a ```toml block is not closed";
  return out;
}

// The documented definitions with these ids, in the docs' order.
std::vector<Definition> DocDefinitions(const std::set<std::string>& ids) {
  int skipped = 0;
  std::vector<Definition> defs;
  for (const Example& e : DocExamples(std::string(GOLDTHREAD_SOURCE_DIR) + "/docs/indicators.md", skipped)) {
    auto d = ParseDefinition(e.text, "docs/indicators.md:" + std::to_string(e.line));
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    if (d.ok() && ids.count(d->id)) defs.push_back(std::move(d).value());
  }
  return defs;
}

TEST(IndicatorDocsTest, EveryDocumentedDefinitionLoadsAndComputes) {
  const std::string path = std::string(GOLDTHREAD_SOURCE_DIR) + "/docs/indicators.md";
  int skipped = 0;
  std::vector<Example> examples = DocExamples(path, skipped);
  std::vector<Definition> defs;
  std::string ids;
  for (const Example& e : examples) {
    auto d = ParseDefinition(e.text, "docs/indicators.md:" + std::to_string(e.line));
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    ids += (ids.empty() ? "" : " ") + d->id;
    defs.push_back(std::move(d).value());
  }
  // The examples the docs hold: a new one is added here too.
  EXPECT_EQ(ids,
            "hospital-requests-7d reviews-overdue reviews-on-time carer-break-12m request-to-assessment-days "
            "carers-assessed-bme reviews-by-plan-date home-care-hour-visits pb-gap assessment-throughput "
            "carer-assessments-per-1000 emergency-admissions-per-1000 carers-assessed-per-1000-estimated");
  EXPECT_EQ(skipped, 5);  // the outline, the criteria, the two negation fragments and [derived]
  // With the built-ins, which the derived examples are made from, as
  // `compute --indicators` loads them.
  auto builtins = LoadDefinitionDir(std::string(GOLDTHREAD_SOURCE_DIR) + "/indicators");
  ASSERT_TRUE(builtins.ok()) << builtins.status().ToString();
  ASSERT_TRUE(MergeDefinitions(defs, std::move(builtins).value()).ok());
  const Status resolved = ResolveDerived(defs);
  ASSERT_TRUE(resolved.ok()) << resolved.ToString();
  auto snap = testing::BuildSnapshot(testing::SimulatedCouncil());
  auto r = testing::RunDefs(*snap, std::move(defs), "2024-04", "2025-03", false);
  ASSERT_GT(r.indicators.size(), examples.size());
  for (size_t i = 0; i < examples.size(); ++i) {
    const IndicatorResult& ir = r.indicators[i];
    SCOPED_TRACE(ir.def->id);
    int periods = 0;
    double cases = 0;
    for (const Figure& f : ir.figures)
      if (f.group == 0 && snap->OrgParent(f.org_unit) < 0) {
        ++periods;
        cases += f.denominator.value_or(f.numerator);
      }
    EXPECT_EQ(periods, 12);
    EXPECT_GT(cases, 0) << "an example with no cases in a year of the simulated council shows nothing";
    EXPECT_TRUE(std::any_of(ir.figures.begin(), ir.figures.end(), [](const Figure& f) { return f.value; }))
        << "an example with no value in a year";
  }
}

// The simulated council's rows as SQLite tables of text (an empty field is
// NULL), for SQL written from DESIGN's and the docs' words, not from the
// engine.
class SqlCouncil {
 public:
  SqlCouncil() {
    EXPECT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
    for (const TableSpec& t : AllTables()) {
      std::string cols, marks;
      for (const FieldSpec& f : t.fields) {
        cols += std::string(cols.empty() ? "" : ", ") + "\"" + std::string(f.name) + "\" TEXT";  // "group" is a keyword
        marks += marks.empty() ? "?" : ", ?";
      }
      Exec("CREATE TABLE " + std::string(t.name) + " (" + cols + ")");
      inserts_[t.id] = "INSERT INTO " + std::string(t.name) + " VALUES (" + marks + ")";
    }
    Exec("BEGIN");
    for (const auto& [table, values] : testing::SimulatedCouncil()) {
      sqlite3_stmt* st = nullptr;
      EXPECT_EQ(sqlite3_prepare_v2(db_, inserts_[table].c_str(), -1, &st, nullptr), SQLITE_OK);
      for (size_t i = 0; i < values.size(); ++i)
        if (!values[i].empty()) sqlite3_bind_text(st, static_cast<int>(i + 1), values[i].c_str(), -1, SQLITE_TRANSIENT);
      EXPECT_EQ(sqlite3_step(st), SQLITE_DONE);
      sqlite3_finalize(st);
    }
    Exec("COMMIT");
  }
  ~SqlCouncil() { sqlite3_close(db_); }
  void Exec(const std::string& sql) {
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "") << "\n" << sql;
    sqlite3_free(err);
  }
  // The first row of a query with :S and :E (the period's first and last day).
  std::vector<double> Row(const std::string& sql, const Period& p) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db_);
    const std::string s = FormatDate(p.start), e = FormatDate(p.end);
    if (int i = sqlite3_bind_parameter_index(st, ":S")) sqlite3_bind_text(st, i, s.c_str(), -1, SQLITE_TRANSIENT);
    if (int i = sqlite3_bind_parameter_index(st, ":E")) sqlite3_bind_text(st, i, e.c_str(), -1, SQLITE_TRANSIENT);
    std::vector<double> out;
    if (sqlite3_step(st) == SQLITE_ROW)
      for (int c = 0; c < sqlite3_column_count(st); ++c)
        out.push_back(sqlite3_column_type(st, c) == SQLITE_NULL ? -1 : sqlite3_column_double(st, c));
    sqlite3_finalize(st);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
  std::map<TableId, std::string> inserts_;
};

// "People with an active long-term service whose latest support plan's
// review date has passed with no review completed since it fell due": the
// latest plan agreed by the end (ties: the lowest plan_id), its due date.
constexpr const char* kOverdueSql = R"sql(
WITH pop AS (
  SELECT DISTINCT person_id FROM services
  WHERE term = 'long' AND start_on <= :E AND (end_on IS NULL OR end_on >= :E)),
lp AS (
  SELECT person_id, review_due_on,
         ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY agreed_on DESC, plan_id ASC) AS rn
  FROM support_plans WHERE agreed_on <= :E),
d AS (SELECT person_id, review_due_on AS due FROM lp WHERE rn = 1)
SELECT COUNT(*),
       COALESCE(SUM(d.due IS NOT NULL AND d.due < :E AND NOT EXISTS (
         SELECT 1 FROM reviews r
         WHERE r.person_id = p.person_id AND r.completed_on >= d.due AND r.completed_on <= :E)), 0)
FROM pop p LEFT JOIN d ON d.person_id = p.person_id)sql";

// "Carers offered a break within 12 calendar months of their assessment":
// each carer's latest carer or joint assessment completed in the period; a
// breaks service starting from its day to the same day 12 months on (the
// day kept within the month: SQLite's own '+12 months' would carry
// 2024-02-29 into March, so the month is moved from its first day).
constexpr const char* kBreakSql = R"sql(
WITH a AS (
  SELECT person_id, completed_on,
         ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY completed_on DESC, assessment_id ASC) AS rn
  FROM assessments WHERE kind IN ('carer', 'joint') AND completed_on BETWEEN :S AND :E),
c AS (
  SELECT person_id, completed_on,
         MIN(date(completed_on, 'start of month', '+12 months',
                  '+' || (CAST(strftime('%d', completed_on) AS INTEGER) - 1) || ' days'),
             date(completed_on, 'start of month', '+13 months', '-1 day')) AS until
  FROM a WHERE rn = 1)
SELECT COUNT(*),
       COALESCE(SUM(EXISTS (
         SELECT 1 FROM services s
         WHERE s.person_id = c.person_id AND s.hub_intervention = 'breaks'
           AND s.start_on >= c.completed_on AND s.start_on <= c.until)), 0)
FROM c)sql";

// "Median days from request to completed assessment": assessments
// completed in the period with a request, days from its received_on; the
// median of the sorted days (the middle one, or the mean of the two).
constexpr const char* kMedianSql = R"sql(
WITH v AS (
  SELECT julianday(a.completed_on) - julianday(q.received_on) AS d
  FROM assessments a JOIN requests q ON q.request_id = a.request_id
  WHERE a.completed_on BETWEEN :S AND :E AND q.received_on IS NOT NULL),
o AS (SELECT d, ROW_NUMBER() OVER (ORDER BY d) AS rn, COUNT(*) OVER () AS n FROM v)
SELECT (SELECT COUNT(*) FROM v), (SELECT AVG(d) FROM o WHERE rn IN ((n + 1) / 2, (n + 2) / 2)))sql";

TEST(IndicatorDocsTest, AnalystsIndicatorsAgreeWithSql) {
  std::vector<Definition> defs =
      DocDefinitions({"reviews-overdue", "carer-break-12m", "request-to-assessment-days"});
  ASSERT_EQ(defs.size(), 3u);
  auto snap = testing::BuildSnapshot(testing::SimulatedCouncil());
  auto r = testing::RunDefs(*snap, std::move(defs), "2023-10", "2025-03", false);
  SqlCouncil sql;
  int32_t council = -1;
  for (int32_t o = 0; o < snap->table(TableId::kOrgUnits).rows; ++o)
    if (snap->OrgParent(o) < 0) council = o;
  double cases[3] = {0, 0, 0}, counted[3] = {0, 0, 0};
  for (size_t i = 0; i < r.indicators.size(); ++i) {
    const IndicatorResult& ir = r.indicators[i];
    const std::string& id = ir.def->id;
    const char* q = id == "reviews-overdue" ? kOverdueSql : id == "carer-break-12m" ? kBreakSql : kMedianSql;
    int checked = 0;
    for (const Figure& f : ir.figures) {
      if (f.org_unit != council || f.group != 0) continue;
      const Period& p = r.periods[f.period];
      SCOPED_TRACE(id + " " + p.Label());
      const std::vector<double> want = sql.Row(q, p);
      ASSERT_EQ(want.size(), 2u);
      EXPECT_EQ(f.denominator.value_or(-1), want[0]);
      if (id == "request-to-assessment-days") {
        EXPECT_EQ(f.value.value_or(-1), want[1]);
      } else {
        EXPECT_EQ(f.numerator, want[1]);
      }
      cases[i] += want[0], counted[i] += want[1];
      ++checked;
    }
    EXPECT_EQ(checked, 18) << id;
  }
  // Not a comparison of nothing: each has cases (and numerator cases).
  for (int i = 0; i < 3; ++i) {
    EXPECT_GT(cases[i], 0) << i;
    EXPECT_GT(counted[i], 0) << i;
  }
}

// "Carer assessments per 1,000 carers on the register": carers with a
// carer or joint assessment completed in the period, over carers with a
// caring relationship current at some time in it, each once.
constexpr const char* kRegisterSql = R"sql(
SELECT (SELECT COUNT(DISTINCT person_id) FROM assessments
        WHERE kind IN ('carer', 'joint') AND completed_on BETWEEN :S AND :E),
       (SELECT COUNT(DISTINCT carer_id) FROM care_links
        WHERE start_date <= :E AND (end_date IS NULL OR end_date >= :S)))sql";

// "Assessments completed per 100 requests received": two counts of records.
constexpr const char* kThroughputSql = R"sql(
SELECT (SELECT COUNT(*) FROM assessments WHERE completed_on BETWEEN :S AND :E),
       (SELECT COUNT(*) FROM requests WHERE received_on BETWEEN :S AND :E))sql";

// A rate over another population and a ratio of two indicators, month by
// month for the council, against SQL written from the docs' words.
TEST(IndicatorDocsTest, RegisterRateAndThroughputAgreeWithSql) {
  std::vector<Definition> defs = DocDefinitions({"carer-assessments-per-1000", "assessment-throughput"});
  ASSERT_EQ(defs.size(), 2u);
  std::vector<Definition> counts = testing::BuiltIns({"assessments-completed", "requests-new"});
  ASSERT_TRUE(MergeDefinitions(defs, std::move(counts)).ok());
  ASSERT_TRUE(ResolveDerived(defs).ok());
  auto snap = testing::BuildSnapshot(testing::SimulatedCouncil());
  auto r = testing::RunDefs(*snap, std::move(defs), "2023-10", "2025-03", false);
  SqlCouncil sql;
  double counted[2] = {0, 0};
  for (size_t i = 0; i < 2; ++i) {
    const IndicatorResult& ir = r.indicators[i];
    const bool rate = ir.def->id == "carer-assessments-per-1000";
    int checked = 0;
    for (const Figure& f : ir.figures) {
      if (snap->OrgParent(f.org_unit) >= 0 || f.group != 0) continue;
      const Period& p = r.periods[f.period];
      SCOPED_TRACE(ir.def->id + " " + p.Label());
      const std::vector<double> want = sql.Row(rate ? kRegisterSql : kThroughputSql, p);
      ASSERT_EQ(want.size(), 2u);
      EXPECT_EQ(f.numerator, want[0]);
      EXPECT_EQ(f.denominator.value_or(-1), want[1]);
      if (want[1] > 0) {
        EXPECT_DOUBLE_EQ(f.value.value_or(-1), (rate ? 1000 : 100) * want[0] / want[1]);
      }
      counted[i] += want[0];
      ++checked;
    }
    EXPECT_EQ(checked, 18) << ir.def->id;
    // The register's rate is the council's only: care_links carry no team.
    if (rate) {
      EXPECT_EQ(ir.figures.size(), 18u);
    }
  }
  EXPECT_GT(counted[0], 0);
  EXPECT_GT(counted[1], 0);
}

}  // namespace
}  // namespace goldthread::indicators
