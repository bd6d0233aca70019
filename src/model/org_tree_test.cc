#include "model/org_tree.h"

#include <gtest/gtest.h>

#include <vector>

namespace goldthread {
namespace {

std::string Name(int32_t u) { return std::string(1, static_cast<char>('A' + u)); }

TEST(OrgTreeTest, FindsEveryCycleOnceFromItsLowestUnit) {
  struct Case {
    std::vector<int32_t> parents;
    std::vector<std::vector<int32_t>> cycles;
  };
  const Case cases[] = {
      {{}, {}},
      {{-1, 0, 0, 1}, {}},                // a tree
      {{0}, {{0}}},                       // its own parent
      {{1, 0}, {{0, 1}}},                 // A -> B -> A
      {{-1, 2, 3, 1, 3}, {{1, 2, 3}}},    // B -> C -> D -> B, with E hanging off D
      {{1, 0, 3, 2, 4}, {{0, 1}, {2, 3}, {4}}},
      {{-1, 7, 0}, {}},                   // a parent out of range counts as a root
  };
  for (const Case& c : cases) EXPECT_EQ(FindParentCycles(c.parents), c.cycles);
}

TEST(OrgTreeTest, BuildRefusesACycleNamingIt) {
  const std::vector<int32_t> parents = {-1, 2, 3, 1};
  Result<OrgTree> t = OrgTree::Build(parents, Name);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message(),
            "the org units form a cycle: B -> C -> D -> B (expected a tree: no unit may be its own ancestor)");
  const std::vector<int32_t> self = {-1, 1};
  EXPECT_EQ(OrgTree::Build(self, Name).status().message(),
            "the org units form a cycle: B -> B (expected a tree: no unit may be its own ancestor)");
  const std::vector<int32_t> out_of_range = {-1, 5};
  EXPECT_EQ(OrgTree::Build(out_of_range, Name).status().message(),
            "org unit 'B' has a parent that is not an org unit");
}

TEST(OrgTreeTest, ChainsDepthsRootsAndLeaves) {
  // C(0) council; S(1) under C; T(2), U(3) under S; a second root R(4) with V(5).
  const std::vector<int32_t> parents = {-1, 0, 1, 1, -1, 4};
  Result<OrgTree> t = OrgTree::Build(parents, Name);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->size(), 6);
  EXPECT_EQ(std::vector<int32_t>(t->chain(2).begin(), t->chain(2).end()), (std::vector<int32_t>{2, 1, 0}));
  EXPECT_EQ(std::vector<int32_t>(t->chain(0).begin(), t->chain(0).end()), (std::vector<int32_t>{0}));
  EXPECT_EQ(t->depth(0), 0);
  EXPECT_EQ(t->depth(3), 2);
  EXPECT_EQ(t->depth(5), 1);
  EXPECT_EQ(t->root(3), 0);
  EXPECT_EQ(t->root(5), 4);
  EXPECT_TRUE(t->has_children(1));
  EXPECT_FALSE(t->has_children(2));
  EXPECT_EQ(t->first_root(), 0);
  EXPECT_EQ(t->parent(2), 1);
  Result<OrgTree> empty = OrgTree::Build({}, Name);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->first_root(), -1);
}

TEST(OrgTreeTest, DepthAndSizeAreBounded) {
  std::vector<int32_t> chain(kMaxOrgDepth + 2);
  for (size_t i = 0; i < chain.size(); ++i) chain[i] = static_cast<int32_t>(i) - 1;  // 0 <- 1 <- 2 ...
  Result<OrgTree> deep = OrgTree::Build(chain, [](int32_t u) { return "U" + std::to_string(u); });
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.status().message(), "org unit 'U33' is 33 levels below its root (expected at most 32)");
  chain.pop_back();
  EXPECT_TRUE(OrgTree::Build(chain, Name).ok());
  std::vector<int32_t> many(kMaxOrgUnits + 1, -1);
  EXPECT_EQ(OrgTree::Build(many, Name).status().message(), "there are 100001 org units (expected at most 100000)");
}

}  // namespace
}  // namespace goldthread
