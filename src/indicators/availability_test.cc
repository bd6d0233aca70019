#include "indicators/availability.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace goldthread::indicators {
namespace {

TEST(AvailabilityTest, ACldOnlyStoreCannotComputeWhatNeedsRecordsCldLacks) {
  auto defs = LoadDefinitionDir(std::string(GOLDTHREAD_SOURCE_DIR) + "/indicators");
  ASSERT_TRUE(defs.ok()) << defs.status().ToString();
  // What a CLD import stores (docs/cld.md).
  SuppliedTables cld{};
  for (TableId t : {TableId::kOrgUnits, TableId::kPeople, TableId::kCareLinks, TableId::kRequests,
                    TableId::kAssessments, TableId::kServices, TableId::kReviews, TableId::kCareHomeAdmissions})
    cld[static_cast<size_t>(t)] = true;
  std::set<std::string> unavailable;
  for (const Definition& d : *defs)
    if (!UnsuppliedTables(d, cld).empty()) unavailable.insert(d.id);
  EXPECT_EQ(unavailable,
            (std::set<std::string>{"care-home-admissions-65", "carer-emergency-plan", "carer-info-easy",
                                   "carer-involved", "carer-qol", "carer-satisfaction", "case-audit-met",
                                   "complaints", "intensive-home-care", "outcome-improved", "pb-share",
                                   "pb-share-claimed", "plan-with-review-date", "readmission-28d",
                                   "still-home-91"}));
  for (const Definition& d : *defs) {
    if (d.id == "intensive-home-care") {
      EXPECT_EQ(UnavailableReason(UnsuppliedTables(d, cld)),
                "needs visits records, which this store does not hold (no import has supplied visits.csv)");
    }
    if (d.id == "still-home-91") {
      EXPECT_EQ(UnavailableReason(UnsuppliedTables(d, cld)),
                "needs hospital_episodes records, which this store does not hold (no import has supplied "
                "hospital_episodes.csv)");
    }
  }
  // With populations.csv too, the care-home admission rate can be computed.
  cld[static_cast<size_t>(TableId::kPopulations)] = true;
  for (const Definition& d : *defs)
    if (d.id == "care-home-admissions-65") {
      EXPECT_TRUE(UnsuppliedTables(d, cld).empty());
    }
  // A store given everything can compute everything.
  SuppliedTables all;
  all.fill(true);
  for (const Definition& d : *defs) EXPECT_TRUE(UnsuppliedTables(d, all).empty()) << d.id;
  EXPECT_EQ(UnavailableReason({}), "");
  EXPECT_EQ(UnavailableReason({TableId::kVisits, TableId::kServices, TableId::kFeedback}),
            "needs visits, services and feedback records, which this store does not hold (no import has supplied "
            "visits.csv, services.csv and feedback.csv)");
}

}  // namespace
}  // namespace goldthread::indicators
