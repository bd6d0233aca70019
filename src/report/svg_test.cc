#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "report/svg_funnel.h"
#include "report/svg_sparkline.h"
#include "report/svg_spc.h"
#include "report/svg_util.h"

namespace goldthread::report {
namespace {

size_t Count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

TEST(StatsSvgTest, SpcChartHasPointsLimitsAndIcons) {
  const std::vector<double> y = {10, 11, 9, 10, 12, 9, 11, 10, 9, 11, 10, 12, 13, 12, 11, 13, 12, 13, 12, 11, 30};
  stats::SpcOptions o;
  o.target = 8.0;
  Result<stats::SpcResult> chart = stats::XmrChart(y, o);
  ASSERT_TRUE(chart.ok());
  std::vector<std::string> x;
  for (size_t i = 0; i < y.size(); ++i) x.push_back("p<" + std::to_string(i) + ">");
  SpcSvgOptions so;
  so.title = "Waiting & seen";
  so.target = 8.0;
  const std::string svg = RenderSpcSvg(x, *chart, so);
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find("Waiting &amp; seen"), std::string::npos);  // escaped
  EXPECT_EQ(svg.find("p<1>"), std::string::npos);
  EXPECT_NE(svg.find("#00b0f0"), std::string::npos);  // improvement points
  EXPECT_NE(svg.find("stroke-dasharray=\"6,4\""), std::string::npos);  // process limits
  EXPECT_NE(svg.find(">Variation<"), std::string::npos);
  EXPECT_NE(svg.find(">Assurance<"), std::string::npos);
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_EQ(svg.find("inf"), std::string::npos);
}

TEST(StatsSvgTest, SpcChartCopesWithNoLimitsAndMissing) {
  Result<stats::SpcResult> chart = stats::XmrChart(std::vector<double>{5, 5, NAN, 5}, stats::SpcOptions{});
  ASSERT_TRUE(chart.ok());
  const std::string svg = RenderSpcSvg({"a", "b", "c", "d"}, *chart, SpcSvgOptions{});
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_EQ(Count(svg, "<circle cx"), 3u + 4u + 1u);  // 3 points, 4 legend dots, 1 icon
  Result<stats::SpcResult> empty = stats::XmrChart(std::vector<double>{}, stats::SpcOptions{});
  ASSERT_TRUE(empty.ok());
  EXPECT_NE(RenderSpcSvg({}, *empty, SpcSvgOptions{}).find("</svg>"), std::string::npos);
}

TEST(StatsSvgTest, FunnelPlotHasCurvesAndOutlierLabels) {
  const std::vector<double> num = {45, 120, 12, 300, 80, 66, 150, 9, 210, 33, 95, 140};
  const std::vector<double> den = {60, 150, 20, 380, 100, 90, 170, 15, 260, 40, 140, 160};
  stats::FunnelOptions o;
  o.adjust = stats::FunnelAdjust::kNone;
  Result<stats::FunnelResult> f = stats::FunnelPlot(num, den, o);
  ASSERT_TRUE(f.ok());
  std::vector<std::string> units = {"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L"};
  const std::string svg = RenderFunnelSvg(units, *f, FunnelSvgOptions{});
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_EQ(Count(svg, "<path d=\"M"), 4u);  // four limit curves
  EXPECT_NE(svg.find(">K</text>"), std::string::npos);  // an outlier, labelled
  EXPECT_EQ(svg.find("nan"), std::string::npos);
}

TEST(StatsSvgTest, SparklineHasItsPointsLimitsAndBreakAndNoText) {
  // 13 points, the last far above the limits: one special cause (improvement).
  const std::vector<double> y = {10, 11, 9, 10, 12, 9, 11, 10, 9, 11, 10, 12, 30};
  Result<stats::SpcResult> chart = stats::XmrChart(y, stats::SpcOptions{});
  ASSERT_TRUE(chart.ok());
  SparklineSvgOptions o;
  o.title = "Trend of A & B";
  o.desc = "13 months; 1 special cause";
  o.provisional.assign(y.size(), false);
  o.provisional[11] = true;
  o.breaks = {6};
  const std::string svg = RenderSparklineSvg(*chart, o);
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"150\" height=\"36\" viewBox=\"0 0 150 36\"", 0),
            0u);
  EXPECT_NE(svg.find("<title>Trend of A &amp; B</title><desc>13 months; 1 special cause</desc>"), std::string::npos);
  EXPECT_EQ(Count(svg, "<circle"), 13u);
  EXPECT_EQ(Count(svg, "fill=\"#00b0f0\""), 1u);  // the one improvement
  EXPECT_EQ(Count(svg, "fill=\"#ffffff\""), 1u);  // the provisional point, hollow
  EXPECT_EQ(Count(svg, "<line"), 1u);               // the version break
  EXPECT_EQ(Count(svg, "stroke-dasharray=\"3,2\""), 2u);  // both limits, one segment
  EXPECT_EQ(svg.find("<text"), std::string::npos);
  EXPECT_EQ(svg.find("nan"), std::string::npos);
}

TEST(StatsSvgTest, Helpers) {
  EXPECT_EQ(SvgEscape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
  EXPECT_EQ(FormatNumber(0.25), "0.25");
  EXPECT_EQ(FormatNumber(1200), "1200");
  EXPECT_EQ(NiceTicks(0, 10, 6), (std::vector<double>{0, 2, 4, 6, 8, 10}));
}

}  // namespace
}  // namespace goldthread::report
