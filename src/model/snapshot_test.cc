#include "model/snapshot.h"

#include <gtest/gtest.h>

#include <bit>

#include <cmath>
#include <numeric>
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

// Issue 9: a store written by an older binary may hold a cycle or a parent
// that is no unit; the snapshot refuses it, so nothing walks the tree forever.
TEST(SnapshotTest, RefusesAnOrgTreeWithACycleOrAMissingParent) {
  struct Case {
    std::vector<std::vector<std::string_view>> units;
    std::string message;
  };
  const Case cases[] = {
      {{{"C", "", "Council", "council"}, {"A", "B", "A", "team"}, {"B", "A", "B", "service"}},
       "org_units: the org units form a cycle: A -> B -> A (expected a tree: no unit may be its own ancestor); "
       "import a batch that corrects a parent_id"},
      {{{"C", "C", "Council", "council"}},
       "org_units: the org units form a cycle: C -> C (expected a tree: no unit may be its own ancestor); import a "
       "batch that corrects a parent_id"},
      {{{"C", "", "Council", "council"}, {"T1", "X9", "Team", "team"}},
       "org_units: 'T1' has parent_id 'X9', which matches no org unit (expected the id of an org unit, or empty at "
       "the root; import a batch that corrects it)"},
  };
  for (const Case& c : cases) {
    SnapshotBuilder b;
    for (const auto& u : c.units) ASSERT_TRUE(Add(b, TableId::kOrgUnits, u).ok());
    auto r = b.Finish();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().message(), c.message);
  }
  auto s = SmallSnapshot();
  EXPECT_EQ(s->org_tree().depth(s->FindOrgUnit("T1")), 1);
  EXPECT_EQ(s->org_tree().root(s->FindOrgUnit("T1")), s->FindOrgUnit("C"));
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
  Status st = Add(b, TableId::kOrgUnits, {"C", "", "Council", "county"});
  EXPECT_EQ(st.message(),
            "kind: 'county' is not a known code (expected one of: council, service, team, region, nation)");
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

TEST(IdColumnTest, FindsIdsByExactSpellingAndFallsBackToText) {
  IdColumn unsorted;
  for (const char* id : {"P3", "P1", "P2"}) unsorted.Append(id);
  unsorted.Finish({0, 1, 2});
  unsorted.BuildIndex();
  EXPECT_EQ(unsorted.Find("P2"), 2);
  EXPECT_EQ(unsorted.Find("P3"), 0);
  EXPECT_EQ(unsorted.Find("P02"), -1);  // the number of P2, spelt otherwise
  EXPECT_EQ(unsorted.Find("P4"), -1);
  EXPECT_EQ(unsorted.Find("X1"), -1);
  // Numeric until "Q": the ids so far are spelt out, nothing is lost.
  IdColumn text;
  for (const char* id : {"P1", "P2", "Q"}) text.Append(id);
  text.Finish({2, 0, 1});
  text.BuildIndex();
  EXPECT_EQ(text.Get(0), "Q");
  EXPECT_EQ(text.Get(1), "P1");
  EXPECT_EQ(text.Find("P2"), 2);
  EXPECT_EQ(text.Find("Q"), 0);
  // Padded to two digits, then a one-digit id: no single width prints all three.
  IdColumn widths;
  for (const char* id : {"P01", "P10", "P7"}) widths.Append(id);
  widths.Finish({0, 1, 2});
  EXPECT_EQ(widths.Get(0), "P01");
  EXPECT_EQ(widths.Get(1), "P10");
  EXPECT_EQ(widths.Get(2), "P7");
}

TEST(PackedIntsTest, ChoosesTheSmallestEncodingAndReadsBackEveryValue) {
  PackedInts constant;
  constant.Pack(std::vector<int32_t>(100, 7));
  EXPECT_EQ(constant.encoding(), "for0");
  EXPECT_EQ(constant[99], 7);
  // Range 3 plus the unknown code: one byte, one base.
  PackedInts nulls;
  nulls.Pack(std::vector<int32_t>{100, 101, kNullI32, 103});
  EXPECT_EQ(nulls.encoding(), "for1");
  EXPECT_EQ(std::vector<int32_t>(nulls.begin(), nulls.end()), (std::vector<int32_t>{100, 101, kNullI32, 103}));
  // Range 1000001 needs 3 bytes a row (15 + 4 bytes); 3 distinct values
  // take 1 byte a row plus 12 bytes of dictionary (17).
  PackedInts dict;
  dict.Pack(std::vector<int32_t>{5, 1000000, 5, 1000000, -1});
  EXPECT_EQ(dict.encoding(), "dict1");
  EXPECT_EQ(std::vector<int32_t>(dict.begin(), dict.end()), (std::vector<int32_t>{5, 1000000, 5, 1000000, -1}));
  // A range over 2^24 with no dictionary: the values themselves, where -1
  // stays -1 and kNullI32 stays unknown.
  PackedInts raw;
  raw.Pack(std::vector<int32_t>{0, 20000000, -20000000, kNullI32, -1});
  EXPECT_EQ(raw.encoding(), "raw4");
  EXPECT_EQ(std::vector<int32_t>(raw.begin(), raw.end()), (std::vector<int32_t>{0, 20000000, -20000000, kNullI32, -1}));
  // 0, 1000, ..., 1023000: 3 bytes with one base (3076 bytes), 2 bytes with
  // a base per 64 rows (2048 + 16 * 4 = 2112 bytes).
  std::vector<int32_t> steps(1024);
  for (int32_t i = 0; i < 1024; ++i) steps[i] = 1000 * i;
  PackedInts blocks;
  blocks.Pack(steps);
  EXPECT_EQ(blocks.encoding(), "for2/64");
  EXPECT_EQ(blocks.MemoryBytes(), 2048u + 4 + 16 * 4);
  EXPECT_EQ(std::vector<int32_t>(blocks.begin(), blocks.end()), steps);
  EXPECT_EQ(blocks.LowerBound(0, 1024, 64500), 65);
  EXPECT_EQ(blocks.UpperBound(0, 1024, 65000), 66);
  EXPECT_EQ(blocks.LowerBound(70, 1024, 0), 70);
}

