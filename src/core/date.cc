#include "core/date.h"

#include <fmt/format.h>

namespace goldthread {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool TryDigits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!IsDigit(s[i])) return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

// days_from_civil, Hinnant (see header).
Date DateFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

// civil_from_days, Hinnant.
YearMonthDay CivilFromDate(Date z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), static_cast<int>(m), static_cast<int>(d)};
}

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

Date LastDayOfMonth(int y, int m) { return DateFromCivil(y, m, DaysInMonth(y, m)); }

int IsoWeekday(Date d) {
  // 1970-01-01 was a Thursday (ISO weekday index 3).
  int w = (d + 3) % 7;
  return w < 0 ? w + 7 : w;
}

Date WeekStart(Date d) { return d - IsoWeekday(d); }

int AgeInYears(Date birth, Date on) {
  const YearMonthDay b = CivilFromDate(birth);
  const YearMonthDay o = CivilFromDate(on);
  int age = o.year - b.year;
  if (o.month < b.month || (o.month == b.month && o.day < b.day)) --age;
  return age;
}

Date AddMonths(Date d, int n) {
  YearMonthDay c = CivilFromDate(d);
  int total = c.year * 12 + (c.month - 1) + n;
  int y = total >= 0 ? total / 12 : -((-total + 11) / 12);
  int m = total - y * 12 + 1;
  int day = c.day > DaysInMonth(y, m) ? DaysInMonth(y, m) : c.day;
  return DateFromCivil(y, m, day);
}

bool TryParseDate(std::string_view s, Date& out) {
  int y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!TryDigits(s, 0, 4, y) || !TryDigits(s, 5, 2, m) || !TryDigits(s, 8, 2, d)) return false;
  if (m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) return false;
  out = DateFromCivil(y, m, d);
  return true;
}

bool TryParseMonth(std::string_view s, Date& out) {
  int y, m;
  if (s.size() != 7 || s[4] != '-') return false;
  if (!TryDigits(s, 0, 4, y) || !TryDigits(s, 5, 2, m) || m < 1 || m > 12) return false;
  out = DateFromCivil(y, m, 1);
  return true;
}

bool TryParseDateOrMonth(std::string_view s, Date& out) {
  return s.size() == 7 ? TryParseMonth(s, out) : TryParseDate(s, out);
}

bool TryParseTimestamp(std::string_view s, Timestamp& out) {
  Date day;
  if (s.size() < 19 || !TryParseDate(s.substr(0, 10), day) || s[10] != 'T' || s[13] != ':' ||
      s[16] != ':')
    return false;
  int hh, mm, ss;
  if (!TryDigits(s, 11, 2, hh) || !TryDigits(s, 14, 2, mm) || !TryDigits(s, 17, 2, ss)) return false;
  if (hh > 23 || mm > 59 || ss > 60) return false;
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t digits = 0;
    while (pos < s.size() && IsDigit(s[pos])) ++pos, ++digits;
    if (digits == 0) return false;
  }
  int offset_seconds = 0;
  if (pos < s.size()) {
    if (s[pos] == 'Z' && pos + 1 == s.size()) {
      ++pos;
    } else if ((s[pos] == '+' || s[pos] == '-') && s.size() == pos + 6 && s[pos + 3] == ':') {
      int oh, om;
      if (!TryDigits(s, pos + 1, 2, oh) || !TryDigits(s, pos + 4, 2, om) || oh > 23 || om > 59)
        return false;
      offset_seconds = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
      pos = s.size();
    } else {
      return false;
    }
  }
  out = static_cast<Timestamp>(day) * 86400 + hh * 3600 + mm * 60 + ss - offset_seconds;
  return true;
}

std::string FormatDate(Date d) {
  if (d == kNullDate) return "";
  YearMonthDay c = CivilFromDate(d);
  return fmt::format("{:04d}-{:02d}-{:02d}", c.year, c.month, c.day);
}

std::string FormatMonth(Date d) {
  if (d == kNullDate) return "";
  YearMonthDay c = CivilFromDate(d);
  return fmt::format("{:04d}-{:02d}", c.year, c.month);
}

std::string FormatTimestamp(Timestamp t) {
  if (t == kNullTimestamp) return "";
  Date d = DateOfTimestamp(t);
  int64_t secs = t - static_cast<int64_t>(d) * 86400;
  return fmt::format("{}T{:02d}:{:02d}:{:02d}Z", FormatDate(d), static_cast<int>(secs / 3600),
                     static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
}

}  // namespace goldthread
