#pragma once
// Test-only: small hand-built snapshots for the Hub, costs, casework and
// added-value tests, with the canonical field order of shared/DESIGN.md
// section 3 written once. A council C00 with teams T1 and T2 (service S1).

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "model/snapshot.h"

namespace goldthread::planning::testing {

class HubData {
 public:
  HubData() {
    Add(TableId::kOrgUnits, {"C00", "", "Council", "council"});
    Add(TableId::kOrgUnits, {"S1", "C00", "Adult Social Care", "service"});
    Add(TableId::kOrgUnits, {"T1", "S1", "Team 1", "team"});
    Add(TableId::kOrgUnits, {"T2", "S1", "Team 2", "team"});
  }
  void Person(const std::string& id, const std::string& role, const std::string& birth, const std::string& area,
              const std::string& psr = "", const std::string& employment = "", const std::string& groups = "",
              const std::string& ethnicity = "white") {
    Add(TableId::kPeople, {id, role, birth, "F", ethnicity, area, psr, employment, groups});
  }
  void Link(const std::string& carer, const std::string& cared_for, const std::string& start,
            const std::string& end = "") {
    Add(TableId::kCareLinks, {carer, cared_for, start, end, "20"});
  }
  void Service(const std::string& id, const std::string& person, const std::string& type, const std::string& hub,
               const std::string& start, const std::string& end, const std::string& provider,
               const std::string& team = "T1", const std::string& delivery = "commissioned",
               const std::string& term = "long", const std::string& weekly_cost = "50") {
    Add(TableId::kServices, {id, person, type, hub, "community", term, delivery, start, end, "", weekly_cost,
                             provider, team, "W1", "", ""});
  }
  void Assessment(const std::string& id, const std::string& person, const std::string& kind,
                  const std::string& completed, const std::string& team = "T1") {
    Add(TableId::kAssessments, {id, person, "", kind, "", completed, "Y", team, "W1", "", ""});
  }
  void Survey(const std::string& id, const std::string& person, const std::string& collected, const std::string& item,
              const std::string& answer, const std::string& team = "T1") {
    Add(TableId::kSurveyResponses, {id, person, "sace", collected, item, answer, team, "W1", "", ""});
  }
  void Measure(const std::string& id, const std::string& person, const std::string& on, const std::string& stage,
               const std::string& domain, const std::string& score, const std::string& team = "T1") {
    Add(TableId::kOutcomeMeasures, {id, person, "carers_star", on, stage, domain, score, team, "W1", "", ""});
  }
  void Review(const std::string& id, const std::string& person, const std::string& completed,
              const std::string& achieved, const std::string& team = "T1") {
    Add(TableId::kReviews, {id, person, "planned", "", completed, achieved, team, "W1", "", ""});
  }
  void CaseAudit(const std::string& id, const std::string& person, const std::string& on, const std::string& item,
                 const std::string& result, const std::string& team = "T1") {
    Add(TableId::kCaseAudits, {id, person, on, item, result, team, "W1", "", ""});
  }
  void Episode(const std::string& id, const std::string& person, const std::string& admitted,
               const std::string& discharged, const std::string& emergency, const std::string& destination,
               const std::string& team = "T1") {
    Add(TableId::kHospitalEpisodes, {id, person, admitted, discharged, emergency, destination, team, "W1", "", ""});
  }
  void CareHome(const std::string& id, const std::string& person, const std::string& on, const std::string& permanent,
                const std::string& team = "T1") {
    Add(TableId::kCareHomeAdmissions, {id, person, on, permanent, "needs", team, "W1", "", ""});
  }
  void CarerPopulation(const std::string& area, const std::string& group, const std::string& count) {
    Add(TableId::kCarerPopulations, {area, group, count});
  }
  void Finance(const std::string& month, const std::string& org, const std::string& type, const std::string& budget,
               const std::string& spend, const std::string& units, const std::string& unit) {
    Add(TableId::kFinance, {month, org, type, budget, spend, units, unit});
  }
  void Add(TableId t, std::vector<std::string> values) {
    std::vector<std::string_view> v(values.begin(), values.end());
    Status s = b_.AddRow(t, v, 1);
    ASSERT_TRUE(s.ok()) << s.ToString() << " in " << values[0];
  }
  std::unique_ptr<Snapshot> Finish() {
    auto r = b_.Finish();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : nullptr;
  }

 private:
  SnapshotBuilder b_;
};

}  // namespace goldthread::planning::testing
