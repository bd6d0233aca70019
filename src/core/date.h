#pragma once
// Calendar dates and timestamps as plain integers, so columns of them are
// cheap to store and compare. Civil-calendar conversions follow Howard
// Hinnant, "chrono-Compatible Low-Level Date Algorithms"
// (http://howardhinnant.github.io/date_algorithms.html), proleptic Gregorian.

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace goldthread {

/// Days since 1970-01-01. kNullDate means unknown.
using Date = int32_t;
inline constexpr Date kNullDate = std::numeric_limits<int32_t>::min();

/// Seconds since 1970-01-01T00:00:00Z. kNullTimestamp means unknown.
using Timestamp = int64_t;
inline constexpr Timestamp kNullTimestamp = std::numeric_limits<int64_t>::min();

struct YearMonthDay {
  int year;
  int month;  // 1-12
  int day;    // 1-31
};

Date DateFromCivil(int year, int month, int day);
YearMonthDay CivilFromDate(Date d);
int DaysInMonth(int year, int month);
Date LastDayOfMonth(int year, int month);
/// 0 = Monday ... 6 = Sunday (ISO 8601).
int IsoWeekday(Date d);
/// The Monday on or before d.
Date WeekStart(Date d);
/// Whole years from birth to on (age on a date, birthday counted on the day).
int AgeInYears(Date birth, Date on);
/// Adds n calendar months, clamping the day to the month's length.
Date AddMonths(Date d, int n);

/// Strict YYYY-MM-DD with a real calendar day (no 2024-02-30).
bool TryParseDate(std::string_view s, Date& out);
/// YYYY-MM-DD or YYYY-MM (then the first of the month): for birth dates.
bool TryParseDateOrMonth(std::string_view s, Date& out);
/// YYYY-MM: a month, returned as its first day.
bool TryParseMonth(std::string_view s, Date& out);
/// YYYY-MM-DDTHH:MM:SS with optional fraction and optional Z or +HH:MM/-HH:MM
/// (no offset means UTC, as case systems export local time without one).
bool TryParseTimestamp(std::string_view s, Timestamp& out);

std::string FormatDate(Date d);           // "2024-04-01"; "" for kNullDate
std::string FormatMonth(Date d);          // "2024-04"
std::string FormatTimestamp(Timestamp t); // "2024-04-01T09:30:00Z"; "" for null

inline Date DateOfTimestamp(Timestamp t) {
  // Floor division so times before 1970 fall on the right day.
  return static_cast<Date>(t >= 0 ? t / 86400 : -((-t + 86399) / 86400));
}

}  // namespace goldthread
