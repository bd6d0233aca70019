#pragma once
// Reading the CSV files that `goldthread spc` and `goldthread funnel` take:
// a header row, then one row per point or unit, comma-separated, fields
// optionally in double quotes. An empty number is a missing value (NaN).
//
// Errors are InvalidArgument (or IOError for an unreadable file) whose
// message reads "FILE:LINE: COLUMN: what is wrong (expected ...)".

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace goldthread::stats {

struct SpcSeries {
  bool proportions = false;  // x,numerator,denominator (a p-chart)
  std::vector<std::string> x;
  std::vector<double> y;  // x,y files
  std::vector<double> numerators, denominators;  // x,numerator,denominator files
};

struct FunnelData {
  std::vector<std::string> units;
  std::vector<double> numerators, denominators;
};

/// Columns `x,y` or `x,numerator,denominator` (header names are
/// case-insensitive). Counts must be >= 0 and numerator <= denominator.
Result<SpcSeries> ParseSpcCsv(std::string_view text, std::string_view file_name);
Result<SpcSeries> ReadSpcCsv(const std::string& path);

/// Columns `unit,numerator,denominator`. With require_proportion, each
/// numerator must not exceed its denominator.
Result<FunnelData> ParseFunnelCsv(std::string_view text, std::string_view file_name,
                                  bool require_proportion);
Result<FunnelData> ReadFunnelCsv(const std::string& path, bool require_proportion);

}  // namespace goldthread::stats
