#include "store/snapshot_loader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <unistd.h>

#include <filesystem>

#include "store/store_test_util.h"
#include "store/summary.h"

namespace goldthread {
namespace {

using Row = std::vector<std::string_view>;

// A small council written straight through the BatchWriter, in two batches
// (the second corrects a request), shared by the loader and summary tests.
// On both stores: the snapshot and summary must not depend on which.
class LoaderBackendTest : public store_test::BackendTest {
 protected:
  std::unique_ptr<Store> SmallStore(const std::string& name);
};
GT_INSTANTIATE_BACKENDS(LoaderBackendTest);

std::unique_ptr<Store> LoaderBackendTest::SmallStore(const std::string& name) {
  auto store = OpenStore(NewStore("loader_" + name), OpenMode::kCreateIfMissing).value();
  BatchInfo info;
  info.imported_at = 1712000000;
  info.content_hash = "a";
  auto w = store->BeginBatch(info).value();
  auto add = [&](TableId t, Row r, int64_t line) { EXPECT_TRUE(w->Add(t, r, Table(t).FileName(), line).ok()); };
  add(TableId::kOrgUnits, {"C1", "", "Council", "council"}, 2);
  add(TableId::kOrgUnits, {"T1", "C1", "Team One", "team"}, 3);
  add(TableId::kPeople, {"P1", "service_user", "1940-05-01", "F", "white", "A1", "physical", "", ""}, 2);
  add(TableId::kPeople, {"P2", "carer", "1965-03", "M", "asian", "A1", "", "full_time", "bme;lgbt"}, 3);
  add(TableId::kRequests,
      {"R1", "P1", "2024-04-01", "2024-04-02", "community", "assessment", "2024-05-01", "T1", "W1",
       "2024-04-02T10:00:00Z", "u1"},
      2);
  add(TableId::kRequests, {"R2", "P2", "", "2024-04-10", "self", "", "", "T1", "", "", ""}, 3);
  add(TableId::kServices,
      {"S1", "P1", "home_care", "", "community", "long", "direct_payment", "2024-05-01", "", "10.5", "250", "PRV1",
       "T1", "W1", "", ""},
      2);
  EXPECT_TRUE(w->Commit({}, 0).ok());
  info.content_hash = "b";
  w = store->BeginBatch(info).value();
  add(TableId::kRequests, {"R2", "P2", "", "2024-04-12", "self", "", "", "T1", "", "", ""}, 2);
  EXPECT_TRUE(w->Commit({}, 0).ok());
  return store;
}

TEST_P(LoaderBackendTest, SnapshotHoldsCurrentValues) {
  auto store = SmallStore("snap");
  auto snap = LoadSnapshot(*store);
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  const Snapshot& s = **snap;
  EXPECT_EQ(s.people(), 2);
  EXPECT_EQ(s.TotalRows(), 7);
  EXPECT_EQ(s.dangling_references(), 0);
  EXPECT_EQ(s.batch_ids(), (std::vector<int64_t>{1, 2}));
  int32_t t1 = s.FindOrgUnit("T1");
  ASSERT_GE(t1, 0);
  EXPECT_EQ(s.OrgUnitId(s.OrgParent(t1)), "C1");
  const TableData& people = s.table(TableId::kPeople);
  int32_t p2 = s.FindPerson("P2");
  EXPECT_EQ(people.Int(people.Field("birth_date"), p2), DateFromCivil(1965, 3, 1));
  EXPECT_EQ(people.Int(people.Field("groups"), p2), 0b101);  // bme, lgbt
  const TableData& req = s.table(TableId::kRequests);
  ASSERT_EQ(req.rows, 2);
  auto [b, e] = req.PersonRows(p2);
  ASSERT_EQ(e - b, 1);
  EXPECT_EQ(req.Int(req.Field("received_on"), b), DateFromCivil(2024, 4, 12));  // the corrected version
  EXPECT_EQ(s.batch_id(req.batch[b]), 2);
  auto [b1, e1] = req.PersonRows(s.FindPerson("P1"));
  ASSERT_EQ(e1 - b1, 1);
  EXPECT_EQ(req.Time(req.Field("recorded_at"), b1), 1712052000);  // 2024-04-02T10:00:00Z
  EXPECT_EQ(req.RecordId(b1, s), "R1");
  const TableData& svc = s.table(TableId::kServices);
  EXPECT_DOUBLE_EQ(svc.Real(svc.Field("planned_hours_week"), 0), 10.5);
  EXPECT_DOUBLE_EQ(svc.Real(svc.Field("weekly_cost"), 0), 250.0);
  EXPECT_EQ(svc.Int(svc.Field("end_on"), 0), kNullI32);
}

TEST_P(LoaderBackendTest, SummaryCountsByRoleTableTeamAndDates) {
  auto store = SmallStore("summary");
  auto sum = Summarise(*store);
  ASSERT_TRUE(sum.ok()) << sum.status().ToString();
  EXPECT_EQ(sum->batches, 2);
  EXPECT_EQ(sum->people_by_role,
            (std::vector<std::pair<std::string, int64_t>>{{"carer", 1}, {"service_user", 1}}));
  ASSERT_EQ(sum->teams.size(), 1u);
  EXPECT_EQ(sum->teams[0].org_unit_id, "T1");
  EXPECT_EQ(sum->teams[0].name, "Team One");
  EXPECT_EQ(sum->teams[0].records, 3);
  EXPECT_EQ(FormatSummary(*sum),
            "batches: 2\n"
            "people: 2, carer 1, service_user 1\n"
            "records by table:\n"
            "  org_units                      2\n"
            "  people                         2\n"
            "  requests                       2  2024-04-02 .. 2024-04-12\n"
            "  services                       1  2024-05-01 .. 2024-05-01\n"
            "records by team:\n"
            "  T1          3  Team One\n");
}

}  // namespace
}  // namespace goldthread
