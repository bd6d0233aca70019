#include "ingest/csv.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "core/test_cli.h"

namespace goldthread {
namespace {

// The file at path holds exactly text (binary: no newline translation).
bool WriteBytes(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  return static_cast<bool>(out.flush());
}

struct Rec {
  int64_t line;
  std::vector<std::string> fields;
  std::string raw;
  bool operator==(const Rec&) const = default;
};

std::vector<Rec> ReadAll(CsvReader& r) {
  std::vector<Rec> out;
  while (r.Next()) out.push_back({r.line(), {r.fields().begin(), r.fields().end()}, std::string(r.raw())});
  return out;
}

std::vector<Rec> ReadAll(const std::string& text) {
  auto r = CsvReader::FromString(text, "t.csv");
  std::vector<Rec> out = ReadAll(*r);
  EXPECT_TRUE(r->status().ok()) << r->status().ToString();
  return out;
}

TEST(CsvTest, PlainRecordsLfAndCrlf) {
  EXPECT_EQ(ReadAll("a,b\n1,2\n"), (std::vector<Rec>{{1, {"a", "b"}, "a,b"}, {2, {"1", "2"}, "1,2"}}));
  EXPECT_EQ(ReadAll("a,b\r\n1,2\r\n"), (std::vector<Rec>{{1, {"a", "b"}, "a,b"}, {2, {"1", "2"}, "1,2"}}));
  // No line end after the last record.
  EXPECT_EQ(ReadAll("a,b\n1,2"), (std::vector<Rec>{{1, {"a", "b"}, "a,b"}, {2, {"1", "2"}, "1,2"}}));
}

TEST(CsvTest, EmptyFieldsAndEmptyInput) {
  EXPECT_EQ(ReadAll("a,,\n,b,\n"), (std::vector<Rec>{{1, {"a", "", ""}, "a,,"}, {2, {"", "b", ""}, ",b,"}}));
  EXPECT_TRUE(ReadAll("").empty());
  EXPECT_EQ(ReadAll("\n"), (std::vector<Rec>{{1, {""}, ""}}));
}

TEST(CsvTest, ByteOrderMarkIsSkipped) {
  EXPECT_EQ(ReadAll("\xEF\xBB\xBFperson_id,role\nP1,carer\n"),
            (std::vector<Rec>{{1, {"person_id", "role"}, "person_id,role"}, {2, {"P1", "carer"}, "P1,carer"}}));
}

TEST(CsvTest, QuotedFieldsAndDoubledQuotes) {
  EXPECT_EQ(ReadAll("\"a,b\",\"say \"\"hi\"\"\",\"\"\n"),
            (std::vector<Rec>{{1, {"a,b", "say \"hi\"", ""}, "\"a,b\",\"say \"\"hi\"\"\",\"\""}}));
  EXPECT_EQ(ReadAll("x,\"y\"\r\nz,w\r\n"), (std::vector<Rec>{{1, {"x", "y"}, "x,\"y\""}, {2, {"z", "w"}, "z,w"}}));
}

TEST(CsvTest, EmbeddedNewlinesKeepLineNumbersExact) {
  std::vector<Rec> got = ReadAll("id,note\n1,\"two\nlines\"\n2,\"three\r\nlines\nhere\"\n3,end\n");
  EXPECT_EQ(got, (std::vector<Rec>{{1, {"id", "note"}, "id,note"},
                                   {2, {"1", "two\nlines"}, "1,\"two\nlines\""},
                                   {4, {"2", "three\r\nlines\nhere"}, "2,\"three\r\nlines\nhere\""},
                                   {7, {"3", "end"}, "3,end"}}));
}

TEST(CsvTest, LenientAboutStrayQuotes) {
  EXPECT_EQ(ReadAll("ab\"c,\"d\"e\n"), (std::vector<Rec>{{1, {"ab\"c", "de"}, "ab\"c,\"d\"e"}}));
}

TEST(CsvTest, UnterminatedQuoteIsAnError) {
  auto r = CsvReader::FromString("a,b\n1,\"open\n2,3\n", "people.csv");
  ASSERT_TRUE(r->Next());
  EXPECT_FALSE(r->Next());
  EXPECT_EQ(r->status().message(), "people.csv:2: a quoted field is not closed (expected a closing '\"')");
}

TEST(CsvTest, RecordsAcrossBufferBoundariesFromAFile) {
  // Longer than the 1 MiB read buffer, with a quoted multi-line field and a
  // record longer than the buffer, so refills and growth are exercised.
  std::string text = "id,value\n";
  for (int i = 0; i < 60000; ++i) text += std::to_string(i) + ",\"v" + std::to_string(i) + "\nx\"\n";
  std::string big(3 << 20, 'z');
  text += "big," + big + "\n";
  text += "last,1";
  const test::TestDir dir("csv_test");  // per test and process, removed after it
  const std::string path = dir / "big.csv";
  ASSERT_TRUE(WriteBytes(path, text));
  auto opened = CsvReader::Open(path, "big.csv");
  ASSERT_TRUE(opened.ok());
  (*opened)->set_max_record_bytes(4 << 20);
  std::vector<Rec> got = ReadAll(**opened);
  ASSERT_TRUE((*opened)->status().ok());
  ASSERT_EQ(got.size(), 60003u);
  EXPECT_EQ(got[12345].line, 2 + 2 * 12344);
  EXPECT_EQ(got[12345].fields, (std::vector<std::string>{"12344", "v12344\nx"}));
  EXPECT_EQ(got[60001].fields[1], big);
  EXPECT_EQ(got[60002].line, 120003);
  EXPECT_EQ(got[60002].fields, (std::vector<std::string>{"last", "1"}));
}

// Issue 9: one enormous line was read whole into memory (the buffer doubled
// until it held it). A record longer than the limit is an error at its line.
TEST(CsvTest, ARecordLongerThanTheLimitIsAnError) {
  const test::TestDir dir("csv_test");  // per test and process, removed after it
  const std::string path = dir / "long.csv";
  {
    std::string text = "a,b\n1,2\n" + std::string(3 << 20, 'x');  // no line end at all
    ASSERT_TRUE(WriteBytes(path, text));
  }
  auto opened = CsvReader::Open(path, "visits.csv");
  ASSERT_TRUE(opened.ok());
  CsvReader& r = **opened;
  ASSERT_TRUE(r.Next());
  ASSERT_TRUE(r.Next());
  EXPECT_FALSE(r.Next());
  EXPECT_EQ(
      r.status().message(),
      "visits.csv:3: a record is longer than 1048576 bytes (expected a line end within every 1048576 bytes)");

  // Lines ending in a lone CR (old Mac Excel) read as one record: said so.
  auto mac = CsvReader::FromString("id,name\r1,a\r2,b\r", "org_units.csv");
  mac->set_max_record_bytes(10);
  EXPECT_FALSE(mac->Next());
  EXPECT_EQ(mac->status().message(),
            "org_units.csv:1: a record is longer than 10 bytes (expected lines that end with LF or CRLF: this file's "
            "lines seem to end with a lone CR)");
  // At the limit is fine, quoted or not, with either line end.
  auto ok = CsvReader::FromString("0123456789\r\n\"01234567\"\n", "t.csv");
  ok->set_max_record_bytes(10);
  EXPECT_TRUE(ok->Next());
  EXPECT_TRUE(ok->Next());
  EXPECT_FALSE(ok->Next());
  EXPECT_TRUE(ok->status().ok()) << ok->status().message();
}

TEST(CsvTest, MissingFileIsAnIOError) {
  auto r = CsvReader::Open("/nonexistent/x.csv", "x.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "x.csv: cannot open '/nonexistent/x.csv': No such file or directory");
}

}  // namespace
}  // namespace goldthread
