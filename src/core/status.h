#pragma once
// Status and Result<T>: how goldthread reports recoverable errors.
// Our own code does not throw (see shared/STYLE_ANCHORS.md section 5);
// third-party exceptions are caught at the boundary and turned into a Status.

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace goldthread {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad user input: a file, a field, a flag
  kNotFound,
  kAlreadyExists,
  kIOError,
  kCorruption,       // the store holds something it should not
  kUnsupported,      // e.g. a schema newer than this binary
  kBusy,             // in use by another process beyond the wait allowed: try again later
  kInternal,
};

/// The outcome of an operation. Cheap to copy when ok.
class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) { return Status(StatusCode::kInvalidArgument, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(StatusCode::kNotFound, std::move(msg)); }
  static Status AlreadyExists(std::string msg) { return Status(StatusCode::kAlreadyExists, std::move(msg)); }
  static Status IOError(std::string msg) { return Status(StatusCode::kIOError, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(StatusCode::kCorruption, std::move(msg)); }
  static Status Unsupported(std::string msg) { return Status(StatusCode::kUnsupported, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(StatusCode::kInternal, std::move(msg)); }
  static Status Busy(std::string msg) { return Status(StatusCode::kBusy, std::move(msg)); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  /// "invalid argument: <message>" and so on; "OK" when ok.
  std::string ToString() const;

 private:
  Status(StatusCode code, std::string msg) : code_(code), message_(std::move(msg)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

/// A value or the Status explaining why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    // A Result built from a Status must carry an error: an ok Status has no value.
    assert(!std::get<Status>(v_).ok());
  }
  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace goldthread

/// Propagate a failing Status from an expression.
#define GT_RETURN_IF_ERROR(expr)              \
  do {                                        \
    ::goldthread::Status gt_status_ = (expr); \
    if (!gt_status_.ok()) return gt_status_;  \
  } while (0)
