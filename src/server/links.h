#pragma once
// What a signed-in reader may open from a page, and the URLs of its
// drill-downs: the cases behind a figure (/cases?indicator=...) and a
// finding's evidence and records (/findings/view?key=...).

#include <string>
#include <string_view>

#include "report/analysis.h"
#include "report/charts.h"
#include "server/auth.h"

namespace goldthread::server {

/// A finding's key: check, org unit, period and indicators joined by '|'.
/// The same finding of the same data has the same key after a rebuild, so
/// a link stays good when a new analysis is swapped in.
std::string FindingKey(const integrity::Finding& f);
/// The finding with this key, or -1.
int FindFinding(const report::Analysis& a, std::string_view key);

/// Whether the reader may see the persons behind figures of this org unit
/// row: admin and analyst everywhere, a manager within its own org unit's
/// subtree, a viewer never.
bool MaySeePersons(const report::Analysis& a, const SignedIn& who, int32_t org_unit);

/// The drill-down links of pages built for this reader: links to cases only
/// where MaySeePersons, links to findings for every role but viewer.
report::LinkBuilder DashboardLinks(const report::Analysis& a, const SignedIn& who);

/// "/cases?indicator=...&period=...&org_unit=...&group=..." (group omitted
/// when "all" or empty).
std::string CasesUrl(std::string_view indicator, std::string_view period, std::string_view org_unit,
                     std::string_view group);

}  // namespace goldthread::server
