#pragma once
// Rendered page content and API answers, kept for the analysis they were
// built from, so many readers of the same page do not each rebuild its
// charts or its JSON. The key holds
// everything a page depends on besides the analysis: the path and query,
// the reader's role and org unit (links to cases and person-level sections
// differ by them). The bar around the content (name, CSRF token) is not
// cached. Person-level views are kept with the content, so each reader's
// view is still logged.
//
// Thread-safety: every method may be called from any thread.

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "report/document.h"

namespace goldthread::report {
struct Analysis;
}

namespace goldthread::server {

struct CachedPage {
  std::string body;  // the content inside <main>, or a whole answer (AnswerCached)
  std::string content_type;  // of a whole answer
  std::string period;
  std::vector<report::PersonLevelView> person_level_views;
};

class PageCache {
 public:
  explicit PageCache(size_t max_entries = 512) : max_entries_(max_entries) {}

  /// The page of `key` built from `analysis`, or null.
  std::shared_ptr<const CachedPage> Find(const std::shared_ptr<const report::Analysis>& analysis,
                                         const std::string& key);
  /// Keeps a page; forgets every page of an older analysis, and everything
  /// when full (pages are cheap to rebuild once).
  void Put(const std::shared_ptr<const report::Analysis>& analysis, const std::string& key,
           std::shared_ptr<const CachedPage> page);

 private:
  bool Same(const std::shared_ptr<const report::Analysis>& a) const {
    return !analysis_.owner_before(a) && !a.owner_before(analysis_) && !analysis_.expired();
  }
  const size_t max_entries_;
  std::mutex mu_;
  // The analysis the pages were built from; weak, so the cache keeps no
  // old analysis alive (and a new one at the same address is not mistaken for it).
  std::weak_ptr<const report::Analysis> analysis_;                            // guarded by mu_
  std::unordered_map<std::string, std::shared_ptr<const CachedPage>> pages_;  // guarded by mu_
};

}  // namespace goldthread::server
