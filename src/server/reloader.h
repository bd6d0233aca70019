#pragma once
// Keeps an immutable value built from the store up to date without a
// restart: a watcher thread polls the store's import batches and, when they
// change, builds a new value in the background and swaps it in atomically.
// Requests always read the latest complete value; a slow or failing build
// never blocks them (they keep the previous one), and a failed build is
// retried when the batches change again or after retry_interval.
//
// Thread-safety: Current() and status() may be called from any thread.
// Start() and Stop() from the owner only.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace goldthread::server {

struct ReloaderOptions {
  std::string store_location;
  std::chrono::milliseconds poll_interval{2000};
  std::chrono::milliseconds retry_interval{60000};
  /// The watcher's connection: how long it waits for another process's
  /// hold on the store (an import switching an old store to WAL, a
  /// migration). Reads in WAL never wait for an import's batch.
  StoreOptions store = {};
};

/// What the watcher has done, for /api/status and tests.
struct ReloaderStatus {
  int64_t generation = 0;        // how many values have been swapped in
  std::vector<int64_t> batches;  // the batch ids of the current value
  bool building = false;
  std::string last_error;  // of the latest failed build ("" none)
};

template <typename T>
class Reloader {
 public:
  using Build = std::function<Result<std::shared_ptr<const T>>(Store&)>;

  Reloader(ReloaderOptions options, Build build) : options_(std::move(options)), build_(std::move(build)) {}
  ~Reloader() { Stop(); }
  Reloader(const Reloader&) = delete;
  Reloader& operator=(const Reloader&) = delete;

  /// Opens the watcher's own connection to the store and starts watching;
  /// the first build starts at once.
  Status Start() {
    Result<std::unique_ptr<Store>> store = OpenStore(options_.store_location, OpenMode::kMustExist, options_.store);
    if (!store.ok()) return store.status();
    store_ = std::move(*store);
    thread_ = std::thread([this] { Run(); });
    return Status::Ok();
  }
  /// Stops the watcher (waits for a build under way to finish).
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  /// The latest value; null until the first build has succeeded.
  std::shared_ptr<const T> Current() const {
    std::lock_guard<std::mutex> lock(mu_);
    return current_;
  }
  ReloaderStatus status() const {
    std::lock_guard<std::mutex> lock(mu_);
    return status_;
  }
  /// Checks the store now instead of at the next poll.
  void Poke() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      poked_ = true;
    }
    wake_.notify_all();
  }

 private:
  void Run() {
    std::vector<int64_t> failed_for;  // the batches whose build failed
    auto last_failure = std::chrono::steady_clock::time_point::min();
    for (;;) {
      std::vector<int64_t> batches;
      Result<std::vector<BatchInfo>> listed = store_->Batches();
      if (listed.ok()) {
        for (const BatchInfo& b : *listed) batches.push_back(b.id);
        bool changed;
        {
          std::lock_guard<std::mutex> lock(mu_);
          changed = !current_ || status_.batches != batches;
          if (changed && batches == failed_for &&
              std::chrono::steady_clock::now() - last_failure < options_.retry_interval)
            changed = false;
          if (changed) status_.building = true;
        }
        if (changed) {
          Result<std::shared_ptr<const T>> built = build_(*store_);
          std::lock_guard<std::mutex> lock(mu_);
          status_.building = false;
          if (built.ok()) {
            current_ = std::move(*built);
            status_.batches = batches;
            ++status_.generation;
            status_.last_error.clear();
            failed_for.clear();
          } else {
            status_.last_error = built.status().message();
            // A store in use is no reason to wait retry_interval: try
            // again at the next poll.
            if (built.status().code() != StatusCode::kBusy) {
              failed_for = batches;
              last_failure = std::chrono::steady_clock::now();
            }
          }
        }
      } else {
        std::lock_guard<std::mutex> lock(mu_);
        status_.last_error = listed.status().message();
      }
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_ || poked_; });
      if (stopping_) return;
      poked_ = false;
    }
  }

  ReloaderOptions options_;
  Build build_;
  std::unique_ptr<Store> store_;  // the watcher thread's own connection
  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;             // guarded by mu_
  bool poked_ = false;                // guarded by mu_
  std::shared_ptr<const T> current_;  // guarded by mu_
  ReloaderStatus status_;             // guarded by mu_
};

}  // namespace goldthread::server
