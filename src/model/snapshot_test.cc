#include "model/snapshot.h"

#include <gtest/gtest.h>

#include <vector>

namespace goldthread {
namespace {

Status Add(SnapshotBuilder& b, TableId t, std::vector<std::string_view> v, int64_t batch = 1) {
  return b.AddRow(t, v, batch);
}

std::unique_ptr<Snapshot> SmallSnapshot() {
  SnapshotBuilder b;
  EXPECT_TRUE(Add(b, TableId::kOrgUnits, {"C", "", "Council", "council"}).ok());
  EXPECT_TRUE(Add(b, TableId::kOrgUnits, {"T1", "C", "Team 1", "team"}).ok());
  EXPECT_TRUE(Add(b, TableId::kPeople, {"P2", "service_user", "1950-07", "F", "white", "N", "physical", "", ""}).ok());
  EXPECT_TRUE(Add(b, TableId::kPeople, {"P1", "carer", "1970-01-02", "M", "", "", "", "full_time", "bme"}).ok());
  // Out of order on purpose: the snapshot sorts by person, then received_on.
  EXPECT_TRUE(Add(b, TableId::kRequests,
                  {"R3", "P1", "", "2024-05-01", "gp", "", "", "T1", "W1", "2024-05-02T10:00:00Z", "u1"}, 7)
                  .ok());
  EXPECT_TRUE(Add(b, TableId::kRequests,
                  {"R2", "P2", "", "2024-04-10", "self", "", "", "T1", "W1", "", ""}, 7).ok());
  EXPECT_TRUE(Add(b, TableId::kRequests,
                  {"R1", "P1", "2024-03-30", "2024-04-01", "self", "assessment", "2024-04-20", "T1", "", "", ""}, 8)
                  .ok());
  EXPECT_TRUE(Add(b, TableId::kAssessments, {"A1", "P1", "R3", "needs", "", "2024-05-10", "Y", "T1", "", "", ""}).ok());
  auto r = b.Finish();
  EXPECT_TRUE(r.ok());
  return std::move(r).value();
}

TEST(SnapshotTest, SortsByPersonThenDateAndIndexesTimelines) {
  auto s = SmallSnapshot();
  const TableData& req = s->table(TableId::kRequests);
  ASSERT_EQ(req.rows, 3);
  // P2 is person 0 (load order), P1 is person 1.
  EXPECT_EQ(s->PersonId(0), "P2");
  EXPECT_EQ(s->FindPerson("P1"), 1);
  EXPECT_EQ(req.RecordId(0, *s), "R2");
  EXPECT_EQ(req.RecordId(1, *s), "R1");
  EXPECT_EQ(req.RecordId(2, *s), "R3");
  EXPECT_EQ(req.PersonRows(0), (std::pair<int64_t, int64_t>(0, 1)));
  EXPECT_EQ(req.PersonRows(1), (std::pair<int64_t, int64_t>(1, 3)));
  EXPECT_EQ(s->batch_id(req.batch[1]), 8);
  // References resolve to rows.
  const TableData& ass = s->table(TableId::kAssessments);
  EXPECT_EQ(ass.Int(ass.Field("request_id"), 0), 2);
  EXPECT_EQ(ass.Int(ass.Field("org_unit_id"), 0), s->FindOrgUnit("T1"));
  EXPECT_EQ(s->OrgParent(s->FindOrgUnit("T1")), s->FindOrgUnit("C"));
  EXPECT_EQ(s->OrgParent(s->FindOrgUnit("C")), -1);
  EXPECT_EQ(s->dangling_references(), 0);
}

TEST(SnapshotTest, EncodesUnknownsAndTimestamps) {
  auto s = SmallSnapshot();
  const TableData& req = s->table(TableId::kRequests);
  EXPECT_EQ(req.Int(req.Field("first_contact_on"), 0), kNullI32);
  EXPECT_EQ(req.Int(req.Field("outcome"), 0), -1);
  EXPECT_EQ(req.Time(req.Field("recorded_at"), 0), kNullTimestamp);
  EXPECT_EQ(FormatTimestamp(req.Time(req.Field("recorded_at"), 2)), "2024-05-02T10:00:00Z");
  EXPECT_EQ(s->Text(req.Int(req.Field("recorded_by"), 2)), "u1");
  const TableData& people = s->table(TableId::kPeople);
  EXPECT_EQ(FormatDate(people.Int(people.Field("birth_date"), 0)), "1950-07-01");
  EXPECT_EQ(people.Int(people.Field("groups"), 1), 1);  // bme
}

TEST(SnapshotTest, RejectsBadValuesWithoutChangingColumns) {
  SnapshotBuilder b;
  Status st = Add(b, TableId::kOrgUnits, {"C", "", "Council", "region"});
  EXPECT_EQ(st.message(), "kind: 'region' is not a known code (expected one of: council, service, team)");
  st = Add(b, TableId::kOrgUnits, {"C", ""});
  EXPECT_EQ(st.message(), "org_units: expected 4 values, got 2");
  auto r = b.Finish();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->table(TableId::kOrgUnits).rows, 0);
}

TEST(IdColumnTest, CompactsNumericIdsAndKeepsOthers) {
  IdColumn numeric;
  for (const char* id : {"V10", "V2", "V300"}) numeric.Append(id);
  numeric.Finish({2, 0, 1});
  EXPECT_EQ(numeric.Get(0), "V300");
  EXPECT_EQ(numeric.Get(2), "V2");
  IdColumn padded;
  for (const char* id : {"A0007", "A0100"}) padded.Append(id);
  padded.Finish({0, 1});
  EXPECT_EQ(padded.Get(0), "A0007");
  IdColumn mixed;
  for (const char* id : {"X1", "Y-2", "007"}) mixed.Append(id);
  mixed.Finish({0, 1, 2});
  EXPECT_EQ(mixed.Get(1), "Y-2");
  EXPECT_EQ(mixed.Get(2), "007");
  IdColumn mixed_width;
  for (const char* id : {"P7", "P0008"}) mixed_width.Append(id);
  mixed_width.Finish({0, 1});
  EXPECT_EQ(mixed_width.Get(0), "P7");
  EXPECT_EQ(mixed_width.Get(1), "P0008");
}

}  // namespace
}  // namespace goldthread
