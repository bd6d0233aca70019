#include "server/page_cache.h"

namespace goldthread::server {

std::shared_ptr<const CachedPage> PageCache::Find(const std::shared_ptr<const report::Analysis>& analysis,
                                                  const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!Same(analysis)) return nullptr;
  auto it = pages_.find(key);
  return it == pages_.end() ? nullptr : it->second;
}

void PageCache::Put(const std::shared_ptr<const report::Analysis>& analysis, const std::string& key,
                    std::shared_ptr<const CachedPage> page) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!Same(analysis) || pages_.size() >= max_entries_) {
    pages_.clear();
    analysis_ = analysis;
  }
  pages_[key] = std::move(page);
}

}  // namespace goldthread::server
