#include "core/date.h"

#include <gtest/gtest.h>

namespace goldthread {
namespace {

TEST(DateTest, RoundTripsCivilDates) {
  EXPECT_EQ(DateFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DateFromCivil(2000, 3, 1), 11017);
  for (Date d = -800000; d < 800000; d += 997) {
    YearMonthDay c = CivilFromDate(d);
    EXPECT_EQ(DateFromCivil(c.year, c.month, c.day), d);
  }
}

TEST(DateTest, ParsesStrictIsoDates) {
  Date d;
  ASSERT_TRUE(TryParseDate("2024-02-29", d));
  EXPECT_EQ(FormatDate(d), "2024-02-29");
  EXPECT_FALSE(TryParseDate("2023-02-29", d));  // not a leap year
  EXPECT_FALSE(TryParseDate("2024-13-01", d));
  EXPECT_FALSE(TryParseDate("2024-4-01", d));
  EXPECT_FALSE(TryParseDate("01/04/2024", d));
  EXPECT_FALSE(TryParseDate("", d));
  ASSERT_TRUE(TryParseDateOrMonth("1950-07", d));
  EXPECT_EQ(FormatDate(d), "1950-07-01");
}

TEST(DateTest, ParsesTimestampsWithOffsets) {
  Timestamp t;
  ASSERT_TRUE(TryParseTimestamp("2024-04-01T09:30:00", t));
  EXPECT_EQ(FormatTimestamp(t), "2024-04-01T09:30:00Z");
  ASSERT_TRUE(TryParseTimestamp("2024-04-01T09:30:00+01:00", t));
  EXPECT_EQ(FormatTimestamp(t), "2024-04-01T08:30:00Z");
  ASSERT_TRUE(TryParseTimestamp("2024-04-01T00:30:00.123-02:00", t));
  EXPECT_EQ(FormatTimestamp(t), "2024-04-01T02:30:00Z");
  EXPECT_FALSE(TryParseTimestamp("2024-04-01 09:30:00", t));
  EXPECT_FALSE(TryParseTimestamp("2024-04-01T25:00:00", t));
  EXPECT_FALSE(TryParseTimestamp("2024-04-01T09:30:00Q", t));
}

TEST(DateTest, WeekdaysAgesAndMonths) {
  Date d;
  ASSERT_TRUE(TryParseDate("2024-04-01", d));  // a Monday
  EXPECT_EQ(IsoWeekday(d), 0);
  EXPECT_EQ(WeekStart(d + 6), d);
  Date birth;
  ASSERT_TRUE(TryParseDate("1959-04-01", birth));
  EXPECT_EQ(AgeInYears(birth, d), 65);      // birthday on the day counts
  EXPECT_EQ(AgeInYears(birth, d - 1), 64);
  ASSERT_TRUE(TryParseDate("2024-01-31", d));
  EXPECT_EQ(FormatDate(AddMonths(d, 1)), "2024-02-29");
  EXPECT_EQ(FormatDate(AddMonths(d, -13)), "2022-12-31");
}

}  // namespace
}  // namespace goldthread
