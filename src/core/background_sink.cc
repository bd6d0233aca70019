#include "core/background_sink.h"

#include <utility>

namespace goldthread {

BackgroundSink::BackgroundSink(std::function<void(std::string_view)> consume, size_t block_bytes)
    : consume_(std::move(consume)), block_bytes_(block_bytes == 0 ? 1 : block_bytes) {
  filling_.reserve(block_bytes_);
  thread_ = std::thread([this] { Run(); });
}

BackgroundSink::~BackgroundSink() { Finish(); }

void BackgroundSink::Write(std::string_view part) {
  filling_ += part;
  if (filling_.size() >= block_bytes_) Hand();
}

void BackgroundSink::Hand() {
  {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return !has_handed_; });
    // handed_ is the block the thread consumed last: its capacity is reused.
    handed_.swap(filling_);
    has_handed_ = true;
  }
  cv_.notify_all();
  filling_.clear();
}

void BackgroundSink::Run() {
  std::string work;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return has_handed_ || done_; });
      if (!has_handed_) return;  // done, and everything consumed
      work.swap(handed_);
    }
    consume_(work);
    work.clear();
    {
      std::lock_guard lock(mu_);
      has_handed_ = false;
    }
    cv_.notify_all();
  }
}

void BackgroundSink::Finish() {
  if (!thread_.joinable()) return;
  if (!filling_.empty()) Hand();
  {
    std::lock_guard lock(mu_);
    done_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

}  // namespace goldthread
