#pragma once
// The audiences' builders and the pieces they share (report_builder.cc
// dispatches to them). Internal to src/report.

#include <string>
#include <vector>

#include "report/report_builder.h"

namespace goldthread::report::internal {

/// What every audience builder gets: the analysis, the options, the chart
/// context (disclosure, links, targets, "as at" period) and the grain.
struct BuildContext {
  const Analysis* a = nullptr;
  const ReportOptions* options = nullptr;
  ChartContext charts;
  PeriodKind by = PeriodKind::kMonth;
  int32_t period = 0;  // the "as at" period's index in the grain
  int32_t group = 0;   // unused by the cabinet and public reports
};

void BuildCabinet(const BuildContext& b, Document& doc);
void BuildManagement(const BuildContext& b, Document& doc);
void BuildTeam(const BuildContext& b, int32_t team, Document& doc);
void BuildPublic(const BuildContext& b, Document& doc);

// The carers' audits (issue 12; Analysis::audits). Management: the Hub
// audit in full (audience_hub.cc), and money, casework and carers' added
// value (audience_money.cc). Cabinet and public (`plain`): the wheel and the
// headline reach; the cabinet also the headline cost figures.
void BuildHubManagement(const BuildContext& b, Document& doc);
void BuildHubSummary(const BuildContext& b, Document& doc, bool plain);
void BuildMoneyManagement(const BuildContext& b, Document& doc);
void BuildMoneySummary(const BuildContext& b, Document& doc);
/// A count or a percentage (num of den) as the audits' tables show it:
/// exact, or disclosed (report/disclosure.h) when the context says so.
Cell AuditCount(const ChartContext& cc, double n);
Cell AuditPercent(const ChartContext& cc, double num, double den);

/// The latest figure of a series at or before `period` that is not
/// provisional; -1 when none.
int32_t LatestFinal(const Grain& g, int indicator, int32_t org_unit, int32_t group, int32_t period);
/// A finding as a block: its summary, why, what would make it innocent and
/// (evidence) its named figures, dates, users and batches.
FindingBlock ToBlock(const Analysis& a, int finding, const ChartContext& ctx, bool evidence);
/// The indicators of an OBA category, in definition order.
std::vector<int> IndicatorsOf(const Analysis& a, indicators::Oba oba);

}  // namespace goldthread::report::internal
