#pragma once
// How both stores keep a plan version's list and time columns as text
// (sqlite_plans.cc, pg_plans.cc): the financial years joined by ',', and
// timestamps as FormatTimestamp writes them. Internal to src/store.

#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"

namespace goldthread::plan_columns {

inline std::string JoinYears(const std::vector<std::string>& years) {
  std::string out;
  for (const std::string& y : years) out += (out.empty() ? "" : ",") + y;
  return out;
}

inline std::vector<std::string> SplitYears(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    out.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

/// kNullTimestamp for text that is not a timestamp.
inline Timestamp TimeOf(std::string_view text) {
  Timestamp at;
  return TryParseTimestamp(text, at) ? at : kNullTimestamp;
}

}  // namespace goldthread::plan_columns
