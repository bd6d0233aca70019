#pragma once
// A Document as HTML: one self-contained page (inline CSS and SVG, no
// script, no external URL) that prints on A4 without cutting a chart
// (break-inside: avoid), reads at phone width, and meets WCAG 2.1 AA
// (headings in order, table headers with scope, captions, titled SVGs,
// text contrast of at least 4.5:1). The dashboard uses the pieces to wrap
// the same content in its own page chrome.

#include <string>

#include "report/document.h"

namespace goldthread::report {

/// The whole page: <!DOCTYPE html> ... </html>.
std::string RenderHtml(const Document& doc);
/// The content only (title, sections, provenance), for a dashboard page.
std::string RenderBodyHtml(const Document& doc);
/// One section (<section> ... </section>).
std::string RenderSectionHtml(const Section& section);
/// The stylesheet the page uses (for the dashboard to serve or inline).
std::string HtmlStyle();

}  // namespace goldthread::report
