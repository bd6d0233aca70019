#include "indicators/availability.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "indicators/derived.h"

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

// A derived indicator cannot be computed when a component cannot, even
// through another derived one listed before it; a rate over another
// population needs that population's records.
TEST(AvailabilityTest, DerivedAndRateDenominatorsNeedWhatTheirPartsNeed) {
  auto defs = LoadDefinitionDir(std::string(GOLDTHREAD_SOURCE_DIR) + "/indicators");
  ASSERT_TRUE(defs.ok()) << defs.status().ToString();
  const std::string head = "title = \"X\"\ndescription = \"X\"\npolarity = \"up\"\noba = \"how_much\"\n"
                           "kind = \"flow\"\nversion = 1\n";
  for (const std::string& text :
       {"id = \"outer\"\nunit = \"mean\"\n" + head + "[derived]\nof = [\"gap\", \"requests-new\"]\nop = \"ratio\"\n",
        "id = \"gap\"\nunit = \"percent\"\n" + head +
            "[derived]\nof = [\"pb-share-claimed\", \"pb-share\"]\nop = \"difference\"\n",
        "id = \"per-register\"\nunit = \"rate_per_100k\"\n" + head +
            "[population]\nfrom = \"requests\"\n[rate]\nper = 1000\nfrom = \"care_links\"\n"}) {
    auto d = ParseDefinition(text, "x.toml");
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    defs->push_back(std::move(d).value());
  }
  ASSERT_TRUE(ResolveDerived(*defs).ok());
  SuppliedTables some{};
  for (TableId t : {TableId::kOrgUnits, TableId::kPeople, TableId::kRequests, TableId::kServices})
    some[static_cast<size_t>(t)] = true;
  const std::map<std::string, std::string> why = UnavailableDefinitions(*defs, some);
  EXPECT_EQ(why.at("gap"),
            "needs the indicator pb-share-claimed, which needs personal_budgets records, which this store does not "
            "hold (no import has supplied personal_budgets.csv)");
  EXPECT_EQ(why.at("outer"), "needs the indicator gap, which " + why.at("gap"));
  EXPECT_EQ(why.at("per-register"),
            "needs care_links records, which this store does not hold (no import has supplied care_links.csv)");
  EXPECT_EQ(why.count("requests-new"), 0u);
  some[static_cast<size_t>(TableId::kCareLinks)] = true;
  EXPECT_EQ(UnavailableDefinitions(*defs, some).count("per-register"), 0u);
}

}  // namespace
}  // namespace goldthread::indicators
