#include "model/field.h"

#include <charconv>
#include <climits>
#include <cmath>

#include "core/date.h"
#include "core/utf8.h"

namespace goldthread {
namespace {

std::string JoinCodes(std::span<const std::string_view> codes) {
  std::string out;
  for (size_t i = 0; i < codes.size(); ++i) {
    if (i) out += ", ";
    out += codes[i];
  }
  return out;
}

bool TryInt64(std::string_view s, int64_t& out) {
  if (s.empty()) return false;
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && p == end;
}

bool TryDouble(std::string_view s, double& out) {
  if (s.empty()) return false;
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && p == end && std::isfinite(out);
}

bool Fail(std::string& problem, std::string_view text, const FieldSpec& f, std::string_view what) {
  // Printable: the value may hold control bytes that must not reach a terminal.
  problem = "'" + Printable(text) + "' " + std::string(what) + " (expected " + ExpectedFormat(f) + ")";
  return false;
}

bool TooLarge(std::string& problem, std::string_view text, const std::string& lowest) {
  problem = "'" + Printable(text) + "' is out of range (expected a whole number from " + lowest + " to " +
            std::to_string(INT32_MAX) + ")";
  return false;
}

}  // namespace

int CodeIndex(std::span<const std::string_view> codes, std::string_view code) {
  for (size_t i = 0; i < codes.size(); ++i)
    if (codes[i] == code) return static_cast<int>(i);
  return -1;
}

std::string ExpectedFormat(const FieldSpec& f) {
  switch (f.type) {
    case FieldType::kId: return "an id";
    case FieldType::kRef: return "the id of a " + std::string(Table(f.ref).name) + " record";
    case FieldType::kDate: return "YYYY-MM-DD";
    case FieldType::kBirthDate: return "YYYY-MM-DD or YYYY-MM";
    case FieldType::kMonth: return "YYYY-MM";
    case FieldType::kTimestamp: return "YYYY-MM-DDTHH:MM:SS with optional Z or +HH:MM";
    case FieldType::kCount: return "a whole number, 0 or more";
    case FieldType::kInt: return "a whole number";
    case FieldType::kAmount: return "a number, 0 or more";
    case FieldType::kScore: return "a number";
    case FieldType::kYesNo: return "Y or N";
    case FieldType::kCode: return "one of: " + JoinCodes(f.codes);
    case FieldType::kCodeSet: return "';'-separated codes from: " + JoinCodes(f.codes);
    case FieldType::kText: return "text";
  }
  return "?";
}

bool TryParseField(const FieldSpec& f, std::string_view text, FieldValue& out, std::string& problem) {
  out = FieldValue{};
  if (text.empty()) {
    if (f.required) {
      problem = "is empty (expected " + ExpectedFormat(f) + ")";
      return false;
    }
    return true;
  }
  out.null = false;
  switch (f.type) {
    case FieldType::kId:
    case FieldType::kRef:
    case FieldType::kText:
      out.text = text;
      return true;
    case FieldType::kDate: {
      Date d;
      if (!TryParseDate(text, d)) return Fail(problem, text, f, "is not a valid date");
      out.i = d;
      return true;
    }
    case FieldType::kBirthDate: {
      Date d;
      if (!TryParseDateOrMonth(text, d)) return Fail(problem, text, f, "is not a valid date");
      out.i = d;
      return true;
    }
    case FieldType::kMonth: {
      Date d;
      if (!TryParseMonth(text, d)) return Fail(problem, text, f, "is not a valid month");
      out.i = d;
      return true;
    }
    case FieldType::kTimestamp: {
      Timestamp t;
      if (!TryParseTimestamp(text, t)) return Fail(problem, text, f, "is not a valid timestamp");
      out.i = t;
      return true;
    }
    // Both are kept as 32-bit integers (model/snapshot.h): a larger value is
    // refused rather than silently cut.
    case FieldType::kCount:
      if (!TryInt64(text, out.i) || out.i < 0) return Fail(problem, text, f, "is not a count");
      if (out.i > INT32_MAX) return TooLarge(problem, text, "0");
      return true;
    case FieldType::kInt:
      if (!TryInt64(text, out.i)) return Fail(problem, text, f, "is not a whole number");
      if (out.i <= INT32_MIN || out.i > INT32_MAX) return TooLarge(problem, text, std::to_string(INT32_MIN + 1));
      return true;
    case FieldType::kAmount:
      if (!TryDouble(text, out.f) || out.f < 0) return Fail(problem, text, f, "is not an amount");
      return true;
    case FieldType::kScore:
      if (!TryDouble(text, out.f)) return Fail(problem, text, f, "is not a number");
      return true;
    case FieldType::kYesNo:
      if (text == "Y") out.i = 1;
      else if (text == "N") out.i = 0;
      else return Fail(problem, text, f, "is not Y or N");
      return true;
    case FieldType::kCode: {
      int idx = CodeIndex(f.codes, text);
      if (idx < 0) return Fail(problem, text, f, "is not a known code");
      out.i = idx;
      return true;
    }
    case FieldType::kCodeSet: {
      int64_t mask = 0;
      size_t start = 0;
      while (start <= text.size()) {
        size_t end = text.find(';', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view code = text.substr(start, end - start);
        int idx = CodeIndex(f.codes, code);
        if (idx < 0) {
          problem = "'" + Printable(code) + "' in '" + Printable(text) + "' is not a known code (expected " +
                    ExpectedFormat(f) + ")";
          return false;
        }
        mask |= int64_t{1} << idx;
        start = end + 1;
      }
      out.i = mask;
      return true;
    }
  }
  return true;
}

}  // namespace goldthread
