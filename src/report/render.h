#pragma once
// One document, three formats with the same content (issue 10): HTML
// (render_html.h), JSON (below) and XLSX (one sheet per section, numbers
// and dates stored as numbers and dates with formats, frozen header rows).

#include <string>
#include <string_view>

#include "core/status.h"
#include "report/document.h"
#include "store/store.h"

namespace goldthread::report {

enum class Format { kHtml, kXlsx, kJson };

/// By the path's extension: .html (or .htm), .xlsx, .json.
bool TryFormatOfPath(std::string_view path, Format& out);

/// The document as bytes in the format. XLSX fails only when libxlsxwriter
/// cannot write its temporary file.
Result<std::string> Render(const Document& doc, Format format);

/// The JSON of a document: {"title", "audience", "period",
/// "disclosure_control", "sections": [{"id", "title", "blocks": [...]}],
/// "provenance": {...}}; tables keep typed values (numbers, dates as
/// "YYYY-MM-DD", suppressed cells as {"suppressed": true}). docs/reports.md
/// lists every field.
std::string RenderJson(const Document& doc, int indent = 2);

/// The XLSX workbook's bytes.
Result<std::string> RenderXlsx(const Document& doc);

/// Writes one access-log entry per person-level view in the document (who,
/// what, when, from where: action "report", role "command_line"). Call it
/// before the document leaves the process; on failure, do not show it.
Status LogPersonLevelViews(Store& store, const Document& doc, const std::string& user, const std::string& where);

}  // namespace goldthread::report
