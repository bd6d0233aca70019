#pragma once
// The store as the server's request threads share it. A Store is used from
// one thread at a time (store/store.h), so requests take turns: reads
// (sessions, users, the access log) on a few connections and writes
// (sign-ins, sessions, access-log entries) on another. Every request reads
// its session: with one read connection the hundred request threads of a
// busy dashboard queued on its mutex, and a thread preempted while holding
// it held up all the others (bench/dashboard_load.sh: p99 44-85 ms with
// one, README); a read takes whichever of kReaders connections is free. In WAL mode a reader never waits
// for a writer, so a write held up by an import never stalls the page views
// that only read. A write waits for an import's batch for at most the
// options' wait (the store's bounded busy wait), then fails with kBusy,
// which the handlers answer with 503 "Not available just now". A third
// connection never waits at all: it is for best-effort writes (a session's
// last-seen time on every request), which are skipped when the store is
// busy and tried again on the next request, so a busy store never stalls a
// page.
//
// Thread-safety: every method may be called from any thread.

#include <array>
#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "core/status.h"
#include "store/store.h"

namespace goldthread::server {

class SharedStore {
 public:
  /// Opens two connections to an existing store, waiting for another
  /// process's hold on it as options say (StoreOptions).
  static Result<std::unique_ptr<SharedStore>> Open(const std::string& location,
                                                   const StoreOptions& options = {});
  SharedStore(const SharedStore&) = delete;
  SharedStore& operator=(const SharedStore&) = delete;

  /// Read connections: WAL readers (and PostgreSQL sessions) never block
  /// each other, and the 2 cores seldom run more than 4 reads at once.
  static constexpr size_t kReaders = 4;

  /// Runs f(Store&) on a read connection no other caller is using: the
  /// first free one, else waits its turn on one of them.
  template <typename F>
  auto Read(F&& f) {
    const size_t first = next_reader_.fetch_add(1, std::memory_order_relaxed) % kReaders;
    for (size_t k = 0; k < kReaders; ++k) {
      Reader& r = readers_[(first + k) % kReaders];
      std::unique_lock<std::mutex> lock(r.mu, std::try_to_lock);
      if (lock.owns_lock()) return f(*r.store);
    }
    Reader& r = readers_[first];
    std::lock_guard<std::mutex> lock(r.mu);
    return f(*r.store);
  }
  /// Runs f(Store&) on the write connection, one caller at a time.
  template <typename F>
  auto Write(F&& f) {
    std::lock_guard<std::mutex> lock(write_mu_);
    return f(*writer_);
  }
  /// A best-effort write that never waits: runs f(Store&) on a connection
  /// whose busy wait is zero, unless another thread is using it. Returns
  /// false when it did not run f or f's Status was not ok (another thread
  /// or process holding the store's write lock gives kBusy at once).
  template <typename F>
  bool TryWrite(F&& f) {
    std::unique_lock<std::mutex> lock(try_mu_, std::try_to_lock);
    if (!lock.owns_lock()) return false;
    return f(*try_writer_).ok();
  }
  const std::string& location() const { return location_; }

 private:
  struct Reader {
    std::mutex mu;
    std::unique_ptr<Store> store;  // guarded by mu
  };
  SharedStore(std::string location, std::unique_ptr<Store> writer, std::unique_ptr<Store> try_writer)
      : location_(std::move(location)), writer_(std::move(writer)), try_writer_(std::move(try_writer)) {}
  std::string location_;
  std::array<Reader, kReaders> readers_;
  std::atomic<size_t> next_reader_{0};
  std::mutex write_mu_;
  std::unique_ptr<Store> writer_;  // guarded by write_mu_
  std::mutex try_mu_;
  std::unique_ptr<Store> try_writer_;  // guarded by try_mu_; waits 0 ms for a lock
};

}  // namespace goldthread::server
