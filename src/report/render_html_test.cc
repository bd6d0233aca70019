#include "report/render_html.h"

#include <gtest/gtest.h>

#include <string>

#include "report/document.h"

namespace goldthread::report {
namespace {

Section OneTable(std::string caption) {
  Table t;
  t.id = "by-team";
  t.caption = std::move(caption);
  t.columns = {{"Team", ColumnType::kText, 0}};
  t.rows = {{Cell{"T01", std::nullopt, "", false, "", -1}}};
  Section s;
  s.id = "teams";
  s.title = "Teams";
  s.blocks.push_back(std::move(t));
  return s;
}

// A table scrolls inside its wrapper at phone width: the wrapper is a
// named, focusable region so keyboard users can scroll it (axe-core's
// scrollable-region-focusable, WCAG 2.1.1).
TEST(RenderHtmlTest, TableWrapperIsAFocusableRegionNamedByItsCaption) {
  const std::string html = RenderSectionHtml(OneTable("Reviews by team & month"));
  EXPECT_NE(html.find("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
                      "aria-label=\"Reviews by team &amp; month\"><table id=\"by-team\">"),
            std::string::npos)
      << html;
}

TEST(RenderHtmlTest, TableWrapperWithoutCaptionIsNamedByItsId) {
  const std::string html = RenderSectionHtml(OneTable(""));
  EXPECT_NE(html.find("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"table by-team\">"),
            std::string::npos)
      << html;
}

// A folded table (the Hub's every cell with its evidence) is shut under its
// caption and row count; its table is whole inside, and an unfolded table
// has no <details> at all.
TEST(RenderHtmlTest, AFoldedTableIsShutUnderItsCaptionAndRowCount) {
  Section s = OneTable("Every cell & its evidence");
  std::get<Table>(s.blocks[0]).folded = true;
  const std::string html = RenderSectionHtml(s);
  const size_t open = html.find("<details class=\"fold\"><summary>Every cell &amp; its evidence (1 row)</summary>\n"
                                "<div class=\"table-wrap\"");
  ASSERT_NE(open, std::string::npos) << html;
  const size_t table = html.find("<table id=\"by-team\">", open), shut = html.find("</details>", open);
  EXPECT_LT(table, shut);
  EXPECT_NE(shut, std::string::npos);
  EXPECT_EQ(RenderSectionHtml(OneTable("x")).find("<details"), std::string::npos);
}

}  // namespace
}  // namespace goldthread::report
