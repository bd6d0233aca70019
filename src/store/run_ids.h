#pragma once
// How both stores keep a run's batch ids (RunRecord::batch_ids) in the runs
// table's batch_ids text column: decimal ids joined by ',' ("1,3").

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace goldthread {

inline std::string JoinIds(const std::vector<int64_t>& ids) {
  std::string out;
  for (int64_t id : ids) {
    if (!out.empty()) out += ',';
    out += std::to_string(id);
  }
  return out;
}

inline std::vector<int64_t> SplitIds(std::string_view text) {
  std::vector<int64_t> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view part = text.substr(0, comma);
    int64_t v = 0;
    std::from_chars(part.data(), part.data() + part.size(), v);
    out.push_back(v);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace goldthread
