#pragma once
// Reporting periods. The UK financial year starts on 1 April: "2024-25" is
// 2024-04-01..2025-03-31 and "2024-25 Q1" is April-June 2024
// (shared/DESIGN.md section 4). Every period ends on the last day of a month.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"

namespace goldthread {

enum class PeriodKind { kMonth, kQuarter, kYear, kRolling12 };

struct Period {
  PeriodKind kind = PeriodKind::kMonth;
  Date start = kNullDate;  // first day, inclusive
  Date end = kNullDate;    // last day, inclusive

  /// "2024-04", "2024-25 Q1", "2024-25", "2025-03 R12" (12 months to March 2025).
  std::string Label() const;
  int Days() const { return end - start + 1; }
  bool Contains(Date d) const { return d != kNullDate && d >= start && d <= end; }
  bool operator==(const Period&) const = default;
};

Period MonthPeriod(int year, int month);
/// quarter 1-4 of the financial year starting in April of fy_start_year.
Period QuarterPeriod(int fy_start_year, int quarter);
Period FinancialYearPeriod(int fy_start_year);
/// The 12 months ending with the given month.
Period Rolling12Period(int year, int month);

/// The financial year (by its starting calendar year) a date falls in.
int FinancialYearOf(Date d);

/// Parses any label that Period::Label() produces.
bool TryParsePeriod(std::string_view label, Period& out);
/// "month" | "quarter" | "year" | "rolling12".
bool TryParsePeriodKind(std::string_view s, PeriodKind& out);
std::string_view PeriodKindName(PeriodKind k);

/// The longest window compute and check accept, in months (50 years).
/// Figures are kept per period, definition, unit and group, so the window is
/// bounded rather than sized by whatever dates are typed or stored.
inline constexpr int kMaxWindowMonths = 600;

/// Months from from_month to to_month, both counted (first days of months);
/// 0 when to_month is before from_month.
int64_t MonthsBetween(Date from_month, Date to_month);

/// The periods of the given kind whose end month lies within [from, to]
/// (both the first day of a month), in order. For quarters and years, a
/// period is included when it ends within the range.
std::vector<Period> PeriodsBetween(Date from_month, Date to_month, PeriodKind kind);

}  // namespace goldthread
