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
      "[deadline_bunching]\nthreshold_days = 7\nmin_ratio = 2\n[bulk_change]\nenabled = false\n", "checks.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
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

}  // namespace
}  // namespace goldthread::integrity
