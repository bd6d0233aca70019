#pragma once
// "Did you mean" hints for misspelt names: commands, fields, codes, keys.

#include <string>
#include <string_view>
#include <vector>

namespace goldthread {

/// Levenshtein distance (insertions, deletions, substitutions each 1).
int EditDistance(std::string_view a, std::string_view b);

/// The candidate closest to name within distance 2 (a prefix of a longer
/// candidate, 'active' for 'active_at', counts as distance 1), or "".
std::string ClosestName(std::string_view name, const std::vector<std::string_view>& candidates);

}  // namespace goldthread
