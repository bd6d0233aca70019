#include "report/render.h"

#include <fmt/format.h>

#include "report/render_html.h"

namespace goldthread::report {

bool TryFormatOfPath(std::string_view path, Format& out) {
  auto ends = [&](std::string_view ext) {
    return path.size() > ext.size() && path.substr(path.size() - ext.size()) == ext;
  };
  if (ends(".html") || ends(".htm")) out = Format::kHtml;
  else if (ends(".xlsx")) out = Format::kXlsx;
  else if (ends(".json")) out = Format::kJson;
  else return false;
  return true;
}

Result<std::string> Render(const Document& doc, Format format) {
  switch (format) {
    case Format::kHtml: return RenderHtml(doc);
    case Format::kJson: return RenderJson(doc) + "\n";
    case Format::kXlsx: return RenderXlsx(doc);
  }
  return Status::InvalidArgument("unknown format");
}

Status LogPersonLevelViews(Store& store, const Document& doc, const std::string& user, const std::string& where) {
  if (doc.person_level_views.empty()) return Status::Ok();
  // TODO(report): Store::AppendAccess (the server branch's access_log table)
  // is not on main yet; until it is, a document with person-level rows is
  // refused rather than shown unlogged.
  (void)store, (void)user, (void)where;
  return Status::Unsupported(fmt::format(
      "this store keeps no access log yet, and {} person-level view(s) would go unlogged", doc.person_level_views.size()));
}

}  // namespace goldthread::report
