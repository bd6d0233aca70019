#pragma once
// The dashboard's page chrome around content: the bar with the navigation
// (what the role may open), who is signed in and the sign-out form, then
// the content. The content itself comes from the report module's renderer
// (report/render_html.h), so a dashboard page and a report say the same.

#include <string>
#include <string_view>

#include "server/auth.h"

namespace goldthread::server {

struct PageChrome {
  std::string title;              // the <title>, before " - goldthread"
  const SignedIn* who = nullptr;  // null: the sign-in page (no navigation)
  std::string_view current;       // the nav entry's path that is this page ("/cabinet")
  int refresh_seconds = 0;        // > 0: the page reloads itself (while the figures are computed)
};

/// The whole HTML page: <!DOCTYPE html> ... </html>.
std::string RenderPage(const PageChrome& chrome, std::string_view body_html);

/// A page with a heading and a message (errors, "not ready yet").
std::string MessagePage(const PageChrome& chrome, std::string_view heading, std::string_view message);

}  // namespace goldthread::server
