#pragma once
// Test-only: builds small snapshots row by row for the checks' tests, with
// the canonical field order of shared/DESIGN.md section 3 spelled out once.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "model/snapshot.h"

namespace goldthread::integrity::testing {

class TestData {
 public:
  /// A council C with teams T1..Tn.
  explicit TestData(int teams = 3) {
    Add(TableId::kOrgUnits, {"C", "", "Council", "council"});
    for (int i = 1; i <= teams; ++i) {
      std::string id = "T" + std::to_string(i);
      Add(TableId::kOrgUnits, {id, "C", "Team " + std::to_string(i), "team"});
    }
  }
  void Person(const std::string& id) {
    Add(TableId::kPeople, {id, "service_user", "1940-01-01", "F", "white", "", "physical", "", ""});
  }
  // recorded_at: "" or a date (recorded at 10:00 that day).
  void Request(const std::string& id, const std::string& person, const std::string& first,
               const std::string& received, const std::string& closed, const std::string& team,
               const std::string& recorded = "", const std::string& by = "", int64_t batch = 1) {
    Add(TableId::kRequests, {id, person, first, received, "self", closed.empty() ? "" : "assessment", closed, team,
                             "W1", Ts(recorded), by},
        batch);
  }
  void Assessment(const std::string& id, const std::string& person, const std::string& request,
                  const std::string& completed, const std::string& team, const std::string& recorded = "",
                  const std::string& by = "", int64_t batch = 1) {
    Add(TableId::kAssessments, {id, person, request, "needs", "", completed, "Y", team, "W1", Ts(recorded), by},
        batch);
  }
  void Budget(const std::string& id, const std::string& person, const std::string& informed,
              const std::string& plan, const std::string& choice, const std::string& start, const std::string& claimed,
              const std::string& team, const std::string& recorded = "", const std::string& by = "",
              int64_t batch = 1, const std::string& amount = "5200") {
    Add(TableId::kPersonalBudgets,
        {id, person, amount, informed, plan, choice, start, "", claimed, team, "W1", Ts(recorded), by}, batch);
  }
  void Review(const std::string& id, const std::string& person, const std::string& completed,
              const std::string& team, const std::string& recorded = "", const std::string& by = "",
              int64_t batch = 1) {
    Add(TableId::kReviews, {id, person, "planned", "", completed, "Y", team, "W1", Ts(recorded), by}, batch);
  }
  void Add(TableId t, std::vector<std::string> values, int64_t batch = 1) {
    std::vector<std::string_view> v(values.begin(), values.end());
    Status s = b_.AddRow(t, v, batch);
    ASSERT_TRUE(s.ok()) << s.ToString() << " in " << values[0];
  }
  std::unique_ptr<Snapshot> Finish() {
    auto r = b_.Finish();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return std::move(r).value();
  }

 private:
  static std::string Ts(const std::string& d) { return d.empty() ? "" : d + "T10:00:00Z"; }
  SnapshotBuilder b_;
};

}  // namespace goldthread::integrity::testing
