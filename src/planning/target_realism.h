#pragma once
// Is a target Achievable and Realistic? Judged against the process's own
// voice (issue 11; shared/STATISTICS.md sections 2 and 4): its SPC limits
// and the Making Data Count assurance icon (stats::AssuranceFor), and its
// baseline forecast for the target's date. In this order:
//
// 1. not stretching: the process already meets the target in every one of
//    its final periods (at least kMinSpcPoints of them);
// 2. when the latest point is special cause, the process has changed and
//    its limits no longer describe it: judged on the baseline forecast for
//    the target's period alone: its whole 95% interval meets the target
//    (not stretching), none of it does (needs a change of practice), or
//    it reaches the target (achievable);
// 3. otherwise on the assurance icon: consistent_pass (the whole band
//    between the limits is on the right side of the target) is not
//    stretching; consistent_fail (beyond the process limit) needs a change
//    of practice, not more effort, unless the forecast's 95% interval
//    reaches the target ("achievable if the current trend holds");
//    inconsistent (within the limits: met in some periods and not others)
//    is achievable;
// 4. not checked: no limits (too few points, or every point the same).
//
// Realism is advice: `plan check` warns, it does not refuse.

#include <optional>
#include <string>
#include <string_view>

#include "core/period.h"
#include "indicators/definition.h"
#include "planning/target_curve.h"
#include "stats/spc.h"

namespace goldthread::planning {

enum class Realism { kNotChecked, kAchievable, kNotStretching, kNeedsChange };
std::string_view RealismName(Realism r);  // "not_checked", "achievable", "not_stretching", "needs_change"

struct RealismCheck {
  Realism realism = Realism::kNotChecked;
  std::optional<stats::Assurance> assurance;
  std::optional<double> lpl, mean, upl;  // the last final point's limits, in the unit of value
  int32_t periods = 0;                   // final periods with a value
  int32_t periods_meeting = 0;           // of which meet the target
  std::string reason;                    // a sentence starting with the verdict
};

/// Whether value meets target for a measure of this polarity (up: at least
/// the target; down: at most).
bool Meets(double value, double target, indicators::Polarity polarity);

/// by_period: the period the target is judged on (PeriodEndingBy).
RealismCheck CheckRealism(const Curve& curve, double target, const indicators::Definition& def,
                          const Period& by_period);

}  // namespace goldthread::planning
