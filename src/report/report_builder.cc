#include "report/report_builder.h"

#include <fmt/format.h>

#include <mutex>
#include <utility>

#include "report/audiences.h"
#include "report/disclosure.h"
#include "report/finding_words.h"

namespace goldthread::report {
namespace {

namespace ind = goldthread::indicators;

struct Registered {
  Audience audience;
  std::string name;
  SectionBuilder builder;
};

std::mutex& RegistryMutex() {
  static std::mutex mu;
  return mu;
}
std::vector<Registered>& Registry() {
  static std::vector<Registered> r;
  return r;
}

std::string Utc(Timestamp t) {
  if (t == kNullTimestamp) return "an unknown time";
  const Date d = DateOfTimestamp(t);
  const int64_t secs = t - static_cast<int64_t>(d) * 86400;
  return fmt::format("{} {:02}:{:02} UTC", FormatDate(d), secs / 3600, (secs % 3600) / 60);
}

}  // namespace

bool TryParseAudience(std::string_view text, Audience& audience, std::string& team, std::string& problem) {
  team.clear();
  if (text == "cabinet") audience = Audience::kCabinet;
  else if (text == "management") audience = Audience::kManagement;
  else if (text == "public") audience = Audience::kPublic;
  else if (text.substr(0, 5) == "team:" && text.size() > 5) {
    audience = Audience::kTeam;
    team = std::string(text.substr(5));
  } else {
    problem = fmt::format("audience '{}' is not cabinet, management, team:ID or public", text);
    return false;
  }
  return true;
}

std::string AudienceName(Audience a, std::string_view team) {
  switch (a) {
    case Audience::kCabinet: return "cabinet";
    case Audience::kManagement: return "management";
    case Audience::kTeam: return "team:" + std::string(team);
    case Audience::kPublic: return "public";
  }
  return "";
}

void RegisterSectionBuilder(Audience audience, std::string name, SectionBuilder builder) {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  Registry().push_back({audience, std::move(name), std::move(builder)});
}

std::string ProvenanceText(const Analysis& a) {
  const Provenance& p = a.provenance;
  std::string batches;
  for (const BatchInfo& b : p.batches)
    batches += fmt::format("{}batch {} (imported {} by {}, {} rows stored)", batches.empty() ? "" : ", ", b.id,
                           Utc(b.imported_at), b.imported_by.empty() ? "an unknown user" : b.imported_by,
                           b.rows_stored);
  std::string defs;
  for (const Provenance::Def& d : p.definitions) defs += fmt::format("{}{} v{}", defs.empty() ? "" : ", ", d.id, d.version);
  std::string breaks;
  for (const VersionBreak& b : a.breaks)
    breaks += fmt::format(" {} changed from v{} to v{} from {}; charts mark the break.", b.indicator,
                          b.previous_version, b.version, FormatMonth(b.from_month));
  return fmt::format(
      "Computed by goldthread {} at {} from the store {}{}, {} current records up to {}, read from {}. "
      "Definitions: {}.{} Figures digest {}.",
      p.run_id > 0 ? fmt::format("in run {}", p.run_id) : std::string("(run not recorded)"), Utc(p.computed_at),
      p.store, p.run_by.empty() ? "" : " for " + p.run_by, p.records, FormatDate(p.data_end),
      batches.empty() ? "no batch" : batches, defs, breaks, p.figures_digest);
}

namespace internal {

int32_t LatestFinal(const Grain& g, int indicator, int32_t org_unit, int32_t group, int32_t period) {
  const std::vector<int32_t> figs = SeriesFigures(g, indicator, org_unit, group);
  for (int32_t p = std::min<int32_t>(period, static_cast<int32_t>(figs.size()) - 1); p >= 0; --p)
    if (figs[p] >= 0 && !g.stats.indicators[indicator].figures[figs[p]].provisional &&
        g.result.indicators[indicator].figures[figs[p]].value)
      return figs[p];
  return -1;
}

FindingBlock ToBlock(const Analysis& a, int finding, const ChartContext& ctx, bool evidence) {
  const integrity::Finding& f = a.findings[finding];
  FindingBlock b;
  b.severity = std::string(integrity::SeverityName(f.severity));
  b.check = f.check;
  b.org_unit = f.org_unit;
  if (int32_t o = a.OrgUnit(f.org_unit); o >= 0) b.org_unit += " " + a.OrgUnitName(o);
  b.period = f.period;
  b.indicators = f.indicators;
  b.summary = f.summary;
  b.why = WhyInWords(f);
  b.rule = RuleText(f);
  b.innocent_if = f.innocent_if;
  if (ctx.links && !ctx.disclosure) {
    LinkTarget t;
    t.kind = LinkTarget::Kind::kFinding;
    t.finding = finding;
    t.org_unit = f.org_unit;
    t.period = f.period;
    b.link = ctx.links(t);
  }
  if (!evidence) return b;
  Table& t = b.evidence;
  t.id = fmt::format("finding-{}-evidence", finding + 1);
  t.caption = "Evidence";
  t.columns = {{"What", ColumnType::kText, 0}, {"Value", ColumnType::kNumber, 2}, {"Detail", ColumnType::kText, 0}};
  // A count as "4", a share as 0.041 beside "4.1%" (the column is mixed).
  auto value = [](double v) {
    Cell c = NumberCell(v);
    c.decimals = EvidenceDecimals(v);
    return c;
  };
  t.rows.push_back({TextCell("records"), value(static_cast<double>(f.evidence.records)), TextCell("")});
  for (const auto& [name, v] : f.evidence.figures)
    t.rows.push_back({TextCell(name), value(v), TextCell(EvidenceDetail(name, v))});
  for (const std::string& d : f.evidence.dates) t.rows.push_back({TextCell("date"), NumberCell(std::nullopt), TextCell(d)});
  for (const auto& [user, n] : f.evidence.users)
    t.rows.push_back({TextCell("records by user"), value(static_cast<double>(n)), TextCell(user)});
  for (const auto& [batch, n] : f.evidence.batches)
    t.rows.push_back({TextCell("records in batch"), value(static_cast<double>(n)), TextCell(fmt::format("batch {}", batch))});
  const size_t ids = f.evidence.record_ids.size();
  if (ids > 0)
    t.note = fmt::format("{} record id(s) behind this finding{}, from {} to {}; the dashboard lists them for roles "
                         "allowed to see records.",
                         ids + f.evidence.record_ids_omitted,
                         f.evidence.record_ids_omitted ? fmt::format(" ({} listed in the store's evidence)", ids) : "",
                         f.evidence.record_ids.front(), f.evidence.record_ids.back());
  return b;
}

std::vector<int> IndicatorsOf(const Analysis& a, ind::Oba oba) {
  std::vector<int> out;
  for (size_t i = 0; i < a.definitions.size(); ++i)
    if (a.definitions[i].oba == oba) out.push_back(static_cast<int>(i));
  return out;
}

}  // namespace internal

Result<Document> BuildReport(const Analysis& a, const ReportOptions& options) {
  using internal::BuildContext;
  BuildContext b;
  b.a = &a;
  b.options = &options;
  b.charts.analysis = &a;
  b.charts.links = options.links;
  b.charts.targets = options.targets;
  const bool disclosure = options.disclosure.value_or(options.audience == Audience::kPublic);
  if (disclosure) b.charts.disclosure = DisclosureRule{};
  // Monthly for the detailed reports; quarters (what councils report and are
  // judged on) for the cabinet and the public.
  b.by = options.audience == Audience::kCabinet || options.audience == Audience::kPublic ? PeriodKind::kQuarter
                                                                                          : PeriodKind::kMonth;
  if (!options.period.empty()) {
    Period p;
    if (!TryParsePeriod(options.period, p) || (p.kind != PeriodKind::kMonth && p.kind != PeriodKind::kQuarter))
      return Status::InvalidArgument(fmt::format("period '{}' is not a month (YYYY-MM) or a quarter (YYYY-YY Qn)",
                                                 options.period));
    b.by = p.kind;
  }
  const Grain& g = a.grain(b.by);
  if (g.result.periods.empty()) return Status::InvalidArgument("the analysis has no periods to report on");
  b.period = static_cast<int32_t>(g.result.periods.size()) - 1;
  if (!options.period.empty()) {
    b.period = -1;
    for (size_t i = 0; i < g.result.periods.size(); ++i)
      if (g.result.periods[i].Label() == options.period) b.period = static_cast<int32_t>(i);
    if (b.period < 0)
      return Status::InvalidArgument(fmt::format("period '{}' is not among the analysed periods ({} to {})",
                                                 options.period, g.result.periods.front().Label(),
                                                 g.result.periods.back().Label()));
    b.charts.last_period = b.period;
  }
  Document doc;
  doc.audience = AudienceName(options.audience, options.team);
  doc.period = g.result.periods[b.period].Label();
  doc.disclosure_control = disclosure;
  const int32_t council = a.Council();
  const std::string council_name = a.OrgUnitName(council);
  switch (options.audience) {
    case Audience::kCabinet:
      doc.title = council_name + ": adult social care outcomes";
      doc.subtitle = "Cabinet scorecard, as at " + doc.period;
      internal::BuildCabinet(b, doc);
      internal::BuildHubSummary(b, doc, /*plain=*/false);
      internal::BuildMoneySummary(b, doc);
      break;
    case Audience::kManagement:
      doc.title = council_name + ": performance by service and user group";
      doc.subtitle = "Senior management report, as at " + doc.period;
      internal::BuildManagement(b, doc);
      internal::BuildHubManagement(b, doc);
      internal::BuildMoneyManagement(b, doc);
      break;
    case Audience::kTeam: {
      const int32_t team = a.OrgUnit(options.team);
      if (team < 0) return Status::InvalidArgument(fmt::format("no org unit '{}' in the store", options.team));
      doc.title = fmt::format("{} {}: the team's indicators and cases", options.team, a.OrgUnitName(team));
      doc.subtitle = "Team report, as at " + doc.period;
      internal::BuildTeam(b, team, doc);
      break;
    }
    case Audience::kPublic:
      doc.title = council_name + ": is anyone better off?";
      doc.subtitle = "A report for carers, people who use services and the public, as at " + doc.period;
      internal::BuildPublic(b, doc);
      internal::BuildHubSummary(b, doc, /*plain=*/true);
      break;
  }
  {
    std::lock_guard<std::mutex> lock(RegistryMutex());
    for (const auto& r : Registry())
      if (r.audience == options.audience) r.builder(a, options, b.charts, doc);
  }
  if (!a.unavailable.empty()) {
    // Said, not shown as zero: the data are missing, not the work.
    Section s;
    s.id = "not-computed";
    s.title = "Indicators this store cannot show";
    s.blocks.push_back(Paragraph{"These indicators need records the store was never given, so they are left out "
                                 "of this report rather than shown as zero (a CLD return, for one, has no visits, "
                                 "budgets or survey answers: docs/cld.md)."});
    for (const Analysis::Unavailable& u : a.unavailable)
      s.blocks.push_back(Paragraph{fmt::format("{} ({}): {}.", u.title, u.id, u.reason)});
    doc.sections.push_back(std::move(s));
  }
  if (disclosure) {
    // No person-level data, ever, in an aggregate-only document.
    for (Section& s : doc.sections)
      if (s.person_level) s.blocks.clear();
    std::erase_if(doc.sections, [](const Section& s) { return s.person_level; });
    doc.person_level_views.clear();
  }
  doc.provenance.text = ProvenanceText(a);
  doc.provenance.run_id = a.provenance.run_id;
  for (const BatchInfo& bi : a.provenance.batches) doc.provenance.batch_ids.push_back(bi.id);
  for (const auto& d : a.provenance.definitions) doc.provenance.definitions.push_back(fmt::format("{} v{}", d.id, d.version));
  doc.provenance.data_end = FormatDate(a.provenance.data_end);
  doc.provenance.figures_digest = a.provenance.figures_digest;
  return doc;
}

}  // namespace goldthread::report
