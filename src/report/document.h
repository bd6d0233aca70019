#pragma once
// The document model every report and dashboard page is built as: sections
// of blocks (headings, paragraphs, callouts, charts with their data tables,
// typed tables, findings), plus where the figures came from. One model,
// three renderers (render_html.h, render_json.h, render_xlsx.h), so a
// report says the same in every format. Builders (report_builder.h) make a
// Document from an Analysis for an audience.
//
// Values are typed, never pre-formatted text: a count is a number, a
// percentage is a number in 0-100 (as the indicators' values), a date is a
// day number (core/date.h). Renderers format them; XLSX stores them as
// numbers and dates. Plain value types; copy freely.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/date.h"

namespace goldthread::report {

enum class ColumnType { kText, kCount, kPercent, kDate, kNumber };

struct Column {
  std::string heading;
  ColumnType type = ColumnType::kText;
  int decimals = 0;  // kPercent and kNumber: digits after the point
};

struct Cell {
  std::string text;              // kText; for a number without a value, why ("suppressed", "no cases")
  std::optional<double> number;  // kCount, kPercent (0-100), kNumber; kDate: days since 1970-01-01
  std::string link;              // a drill-down URL (ReportOptions::links); "" none
  bool suppressed = false;       // withheld by disclosure control (text says how)
  /// A small inline <svg> drawn before the text in HTML (a Making Data Count
  /// icon, a sparkline), with its own <title>; "" none. JSON and XLSX carry
  /// the text only, so the text must say what the graphic shows.
  std::string svg;
  /// kPercent and kNumber: this cell's digits after the point, where a
  /// column mixes units (a count among means: "412", not "412.0"); -1 the
  /// column's. Display only: JSON keeps the number as it is, XLSX formats it so.
  int decimals = -1;
};

struct Table {
  std::string id;       // unique within the document; the XLSX sheet of a table section
  std::string caption;  // what the table is
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;  // each row has columns.size() cells
  std::string note;                     // below the table: sources, suppression, units
  bool person_level = false;            // rows name people (never in aggregate output)
  /// A long reference table (every Hub cell with its evidence): HTML shows
  /// it folded under its caption, opened by the reader (<details>), so a
  /// page on a phone is not tens of thousands of pixels tall. JSON and XLSX
  /// hold it whole, as every table.
  bool folded = false;
  /// In a document whose numbers go to its annex (Document::numbers_in_annex):
  /// shown there, not here (the numbers behind a chart that is no Chart, such
  /// as the cabinet's sparklines).
  bool in_annex = false;
};

struct Heading {
  int level = 2;  // 2 or 3 (the document title is level 1)
  std::string text;
};

struct Paragraph {
  std::string text;
};

/// A boxed message: a gaming warning beside a chart, "no plan loaded".
struct Callout {
  enum class Kind { kInfo, kWarning, kMissing } kind = Kind::kInfo;
  std::string title;
  std::string text;
};

/// A chart drawn as SVG and the numbers behind it (screen readers, print,
/// XLSX). `alt` says in words what the chart shows.
struct Chart {
  std::string id;
  std::string title;
  std::string alt;
  std::string svg;  // a complete <svg> element with <title> and <desc>
  Table data;
};

/// The chart with its numbers folded under it on screen (opened by the
/// reader, printed open: render_html.cc), whole in JSON and XLSX. Pages with
/// a chart or more per indicator (management, team) fold them: shown open
/// they made the management page 85,630 px tall at 1280 px.
inline Chart FoldedData(Chart c) {
  c.data.folded = true;
  return c;
}

/// The Making Data Count icons of one series, drawn and in words.
struct Icons {
  std::string variation_svg, assurance_svg;  // small <svg> elements ("" none)
  std::string variation;                     // "improvement", "common cause", ...
  std::string assurance;                     // "consistently passes the target", "no target set", ...
  std::string warning;                       // "improvement, but see: ..." ("" none)
};

/// An integrity finding as a reader sees it.
struct FindingBlock {
  std::string severity;  // "high", "medium", "low"
  std::string check;     // the check name (shared/DESIGN.md section 6)
  std::string org_unit, period;
  std::vector<std::string> indicators;
  std::string summary;
  std::string why;   // in words: what was looked at, why it fired (report/finding_words.h)
  std::string rule;  // the check's statistic = value (threshold), as `goldthread check` says it
  std::string innocent_if;
  Table evidence;     // named figures, dates, users, batches
  std::string link;   // to its records (dashboard), "" none
};

using Block = std::variant<Heading, Paragraph, Callout, Chart, Table, Icons, FindingBlock>;

struct Section {
  std::string id;     // unique; the XLSX sheet name is derived from it
  std::string title;
  std::vector<Block> blocks;
  bool page_break_before = false;  // print: start on a new A4 page
  int columns = 1;                 // 2: charts side by side on wide screens and in print
  bool person_level = false;       // holds person-level rows (team cases)
};

/// Where the figures came from (Analysis::provenance, in words and data).
struct ProvenanceBlock {
  std::string text;                 // the exact sentence(s) shown in every format
  int64_t run_id = 0;
  std::vector<int64_t> batch_ids;
  std::vector<std::string> definitions;  // "assessment-28d v1"
  std::string data_end;                  // "2026-09-30"
  std::string figures_digest;
};

/// One person-level view a document contains: the caller writes it to the
/// access log (the report command, the dashboard).
struct PersonLevelView {
  std::string what;      // "team_cases"
  std::string org_unit;  // the team
  std::string detail;    // the section
  int64_t records = 0;   // rows shown
};

struct Document {
  std::string title, subtitle;
  std::string audience;        // "cabinet", "management", "team:T05", "public"
  std::string period;          // the latest period reported ("2026-09")
  bool disclosure_control = false;
  /// HTML: every chart's numbers (and each table marked in_annex) are shown
  /// in an annex after the last section, each chart linking to its table, so
  /// that the cabinet's paper is two A4 pages with its numbers after them
  /// (issue 10). JSON and XLSX are as ever.
  bool numbers_in_annex = false;
  std::vector<Section> sections;
  ProvenanceBlock provenance;
  std::vector<PersonLevelView> person_level_views;
};

/// Cell helpers.
Cell TextCell(std::string text, std::string link = "");
Cell NumberCell(std::optional<double> v, std::string if_missing = "", std::string link = "");
Cell DateCell(Date d);

/// Every chart of a document, in order (tests, the dashboard's index).
std::vector<const Chart*> Charts(const Document& doc);
/// Every table, charts' data tables included, in order.
std::vector<const Table*> Tables(const Document& doc);

}  // namespace goldthread::report
