// The Carers' Hub audit in the reports (issue 12): the wheel and the
// matrices with their tables, under- and over-provision, the step-3
// questions answered, and every cell with its evidence (management); the
// wheel with the headline reach (cabinet); the wheel and reach in plain
// English under disclosure control (public). The audit itself is
// src/planning's (Analysis::audits); this file only lays it out.

#include <fmt/format.h>

#include <algorithm>

#include "planning/hub_codes.h"
#include "planning/hub_format.h"
#include "report/audiences.h"
#include "report/disclosure.h"
#include "report/svg_hub_matrix.h"
#include "report/svg_hub_wheel.h"

namespace goldthread::report::internal {
namespace {

namespace pl = goldthread::planning;

// Short heads of the matrix's group columns.
constexpr const char* kGroupHeads[pl::kHubGroupCount] = {
    "All carers", "BME", "Refugee", "LGBT", "Traveller", "Distance", "Young adult", "16-24", "25-64",
    "65+",        "Working", "Physical", "Sensory", "Memory", "Learning dis.", "Mental health", "Social"};

std::vector<std::string> OutcomeTitles() {
  std::vector<std::string> out;
  for (const pl::HubOutcome& o : pl::HubOutcomes()) out.push_back(std::string(o.short_title));
  return out;
}

/// Reach as the reader is shown it: exact, or under disclosure control a
/// whole percent of the estimate ("[c]" when the count behind it is 1-4).
std::string ReachShown(const ChartContext& cc, const pl::HubCell& c) {
  if (!c.reach) return "";
  if (!cc.disclosure) return pl::FormatShare(*c.reach);
  const Disclosed count = DiscloseCount(static_cast<double>(c.reached), *cc.disclosure);
  const Disclosed pc = DisclosePercent(static_cast<double>(c.reached), static_cast<double>(*c.estimated), *cc.disclosure);
  if (count.suppressed || pc.suppressed || !pc.value) return kSuppressedMark;
  return *pc.value == 0 && c.reached > 0 ? "under 1%" : fmt::format("{:.0f}%", *pc.value);
}

/// The evidence a tooltip may carry: all of it, or under disclosure
/// control only the rating and the disclosed reach.
std::string Tooltip(const ChartContext& cc, const pl::HubCell& c) {
  if (!cc.disclosure) return c.evidence;
  std::string r = c.rating == pl::Rating::kNone ? "not rated" : std::string(pl::RatingName(c.rating));
  std::string reach = ReachShown(cc, c);
  return reach.empty() ? r : fmt::format("{}; reach {}", r, reach);
}

Cell CountCell(const ChartContext& cc, int64_t n) { return AuditCount(cc, static_cast<double>(n)); }

std::string RatingText(pl::Rating r) { return r == pl::Rating::kNone ? "not rated" : std::string(pl::RatingName(r)); }

// The cabinet's two pages (issue 10) hold the wheel with its numbers, not its
// evidence: the table beside it gives each intervention's rating and reach;
// the outcome, scale and evidence columns are the management report's.
enum class WheelTable : uint8_t { kFull, kHeadline };

Chart HubWheelChart(const ChartContext& cc, const pl::HubAudit& h, int group, int area, std::string id,
                    WheelTable table = WheelTable::kFull) {
  const bool full = table == WheelTable::kFull;
  HubWheelData w;
  const std::string who = std::string(pl::HubGroups()[static_cast<size_t>(group)].title);
  w.title = fmt::format("The Carers' Hub, {}", h.year.Label());
  w.subtitle = fmt::format("{}, {}: each intervention rated by reach, satisfaction and outcomes", who,
                           area < 0 ? std::string("the whole council") : h.AreaName(area));
  w.outcomes = OutcomeTitles();
  Chart c;
  c.id = std::move(id);
  c.title = w.title + ": " + w.subtitle;
  c.data.id = c.id + "-data";
  c.data.caption = "The ratings behind the wheel";
  c.data.columns = {{"Intervention", ColumnType::kText, 0}};
  if (full) c.data.columns.push_back({"Outcome", ColumnType::kText, 0});
  c.data.columns.insert(c.data.columns.end(), {{"Rating", ColumnType::kText, 0},
                                               {"Carers reached", ColumnType::kCount, 0},
                                               {"Estimated carers", ColumnType::kCount, 0},
                                               {"Reach", ColumnType::kText, 0}});
  if (full) c.data.columns.push_back({"Early/Intermediate/Advanced", ColumnType::kText, 0});
  if (full && !cc.disclosure) c.data.columns.push_back({"Evidence", ColumnType::kText, 0});
  int counts[4] = {0, 0, 0, 0};
  int number = 0;
  for (int iv : pl::HubWheelOrder()) {
    const pl::HubInterventionInfo& info = pl::HubInterventions()[static_cast<size_t>(iv)];
    const pl::HubCell& cell = h.cell(iv, group, area);
    ++counts[static_cast<int>(cell.rating)];
    w.segments.push_back({std::string(info.short_title), std::string(pl::RatingName(cell.rating)), ReachShown(cc, cell),
                          Tooltip(cc, cell), info.outcome});
    std::vector<Cell> row = {TextCell(fmt::format("{}. {}", ++number, info.title))};
    if (full) row.push_back(TextCell(std::string(pl::HubOutcomes()[static_cast<size_t>(info.outcome)].short_title)));
    row.insert(row.end(), {TextCell(RatingText(cell.rating)), CountCell(cc, cell.reached),
                           cell.estimated ? CountCell(cc, *cell.estimated) : NumberCell(std::nullopt, "no estimate"),
                           TextCell(cell.reach ? ReachShown(cc, cell) : "-")});
    if (full) row.push_back(TextCell(std::string(pl::ScaleName(cell.scale))));
    if (full && !cc.disclosure) row.push_back(TextCell(cell.evidence));
    c.data.rows.push_back(std::move(row));
  }
  c.svg = HubWheelSvg(w);
  c.alt = fmt::format("The Carers' Hub wheel for {} in {}: {} green, {} amber, {} red, {} not rated, of the 17 "
                      "interventions grouped by the five outcomes of the National Carers' Strategy.",
                      who, area < 0 ? std::string("the whole council") : h.AreaName(area),
                      counts[static_cast<int>(pl::Rating::kGreen)], counts[static_cast<int>(pl::Rating::kAmber)],
                      counts[static_cast<int>(pl::Rating::kRed)], counts[static_cast<int>(pl::Rating::kNone)]);
  c.data.note = cc.disclosure ? DisclosureNote(*cc.disclosure)
                              : fmt::format("Reach is carers reached in {} over the carers estimated in "
                                            "carer_populations.csv, with its 95% Wilson interval; docs/hub.md explains "
                                            "the ratings.",
                                            h.year.Label());
  return c;
}

Chart MatrixChart(const ChartContext& cc, const pl::HubAudit& h, bool by_area, std::string id) {
  HubMatrixData m;
  m.title = by_area ? fmt::format("All carers by area, {}", h.year.Label())
                    : fmt::format("Carer groups, the whole council, {}", h.year.Label());
  m.subtitle = "Each cell: the rating (R red, A amber, G green) and reach; hover for the evidence";
  m.outcomes = OutcomeTitles();
  if (by_area) {
    m.columns.push_back("Whole council");
    for (const std::string& a : h.areas) m.columns.push_back(a);
  } else {
    for (const char* g : kGroupHeads) m.columns.push_back(g);
  }
  Chart c;
  c.id = std::move(id);
  c.title = m.title;
  c.data.id = c.id + "-data";
  c.data.caption = "The matrix in words: rating and reach of each cell";
  c.data.folded = true;  // the chart above says it; the words are for who opens them
  c.data.columns.push_back({"Intervention", ColumnType::kText, 0});
  for (const std::string& col : m.columns) c.data.columns.push_back({col, ColumnType::kText, 0});
  for (int iv : pl::HubWheelOrder()) {
    const pl::HubInterventionInfo& info = pl::HubInterventions()[static_cast<size_t>(iv)];
    HubMatrixRow row;
    row.label = std::string(info.short_title);
    row.outcome = info.outcome;
    std::vector<Cell> cells = {TextCell(std::string(info.title))};
    const int n = static_cast<int>(m.columns.size());
    for (int k = 0; k < n; ++k) {
      const pl::HubCell& cell = by_area ? h.cell(iv, pl::kHubGroupAll, k - 1) : h.cell(iv, k, -1);
      const std::string reach = ReachShown(cc, cell);
      row.cells.push_back({std::string(pl::RatingName(cell.rating)), reach, Tooltip(cc, cell)});
      cells.push_back(TextCell(reach.empty() ? RatingText(cell.rating) : RatingText(cell.rating) + " " + reach));
    }
    m.rows.push_back(std::move(row));
    c.data.rows.push_back(std::move(cells));
  }
  c.svg = HubMatrixSvg(m);
  c.alt = by_area ? "The 17 interventions for all carers in each area, coloured by rating."
                  : "The 17 interventions for each carer group across the council, coloured by rating.";
  if (cc.disclosure) c.data.note = DisclosureNote(*cc.disclosure);
  return c;
}

Table ProvisionTable(const pl::HubAudit& h, const std::vector<pl::HubProvision>& list, std::string id,
                     std::string caption, size_t limit) {
  Table t;
  t.id = std::move(id);
  t.caption = std::move(caption);
  t.columns = {{"Intervention", ColumnType::kText, 0}, {"Group", ColumnType::kText, 0},
               {"Area", ColumnType::kText, 0}, {"Why", ColumnType::kText, 0}};
  for (size_t i = 0; i < list.size() && i < limit; ++i) {
    const pl::HubProvision& p = list[i];
    t.rows.push_back({TextCell(std::string(pl::HubInterventions()[static_cast<size_t>(p.intervention)].title)),
                      TextCell(std::string(pl::HubGroups()[static_cast<size_t>(p.group)].title)),
                      TextCell(p.area < 0 ? "whole council" : h.AreaName(p.area)), TextCell(p.why)});
  }
  t.folded = t.rows.size() > 10;
  if (list.size() > limit)
    t.note = fmt::format("The first {} of {}; `goldthread hub --json` lists them all.", limit, list.size());
  if (list.empty()) t.note = "None.";
  return t;
}

Table EveryCell(const pl::HubAudit& h) {
  Table t;
  t.id = "hub-cells";
  t.folded = true;  // 17 interventions x every group, each with its evidence
  t.caption = "Every cell for the whole council, with its evidence";
  t.columns = {{"Intervention", ColumnType::kText, 0},   {"Group", ColumnType::kText, 0},
               {"Rating", ColumnType::kText, 0},         {"Reached", ColumnType::kCount, 0},
               {"Without assessment", ColumnType::kCount, 0}, {"Estimated", ColumnType::kCount, 0},
               {"Reach", ColumnType::kPercent, 2},       {"Reach low", ColumnType::kPercent, 2},
               {"Reach high", ColumnType::kPercent, 2},  {"Satisfied", ColumnType::kPercent, 0},
               {"Respondents", ColumnType::kCount, 0},   {"Improved", ColumnType::kPercent, 0},
               {"Measured", ColumnType::kCount, 0},      {"Providers", ColumnType::kCount, 0},
               {"Last year", ColumnType::kCount, 0},     {"Scale", ColumnType::kText, 0},
               {"Evidence", ColumnType::kText, 0},       {"Missing", ColumnType::kText, 0}};
  for (int iv : pl::HubWheelOrder())
    for (int g = 0; g < pl::kHubGroupCount; ++g) {
      const pl::HubCell& c = h.cell(iv, g, -1);
      std::string missing;
      for (const std::string& m : c.missing) missing += (missing.empty() ? "" : "; ") + m;
      auto share = [](int64_t n, int64_t d) { return d > 0 ? std::optional<double>(100.0 * n / d) : std::nullopt; };
      t.rows.push_back({TextCell(std::string(pl::HubInterventions()[static_cast<size_t>(iv)].title)),
                        TextCell(std::string(pl::HubGroups()[static_cast<size_t>(g)].title)),
                        TextCell(RatingText(c.rating)), NumberCell(static_cast<double>(c.reached)),
                        NumberCell(static_cast<double>(c.without_assessment)),
                        NumberCell(c.estimated ? std::optional<double>(static_cast<double>(*c.estimated)) : std::nullopt, "-"),
                        NumberCell(c.reach ? std::optional<double>(100.0 * *c.reach) : std::nullopt, "-"),
                        NumberCell(c.reach_ci ? std::optional<double>(100.0 * c.reach_ci->low) : std::nullopt, "-"),
                        NumberCell(c.reach_ci ? std::optional<double>(100.0 * c.reach_ci->high) : std::nullopt, "-"),
                        NumberCell(share(c.satisfied, c.respondents), "-"), NumberCell(static_cast<double>(c.respondents)),
                        NumberCell(share(c.improved, c.measured), "-"), NumberCell(static_cast<double>(c.measured)),
                        NumberCell(static_cast<double>(c.providers.size())),
                        NumberCell(c.previous_reached >= 0 ? std::optional<double>(static_cast<double>(c.previous_reached))
                                                           : std::nullopt,
                                   "-"),
                        TextCell(std::string(pl::ScaleName(c.scale))), TextCell(c.evidence), TextCell(missing)});
    }
  return t;
}

std::string Headline(const ChartContext& cc, const pl::HubAudit& h) {
  const pl::HubCell& all = h.total(pl::kHubGroupAll, -1);
  if (cc.disclosure) {
    const Disclosed reached = DiscloseCount(static_cast<double>(h.carers_reached), *cc.disclosure);
    const Disclosed without = DiscloseCount(static_cast<double>(h.carers_without_assessment), *cc.disclosure);
    if (reached.suppressed || !reached.value) return "Too few carers were supported to publish a figure.";
    std::string of = all.reach ? fmt::format(", {} of the estimated {:.0f} carers living here", ReachShown(cc, all),
                                             DiscloseCount(static_cast<double>(*all.estimated), *cc.disclosure).value.value_or(0))
                               : "";
    return fmt::format(
        "In {} about {:.0f} carers were given support by the council and its partners{}. {} them had not had a "
        "carer's assessment: their support came straight from the voluntary sector, and it counts.",
        h.year.Label(), *reached.value, of,
        without.suppressed ? std::string("A few of") : fmt::format("About {:.0f} of", without.value.value_or(0)));
  }
  return fmt::format("{} carers were reached by Hub support in {}{}; {} of them had no carer assessment recorded "
                     "(support through the voluntary sector), and are counted.",
                     pl::FormatCount(h.carers_reached), h.year.Label(),
                     all.reach ? fmt::format(" ({} of an estimated {})", pl::FormatShareCi(*all.reach, all.reach_ci),
                                             pl::FormatCount(*all.estimated))
                               : "",
                     pl::FormatCount(h.carers_without_assessment));
}

}  // namespace

Cell AuditCount(const ChartContext& cc, double n) {
  if (cc.disclosure) return DisclosedCell(DiscloseCount(n, *cc.disclosure));
  return NumberCell(n);
}

Cell AuditPercent(const ChartContext& cc, double num, double den) {
  if (den <= 0) return NumberCell(std::nullopt, "-");
  if (cc.disclosure) return DisclosedCell(DisclosePercent(num, den, *cc.disclosure));
  return NumberCell(100.0 * num / den);
}

void BuildHubManagement(const BuildContext& b, Document& doc) {
  const CarersAudits& au = b.a->audits;
  Section s;
  s.id = "carers-hub";
  s.title = "The Carers' Hub audit";
  s.page_break_before = true;
  if (!au.hub) {
    for (const std::string& why : au.absent) s.blocks.push_back(Callout{Callout::Kind::kMissing, "Not available.", why});
    doc.sections.push_back(std::move(s));
    return;
  }
  const pl::HubAudit& h = *au.hub;
  const ChartContext& cc = b.charts;
  s.blocks.push_back(Paragraph{Headline(cc, h)});
  s.blocks.push_back(Paragraph{fmt::format(
      "Each of the 17 interventions of the Carers' Hub (ADASS / Princess Royal Trust for Carers, 2010) is rated for "
      "every carer group and area from the records: reach (carers reached in {} over the estimated carers in the "
      "group), satisfaction (the carers' survey) and outcomes (outcome measures followed up), by the rules {}. "
      "Early/Intermediate/Advanced rates the change on the year before and whether a plan is in place.",
      h.year.Label(), au.hub_rules.source.empty() ? std::string("of docs/hub.md (the defaults)") : "in " + au.hub_rules.source)});
  s.blocks.push_back(HubWheelChart(cc, h, pl::kHubGroupAll, -1, "hub-wheel"));
  s.blocks.push_back(MatrixChart(cc, h, false, "hub-matrix-groups"));
  s.blocks.push_back(MatrixChart(cc, h, true, "hub-matrix-areas"));
  s.blocks.push_back(Heading{3, "Under-provision, overlooked groups first"});
  s.blocks.push_back(ProvisionTable(h, h.under, "hub-under", "Support that clearly reaches too few carers", 40));
  s.blocks.push_back(Heading{3, "Over-provision"});
  s.blocks.push_back(ProvisionTable(h, h.over, "hub-over", "Several providers of the same support, each reaching few", 40));
  s.blocks.push_back(Heading{3, "Assess how you measure up: the questions of step 3"});
  for (const pl::HubQuestion& q : h.questions) {
    std::string answers;
    for (const std::string& a : q.answers) answers += (answers.empty() ? "" : " ") + a;
    s.blocks.push_back(Paragraph{q.question + " " + answers});
  }
  if (h.plan_targets.empty())
    s.blocks.push_back(Callout{Callout::Kind::kMissing, "No plan loaded.",
                               "No loaded plan has a target on a carers' indicator, so no cell can be Intermediate on "
                               "the Early/Intermediate/Advanced scale ('firm plans in place for future work')."});
  for (const std::string& w : h.warnings) s.blocks.push_back(Callout{Callout::Kind::kInfo, "Note.", w});
  if (!cc.disclosure) s.blocks.push_back(EveryCell(h));
  doc.sections.push_back(std::move(s));
}

void BuildHubSummary(const BuildContext& b, Document& doc, bool plain) {
  const CarersAudits& au = b.a->audits;
  if (!au.hub) return;
  const pl::HubAudit& h = *au.hub;
  ChartContext cc = b.charts;
  if (plain && !cc.disclosure) cc.disclosure = DisclosureRule{};
  Section s;
  s.id = "carers-hub";
  s.title = plain ? "Support for carers" : "Carers' Hub: who is reached";
  s.blocks.push_back(Paragraph{Headline(cc, h)});
  if (plain) {
    s.blocks.push_back(Paragraph{
        "The wheel shows the 17 kinds of support that together make up a full offer for carers, grouped by the five "
        "things the National Carers' Strategy wants for carers. Green means the support reaches many carers, who "
        "say they are satisfied and whose lives measurably improve. Amber means there is some support but it does "
        "not yet reach enough carers, or nobody has checked that it helps. Red means little or nothing is offered."});
    // The groups reached least for their numbers, in plain words.
    const pl::HubCell& all = h.total(pl::kHubGroupAll, -1);
    std::string least;
    for (int g = 1; g < pl::kHubGroupCount; ++g) {
      const pl::HubCell& t = h.total(g, -1);
      if (!pl::IsOverlooked(g) || !t.reach || !all.reach || *t.reach >= 0.75 * *all.reach) continue;
      const std::string r = ReachShown(cc, t);
      if (r == kSuppressedMark) continue;
      least += fmt::format("{}{} ({})", least.empty() ? "" : "; ", pl::HubGroups()[static_cast<size_t>(g)].plain, r);
    }
    if (!least.empty())
      s.blocks.push_back(Paragraph{fmt::format("Groups of carers the support reaches less often than carers as a "
                                               "whole ({} of carers overall): {}.",
                                               ReachShown(cc, all), least)});
  }
  s.blocks.push_back(plain ? HubWheelChart(cc, h, pl::kHubGroupAll, -1, "public-hub-wheel")
                           : HubWheelChart(cc, h, pl::kHubGroupAll, -1, "cabinet-hub-wheel", WheelTable::kHeadline));
  if (!plain && !h.under.empty())
    s.blocks.push_back(Paragraph{fmt::format("{} gaps where support clearly reaches too few carers, {} of them for "
                                             "overlooked groups; {} cases of several providers each reaching few. "
                                             "The management report lists them.",
                                             h.under.size(),
                                             std::count_if(h.under.begin(), h.under.end(),
                                                           [](const pl::HubProvision& p) { return pl::IsOverlooked(p.group); }),
                                             h.over.size())});
  if (cc.disclosure) s.blocks.push_back(Paragraph{DisclosureNote(*cc.disclosure)});
  doc.sections.push_back(std::move(s));
}

}  // namespace goldthread::report::internal
