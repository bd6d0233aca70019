// The stylesheets (and any script) of the dashboard, served from its own
// origin, as the Content-Security-Policy requires. They are embedded in the
// binary at build time (embed_assets.cmake), so the server needs no files.

#include "report/render_html.h"
#include "server/assets.h"
#include "server/handlers.h"

namespace goldthread::server {

void StaticAsset(RequestContext& c) {
  const std::string& name = c.path["name"];
  std::string body;
  if (name == "dashboard.css") {
    body = assets::k_dashboard_css;
  } else if (name == "report.css") {
    body = report::HtmlStyle();  // the reports' own stylesheet, so pages look as the reports do
  } else {
    return c.Fail(404, "There is no file '" + name + "' here.");
  }
  // Assets change only with the binary: a day's caching is safe.
  c.res.set_header("Cache-Control", "public, max-age=86400");
  c.res.set_content(body, "text/css; charset=utf-8");  // httplib copies from a const reference
}

}  // namespace goldthread::server
