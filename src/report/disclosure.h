#pragma once
// Disclosure control for anything aggregate-only (shared/DESIGN.md section
// 8, issue 10): the public report and the dashboard's viewer role. The
// rule, its source and its reasoning are in docs/disclosure.md:
//   - a count of 1-4 is suppressed ("[c]"), 0 is shown as 0, any other
//     count is rounded to the nearest 5;
//   - a percentage is shown only where its denominator is at least 10; it
//     is computed from the unrounded numbers and shown rounded to a whole
//     percent;
//   - a mean (or a rate) is shown only where the number of cases behind it
//     is at least 10 (a mean of 1-9 people's answers tells too much about
//     each), and a rate only where its count would not be suppressed;
//   - no person-level data, ever (callers never pass person-level tables).
// Pure functions; thread-safe.

#include <optional>
#include <string>

#include "report/document.h"

namespace goldthread::report {

struct DisclosureRule {
  int suppress_max = 4;     // counts 1..suppress_max are suppressed
  int round_to = 5;         // other counts are rounded to a multiple of this
  int min_denominator = 10; // percentages (and means) need at least this many cases
};

/// What a reader is shown: the value (nullopt when suppressed) and, when
/// suppressed, the marker.
struct Disclosed {
  std::optional<double> value;
  bool suppressed = false;
};

/// The suppression marker in every format: "[c]" (confidential), as the
/// Government Statistical Service's symbols.
inline constexpr const char* kSuppressedMark = "[c]";

/// A count: 0 stays 0, 1..suppress_max is suppressed, any other is rounded
/// to the nearest multiple of round_to, halves up (12 -> 10, 13 -> 15).
Disclosed DiscloseCount(double count, const DisclosureRule& rule = {});
/// 100 * numerator / denominator, rounded to a whole percent; suppressed
/// when the denominator is under rule.min_denominator.
Disclosed DisclosePercent(double numerator, double denominator, const DisclosureRule& rule = {});
/// A mean or a rate of `cases` cases: suppressed under rule.min_denominator
/// cases (means) or when the count would be suppressed (rates); the value is
/// kept to `decimals` places.
Disclosed DiscloseMean(double value, double cases, int decimals, const DisclosureRule& rule = {});
Disclosed DiscloseRate(double rate, double count, const DisclosureRule& rule = {});

/// The cell of a disclosed value: the number, or "[c]" marked suppressed.
Cell DisclosedCell(const Disclosed& d, std::string link = "");

/// The sentence that goes under every table with disclosure control on.
std::string DisclosureNote(const DisclosureRule& rule = {});

}  // namespace goldthread::report
