#include "integrity/config.h"

#include <gtest/gtest.h>

namespace goldthread::integrity {
namespace {

TEST(IntegrityConfigTest, DefaultsWhenEmpty) {
  auto c = ParseCheckConfig("", "checks.toml");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->deadline_bunching.threshold_days, 28);
  EXPECT_TRUE(c->bulk_change.enabled);
}

TEST(IntegrityConfigTest, OverridesAndSwitchesOff) {
  auto c = ParseCheckConfig(
      "[deadline_bunching]\nthreshold_days = 7\nmin_ratio = 2\n[bulk_change]\nenabled = false\n"
      "[backdating]\nmin_late_records = 25\n",
      "checks.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->backdating.min_late_records, 25);
  EXPECT_EQ(c->deadline_bunching.threshold_days, 7);
  EXPECT_DOUBLE_EQ(c->deadline_bunching.min_ratio, 2.0);
  EXPECT_FALSE(c->bulk_change.enabled);
}

TEST(IntegrityConfigTest, ErrorsNameTheKey) {
  auto c = ParseCheckConfig("[deadline_bunching]\ndegre = 5\n", "checks.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "checks.toml: deadline_bunching.degre: unknown key");
  c = ParseCheckConfig("[bunching]\n", "checks.toml");
  EXPECT_EQ(c.status().message(), "checks.toml: bunching: unknown check");
  c = ParseCheckConfig("[clock_reset]\nenabled = 1\n", "checks.toml");
  EXPECT_EQ(c.status().message(), "checks.toml: clock_reset.enabled: expected true or false");
  c = ParseCheckConfig("[clock_reset\n", "checks.toml");
  EXPECT_FALSE(c.ok());
  EXPECT_EQ(c.status().message().rfind("checks.toml:1: ", 0), 0u);
}

TEST(IntegrityConfigTest, IndicatorChecks) {
  auto c = ParseCheckConfig(
      "[process_outcome_divergence]\nwindow = 3\nmin_points = 6\nrun_length = 6\nmin_denominator = 20\n"
      "outcome_lag_months = 9\n[implausible_jump]\nmin_denominator = 80\nsampling_z = 2.58\nwarmup_months = "
      "0\n"
      "[data_quality]\nmax_peer_missing_share = 0.4\n",
      "checks.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->process_outcome_divergence.window, 3);
  EXPECT_EQ(c->process_outcome_divergence.min_points, 6);
  EXPECT_EQ(c->process_outcome_divergence.run_length, 6);
  EXPECT_DOUBLE_EQ(c->process_outcome_divergence.min_denominator, 20);
  EXPECT_EQ(c->process_outcome_divergence.outcome_lag_months, 9);
  EXPECT_EQ(c->process_outcome_divergence.warmup_months, 12);  // untouched default
  EXPECT_DOUBLE_EQ(c->implausible_jump.min_denominator, 80);
  EXPECT_DOUBLE_EQ(c->implausible_jump.sampling_z, 2.58);
  EXPECT_EQ(c->implausible_jump.warmup_months, 0);
  EXPECT_DOUBLE_EQ(c->data_quality.max_peer_missing_share, 0.4);
  c = ParseCheckConfig("[process_outcome_divergence]\nrun_length = 5\n", "checks.toml");
  EXPECT_EQ(c.status().message(), "checks.toml: process_outcome_divergence.run_length: expected 6 or 7");
  c = ParseCheckConfig("[process_outcome_divergence]\nwindow = 7\n", "checks.toml");
  EXPECT_EQ(c.status().message(),
            "checks.toml: process_outcome_divergence: expected window >= 1 and min_points >= window + 2");
}

}  // namespace
}  // namespace goldthread::integrity
