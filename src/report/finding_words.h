#pragma once
// An integrity finding's "why" in words a director can read: what the check
// looked at, the statistic that fired in words with its value (shares as
// percentages, ratios as "times"), and the rule it passed with the same
// numbers, so every number can be found in the finding's evidence and in
// `goldthread check --json` (statistic, value, threshold). The technical
// line (statistic = value (threshold)) is kept as the finding's rule for
// analysts.

#include <string>

#include "integrity/finding.h"

namespace goldthread::report {

/// "Looked at requests received in the year ... Flagged because the
/// share of requests logged late was 41%; the check's rule: above the 99.8%
/// funnel limit around the other teams' share
/// (z = 3.41) and share at least 20%." (the rule is the check's threshold,
/// through ThresholdInWords).
std::string WhyInWords(const integrity::Finding& f);

/// "late_share = 0.41 (above the 99.8% funnel limit ...)": the check's own
/// statistic, value and threshold, as `goldthread check` prints them.
std::string RuleText(const integrity::Finding& f);

/// Digits after the point for an evidence figure: none for a whole number
/// (a count: "4", never "4.00"), else enough for three significant digits
/// (0.0123, 0.41, 2.31, 12.5), at most 4.
int EvidenceDecimals(double v);

/// The Detail of an evidence figure: a share (a name with "share" and a
/// value in 0-1) as a percentage ("4.1%"), else "".
std::string EvidenceDetail(const std::string& name, double v);

/// A rule's text with comparisons in words and shares as percentages:
/// "share >= 0.20" becomes "share at least 20%", ">= 5 records" "at least 5
/// records". Numbers other than shares are left as they are.
std::string ThresholdInWords(const std::string& threshold);

}  // namespace goldthread::report
