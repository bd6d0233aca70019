#include "report/finding_words.h"

#include <cctype>
#include <cmath>
#include <regex>
#include <string_view>

#include <fmt/format.h>

namespace goldthread::report {
namespace {

enum class Kind { kShare, kRatio, kDays, kCount, kZ, kFine, kOther };

struct StatWords {
  std::string_view prefix;  // the statistic's name, or its start ("lag_p")
  std::string_view words;   // what it measures, in words
  Kind kind;
};

// The statistics of src/integrity's checks (their `f.statistic`), in words.
constexpr StatWords kStats[] = {
    {"bunching_ratio",
     "the number of assessments completed just inside the deadline, as a multiple of what the smooth pattern of "
     "the team's other durations predicts",
     Kind::kRatio},
    {"unsubstantiated_share", "the share of the personal budgets counted that do not meet all three criteria",
     Kind::kShare},
    {"completed_before_request_share", "the share of the team's assessments completed before their request was received",
     Kind::kShare},
    {"completed_after_entry_share",
     "the share of the team's assessments carrying a completion date later than the day the record was entered",
     Kind::kShare},
    {"median_entry_lag_days", "the median time from completing an assessment to recording it", Kind::kDays},
    {"benford_mad",
     "how far the first digits of the budgets' annual amounts are from Benford's law (mean absolute deviation)",
     Kind::kFine},
    {"process_change", "the process measure's improvement, its recent level against its earlier one", Kind::kOther},
    {"surge_ratio", "the share of the quarter's entries made in its last days, as a multiple of an even pace",
     Kind::kRatio},
    {"records_on_day", "the number of records entered on one day", Kind::kCount},
    {"robust_z_of_change", "the change from the previous period, measured against all units' changes (a robust z)",
     Kind::kZ},
    {"extreme_changes", "the number of extreme changes in the unit's series", Kind::kCount},
    {"late_share", "the share of requests logged long after the person first made contact", Kind::kShare},
    {"reset_share", "the share of closed requests followed by a new request for the same person soon after",
     Kind::kShare},
};

std::string Percent(double share) {
  // Whole percent where that is exact, else one decimal (0.025 -> 2.5%).
  const double p = 100 * share;
  if (std::fabs(p - std::round(p)) < 1e-9) return fmt::format("{:.0f}%", p);
  return fmt::format("{:.1f}%", p);
}

std::string ValueInWords(Kind kind, double v) {
  switch (kind) {
    case Kind::kShare: return Percent(v);
    case Kind::kRatio: return fmt::format("{:.2f} times", v);
    case Kind::kDays: return fmt::format("{:.1f} days", v);
    case Kind::kCount: return fmt::format("{:.0f}", v);
    case Kind::kZ: return fmt::format("{:.2f}", v);
    case Kind::kFine: return fmt::format("{:.4f}", v);
    case Kind::kOther: break;
  }
  return fmt::format("{:.4g}", v);
}

std::string Capitalised(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

std::string WithoutFinalStop(std::string s) {
  while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

std::string ThresholdInWords(const std::string& threshold) {
  // Shares compared with a fraction: "share >= 0.20" -> "share at least 20%".
  static const std::regex share(R"(share (>=|>|<=|<) (0\.[0-9]+|1\.0+|1)\b)");
  std::string out;
  auto begin = std::sregex_iterator(threshold.begin(), threshold.end(), share);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    out += threshold.substr(last, static_cast<size_t>(m.position(0)) - last);
    out += "share " + m.str(1) + " " + Percent(std::stod(m.str(2)));
    last = static_cast<size_t>(m.position(0) + m.length(0));
  }
  out += threshold.substr(last);
  // Comparisons in words (longest operators first).
  const std::pair<std::string_view, std::string_view> ops[] = {
      {" >= ", " at least "}, {" <= ", " at most "}, {" > ", " more than "}, {" < ", " less than "}};
  for (const auto& [op, words] : ops)
    for (size_t at = out.find(op); at != std::string::npos; at = out.find(op, at + words.size()))
      out.replace(at, op.size(), words);
  return out;
}

int EvidenceDecimals(double v) {
  const double a = std::fabs(v);
  if (!std::isfinite(v) || (a < 1e15 && a == std::floor(a))) return 0;
  if (a >= 100) return 1;
  if (a >= 1) return 2;
  if (a >= 0.1) return 3;
  return 4;
}

std::string EvidenceDetail(const std::string& name, double v) {
  if (name.find("share") == std::string::npos || !(v >= 0 && v <= 1)) return "";
  return Percent(v);
}

std::string RuleText(const integrity::Finding& f) {
  return fmt::format("{} = {:.4g} ({})", f.statistic, f.value, f.threshold);
}

std::string WhyInWords(const integrity::Finding& f) {
  std::string words, value;
  for (const StatWords& s : kStats)
    if (f.statistic.rfind(s.prefix, 0) == 0) {
      words = std::string(s.words);
      value = ValueInWords(s.kind, f.value);
      break;
    }
  if (words.empty()) {
    const std::string_view missing = "missing_share:";
    if (f.statistic.rfind(missing, 0) == 0) {
      // "missing_share:assessments.completed_on"
      const std::string what = f.statistic.substr(missing.size());
      const size_t dot = what.find('.');
      words = dot == std::string::npos
                  ? "the share of records with " + what + " empty"
                  : "the share of the team's " + what.substr(0, dot) + " with " + what.substr(dot + 1) + " empty";
      value = Percent(f.value);
    } else if (std::smatch m; std::regex_match(f.statistic, m, std::regex("lag_p([0-9]+)_days"))) {
      words = "the time from the event to its entry, at the " + m.str(1) + "th percentile (" +
              std::to_string(100 - std::stoi(m.str(1))) + "% of records take longer)";
      value = ValueInWords(Kind::kDays, f.value);
    } else {
      words = "its statistic " + f.statistic;
      value = ValueInWords(Kind::kOther, f.value);
    }
  }
  std::string out;
  if (!f.looked_at.empty()) out = "Looked at " + WithoutFinalStop(f.looked_at) + ". ";
  out += "Flagged because " + words + " was " + value;
  if (!f.threshold.empty()) out += "; the check's rule: " + WithoutFinalStop(ThresholdInWords(f.threshold));
  out += ".";
  return Capitalised(out);
}

}  // namespace goldthread::report
