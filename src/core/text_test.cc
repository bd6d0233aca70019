#include "core/text.h"

#include <gtest/gtest.h>

namespace goldthread {
namespace {

TEST(TextTest, EditDistanceCountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(EditDistance("", ""), 0);
  EXPECT_EQ(EditDistance("", "abc"), 3);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3);  // k->s, e->i, +g
  EXPECT_EQ(EditDistance("recieved_on", "received_on"), 2);
  EXPECT_EQ(EditDistance("compute", "compute"), 0);
}

TEST(TextTest, ClosestNameWithinTwoOrAPrefix) {
  const std::vector<std::string_view> names = {"import", "compute", "check", "active_at"};
  EXPECT_EQ(ClosestName("comptue", names), "compute");
  EXPECT_EQ(ClosestName("chek", names), "check");
  EXPECT_EQ(ClosestName("active", names), "active_at");  // a prefix of a longer name
  EXPECT_EQ(ClosestName("report", names), "import");     // r->i, e->m: within 2
  EXPECT_EQ(ClosestName("serve", names), "");            // nothing within 2
  EXPECT_EQ(ClosestName("x", {}), "");
}

}  // namespace
}  // namespace goldthread
