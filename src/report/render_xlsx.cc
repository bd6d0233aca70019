// The document as an XLSX workbook (libxlsxwriter): one sheet per section,
// its tables one under another; counts, percentages and numbers stored as
// numbers with number formats (percentages as fractions with a % format),
// dates as Excel dates, suppressed cells as the text "[c]"; the first
// table's header row is frozen. A "Provenance" sheet ends the workbook.

#include <unistd.h>
#include <xlsxwriter.h>

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>

#include "report/render.h"

namespace goldthread::report {
namespace {

// Excel's serial day of 1970-01-01 (1900 date system).
constexpr double kExcelEpoch1970 = 25569.0;

constexpr int kMaxDecimals = 4;  // digits after the point a number or percentage format offers

struct Formats {
  lxw_format* title;
  lxw_format* bold;
  lxw_format* header;
  lxw_format* note;
  lxw_format* count;
  lxw_format* date;
  lxw_format* percent[kMaxDecimals + 1];
  lxw_format* number[kMaxDecimals + 1];
};

// Sheet names: at most 31 characters, none of []:*?/\, unique.
std::string SheetName(const std::string& id, std::set<std::string>& used) {
  std::string base;
  for (char c : id)
    if (std::string_view("[]:*?/\\").find(c) == std::string_view::npos) base += c;
  if (base.empty()) base = "Sheet";
  base = base.substr(0, 28);
  std::string name = base;
  for (int i = 2; used.count(name); ++i) name = fmt::format("{}-{}", base, i);
  used.insert(name);
  return name;
}

class SheetWriter {
 public:
  SheetWriter(lxw_worksheet* ws, const Formats& f) : ws_(ws), f_(f) {}

  void Text(const std::string& s, lxw_format* fmt = nullptr) {
    worksheet_write_string(ws_, row_++, 0, s.c_str(), fmt);
  }

  void WriteTable(const Table& t) {
    if (!t.caption.empty()) Text(t.caption, f_.bold);
    for (size_t c = 0; c < t.columns.size(); ++c) {
      worksheet_write_string(ws_, row_, static_cast<lxw_col_t>(c), t.columns[c].heading.c_str(), f_.header);
      widths_.resize(std::max(widths_.size(), t.columns.size()), 10);
      widths_[c] = std::max<double>(widths_[c], std::min<double>(48, t.columns[c].heading.size() + 2));
    }
    if (!frozen_) {
      worksheet_freeze_panes(ws_, row_ + 1, 0);
      frozen_ = true;
    }
    ++row_;
    for (const auto& r : t.rows) {
      for (size_t c = 0; c < r.size() && c < t.columns.size(); ++c) WriteCell(t.columns[c], r[c], c);
      ++row_;
    }
    if (!t.note.empty()) Text(t.note, f_.note);
    ++row_;
  }

  void Finish() {
    for (size_t c = 0; c < widths_.size(); ++c)
      worksheet_set_column(ws_, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), widths_[c], nullptr);
  }

 private:
  void WriteCell(const Column& col, const Cell& cell, size_t c) {
    const lxw_col_t cc = static_cast<lxw_col_t>(c);
    if (!cell.number || col.type == ColumnType::kText) {
      const std::string& s = cell.text;
      if (!s.empty()) worksheet_write_string(ws_, row_, cc, s.c_str(), nullptr);
      widths_[c] = std::max<double>(widths_[c], std::min<double>(60, s.size() + 1));
      return;
    }
    const int dec = std::clamp(cell.decimals >= 0 ? cell.decimals : col.decimals, 0, kMaxDecimals);
    switch (col.type) {
      case ColumnType::kCount: worksheet_write_number(ws_, row_, cc, *cell.number, f_.count); break;
      case ColumnType::kPercent: worksheet_write_number(ws_, row_, cc, *cell.number / 100.0, f_.percent[dec]); break;
      case ColumnType::kNumber: worksheet_write_number(ws_, row_, cc, *cell.number, f_.number[dec]); break;
      case ColumnType::kDate: worksheet_write_number(ws_, row_, cc, *cell.number + kExcelEpoch1970, f_.date); break;
      case ColumnType::kText: break;
    }
    widths_[c] = std::max<double>(widths_[c], 11);
  }

