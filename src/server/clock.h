#pragma once
// The time as the dashboard sees it, behind an interface so tests can move
// it (session expiry, lock-outs) without sleeping.

#include <atomic>
#include <chrono>

#include "core/date.h"

namespace goldthread::server {

class Clock {
 public:
  virtual ~Clock() = default;
  /// Seconds since the epoch. Thread-safe.
  virtual Timestamp Now() const = 0;
};

class SystemClock : public Clock {
 public:
  Timestamp Now() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

/// A clock that stands still until told to move.
class FakeClock : public Clock {
 public:
  explicit FakeClock(Timestamp start) : now_(start) {}
  Timestamp Now() const override { return now_.load(); }
  void Advance(int64_t seconds) { now_ += seconds; }

 private:
  std::atomic<Timestamp> now_;
};

}  // namespace goldthread::server
