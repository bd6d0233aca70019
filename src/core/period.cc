#include "core/period.h"

#include <fmt/format.h>

namespace goldthread {

Period MonthPeriod(int year, int month) {
  return {PeriodKind::kMonth, DateFromCivil(year, month, 1), LastDayOfMonth(year, month)};
}

Period QuarterPeriod(int fy, int q) {
  // Q1 Apr-Jun, Q2 Jul-Sep, Q3 Oct-Dec of fy; Q4 Jan-Mar of fy+1.
  int first_month = 4 + (q - 1) * 3;
  int year = fy;
  if (first_month > 12) first_month -= 12, year += 1;
  int last_month = first_month + 2;
  return {PeriodKind::kQuarter, DateFromCivil(year, first_month, 1), LastDayOfMonth(year, last_month)};
}

Period FinancialYearPeriod(int fy) {
  return {PeriodKind::kYear, DateFromCivil(fy, 4, 1), LastDayOfMonth(fy + 1, 3)};
}

Period Rolling12Period(int year, int month) {
  Date end = LastDayOfMonth(year, month);
  Date start = AddMonths(DateFromCivil(year, month, 1), -11);
  return {PeriodKind::kRolling12, start, end};
}

int FinancialYearOf(Date d) {
  YearMonthDay c = CivilFromDate(d);
  return c.month >= 4 ? c.year : c.year - 1;
}

std::string Period::Label() const {
  YearMonthDay s = CivilFromDate(start);
  YearMonthDay e = CivilFromDate(end);
  switch (kind) {
    case PeriodKind::kMonth:
      return fmt::format("{:04d}-{:02d}", s.year, s.month);
    case PeriodKind::kQuarter: {
      int fy = FinancialYearOf(start);
      int q = ((s.month + 12 - 4) % 12) / 3 + 1;
      return fmt::format("{:04d}-{:02d} Q{}", fy, (fy + 1) % 100, q);
    }
    case PeriodKind::kYear: {
      int fy = FinancialYearOf(start);
      return fmt::format("{:04d}-{:02d}", fy, (fy + 1) % 100);
    }
    case PeriodKind::kRolling12:
      return fmt::format("{:04d}-{:02d} R12", e.year, e.month);
  }
  return "";
}

namespace {

bool TryInt(std::string_view s, int& out) {
  if (s.empty()) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

// "2024-25": the second part must be the next year's last two digits.
bool TryParseFinancialYear(std::string_view s, int& fy) {
  int a, b;
  if (s.size() != 7 || s[4] != '-' || !TryInt(s.substr(0, 4), a) || !TryInt(s.substr(5, 2), b)) return false;
  if ((a + 1) % 100 != b) return false;
  fy = a;
  return true;
}

}  // namespace

bool TryParsePeriod(std::string_view label, Period& out) {
  Date month;
  int fy;
  if (label.size() == 7 && TryParseFinancialYear(label, fy)) {
    out = FinancialYearPeriod(fy);
    return true;
  }
  if (label.size() == 7 && TryParseMonth(label, month)) {
    YearMonthDay c = CivilFromDate(month);
    out = MonthPeriod(c.year, c.month);
    return true;
  }
  if (label.size() == 10 && label.substr(7, 2) == " Q" && TryParseFinancialYear(label.substr(0, 7), fy)) {
    int q = label[9] - '0';
    if (q < 1 || q > 4) return false;
    out = QuarterPeriod(fy, q);
    return true;
  }
  if (label.size() == 11 && label.substr(7) == " R12" && TryParseMonth(label.substr(0, 7), month)) {
    YearMonthDay c = CivilFromDate(month);
    out = Rolling12Period(c.year, c.month);
    return true;
  }
  return false;
}

bool TryParsePeriodKind(std::string_view s, PeriodKind& out) {
  if (s == "month") out = PeriodKind::kMonth;
  else if (s == "quarter") out = PeriodKind::kQuarter;
  else if (s == "year") out = PeriodKind::kYear;
  else if (s == "rolling12") out = PeriodKind::kRolling12;
  else return false;
  return true;
}

std::string_view PeriodKindName(PeriodKind k) {
  switch (k) {
    case PeriodKind::kMonth: return "month";
    case PeriodKind::kQuarter: return "quarter";
    case PeriodKind::kYear: return "year";
    case PeriodKind::kRolling12: return "rolling12";
  }
  return "month";
}

int64_t MonthsBetween(Date from_month, Date to_month) {
  const YearMonthDay a = CivilFromDate(from_month), b = CivilFromDate(to_month);
  const int64_t n = (int64_t{b.year} - a.year) * 12 + (b.month - a.month) + 1;
  return n > 0 ? n : 0;
}

std::vector<Period> PeriodsBetween(Date from_month, Date to_month, PeriodKind kind) {
  std::vector<Period> out;
  if (from_month == kNullDate || to_month == kNullDate || to_month < from_month) return out;
  for (Date m = from_month; m <= to_month; m = AddMonths(m, 1)) {
    YearMonthDay c = CivilFromDate(m);
    switch (kind) {
      case PeriodKind::kMonth: out.push_back(MonthPeriod(c.year, c.month)); break;
      case PeriodKind::kRolling12: out.push_back(Rolling12Period(c.year, c.month)); break;
      case PeriodKind::kQuarter:
        if (c.month % 3 == 0) {  // quarters end in Jun, Sep, Dec, Mar
          int fy = FinancialYearOf(m);
          int q = ((c.month + 12 - 4) % 12) / 3 + 1;
          out.push_back(QuarterPeriod(fy, q));
        }
        break;
      case PeriodKind::kYear:
        if (c.month == 3) out.push_back(FinancialYearPeriod(c.year - 1));
        break;
    }
  }
  return out;
}

}  // namespace goldthread