  lxw_worksheet* ws_;
  const Formats& f_;
  lxw_row_t row_ = 0;
  bool frozen_ = false;
  std::vector<double> widths_;
};

lxw_format* NumFormat(lxw_workbook* wb, const char* num) {
  lxw_format* f = workbook_add_format(wb);
  format_set_num_format(f, num);
  return f;
}

}  // namespace

Result<std::string> RenderXlsx(const Document& doc) {
  const char* tmp = std::getenv("TMPDIR");
  std::string path = std::string(tmp && *tmp ? tmp : "/tmp") + "/goldthread-xlsx-XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0) return Status::IOError("cannot create a temporary file for the workbook in " + path);
  close(fd);
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) {
    std::remove(path.c_str());
    return Status::IOError("libxlsxwriter cannot open " + path);
  }
  Formats f{};
  f.title = workbook_add_format(wb);
  format_set_bold(f.title);
  format_set_font_size(f.title, 14);
  f.bold = workbook_add_format(wb);
  format_set_bold(f.bold);
  f.header = workbook_add_format(wb);
  format_set_bold(f.header);
  format_set_bottom(f.header, LXW_BORDER_THIN);
  format_set_text_wrap(f.header);
  f.note = workbook_add_format(wb);
  format_set_italic(f.note);
  f.count = NumFormat(wb, "#,##0");
  f.date = NumFormat(wb, "yyyy-mm-dd");
  const char* pf[] = {"0%", "0.0%", "0.00%", "0.000%", "0.0000%"};
  const char* nf[] = {"#,##0", "#,##0.0", "#,##0.00", "#,##0.000", "#,##0.0000"};
  for (int i = 0; i <= kMaxDecimals; ++i) f.percent[i] = NumFormat(wb, pf[i]), f.number[i] = NumFormat(wb, nf[i]);

  std::set<std::string> used;
  for (const Section& s : doc.sections) {
    std::vector<const Table*> tables;
    for (const Block& b : s.blocks) {
      if (const auto* c = std::get_if<Chart>(&b)) tables.push_back(&c->data);
      if (const auto* t = std::get_if<Table>(&b)) tables.push_back(t);
      if (const auto* fb = std::get_if<FindingBlock>(&b))
        if (!fb->evidence.rows.empty()) tables.push_back(&fb->evidence);
    }
    lxw_worksheet* ws = workbook_add_worksheet(wb, SheetName(s.id, used).c_str());
    SheetWriter w(ws, f);
    w.Text(s.title, f.title);
    for (const Block& b : s.blocks) {
      if (const auto* h = std::get_if<Heading>(&b)) w.Text(h->text, f.bold);
      else if (const auto* p = std::get_if<Paragraph>(&b)) w.Text(p->text);
      else if (const auto* c = std::get_if<Callout>(&b)) w.Text(c->title + " " + c->text, f.bold);
      else if (const auto* i = std::get_if<Icons>(&b))
        w.Text("Variation: " + i->variation + ". Assurance: " + i->assurance + "." +
               (i->warning.empty() ? "" : " " + i->warning));
      else if (const auto* ch = std::get_if<Chart>(&b)) {
        w.Text(ch->title, f.bold);
        w.WriteTable(ch->data);
      } else if (const auto* t = std::get_if<Table>(&b)) w.WriteTable(*t);
      else if (const auto* fb = std::get_if<FindingBlock>(&b)) {
        w.Text(fmt::format("{} {} {} {}: {}", fb->severity, fb->check, fb->org_unit, fb->period, fb->summary), f.bold);
        if (!fb->evidence.rows.empty()) w.WriteTable(fb->evidence);
      }
    }
    w.Finish();
  }
  lxw_worksheet* ws = workbook_add_worksheet(wb, SheetName("Provenance", used).c_str());
  SheetWriter w(ws, f);
  w.Text(doc.title, f.title);
  w.Text(doc.subtitle);
  w.Text(doc.provenance.text);
  w.Finish();
  const lxw_error err = workbook_close(wb);
  std::string bytes;
  if (err == LXW_NO_ERROR) {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::remove(path.c_str());
  if (err != LXW_NO_ERROR) return Status::IOError(std::string("libxlsxwriter: ") + lxw_strerror(err));
  return bytes;
}

}  // namespace goldthread::report
