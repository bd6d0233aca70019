#include "ingest/validate.h"

#include <cstdint>
#include <cstring>

#include "core/utf8.h"
#include "model/data_end.h"

namespace goldthread {

PlausibleDates PlausibleDatesAt(Timestamp import_time) {
  PlausibleDates b;
  const Date today = DateOfTimestamp(import_time);
  // AddMonths clamps 29 February to the 28th in other years.
  b.earliest = kEarliestEventDate;  // 1900-01-01
  b.latest = AddMonths(today, 12 * kFutureYears);
  b.earliest_birth = AddMonths(today, -12 * kMaxAgeYears);
  b.latest_birth = today;
  b.earliest_recorded = 0;
  b.latest_recorded = import_time + 86400;
  return b;
}

bool TryCheckText(std::string_view text, std::string& problem) {
  if (text.size() > kMaxFieldBytes) {
    problem = "is " + std::to_string(text.size()) + " bytes long (expected at most " + std::to_string(kMaxFieldBytes) +
              " bytes)";
    return false;
  }
  // Plain ASCII without NUL, eight bytes at a time: nearly every field.
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, text.data() + i, 8);
    const uint64_t has_zero = (w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull;
    if ((w & 0x8080808080808080ull) | has_zero) break;
  }
  for (; i < text.size(); ++i)
    if (text[i] == '\0' || static_cast<unsigned char>(text[i]) >= 0x80) break;
  if (i == text.size()) return true;
  if (const void* nul = std::memchr(text.data(), '\0', text.size())) {
    const size_t at = static_cast<size_t>(static_cast<const char*>(nul) - text.data());
    problem = "'" + Printable(text) + "' has a NUL byte at byte " + std::to_string(at + 1) +
              " (expected text without NUL bytes)";
    return false;
  }
  if (size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos) {
    problem = "'" + Printable(text) + "' is not valid UTF-8 at byte " + std::to_string(bad + 1) +
              " (expected UTF-8 text; save the file as UTF-8)";
    return false;
  }
  return true;
}

namespace {

bool OutOfRange(std::string& problem, std::string_view text, bool before, const std::string& bound,
                const std::string& expected) {
  problem = "'" + std::string(text) + "' is " + (before ? "before " : "after ") + bound + " (expected " + expected + ")";
  return false;
}

}  // namespace

bool TryCheckPlausible(const FieldSpec& f, std::string_view text, const FieldValue& v, const PlausibleDates& b,
                       std::string& problem) {
  if (v.null) return true;
  switch (f.type) {
    case FieldType::kDate:
    case FieldType::kMonth: {
      if (v.i >= b.earliest && v.i <= b.latest) return true;
      const std::string expected = std::string(f.type == FieldType::kMonth ? "a month" : "a date") + " from " +
                                   FormatDate(b.earliest) + " to " + FormatDate(b.latest) + ", " +
                                   std::to_string(kFutureYears) + " years after the import; leave it empty when unknown";
      return OutOfRange(problem, text, v.i < b.earliest, FormatDate(v.i < b.earliest ? b.earliest : b.latest),
                        expected);
    }
    case FieldType::kBirthDate: {
      if (v.i >= b.earliest_birth && v.i <= b.latest_birth) return true;
      const std::string expected = "a birth date from " + FormatDate(b.earliest_birth) + " to " +
                                   FormatDate(b.latest_birth) + ": not after the import, at most " +
                                   std::to_string(kMaxAgeYears) + " years before it";
      return OutOfRange(problem, text, v.i < b.earliest_birth,
                        v.i < b.earliest_birth ? FormatDate(b.earliest_birth)
                                               : "the import date " + FormatDate(b.latest_birth),
                        expected);
    }
    case FieldType::kTimestamp: {
      if (v.i >= b.earliest_recorded && v.i <= b.latest_recorded) return true;
      const std::string expected = "a time from " + FormatTimestamp(b.earliest_recorded) + " to " +
                                   FormatTimestamp(b.latest_recorded) +
                                   ": a row cannot be entered after its import (a day ahead is allowed for time zones)";
      return OutOfRange(problem, text, v.i < b.earliest_recorded,
                        FormatTimestamp(v.i < b.earliest_recorded ? b.earliest_recorded : b.latest_recorded),
                        expected);
    }
    default:
      return true;
  }
}

}  // namespace goldthread
