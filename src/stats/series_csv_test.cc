#include "stats/series_csv.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace goldthread::stats {
namespace {

TEST(StatsSeriesCsvTest, ReadsXyAndProportions) {
  Result<SpcSeries> s = ParseSpcCsv("\xEF\xBB\xBFx,y\r\n2024-04,61.2\r\n2024-05,\r\n\"2024-06\", 3e1\r\n", "a.csv");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_FALSE(s->proportions);
  ASSERT_EQ(s->x.size(), 3u);
  EXPECT_EQ(s->x[2], "2024-06");
  EXPECT_EQ(s->y[0], 61.2);
  EXPECT_TRUE(std::isnan(s->y[1]));
  EXPECT_EQ(s->y[2], 30.0);
  Result<SpcSeries> p = ParseSpcCsv("X,Numerator,Denominator\n1,3,10\n2,0,0\n", "p.csv");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->proportions);
  EXPECT_EQ(p->denominators[1], 0.0);
}

TEST(StatsSeriesCsvTest, ErrorMessagesNameFileLineAndColumn) {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"a,b\n1,2\n", "f.csv:1: header: got 'a,b' (expected x,y or x,numerator,denominator)"},
      {"x,y\n", "f.csv: no data rows (expected a header and at least one row)"},
      {"x,y\n1,2\n2,abc\n", "f.csv:3: y: 'abc' is not a number (expected a number, or empty when missing)"},
      {"x,y\n1,2,3\n", "f.csv:2: row: 3 fields (expected 2: x,y)"},
      {"x,y\n,2\n", "f.csv:2: x: empty (expected a date, period label or number)"},
      {"x,numerator,denominator\n1,-1,4\n", "f.csv:2: numerator: '-1' is negative (expected a count >= 0)"},
      {"x,numerator,denominator\n1,5,4\n",
       "f.csv:2: numerator: 5 exceeds the denominator 4 (expected numerator <= denominator)"},
      {"x,y\n1,inf\n", "f.csv:2: y: 'inf' is not a number (expected a number, or empty when missing)"},
  };
  for (const Case& c : cases) {
    Result<SpcSeries> s = ParseSpcCsv(c.text, "f.csv");
    ASSERT_FALSE(s.ok()) << c.text;
    EXPECT_EQ(s.status().message(), c.message);
  }
  EXPECT_EQ(ParseFunnelCsv("unit,n,d\n", "u.csv", true).status().message(),
            "u.csv:1: header: got 'unit,n,d' (expected unit,numerator,denominator)");
  EXPECT_EQ(ParseFunnelCsv("unit,numerator,denominator\nA,x,1\n", "u.csv", true).status().message(),
            "u.csv:2: numerator: 'x' is not a number (expected a count >= 0, or empty when missing)");
  EXPECT_EQ(ParseFunnelCsv("unit,numerator,denominator\nA,9,1\n", "u.csv", true).status().message(),
            "u.csv:2: numerator: 9 exceeds the denominator 1 (expected numerator <= denominator)");
  EXPECT_TRUE(ParseFunnelCsv("unit,numerator,denominator\nA,9,1\n", "u.csv", false).ok());
  EXPECT_EQ(ReadSpcCsv("/nonexistent/x.csv").status().message(),
            "cannot open '/nonexistent/x.csv': No such file or directory");
}

}  // namespace
}  // namespace goldthread::stats
