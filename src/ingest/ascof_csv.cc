#include "ingest/ascof_csv.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <set>
#include <span>
#include <string_view>
#include <tuple>

#include "ingest/csv.h"

namespace goldthread {
namespace {

int Column(std::span<const std::string> header, std::string_view name) {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

// NHS Digital writes [x], [c] and [z]; files that passed through R, NA.
bool NotPublished(std::string_view s) {
  return s.empty() || s == "[x]" || s == "[c]" || s == "[z]" || s == "NA";
}

bool ParseNumber(std::string_view s, double& out) {
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && p == end && std::isfinite(out);
}

// An ONS area code: a country letter and eight digits ("E10000006").
bool IsOnsCode(std::string_view s) {
  if (s.size() != 9 || std::string_view("EWSN").find(s[0]) == std::string_view::npos) return false;
  return std::all_of(s.begin() + 1, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

constexpr std::string_view kMeasureTypes[] = {"Numerator", "Denominator", "Outcome", "Base",
                                              "Margin Of Error"};

enum class Layout { kOpenData, kProcessed, kOflog, kLgInform };
const char* LayoutName(Layout l) {
  switch (l) {
    case Layout::kOpenData:
      return "open_data";
    case Layout::kProcessed:
      return "processed";
    case Layout::kOflog:
      return "oflog";
    case Layout::kLgInform:
      return "lginform";
  }
  return "";
}

// The end year of a financial year "2019-20": "2020".
std::string EndYear(const std::string& year) {
  int start = 0;
  std::from_chars(year.data(), year.data() + std::min<size_t>(4, year.size()), start);
  return std::to_string(start + 1);
}

}  // namespace

bool IsFinancialYear(std::string_view y) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (y.size() != 7 || y[4] != '-' || !std::all_of(y.begin(), y.begin() + 4, digit) || !digit(y[5]) ||
      !digit(y[6]))
    return false;
  int start = 0, end = 0;
  std::from_chars(y.data(), y.data() + 4, start);
  std::from_chars(y.data() + 5, y.data() + 7, end);
  return (start + 1) % 100 == end;
}

Result<AscofFile> ReadAscofCsv(const std::string& path, const std::string& year,
                               const std::map<std::string, std::string>& codes) {
  const std::string name = std::filesystem::path(path).filename().string();
  auto reader = CsvReader::Open(path, name);
  if (!reader.ok()) return reader.status();
  CsvReader& csv = **reader;
  if (!csv.Next()) {
    if (!csv.status().ok()) return csv.status();
    return Status::InvalidArgument(name + ": empty file (expected a header row)");
  }
  const std::vector<std::string> header(csv.fields().begin(), csv.fields().end());
  auto col = [&](std::string_view n) { return Column(header, n); };
  AscofFile file;
  // Which layout, and where its fields are.
  int c_level = col("Geographical Level"), c_ons = col("ONS Code"), c_name = col("Geographical Description"),
      c_code = col("Measure Group"), c_desc = col("Measure Group Description"),
      c_dis = col("Disaggregation Level"), c_type = col("Measure Type"), c_value = col("Measure Value"),
      c_year = col("Year"), c_row_year = -1;
  Layout layout = Layout::kProcessed;
  if (c_level >= 0 && c_ons >= 0 && c_name >= 0 && c_desc >= 0 && c_dis >= 0 && c_value >= 0) {
    layout = c_type >= 0 && c_code >= 0 ? Layout::kOpenData : Layout::kProcessed;
  } else if (col("Financial year") >= 0 && col("Local authority code") >= 0 &&
             col("Local authority name") >= 0 && col("Measure") >= 0 && col("Code") >= 0 &&
             col("Value") >= 0) {
    layout = Layout::kOflog;
    c_row_year = col("Financial year"), c_ons = col("Local authority code"),
    c_name = col("Local authority name");
    c_code = col("Code"), c_desc = col("Measure"), c_value = col("Value");
  } else if (col("area_code") >= 0 && col("area_name") >= 0 && col("period") >= 0 && col("indicator") >= 0 &&
             col("value") >= 0) {
    layout = Layout::kLgInform;
    c_row_year = col("period"), c_ons = col("area_code"), c_name = col("area_name"),
    c_desc = col("indicator");
    c_value = col("value");
  } else {
    return Status::InvalidArgument(name +
                                   ":1: not an ASCOF file (expected the columns of the NHS Digital open "
                                   "data (Geographical Level, ONS Code, Geographical Description, Measure "
                                   "Group Description, Disaggregation Level, Measure Value, ...), of Oflog's "
                                   "measures (Financial year, Local authority code, Local authority name, "
                                   "Measure, Code, Value) or of LG Inform (area_code, area_name, period, "
                                   "indicator, value))");
  }
  const bool open_data = layout == Layout::kOpenData, many_years = c_row_year >= 0;
  file.layout = LayoutName(layout);
  if (!many_years && year.empty())
    return Status::InvalidArgument(name + ": this file gives no year (" + file.layout +
                                   " layout): --year YYYY-YY is needed");
  const std::string end_year = year.empty() ? "" : EndYear(year);

  auto problem = [&](int64_t line, std::string_view field, const std::string& what) {
    if (file.problems.size() >= kMaxAscofProblems) {
      ++file.problems_omitted;
      return;
    }
    file.problems.push_back(field.empty() ? fmt::format("{}:{}: {}", name, line, what)
                                          : fmt::format("{}:{}: {}: {}", name, line, field, what));
  };
  // (year, council, measure, disaggregation, type) -> first line, value
  using Key = std::tuple<std::string, std::string, std::string, std::string, std::string>;
  struct Seen {
    int64_t line;
    double value;
  };
  std::map<Key, Seen> seen;
  // Keys with two different values, the rows after the first, and the
  // lines of the first such pair per description.
  std::set<Key> ambiguous;
  std::map<Key, int64_t> repeats;
  std::map<std::string, std::string> ambiguous_example;

  while (csv.Next()) {
    ++file.rows_read;
    const auto f = csv.fields();
    const int64_t line = csv.line();
    if (f.size() != header.size()) {
      problem(line, "", fmt::format("expected {} fields, got {}", header.size(), f.size()));
      continue;
    }
    if (c_level >= 0 && f[c_level] != "Council") continue;
    // LG Inform lists England and regions beside the councils.
    if (layout == Layout::kLgInform && (f[c_ons].starts_with("E92") || f[c_ons].starts_with("E12"))) continue;
    std::string row_year = year;
    if (many_years) {
      row_year = std::string(f[c_row_year]);
      const char sep = layout == Layout::kLgInform ? '/' : '-';  // LG Inform writes "2014/15"
      if (row_year.size() > 4 && row_year[4] == sep)
        row_year[4] = '-';
      else
        row_year.clear();
      if (!IsFinancialYear(row_year)) {
        problem(line, header[c_row_year],
                fmt::format("'{}' is not a financial year (expected {})", f[c_row_year],
                            layout == Layout::kLgInform ? "YYYY/YY, e.g. 2020/21" : "YYYY-YY, e.g. 2020-21"));
        continue;
      }
      if (!year.empty() && row_year != year) continue;  // --year picks one year of the file
    }
    const size_t before = file.problems.size() + file.problems_omitted;
    if (!IsOnsCode(f[c_ons]))
      problem(line, header[c_ons],
              fmt::format("'{}' is not an ONS area code (expected a letter and 8 digits, e.g. E10000006)",
                          f[c_ons]));
    if (f[c_name].empty()) problem(line, header[c_name], "empty (expected the council's name)");
    if (c_dis >= 0 && f[c_dis].empty())
      problem(line, header[c_dis], "empty (expected e.g. Total or 65 and over)");
    if (c_code >= 0 && f[c_code].empty())
      problem(line, header[c_code], "empty (expected a measure code, e.g. 2B1)");
    if (c_code < 0 && f[c_desc].empty())
      problem(line, header[c_desc], "empty (expected the measure's description)");
    if (open_data &&
        std::find(std::begin(kMeasureTypes), std::end(kMeasureTypes), f[c_type]) == std::end(kMeasureTypes))
      problem(line, header[c_type],
              fmt::format(
                  "'{}' is not a measure type (expected Numerator, Denominator, Outcome, Base or Margin Of "
                  "Error)",
                  f[c_type]));
    if (layout == Layout::kProcessed && c_year >= 0 && f[c_year] != end_year)
      problem(line, header[c_year],
              fmt::format("'{}' is not {}, the year {} ends in (is this another year's file?)", f[c_year],
                          end_year, year));
    double value = NAN;
    const bool published = !NotPublished(f[c_value]);
    if (published && !ParseNumber(f[c_value], value))
      problem(
          line, header[c_value],
          fmt::format("'{}' is not a number (expected a number, or [x], [c], [z] or NA where not published)",
                      f[c_value]));
    if (file.problems.size() + file.problems_omitted > before) continue;
    if (!published) {
      ++file.missing;
      continue;
    }
    PublishedRow row;
    row.year = row_year;
    row.ons_code = std::string(f[c_ons]);
    row.council = std::string(f[c_name]);
    row.description = std::string(f[c_desc]);
    if (c_code >= 0) {
      row.measure = std::string(f[c_code]);
    } else {
      auto code = codes.find(row.description);
      row.measure = code != codes.end() ? code->second : row.description;
    }
    row.disaggregation = c_dis >= 0 ? std::string(f[c_dis]) : "Total";
    row.measure_type = open_data ? std::string(f[c_type]) : "Outcome";
    row.value = value;
    Key key{row.year, row.ons_code, row.measure, row.disaggregation, row.measure_type};
    auto [it, fresh] = seen.try_emplace(key, Seen{line, value});
    if (!fresh) {
      if (layout != Layout::kProcessed) {
        problem(line, "",
                fmt::format("the same year, council, measure, disaggregation and measure type as line {} "
                            "(expected one row each)",
                            it->second.line));
      } else if (++repeats[key]; it->second.value != value && ambiguous.insert(key).second) {
        ambiguous_example.try_emplace(
            row.description,
            fmt::format("{} {} at lines {} and {}", row.ons_code, row.disaggregation, it->second.line, line));
      }
      continue;  // an exact repeat adds nothing
    }
    file.rows.push_back(std::move(row));
  }
  if (!csv.status().ok()) return csv.status();
  if (!ambiguous.empty()) {
    std::map<std::string, int64_t> left_out;  // description -> values
    std::vector<PublishedRow> kept;
    for (PublishedRow& r : file.rows) {
      Key key{r.year, r.ons_code, r.measure, r.disaggregation, r.measure_type};
      if (ambiguous.count(key)) {
        left_out[r.description] += 1 + repeats[key];
        continue;
      }
      kept.push_back(std::move(r));
    }
    file.rows = std::move(kept);
    for (const auto& [desc, n] : left_out) {
      file.ambiguous += n;
      file.warnings.push_back(fmt::format(
          "{}: {} values of '{}' left out: the file gives a council two different values under this one "
          "description (e.g. {}), and this layout does not say which measure each is",
          name, n, desc, ambiguous_example[desc]));
    }
  }
  return file;
}

}  // namespace goldthread
