#pragma once
// Hands what a producer writes to another thread, in order, a block at a
// time: the producer goes on making the next block while the thread
// digests and writes the last. `compute --json` of a national run formats
// 2.4 GB of JSON; its write() calls and SHA-256 on the formatting thread
// were 11 s of the 30 s it took (README, "National scale").
//
// At most two blocks are held: the one being filled and the one being
// consumed; a producer that fills a block while the thread is still busy
// with the last waits. consume is called on the thread only, never two at
// once, with the parts joined in the order they were written.

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace goldthread {

class BackgroundSink {
 public:
  explicit BackgroundSink(std::function<void(std::string_view)> consume, size_t block_bytes = 4 << 20);
  /// Finish() if it was not called.
  ~BackgroundSink();
  BackgroundSink(const BackgroundSink&) = delete;
  BackgroundSink& operator=(const BackgroundSink&) = delete;

  void Write(std::string_view part);
  /// Hands on what is left and waits until consume has had everything.
  void Finish();

 private:
  void Hand();
  void Run();

  std::function<void(std::string_view)> consume_;
  size_t block_bytes_;
  std::string filling_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string handed_;       // guarded by mu_: the block for the thread
  bool has_handed_ = false;  // guarded by mu_: handed_ is not yet consumed
  bool done_ = false;        // guarded by mu_: nothing more will be handed
  std::thread thread_;
};

}  // namespace goldthread
