// Audiences still being built on the report branch: each says so rather
// than producing a partial report.

#include "report/audiences.h"

namespace goldthread::report::internal {

namespace {
void NotYet(Document& doc, const char* what) {
  Section s;
  s.id = "not-yet";
  s.title = "Not available yet";
  s.blocks.push_back(Callout{Callout::Kind::kMissing, "Not built yet.", what});
  doc.sections.push_back(std::move(s));
}
}  // namespace

void BuildManagement(const BuildContext&, Document& doc) { NotYet(doc, "The management report lands next."); }
void BuildTeam(const BuildContext&, int32_t, Document& doc) { NotYet(doc, "The team report lands next."); }
void BuildPublic(const BuildContext&, Document& doc) { NotYet(doc, "The public report lands next."); }

}  // namespace goldthread::report::internal
