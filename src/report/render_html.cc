#include "report/render_html.h"

#include <fmt/format.h>

#include <cmath>

#include "report/svg_util.h"

namespace goldthread::report {
namespace {

// Print on A4 with charts never cut; readable from 320 px up; contrast of
// every text colour against white at least 4.5:1 (WCAG 2.1 AA, 1.4.3):
// #231f20 17:1, #4d4d4d 8.4:1, #8a4b00 on #fff4e5 6.3:1, #005eb8 5.6:1.
// A caption stays within its scrolling wrapper (100cqw of the .table-wrap
// container) and in view while the table scrolls: at 390 px a wide table's
// caption ran past the screen edge (/plan, issue 10).
constexpr const char* kCss = R"CSS(
*{box-sizing:border-box}
body{font-family:Arial,Helvetica,sans-serif;color:#231f20;background:#fff;margin:0;line-height:1.45;font-size:16px}
main{max-width:1000px;margin:0 auto;padding:16px}
h1{font-size:1.7em;margin:.2em 0}
h2{font-size:1.35em;margin:1.2em 0 .4em;border-bottom:2px solid #005eb8;padding-bottom:.15em}
h3{font-size:1.1em;margin:1em 0 .3em}
p.subtitle{color:#4d4d4d;margin-top:0}
a{color:#005eb8}
figure{margin:1em 0;break-inside:avoid;page-break-inside:avoid}
figure svg{width:100%;max-width:640px;height:auto;display:block}
figcaption{font-size:.9em;color:#4d4d4d}
.table-wrap{overflow-x:auto;margin:.5em 0 1em;container-type:inline-size}
.table-wrap:focus-visible{outline:3px solid #ffb81c;outline-offset:2px}
table{border-collapse:collapse;font-size:.85em;min-width:50%}
caption{text-align:left;font-weight:bold;padding:.3em 0;position:sticky;left:0;max-width:100cqw}
th,td{border:1px solid #bfbfbf;padding:.25em .5em;vertical-align:top}
thead th{background:#e8edf3;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tbody th{text-align:left;font-weight:normal;background:#f7f7f7;min-width:6.5em}
.cell-svg{float:left;margin:0 .4em .15em 0;line-height:0}
.cell-svg svg.mdc-icon{width:30px;height:30px}
.cell-text{font-size:.92em}
.cell-svg:has(.sparkline){float:none;display:block}.cell-svg:has(.sparkline)+.cell-text{font-size:.8em;color:#4d4d4d}
#scorecard{width:100%}#scorecard tbody th{min-width:11em}#trend-numbers tbody th{min-width:16em}
.note{font-size:.85em;color:#4d4d4d}
details.fold{margin:.5em 0 1em}details.fold>summary{cursor:pointer;font-weight:bold;color:#005eb8;padding:.3em 0}
details.fold>summary:focus-visible{outline:3px solid #ffb81c;outline-offset:2px}
.callout{border-left:6px solid #005eb8;background:#eef4fb;padding:.5em .8em;margin:.8em 0;break-inside:avoid}
.callout.warning{border-color:#b35900;background:#fff4e5}
.callout.warning strong{color:#8a4b00}
.callout.missing{border-color:#767676;background:#f2f2f2}
.icons{display:flex;flex-wrap:wrap;align-items:center;gap:.6em;margin:.4em 0}
.icons .words{flex:1 1 16em}
.icons .warn{color:#8a4b00;font-weight:bold}
.finding{border:1px solid #bfbfbf;border-left:6px solid #b35900;padding:.5em .8em;margin:.8em 0;break-inside:avoid}
.finding.medium{border-left-color:#e46c0a}
.finding.low{border-left-color:#767676}
.sev{font-weight:bold;text-transform:uppercase}
.provenance{font-size:.85em;color:#4d4d4d;border-top:1px solid #bfbfbf;margin-top:2em;padding-top:.5em}
.person-level{border:2px solid #b35900;padding:0 .6em}
.grid{display:grid;grid-template-columns:1fr;gap:0 1.5em}
.cell{break-inside:avoid;page-break-inside:avoid;min-width:0}
@media (min-width:900px){.cols-2 .grid{grid-template-columns:1fr 1fr}}
@media print{.cols-2 .grid{grid-template-columns:1fr 1fr}.cols-2 table{font-size:6.5pt}.cols-2 th,.cols-2 td{padding:.1em .2em}}
@page{size:A4;margin:12mm 11mm}@page cabinet{size:A4;margin:9mm 10mm}
@media print{body{font-size:10pt}main{max-width:none;padding:0}h2{margin-top:.8em}
 .finding{padding:.2em .6em;margin:.5em 0}.finding p{margin:.25em 0}
 .cell-svg svg.mdc-icon{width:24px;height:24px}
 .audience-cabinet .table-wrap{margin:.3em 0 .5em}
 .cell-svg:has(.sparkline)+.cell-text{display:none}
 .provenance{margin-top:1em;font-size:7.5pt}.provenance h2{font-size:10pt}
 .audience-cabinet p{margin:.25em 0}.audience-cabinet .callout{margin:.5em 0;padding:.3em .6em}
 .audience-cabinet figure{display:flex;gap:1em;align-items:flex-end;margin:.3em 0}.audience-cabinet figure svg{width:6.3cm;flex:none}
 .audience-cabinet figcaption{font-size:7pt}.audience-cabinet h2{font-size:11pt;margin:.6em 0 .2em}
 main.audience-cabinet{font-size:9pt;line-height:1.25;page:cabinet}.audience-cabinet h3{font-size:9.5pt;margin:.5em 0 .2em}.audience-cabinet h1{font-size:15pt}.audience-cabinet table{font-size:7pt}
 .audience-cabinet #scorecard tr>:first-child{width:29%}.audience-cabinet #scorecard tr>:nth-child(5){width:17%}
 .audience-cabinet #scorecard tr>:nth-child(6),.audience-cabinet #scorecard tr>:nth-child(7){width:19%}.audience-cabinet th,.audience-cabinet td{padding:.1em .3em;line-height:1.15}
 .audience-cabinet .finding{margin:.3em 0}.audience-cabinet .finding p{font-size:8pt;margin:.1em 0}.audience-cabinet .finding p.note{font-size:7pt}
 .audience-cabinet svg.sparkline{height:28px;width:auto}.audience-cabinet .icons{margin:.2em 0}.audience-cabinet .note{font-size:7pt}
 section.page-break{break-before:page;page-break-before:always}
 .table-wrap{overflow:visible}table{font-size:8pt}a{color:#231f20;text-decoration:none}
 h2,h3{break-after:avoid;page-break-after:avoid}tr{break-inside:avoid}
 details.chart-data::details-content{content-visibility:visible;display:block}details.chart-data>summary{display:none}}
@media (max-width:600px){body{font-size:15px}main{padding:10px}h1{font-size:1.4em}table{font-size:.8em}}
)CSS";

std::string Esc(std::string_view s) { return SvgEscape(s); }

// 12345 -> "12,345" (the UK's separator).
std::string Grouped(int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

std::string FormatCell(const Column& col, const Cell& c) {
  if (!c.number) return Esc(c.text);
  const double v = *c.number;
  const int decimals = c.decimals >= 0 ? c.decimals : col.decimals;
  switch (col.type) {
    case ColumnType::kText: return Esc(c.text.empty() ? fmt::format("{}", v) : c.text);
    case ColumnType::kCount: return Grouped(std::llround(v));
    case ColumnType::kPercent: return fmt::format("{:.{}f}%", v, decimals);
    case ColumnType::kNumber: return fmt::format("{:.{}f}", v, decimals);
    case ColumnType::kDate: return FormatDate(static_cast<Date>(v));
  }
  return "";
}

// A chart's numbers (chart_data) print open even when folded on screen:
// every printed chart has its table (the CSS's ::details-content rule).
void RenderTable(const Table& t, std::string& out, bool chart_data = false) {
  if (t.folded) {
    out += fmt::format("<details class=\"fold{}\"><summary>{} ({} {})</summary>\n", chart_data ? " chart-data" : "",
                       Esc(t.caption.empty() ? "table " + t.id : t.caption), Grouped(static_cast<int64_t>(t.rows.size())),
                       t.rows.size() == 1 ? "row" : "rows");
  }
  // A wide table scrolls inside its wrapper: keyboard users reach it by
  // Tab (tabindex) and screen readers hear which table it is (WCAG 2.1.1).
  out += fmt::format("<div class=\"table-wrap{}\" tabindex=\"0\" role=\"region\" aria-label=\"{}\"><table id=\"{}\">",
                     t.person_level ? " person-level" : "", Esc(t.caption.empty() ? "table " + t.id : t.caption),
                     Esc(t.id));
  if (!t.caption.empty()) out += "<caption>" + Esc(t.caption) + "</caption>";
  out += "<thead><tr>";
  for (const Column& c : t.columns) out += "<th scope=\"col\">" + Esc(c.heading) + "</th>";
  out += "</tr></thead><tbody>";
  for (const auto& row : t.rows) {
    out += "<tr>";
    for (size_t i = 0; i < row.size() && i < t.columns.size(); ++i) {
      const Column& col = t.columns[i];
      const Cell& c = row[i];
      std::string body = FormatCell(col, c);
      if (!c.link.empty()) body = "<a href=\"" + Esc(c.link) + "\">" + body + "</a>";
      if (!c.svg.empty()) body = "<span class=\"cell-svg\">" + c.svg + "</span><span class=\"cell-text\">" + body + "</span>";
      const bool numeric = col.type != ColumnType::kText;
      if (i == 0 && col.type == ColumnType::kText)
        out += "<th scope=\"row\">" + body + "</th>";
      else
        out += std::string(numeric ? "<td class=\"num\">" : "<td>") + body + "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody></table></div>";
  if (!t.note.empty()) out += "<p class=\"note\">" + Esc(t.note) + "</p>";
  if (t.folded) out += "</details>";
  out += "\n";
}

// The tables an annex gathers (Document::numbers_in_annex), in order; null
// renders every table in place.
using Annex = std::vector<const Table*>;

// A table sent to the annex: where it stood, a link to it there.
std::string ToAnnex(const Table& t, std::string_view text, Annex& annex) {
  annex.push_back(&t);
  return "<a href=\"#" + Esc(t.id) + "\">" + Esc(text) + ": annex, table " + std::to_string(annex.size()) + ".</a>";
}

void RenderBlock(const Block& b, std::string& out, Annex* annex) {
  if (const auto* h = std::get_if<Heading>(&b)) {
    const int level = h->level < 2 ? 2 : h->level > 4 ? 4 : h->level;
    out += fmt::format("<h{0}>{1}</h{0}>\n", level, Esc(h->text));
  } else if (const auto* p = std::get_if<Paragraph>(&b)) {
    out += "<p>" + Esc(p->text) + "</p>\n";
  } else if (const auto* c = std::get_if<Callout>(&b)) {
    const char* cls = c->kind == Callout::Kind::kWarning ? " warning" : c->kind == Callout::Kind::kMissing ? " missing" : "";
    out += fmt::format("<div class=\"callout{}\"><strong>{}</strong> {}</div>\n", cls, Esc(c->title), Esc(c->text));
  } else if (const auto* ch = std::get_if<Chart>(&b)) {
    out += fmt::format("<figure id=\"{}\" aria-label=\"{}\">", Esc(ch->id), Esc(ch->title));
    out += ch->svg;
    if (annex) {
      out += "<figcaption>" + Esc(ch->alt) + " " + ToAnnex(ch->data, "Its numbers", *annex) + "</figcaption></figure>\n";
    } else {
      out += "<figcaption>" + Esc(ch->alt) + "</figcaption></figure>\n";
      RenderTable(ch->data, out, true);
    }
  } else if (const auto* t = std::get_if<Table>(&b)) {
    if (annex && t->in_annex) {
      out += "<p class=\"note\">" + ToAnnex(*t, t->caption.empty() ? "The numbers" : t->caption, *annex) + "</p>\n";
    } else {
      RenderTable(*t, out);
    }
  } else if (const auto* i = std::get_if<Icons>(&b)) {
    out += "<div class=\"icons\">" + i->variation_svg + i->assurance_svg + "<div class=\"words\">";
    out += "<span>Variation: " + Esc(i->variation) + ".</span> <span>Assurance: " + Esc(i->assurance) + ".</span>";
    if (!i->warning.empty()) out += " <span class=\"warn\">" + Esc(i->warning) + "</span>";
    out += "</div></div>\n";
  } else if (const auto* f = std::get_if<FindingBlock>(&b)) {
    out += fmt::format("<div class=\"finding {}\"><p><span class=\"sev\">{}</span> {} &middot; {} &middot; {}</p>",
                       Esc(f->severity), Esc(f->severity), Esc(f->check), Esc(f->org_unit), Esc(f->period));
    out += "<p>" + Esc(f->summary) + "</p>";
    if (!f->why.empty()) out += "<p class=\"note\">Why: " + Esc(f->why) + "</p>";
    if (!f->rule.empty()) out += "<p class=\"note rule\">The check's statistic: " + Esc(f->rule) + "</p>";
    if (!f->innocent_if.empty()) out += "<p class=\"note\">Innocent if: " + Esc(f->innocent_if) + "</p>";
    if (!f->link.empty()) out += "<p><a href=\"" + Esc(f->link) + "\">The records behind this finding</a></p>";
    if (!f->evidence.rows.empty()) RenderTable(f->evidence, out);
    out += "</div>\n";
  }
}

}  // namespace

namespace {

std::string SectionHtml(const Section& s, Annex* annex) {
  std::string cls = s.page_break_before ? "page-break" : "";
  if (s.columns == 2) cls += cls.empty() ? "cols-2" : " cols-2";
  std::string out = fmt::format("<section id=\"{}\"{}>\n<h2>{}</h2>\n", Esc(s.id),
                                cls.empty() ? "" : " class=\"" + cls + "\"", Esc(s.title));
  // Two columns: each run of blocks from a level-3 heading is one cell of
  // the grid, so a measure's heading, icons, chart and table stay together.
  bool open = false;
  for (const Block& b : s.blocks) {
    const auto* h = std::get_if<Heading>(&b);
    if (s.columns == 2 && h && h->level == 3) {
      if (open) out += "</div>\n";
      else out += "<div class=\"grid\">\n";
      out += "<div class=\"cell\">";
      open = true;
    }
    RenderBlock(b, out, annex);
  }
  if (open) out += "</div>\n</div>\n";
  out += "</section>\n";
  return out;
}

}  // namespace

std::string RenderSectionHtml(const Section& s) { return SectionHtml(s, nullptr); }

std::string RenderBodyHtml(const Document& doc) {
  std::string out = "<h1>" + Esc(doc.title) + "</h1>\n";
  if (!doc.subtitle.empty()) out += "<p class=\"subtitle\">" + Esc(doc.subtitle) + "</p>\n";
  Annex annex;
  for (const Section& s : doc.sections) out += SectionHtml(s, doc.numbers_in_annex ? &annex : nullptr);
  if (!annex.empty()) {
    // The numbers start on a page of their own, after the paper.
    out += "<section id=\"annex\" class=\"page-break annex\">\n<h2>Annex: the numbers behind the charts</h2>\n";
    for (size_t i = 0; i < annex.size(); ++i) {
      out += fmt::format("<h3>Table {}</h3>\n", i + 1);
      Table open = *annex[i];  // the annex is the numbers, never folded
      open.folded = false;
      RenderTable(open, out);
    }
    out += "</section>\n";
  }
  out += "<footer class=\"provenance\" id=\"provenance\"><h2>Where these figures come from</h2><p>" +
         Esc(doc.provenance.text) + "</p></footer>\n";
  return out;
}

std::string HtmlStyle() { return kCss; }

std::string RenderHtml(const Document& doc) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
      Esc(doc.title) + "</title>\n<style>" + kCss + "</style>\n</head>\n<body>\n<main class=\"audience-" +
      Esc(doc.audience.substr(0, doc.audience.find(':'))) + "\">\n";
  out += RenderBodyHtml(doc);
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace goldthread::report
