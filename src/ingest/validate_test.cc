#include "ingest/validate.h"

#include <gtest/gtest.h>

namespace goldthread {
namespace {

Timestamp At(const char* iso) {
  Timestamp t = 0;
  EXPECT_TRUE(TryParseTimestamp(iso, t)) << iso;
  return t;
}

TEST(ValidateTest, BoundsFollowTheImportDate) {
  PlausibleDates b = PlausibleDatesAt(At("2024-02-29T12:00:00Z"));  // a leap day
  EXPECT_EQ(FormatDate(b.earliest), "1900-01-01");
  EXPECT_EQ(FormatDate(b.latest), "2029-02-28");          // no 29 February in 2029
  EXPECT_EQ(FormatDate(b.earliest_birth), "1904-02-29");  // 1904 had one
  EXPECT_EQ(FormatDate(b.latest_birth), "2024-02-29");
  EXPECT_EQ(FormatTimestamp(b.earliest_recorded), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(b.latest_recorded), "2024-03-01T12:00:00Z");
}

TEST(ValidateTest, EachBoundIsIncluded) {
  const PlausibleDates b = PlausibleDatesAt(At("2024-07-01T00:00:00Z"));
  const FieldSpec date{"end_on", FieldType::kDate, false};
  const FieldSpec birth{"birth_date", FieldType::kBirthDate, false};
  const FieldSpec month{"period", FieldType::kMonth, true};
  const FieldSpec time{"recorded_at", FieldType::kTimestamp, false};
  struct Case {
    const FieldSpec* f;
    const char* text;
    bool ok;
  };
  const Case cases[] = {
      {&date, "1900-01-01", true},  {&date, "1899-12-31", false}, {&date, "2029-07-01", true},
      {&date, "2029-07-02", false}, {&date, "", true},             {&month, "2029-07", true},
      {&month, "2029-08", false},   {&birth, "1904-07-01", true},  {&birth, "1904-06-30", false},
      {&birth, "1904-06", false},   {&birth, "2024-07-01", true},  {&birth, "2024-07", true},
      {&birth, "2024-07-02", false}, {&time, "2024-07-02T00:00:00Z", true},
      {&time, "2024-07-02T01:00:00+01:00", true},  // the same instant
      {&time, "2024-07-02T00:00:01Z", false},      {&time, "1969-12-31T23:59:59Z", false},
  };
  for (const Case& c : cases) {
    FieldValue v;
    std::string problem;
    ASSERT_TRUE(TryParseField(*c.f, c.text, v, problem)) << c.text;
    EXPECT_EQ(TryCheckPlausible(*c.f, c.text, v, b, problem), c.ok) << c.f->name << " " << c.text << ": " << problem;
  }
  // Other types pass whatever their value.
  FieldValue count;
  count.null = false;
  count.i = 1 << 30;
  std::string problem;
  EXPECT_TRUE(TryCheckPlausible({"minutes", FieldType::kCount, true}, "1073741824", count, b, problem));
}

TEST(ValidateTest, TextIsBoundedUtf8WithoutNul) {
  struct Case {
    std::string text, problem;
  };
  const Case cases[] = {
      {"", ""},
      {"Caf\xC3\xA9", ""},
      {std::string(kMaxFieldBytes, 'x'), ""},
      {std::string(kMaxFieldBytes + 1, 'x'), "is 4097 bytes long (expected at most 4096 bytes)"},
      {std::string("a\0", 2), "'a\\x00' has a NUL byte at byte 2 (expected text without NUL bytes)"},
      {"\xC3(", "'\\xC3(' is not valid UTF-8 at byte 1 (expected UTF-8 text; save the file as UTF-8)"},
  };
  for (const Case& c : cases) {
    std::string problem;
    EXPECT_EQ(TryCheckText(c.text, problem), c.problem.empty());
    EXPECT_EQ(problem, c.problem);
  }
}

}  // namespace
}  // namespace goldthread
