#pragma once
// Builds the Document of an audience (issue 10) from an Analysis:
//   cabinet     the outcome (better_off) measures: SPC trend, Making Data
//               Count icons, target, position among peers, top findings;
//   management  every indicator by service and by user group: SPC charts,
//               funnels across teams, small multiples, findings with their
//               evidence, data quality by team;
//   team:ID     the team's indicators, SPC charts, turning the curve and its
//               cases needing action (person-level: only with person_level);
//   public      plain English "is anyone better off?", council aggregates
//               only, disclosure control on.
// The same builder serves `goldthread report` and the dashboard's pages.
//
// Extension points for later sections (plans and targets, issue 11; the
// Carers' Hub audit, issue 12): RegisterSectionBuilder adds a function that
// appends sections to an audience's document, after the built-in sections;
// ReportOptions::targets supplies targets to the charts and icons.
//
// Thread-safety: BuildReport only reads the Analysis; call it from any
// thread. RegisterSectionBuilder is for start-up, before any BuildReport.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "report/analysis.h"
#include "report/charts.h"
#include "report/document.h"

namespace goldthread::report {

enum class Audience { kCabinet, kManagement, kTeam, kPublic };

struct ReportOptions {
  Audience audience = Audience::kCabinet;
  std::string team;        // kTeam: the org unit id
  std::string period;      // the "as at" period label ("2026-09", "2026-27 Q2"); "" the latest
  std::string org_unit;    // management: a service (or the council) to report on; "" the council
  std::string group;       // a cut group ("primary_support_reason:physical"); "" all
  /// Disclosure control; unset: on for public, off otherwise.
  std::optional<bool> disclosure;
  /// Person-level case lists may be included (team report; dashboard roles).
  bool person_level = true;
  LinkBuilder links;       // drill-down URLs; empty: none
  TargetLookup targets;    // empty: no targets ("no plan loaded")
};

/// "cabinet" | "management" | "team:ID" | "public". False with a message
/// naming what was expected.
bool TryParseAudience(std::string_view text, Audience& audience, std::string& team, std::string& problem);
std::string AudienceName(Audience a, std::string_view team = "");

/// The document. InvalidArgument for an unknown team or org unit, a period
/// not in the analysis, or an unknown group.
Result<Document> BuildReport(const Analysis& analysis, const ReportOptions& options);

using SectionBuilder = std::function<void(const Analysis&, const ReportOptions&, const ChartContext&, Document&)>;
/// Adds sections to every document of an audience (after the built-in ones).
void RegisterSectionBuilder(Audience audience, std::string name, SectionBuilder builder);

/// The provenance sentence of an analysis, exactly as every format shows it.
std::string ProvenanceText(const Analysis& analysis);

}  // namespace goldthread::report