TEST(PackedRealsTest, ScalesOnlyWhenEveryValueComesBackBitForBit) {
  PackedReals money;
  money.Pack(std::vector<double>{10.5, std::nan(""), 250.0});
  EXPECT_EQ(money.scale(), 10.0);
  EXPECT_EQ(money[0], 10.5);
  EXPECT_TRUE(std::isnan(money[1]));
  EXPECT_EQ(money[2], 250.0);
  PackedReals inexact;
  const double third = 0.1 + 0.2;  // 0.30000000000000004: no 4-decimal integer gives it back
  inexact.Pack(std::vector<double>{third, -0.0});
  EXPECT_EQ(inexact.scale(), 0.0);
  const double back = inexact[0];
  EXPECT_EQ(std::bit_cast<uint64_t>(third), std::bit_cast<uint64_t>(back));  // bit for bit
  EXPECT_TRUE(std::signbit(inexact[1]));
}

TEST(SnapshotTest, PoolKeepsTextOnlyAndColumnsArePacked) {
  auto s = SmallSnapshot();
  // Ids were resolved to rows while building: only text values remain.
  EXPECT_EQ(s->strings().Find("R1"), -1);
  EXPECT_EQ(s->strings().Find("P1"), -1);
  EXPECT_GE(s->strings().Find("u1"), 0);
  EXPECT_GE(s->strings().Find("Team 1"), 0);
  EXPECT_EQ(s->FindPerson("P01"), -1);
  EXPECT_EQ(s->FindOrgUnit("T1"), 1);
  const TableData& req = s->table(TableId::kRequests);
  EXPECT_EQ(req.batch.encoding(), "for1");  // batches 7 and 8
  EXPECT_EQ(s->table(TableId::kAssessments).batch.width(), 0);  // one batch
  EXPECT_EQ(std::vector<int32_t>(req.person_start.begin(), req.person_start.end()), (std::vector<int32_t>{0, 1, 3}));
}

TEST(SnapshotTest, TakesTheWidestTableAndRejectsATimestampOutOfRangeWhole) {
  SnapshotBuilder b;
  ASSERT_TRUE(Add(b, TableId::kOrgUnits, {"T1", "", "Team 1", "team"}).ok());
  ASSERT_TRUE(Add(b, TableId::kPeople, {"P1", "service_user", "1950-07", "F", "", "", "", "", ""}).ok());
  // services has 16 fields, the most of any table.
  ASSERT_EQ(Table(TableId::kServices).fields.size(), 16u);
  std::vector<std::string_view> service = {"S1", "P1", "home_care", "", "community", "long", "commissioned",
                                           "2024-04-01", "", "10.25", "250", "PRV1", "T1", "W1",
                                           "2024-04-01T09:00:00Z", "u1"};
  ASSERT_TRUE(b.AddRow(TableId::kServices, service, 1).ok());
  service[0] = "S2", service[14] = "1900-01-01T00:00:00Z";
  Status st = b.AddRow(TableId::kServices, service, 1);
  EXPECT_EQ(st.message(), "recorded_at: '1900-01-01T00:00:00Z' is outside 1932-2068 (expected a timestamp in that range)");
  auto r = b.Finish();
  ASSERT_TRUE(r.ok());
  const TableData& svc = (*r)->table(TableId::kServices);
  ASSERT_EQ(svc.rows, 1);
  EXPECT_EQ(svc.RecordId(0, **r), "S1");
  EXPECT_EQ(svc.Real(svc.Field("planned_hours_week"), 0), 10.25);
  EXPECT_EQ(FormatTimestamp(svc.Time(svc.Field("recorded_at"), 0)), "2024-04-01T09:00:00Z");
  EXPECT_EQ(svc.PersonRows(0), (std::pair<int64_t, int64_t>(0, 1)));
}

}  // namespace
}  // namespace goldthread
