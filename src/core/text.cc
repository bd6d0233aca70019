#include "core/text.h"

#include <algorithm>

namespace goldthread {

// Wagner & Fischer (1974), "The string-to-string correction problem",
// J. ACM 21(1): the two-row dynamic programme.
int EditDistance(std::string_view a, std::string_view b) {
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1] ? 1 : 0)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string ClosestName(std::string_view name, const std::vector<std::string_view>& candidates) {
  std::string_view best;
  int best_d = 3;
  for (std::string_view c : candidates) {
    int d = c.size() > name.size() && name.size() >= 3 && c.substr(0, name.size()) == name ? 1 : EditDistance(name, c);
    if (d < best_d) best_d = d, best = c;
  }
  return std::string(best);
}

}  // namespace goldthread
