#include "core/utf8.h"

#include <gtest/gtest.h>

namespace goldthread {
namespace {

TEST(Utf8Test, FindsTheFirstInvalidByte) {
  constexpr size_t kValid = std::string_view::npos;
  struct Case {
    std::string_view text;
    size_t invalid;
  };
  const Case cases[] = {
      {"", kValid},
      {"plain ascii, long enough for the fast path", kValid},
      {"Caf\xC3\xA9", kValid},                       // é
      {"\xE2\x82\xAC 12", kValid},                   // €
      {"\xF0\x9F\x98\x80", kValid},                  // U+1F600
      {"\xEF\xBB\xBFid", kValid},                    // a BOM is a valid character
      {"Caf\xE9", 3},                                // Latin-1 é
      {"abcdefgh\x80", 8},                           // a lone continuation byte after the fast path
      {"\xC0\xAF", 0},                               // overlong '/'
      {"\xE0\x80\xAF", 0},                           // overlong, three bytes
      {"\xED\xA0\x80", 0},                           // a UTF-16 surrogate
      {"\xF4\x90\x80\x80", 0},                       // above U+10FFFF
      {"ok\xE2\x82", 2},                             // cut short at the end
      {"\xFF", 0},
  };
  for (const Case& c : cases) EXPECT_EQ(FindInvalidUtf8(c.text), c.invalid) << Printable(c.text);
}

TEST(Utf8Test, PrintableEscapesControlsAndInvalidBytesAndCutsLongText) {
  EXPECT_EQ(Printable("Caf\xC3\xA9"), "Caf\xC3\xA9");
  EXPECT_EQ(Printable("Caf\xE9"), "Caf\\xE9");
  EXPECT_EQ(Printable(std::string_view("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(Printable("\x1B[31mred"), "\\x1B[31mred");  // no terminal escape reaches the screen
  EXPECT_EQ(Printable("tab\there\x7F"), "tab\\x09here\\x7F");
  EXPECT_EQ(Printable(std::string(100, 'x'), 10), std::string(10, 'x') + "...");
  EXPECT_EQ(Printable("\xC3\xA9\xC3\xA9\xC3\xA9", 3), "\xC3\xA9\xC3\xA9...");  // never cuts a character
}

}  // namespace
}  // namespace goldthread
