#include "report/disclosure.h"

#include <fmt/format.h>

#include <cmath>

namespace goldthread::report {

Disclosed DiscloseCount(double count, const DisclosureRule& rule) {
  if (!std::isfinite(count)) return {};
  if (count > 0 && count <= rule.suppress_max) return {std::nullopt, true};
  if (rule.round_to <= 1) return {count, false};
  // Nearest multiple, halves away from zero (std::round), on the exact count.
  return {std::round(count / rule.round_to) * rule.round_to, false};
}

Disclosed DisclosePercent(double numerator, double denominator, const DisclosureRule& rule) {
  if (!std::isfinite(numerator) || !std::isfinite(denominator) || denominator <= 0) return {};
  if (denominator < rule.min_denominator) return {std::nullopt, true};
  return {std::round(100.0 * numerator / denominator), false};
}

Disclosed DiscloseMean(double value, double cases, int decimals, const DisclosureRule& rule) {
  if (!std::isfinite(value)) return {};
  if (cases < rule.min_denominator) return {std::nullopt, true};
  const double scale = std::pow(10.0, decimals);
  return {std::round(value * scale) / scale, false};
}

Disclosed DiscloseRate(double rate, double count, const DisclosureRule& rule) {
  if (!std::isfinite(rate)) return {};
  if (count > 0 && count <= rule.suppress_max) return {std::nullopt, true};
  return {std::round(rate * 10.0) / 10.0, false};
}

Cell DisclosedCell(const Disclosed& d, std::string link) {
  Cell c;
  if (d.suppressed) {
    c.text = kSuppressedMark;
    c.suppressed = true;
    return c;  // no link: a suppressed figure opens onto nothing
  }
  c.number = d.value;
  c.link = std::move(link);
  return c;
}

std::string DisclosureNote(const DisclosureRule& rule) {
  return fmt::format(
      "Disclosure control: counts of 1 to {} are shown as {}, other counts are rounded to the nearest {}; "
      "a percentage is shown only where at least {} people are behind it, computed from the exact numbers "
      "and rounded to a whole percent.",
      rule.suppress_max, kSuppressedMark, rule.round_to, rule.min_denominator);
}

}  // namespace goldthread::report
