#include "model/data_end.h"

#include <gtest/gtest.h>

#include <vector>

namespace goldthread {
namespace {

std::unique_ptr<Snapshot> WithRequests(const std::vector<std::string_view>& received, Date as_of) {
  SnapshotBuilder b;
  using Row = std::vector<std::string_view>;
  EXPECT_TRUE(b.AddRow(TableId::kOrgUnits, Row{"C", "", "Council", "council"}, 1).ok());
  EXPECT_TRUE(b.AddRow(TableId::kPeople, Row{"P1", "service_user", "1950-07", "F", "", "", "", "", ""}, 1).ok());
  int n = 0;
  for (std::string_view on : received) {
    std::string id = "R" + std::to_string(++n);
    EXPECT_TRUE(b.AddRow(TableId::kRequests, Row{id, "P1", "", on, "self", "", "", "C", "", "", ""}, 1).ok());
  }
  if (as_of != kNullDate) b.SetAsOf(as_of);
  auto s = b.Finish();
  EXPECT_TRUE(s.ok());
  return std::move(s).value();
}

Date D(int y, int m, int d) { return DateFromCivil(y, m, d); }

TEST(DataEndTest, TheEndIsTheLatestEventByTheLatestImport) {
  EXPECT_EQ(kEarliestEventDate, D(1900, 1, 1));
  // Without an import date (a snapshot from files), the latest date.
  EXPECT_EQ(LastTimelineDay(*WithRequests({"2024-04-10", "9999-12-31"}, kNullDate)), D(9999, 12, 31));
  // With one, what is after it is a plan or a mistake, not data.
  EXPECT_EQ(LastTimelineDay(*WithRequests({"2024-04-10", "9999-12-31", "2024-06-30"}, D(2024, 6, 30))), D(2024, 6, 30));
  EXPECT_EQ(LastTimelineDay(*WithRequests({"2031-01-01"}, D(2024, 6, 30))), kNullDate);
  EXPECT_EQ(LastTimelineDay(*WithRequests({}, D(2024, 6, 30))), kNullDate);
  auto s = WithRequests({"1899-12-31"}, D(2024, 6, 30));
  EXPECT_FALSE(ByAsOf(*s, D(1899, 12, 31)));
  EXPECT_TRUE(ByAsOf(*s, D(1900, 1, 1)));
  EXPECT_FALSE(ByAsOf(*s, kNullDate));
}

// The start reads the same records as the end: a date before 1900 (a
// store from an older binary) or after the latest import is not the data's
// first day (a plan's curve would start there).
TEST(DataEndTest, TheStartIsTheEarliestEventTheEndWouldCount) {
  EXPECT_EQ(FirstTimelineDay(*WithRequests({"2024-04-10", "2023-05-02", "2024-01-31"}, kNullDate)),
            D(2023, 5, 2));
  EXPECT_EQ(FirstTimelineDay(*WithRequests({"1899-12-31", "2024-04-10", "2023-05-02"}, D(2024, 6, 30))),
            D(2023, 5, 2));
  EXPECT_EQ(FirstTimelineDay(*WithRequests({"2031-01-01", "2024-06-30"}, D(2024, 6, 30))), D(2024, 6, 30));
  EXPECT_EQ(FirstTimelineDay(*WithRequests({"2031-01-01"}, D(2024, 6, 30))), kNullDate);
  EXPECT_EQ(FirstTimelineDay(*WithRequests({}, kNullDate)), kNullDate);
}

}  // namespace
}  // namespace goldthread
