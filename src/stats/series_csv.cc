#include "stats/series_csv.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/file.h"

namespace goldthread::stats {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Splits one CSV line (RFC 4180 quoting, no embedded newlines).
std::vector<std::string> SplitCsvLine(std::string_view line) {
  std::vector<std::string> fields;
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur += '"', ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::string(Trim(cur)));
      cur.clear();
    } else {
      cur += c;
    }
  }
  fields.push_back(std::string(Trim(cur)));
  return fields;
}

struct Row {
  size_t line;
  std::vector<std::string> fields;
};

struct Table {
  std::vector<std::string> header;  // lower-cased
  std::string header_text;
  std::vector<Row> rows;
};

Table SplitTable(std::string_view text) {
  Table t;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 BOM
  size_t line_no = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (Trim(line).empty()) continue;
    if (t.header.empty()) {
      t.header_text = std::string(Trim(line));
      for (const std::string& f : SplitCsvLine(line)) t.header.push_back(Lower(f));
      continue;
    }
    t.rows.push_back({line_no, SplitCsvLine(line)});
  }
  return t;
}

std::string Where(std::string_view file, size_t line, std::string_view column) {
  return std::string(file) + ":" + std::to_string(line) + ": " + std::string(column) + ": ";
}

// Parses a number; an empty field is a missing value (NaN).
Status ParseNumber(std::string_view file, size_t line, std::string_view column, const std::string& s,
                   bool count, double& out) {
  if (s.empty()) {
    out = std::numeric_limits<double>::quiet_NaN();
    return Status::Ok();
  }
  const char* begin = s.data();
  const char* end = s.data() + s.size();
  if (*begin == '+') ++begin;
  auto [ptr, ec] = std::from_chars(begin, end, out);
  if (ec != std::errc() || ptr != end || !std::isfinite(out)) {
    return Status::InvalidArgument(Where(file, line, column) + "'" + s + "' is not a number (expected " +
                                   (count ? "a count >= 0" : "a number") + ", or empty when missing)");
  }
  if (count && out < 0.0) {
    return Status::InvalidArgument(Where(file, line, column) + "'" + s +
                                   "' is negative (expected a count >= 0)");
  }
  return Status::Ok();
}

Status CheckWidth(std::string_view file, const Row& row, size_t width, std::string_view columns) {
  if (row.fields.size() == width) return Status::Ok();
  return Status::InvalidArgument(Where(file, row.line, "row") + std::to_string(row.fields.size()) +
                                 " fields (expected " + std::to_string(width) + ": " + std::string(columns) +
                                 ")");
}

Status CheckProportion(std::string_view file, size_t line, double num, double den) {
  if (!(num > den)) return Status::Ok();
  std::ostringstream msg;
  msg << Where(file, line, "numerator") << num << " exceeds the denominator " << den
      << " (expected numerator <= denominator)";
  return Status::InvalidArgument(msg.str());
}

// A regular file of at most kMaxWholeFileBytes (core/file.h): never a FIFO
// or a device that would not end.
Result<std::string> ReadWholeFile(const std::string& path) { return ReadInputFile(path); }

}  // namespace

Result<SpcSeries> ParseSpcCsv(std::string_view text, std::string_view file) {
  const Table t = SplitTable(text);
  SpcSeries s;
  const std::vector<std::string> xy = {"x", "y"};
  const std::vector<std::string> xnd = {"x", "numerator", "denominator"};
  if (t.header == xnd) {
    s.proportions = true;
  } else if (t.header != xy) {
    return Status::InvalidArgument(std::string(file) + ":1: header: got '" + t.header_text +
                                   "' (expected x,y or x,numerator,denominator)");
  }
  if (t.rows.empty()) {
    return Status::InvalidArgument(std::string(file) + ": no data rows (expected a header and at least one row)");
  }
  for (const Row& row : t.rows) {
    GT_RETURN_IF_ERROR(CheckWidth(file, row, t.header.size(), t.header_text));
    if (row.fields[0].empty()) {
      return Status::InvalidArgument(Where(file, row.line, "x") +
                                     "empty (expected a date, period label or number)");
    }
    s.x.push_back(row.fields[0]);
    if (!s.proportions) {
      double y;
      GT_RETURN_IF_ERROR(ParseNumber(file, row.line, "y", row.fields[1], false, y));
      s.y.push_back(y);
      continue;
    }
    double num, den;
    GT_RETURN_IF_ERROR(ParseNumber(file, row.line, "numerator", row.fields[1], true, num));
    GT_RETURN_IF_ERROR(ParseNumber(file, row.line, "denominator", row.fields[2], true, den));
    GT_RETURN_IF_ERROR(CheckProportion(file, row.line, num, den));
    s.numerators.push_back(num);
    s.denominators.push_back(den);
  }
  return s;
}

Result<FunnelData> ParseFunnelCsv(std::string_view text, std::string_view file, bool require_proportion) {
  const Table t = SplitTable(text);
  if (t.header != std::vector<std::string>{"unit", "numerator", "denominator"}) {
    return Status::InvalidArgument(std::string(file) + ":1: header: got '" + t.header_text +
                                   "' (expected unit,numerator,denominator)");
  }
  if (t.rows.empty()) {
    return Status::InvalidArgument(std::string(file) + ": no data rows (expected a header and at least one row)");
  }
  FunnelData d;
  for (const Row& row : t.rows) {
    GT_RETURN_IF_ERROR(CheckWidth(file, row, 3, t.header_text));
    if (row.fields[0].empty()) {
      return Status::InvalidArgument(Where(file, row.line, "unit") + "empty (expected a unit name or code)");
    }
    double num, den;
    GT_RETURN_IF_ERROR(ParseNumber(file, row.line, "numerator", row.fields[1], true, num));
    GT_RETURN_IF_ERROR(ParseNumber(file, row.line, "denominator", row.fields[2], true, den));
    if (require_proportion) GT_RETURN_IF_ERROR(CheckProportion(file, row.line, num, den));
    d.units.push_back(row.fields[0]);
    d.numerators.push_back(num);
    d.denominators.push_back(den);
  }
  return d;
}

Result<SpcSeries> ReadSpcCsv(const std::string& path) {
  Result<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  return ParseSpcCsv(*text, path);
}

Result<FunnelData> ReadFunnelCsv(const std::string& path, bool require_proportion) {
  Result<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  return ParseFunnelCsv(*text, path, require_proportion);
}

}  // namespace goldthread::stats
