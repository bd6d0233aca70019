#include "server/page_cache.h"

#include <gtest/gtest.h>

#include "report/analysis.h"

namespace goldthread::server {
namespace {

std::shared_ptr<const CachedPage> Page(const std::string& body) {
  auto p = std::make_shared<CachedPage>();
  p->body = body;
  return p;
}

TEST(PageCacheTest, PagesAreKeptPerAnalysisAndForgottenWhenANewOneComes) {
  PageCache cache(2);
  auto first = std::make_shared<const report::Analysis>();
  EXPECT_EQ(cache.Find(first, "/cabinet"), nullptr);
  cache.Put(first, "/cabinet", Page("a"));
  ASSERT_NE(cache.Find(first, "/cabinet"), nullptr);
  EXPECT_EQ(cache.Find(first, "/cabinet")->body, "a");
  EXPECT_EQ(cache.Find(first, "/public"), nullptr);

  auto second = std::make_shared<const report::Analysis>();
  EXPECT_EQ(cache.Find(second, "/cabinet"), nullptr);  // built from another analysis
  cache.Put(second, "/public", Page("b"));
  EXPECT_EQ(cache.Find(first, "/cabinet"), nullptr);  // the old analysis's pages are gone
  EXPECT_EQ(cache.Find(second, "/public")->body, "b");

  // Full: everything is forgotten before the new page is kept.
  cache.Put(second, "/team", Page("c"));
  cache.Put(second, "/management", Page("d"));
  EXPECT_EQ(cache.Find(second, "/public"), nullptr);
  EXPECT_EQ(cache.Find(second, "/management")->body, "d");
}

TEST(PageCacheTest, AFreedAnalysisIsNeverMistakenForANewOne) {
  PageCache cache;
  auto first = std::make_shared<const report::Analysis>();
  cache.Put(first, "/cabinet", Page("a"));
  first.reset();
  auto next = std::make_shared<const report::Analysis>();  // may reuse the address
  EXPECT_EQ(cache.Find(next, "/cabinet"), nullptr);
}

}  // namespace
}  // namespace goldthread::server
