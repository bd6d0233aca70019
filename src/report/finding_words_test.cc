#include "report/finding_words.h"

#include <gtest/gtest.h>

#include <string>

namespace goldthread::report {
namespace {

TEST(FindingWordsTest, ThresholdSharesBecomePercentagesAndComparisonsWords) {
  EXPECT_EQ(ThresholdInWords("above the 99.8% funnel limit around the other teams' share (z = 3.41) and share >= 0.20"),
            "above the 99.8% funnel limit around the other teams' share (z = 3.41) and share at least 20%");
  EXPECT_EQ(ThresholdInWords("share >= 0.025 and above the 99.8% funnel limit"),
            "share at least 2.5% and above the 99.8% funnel limit");
  EXPECT_EQ(ThresholdInWords("ratio >= 1.5 and special cause on the team's p-chart of quarters"),
            "ratio at least 1.5 and special cause on the team's p-chart of quarters");
  EXPECT_EQ(ThresholdInWords("median > 14 days"), "median more than 14 days");
  EXPECT_EQ(ThresholdInWords("|change - median| / (1.4826 MAD) > 3.5 and |change| >= 5"),
            "|change - median| / (1.4826 MAD) more than 3.5 and |change| at least 5");
  EXPECT_EQ(ThresholdInWords("at least 5 records and 2% of the team's assessments"),
            "at least 5 records and 2% of the team's assessments");
}

integrity::Finding LateRegistration() {
  integrity::Finding f;
  f.check = "late_registration";
  f.statistic = "late_share";
  f.value = 0.4125;
  f.threshold = "above the 99.8% funnel limit around the other teams' share (z = 6.02) and share >= 0.10";
  f.looked_at = "received_on minus first_contact_on of requests received in the year with a first contact date";
  return f;
}

TEST(FindingWordsTest, WhyIsASentenceWithTheSameNumbers) {
  EXPECT_EQ(WhyInWords(LateRegistration()),
            "Looked at received_on minus first_contact_on of requests received in the year with a first contact "
            "date. Flagged because the share of requests logged long after the person first made contact was "
            "41.2%; the check's rule: above the 99.8% funnel limit around the other teams' share (z = 6.02) and "
            "share at least 10%.");
  EXPECT_EQ(RuleText(LateRegistration()),
            "late_share = 0.4125 (above the 99.8% funnel limit around the other teams' share (z = 6.02) and share "
            ">= 0.10)");
}

TEST(FindingWordsTest, RatiosDaysMissingFieldsAndUnknownStatistics) {
  integrity::Finding f;
  f.statistic = "bunching_ratio";
  f.value = 2.314;
  f.threshold = "bootstrap 95% interval 1.80 to 2.90 has lower bound >= 1.50";
  EXPECT_EQ(WhyInWords(f),
            "Flagged because the number of assessments completed just inside the deadline, as a multiple of what "
            "the smooth pattern of the team's other durations predicts was 2.31 times; the check's rule: bootstrap "
            "95% interval 1.80 to 2.90 has lower bound at least 1.50.");
  f.statistic = "lag_p90_days";
  f.value = 41;
  f.threshold = "";
  f.looked_at = "recorded_at minus the event date of the team's case records, by month of the event.";
  EXPECT_EQ(WhyInWords(f),
            "Looked at recorded_at minus the event date of the team's case records, by month of the event. Flagged "
            "because the time from the event to its entry, at the 90th percentile (10% of records take "
            "longer) was 41.0 days.");
  f.looked_at = "";
  f.statistic = "missing_share:assessments.completed_on";
  f.value = 0.125;
  EXPECT_EQ(WhyInWords(f), "Flagged because the share of the team's assessments with completed_on empty was 12.5%.");
  f.statistic = "new_statistic";
  f.value = 0.123456;
  EXPECT_EQ(WhyInWords(f), "Flagged because its statistic new_statistic was 0.1235.");
}

TEST(FindingWordsTest, EvidenceCountsHaveNoDecimalsAndSharesAPercentage) {
  EXPECT_EQ(EvidenceDecimals(4), 0);
  EXPECT_EQ(EvidenceDecimals(0), 0);
  EXPECT_EQ(EvidenceDecimals(1234567), 0);
  EXPECT_EQ(EvidenceDecimals(412.5), 1);
  EXPECT_EQ(EvidenceDecimals(2.31), 2);
  EXPECT_EQ(EvidenceDecimals(-2.31), 2);
  EXPECT_EQ(EvidenceDecimals(0.41), 3);
  EXPECT_EQ(EvidenceDecimals(0.0123), 4);
  EXPECT_EQ(EvidenceDetail("peer_share", 0.041), "4.1%");
  EXPECT_EQ(EvidenceDetail("top_user_share", 1), "100%");
  EXPECT_EQ(EvidenceDetail("excess", 0.5), "");
  EXPECT_EQ(EvidenceDetail("share_of_nothing", 3), "");
}

}  // namespace
}  // namespace goldthread::report
