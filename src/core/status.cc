#include "core/status.h"

namespace goldthread {

std::string Status::ToString() const {
  switch (code_) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kInvalidArgument: return "invalid argument: " + message_;
    case StatusCode::kNotFound: return "not found: " + message_;
    case StatusCode::kAlreadyExists: return "already exists: " + message_;
    case StatusCode::kIOError: return "I/O error: " + message_;
    case StatusCode::kCorruption: return "corruption: " + message_;
    case StatusCode::kUnsupported: return "unsupported: " + message_;
    case StatusCode::kBusy: return "busy: " + message_;
    case StatusCode::kInternal: return "internal error: " + message_;
  }
  return message_;
}

}  // namespace goldthread
