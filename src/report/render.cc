#include "report/render.h"

#include <fmt/format.h>

#include <chrono>

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
  const Timestamp now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  for (const PersonLevelView& v : doc.person_level_views) {
    AccessEntry e;
    e.at = now;
    e.user = user;
    e.role = "command_line";  // a report written by an OS user, not a dashboard role
    e.remote_addr = where;
    e.action = "report";
    e.period = doc.period;
    e.org_unit = v.org_unit;
    e.detail = fmt::format("{} {}: {}", doc.audience, v.what, v.detail);
    e.records = v.records;
    e.outcome = "shown";
    auto id = store.AppendAccess(e);
    if (!id.ok()) return id.status();
  }
  return Status::Ok();
}

}  // namespace goldthread::report
