#pragma once
// The import tests' fixture: a small valid council as files, a fresh store
// per test, and Import() with a fixed clock (import_test.cc,
// import_validation_test.cc).

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "core/test_cli.h"
#include "ingest/import.h"
#include "store/store.h"

namespace goldthread {

using Files = std::map<std::string, std::string>;

inline const std::string kLineage = ",org_unit_id,worker_id,recorded_at,recorded_by";

// A small valid council: every referencing rule has a row to check.
inline Files ValidFiles() {
  return {
      {"org_units.csv",
       "org_unit_id,parent_id,name,kind\nT1,S1,Team One,team\nC1,,Council,council\nS1,C1,Adults,service\n"},
      {"people.csv",
       "person_id,role,birth_date,sex,ethnicity,area,primary_support_reason,employment,groups\n"
       "P1,service_user,1940-05-01,F,white,A1,physical,,\n"
       "P2,carer,1965-03,M,asian,A1,,full_time,bme;lgbt\n"},
      {"care_links.csv", "carer_id,cared_for_id,start_date,end_date,hours_per_week\nP2,P1,2020-01-01,,35\n"},
      {"requests.csv",
       "request_id,person_id,first_contact_on,received_on,route,outcome,closed_on" + kLineage + "\n" +
           "R1,P1,2024-04-01,2024-04-02,community,assessment,2024-05-01,T1,W1,2024-04-02T10:00:00Z,u1\n"
           "R2,P2,,2024-04-10,self,,,T1,W1,,\n"},
      {"assessments.csv",
       "assessment_id,person_id,request_id,kind,started_on,completed_on,eligible" + kLineage + "\n" +
           "A1,P1,R1,needs,2024-04-05,2024-04-20,Y,T1,W1,2024-04-20T09:00:00,u1\n"},
      {"services.csv",
       "service_id,person_id,service_type,hub_intervention,setting,term,delivery,start_on,end_on,"
       "planned_hours_week,weekly_cost,provider_id" +
           kLineage + "\n" + "S1,P1,home_care,,community,long,direct_payment,2024-05-01,,10.5,250,PRV1,T1,W1,,\n"},
      {"visits.csv", "visit_id,person_id,service_id,visit_on,minutes" + kLineage + "\n" +
                         "V1,P1,S1,2024-05-02,60,T1,W1,,\n"
                         "V2,P1,S1,2024-05-03,45,T1,W1,,\n"},
  };
}

class ImportTest : public testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenStore(root_ + "/store.db", OpenMode::kCreateIfMissing);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  std::string WriteDir(const std::string& name, const Files& files) {
    std::string dir = root_ + "/" + name;
    std::filesystem::create_directories(dir);
    for (const auto& [file, text] : files) std::ofstream(dir + "/" + file, std::ios::binary) << text;
    return dir;
  }
  ImportReport Import(const std::string& dir, const std::string& quarantine = "") {
    ImportOptions o;
    o.quarantine_path = quarantine;
    o.imported_by = "tester";
    o.now = 1719792000;  // 2024-07-01T00:00:00Z, after every date of the files
    auto r = ImportDirectory(*store_, dir, o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(*r) : ImportReport{};
  }
  int64_t Count(TableId t) { return *store_->CountCurrent(t); }
  test::TestDir dir_{"import_test"};  // per test and process, removed after it (and after store_)
  const std::string root_ = dir_.path();
  std::unique_ptr<Store> store_;
};

}  // namespace goldthread
