// Money, casework and carers' added value in the reports (issue 12): unit
// costs with their trend, budget vs spend vs activity and its flags,
// forecasts (management; the headline for the cabinet); case-file audits by
// item, team and quarter, and the teams with good figures but poor files;
// the outcomes of cared-for people whose carer was supported, stratified,
// with the caveat. The audits are src/planning's (Analysis::audits).

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "planning/hub_format.h"
#include "report/audiences.h"
#include "report/disclosure.h"
#include "report/svg_spc.h"
#include "stats/spc.h"

namespace goldthread::report::internal {
namespace {

namespace pl = goldthread::planning;

std::optional<double> Pc(const std::optional<double>& share) {
  return share ? std::optional<double>(100.0 * *share) : std::nullopt;
}

std::string UnitName(const Analysis& a, int32_t org) { return org < 0 ? "Council" : a.snapshot->OrgUnitId(org) + " " + a.OrgUnitName(org); }

/// The monthly unit cost of a line as an XmR chart (lower is better).
Chart UnitCostChart(const pl::CostLine& c, std::string id) {
  std::vector<std::string> x;
  std::vector<double> y;
  Chart ch;
  ch.id = std::move(id);
  ch.title = fmt::format("{}: monthly unit cost", c.service_type);
  ch.data.id = ch.id + "-data";
  ch.data.caption = "Budget, spend and activity by month";
  ch.data.columns = {{"Month", ColumnType::kText, 0},       {"Budget", ColumnType::kNumber, 0},
                     {"Spend", ColumnType::kNumber, 0},     {"Activity", ColumnType::kNumber, 0},
                     {"Unit cost", ColumnType::kNumber, 2}};
  for (const pl::CostMonth& m : c.months_of_year) {
    const bool both = !std::isnan(m.spend) && !std::isnan(m.activity) && m.activity > 0;
    x.push_back(FormatMonth(m.month));
    y.push_back(both ? m.spend / m.activity : std::nan(""));
    auto num = [](double v) { return std::isnan(v) ? std::optional<double>() : std::optional<double>(v); };
    ch.data.rows.push_back({TextCell(FormatMonth(m.month)), NumberCell(num(m.budget), "-"), NumberCell(num(m.spend), "-"),
                            NumberCell(num(m.activity), "-"),
                            NumberCell(both ? std::optional<double>(m.spend / m.activity) : std::nullopt, "-")});
  }
  stats::SpcOptions so;
  so.polarity = stats::Polarity::kDown;
  auto spc = stats::XmrChart(y, so);
  SpcSvgOptions svg;
  svg.title = ch.title;
  svg.y_label = "£ a " + pl::SingularUnit(c.unit);
  svg.polarity = stats::Polarity::kDown;
  svg.width = 760;
  svg.height = 360;
  svg.side_panel = false;
  svg.desc = c.evidence;
  if (spc.ok()) ch.svg = RenderSpcSvg(x, *spc, svg);
  ch.alt = fmt::format("The {} unit cost month by month in {} (spend over activity), as a Making Data Count XmR "
                       "chart where lower is better.",
                       c.service_type, c.months_of_year.empty() ? "" : FormatMonth(c.months_of_year.front().month) + " to " +
                                                                           FormatMonth(c.months_of_year.back().month));
  return ch;
}

Section Costs(const BuildContext& b) {
  const Analysis& a = *b.a;
  const pl::CostsAudit& k = *a.audits.costs;
  const ChartContext& cc = b.charts;
  Section s;
  s.id = "money";
  s.title = "Money: unit costs, budget, spend and activity";
  s.page_break_before = true;
  s.blocks.push_back(Paragraph{fmt::format(
      "From finance.csv for {}{}: each service type's unit cost is the year's spend over its activity (a ratio of "
      "sums, not an average of monthly ratios), compared with the same months a year earlier. Seed 004 warns that "
      "a budget on target while activity falls means fewer services for the same money, and a rising unit cost.",
      k.year.Label(), k.partial ? " (part of the year: finance to " + FormatMonth(k.finance_end) + ")" : "")});
  Table t;
  t.id = "costs";
  t.caption = "By service type, the whole council";
  t.columns = {{"Service", ColumnType::kText, 0},        {"Budget £", ColumnType::kNumber, 0},
               {"Spend £", ColumnType::kNumber, 0},      {"Spend vs budget", ColumnType::kPercent, 1},
               {"Activity", ColumnType::kNumber, 0},     {"Unit", ColumnType::kText, 0},
               {"Activity change", ColumnType::kPercent, 1}, {"Unit cost £", ColumnType::kNumber, 2},
               {"Unit cost change", ColumnType::kPercent, 1}, {"People supported", ColumnType::kCount, 0},
               {"£ a person", ColumnType::kNumber, 0},   {"Outcomes achieved", ColumnType::kCount, 0},
               {"£ an outcome", ColumnType::kNumber, 0}, {"Flags", ColumnType::kText, 0}};
  for (const pl::CostLine& c : k.services) {
    std::string flags;
    for (const std::string& f : c.flags) flags += (flags.empty() ? "" : ", ") + f;
    t.rows.push_back({TextCell(c.service_type), NumberCell(c.budget), NumberCell(c.spend), NumberCell(Pc(c.budget_variance), "-"),
                      NumberCell(c.activity), TextCell(c.unit), NumberCell(Pc(c.activity_change), "-"),
                      NumberCell(c.unit_cost, "-"), NumberCell(Pc(c.unit_cost_change), "-"),
                      AuditCount(cc, static_cast<double>(c.persons_supported)), NumberCell(c.cost_per_person, "-"),
                      AuditCount(cc, static_cast<double>(c.outcomes_achieved)), NumberCell(c.cost_per_outcome, "-"),
                      TextCell(flags)});
  }
  t.note = "People supported: distinct people with a service of the type active in the year (services.csv); an "
           "outcome achieved: a review in the year with outcomes achieved, or an outcome measure followed up in the "
           "year better than its baseline.";
  if (cc.disclosure) t.note += " " + DisclosureNote(*cc.disclosure);
  s.blocks.push_back(std::move(t));
  for (const pl::CostLine& c : k.services) {
    if (std::find(c.flags.begin(), c.flags.end(), "activity_falls_budget_on_target") == c.flags.end()) continue;
    s.blocks.push_back(Callout{Callout::Kind::kWarning, c.service_type + ": budget on target while activity falls.",
                               c.evidence});
    s.blocks.push_back(UnitCostChart(c, "unit-cost-" + c.service_type));
  }
  Table units;
  units.id = "costs-units";
  units.caption = "Flags by org unit";
  units.columns = {{"Unit", ColumnType::kText, 0}, {"Service", ColumnType::kText, 0}, {"What", ColumnType::kText, 0}};
  for (const pl::CostLine& c : k.units)
    if (!c.evidence.empty()) units.rows.push_back({TextCell(UnitName(a, c.org_unit)), TextCell(c.service_type), TextCell(c.evidence)});
  if (units.rows.empty()) units.note = "No unit's finance is flagged.";
  s.blocks.push_back(std::move(units));
  Table f;
  f.id = "costs-forecast";
  f.caption = "Forecasts if nothing changes: the rest of this financial year and the next";
  f.columns = {{"Service", ColumnType::kText, 0},         {"Year", ColumnType::kText, 0},
               {"Outturn spend £", ColumnType::kNumber, 0}, {"Outturn activity", ColumnType::kNumber, 0},
               {"Next year", ColumnType::kText, 0},       {"Spend £", ColumnType::kNumber, 0},
               {"Activity", ColumnType::kNumber, 0},      {"Activity a month", ColumnType::kNumber, 1}};
  std::string note;
  for (const pl::CostLine& c : k.services) {
    const pl::CostForecast& fc = c.forecast;
    if (!fc.available) continue;
    note = fc.note;
    f.rows.push_back({TextCell(c.service_type), TextCell(FinancialYearPeriod(fc.current_year).Label()),
                      NumberCell(fc.year_to_date_spend + fc.rest_spend), NumberCell(fc.year_to_date_activity + fc.rest_activity),
                      TextCell(FinancialYearPeriod(fc.current_year + 1).Label()), NumberCell(fc.next_spend),
                      NumberCell(fc.next_activity), NumberCell(fc.activity_slope)});
  }
  f.note = "Outturn: the year's actual months plus the forecast of the rest. " + note + ".";
  s.blocks.push_back(std::move(f));
  for (const std::string& w : k.warnings) s.blocks.push_back(Callout{Callout::Kind::kInfo, "Note.", w});
  return s;
}

Section Casework(const BuildContext& b) {
  const Analysis& a = *b.a;
  const pl::CaseworkAudit& w = *a.audits.casework;
  const ChartContext& cc = b.charts;
  Section s;
  s.id = "casework";
  s.title = "Casework: case-file audits";
  s.blocks.push_back(Paragraph{fmt::format(
      "Case files audited in {} met the checklist in {} of {} items (items marked not applicable left out). Seed "
      "004: a systematic approach to auditing files gives hard data to compare teams and trends over time.",
      w.year.Label(), w.council.rate ? pl::FormatShareCi(*w.council.rate, w.council.ci) : "-",
      cc.disclosure ? "the" : pl::FormatCount(w.council.audited))});
  Table items;
  items.id = "casework-items";
  items.caption = "Items met, by team, the most failed first";
  items.columns = {{"Item", ColumnType::kText, 0}, {"Council", ColumnType::kPercent, 0}};
  for (const pl::CaseworkTeam& t : w.teams) items.columns.push_back({a.snapshot->OrgUnitId(t.org_unit), ColumnType::kPercent, 0});
  auto rate = [&](const pl::AuditRate& r) { return AuditPercent(cc, static_cast<double>(r.met), static_cast<double>(r.audited)); };
  for (const pl::CaseworkItem& it : w.items) {
    std::vector<Cell> row = {TextCell(it.item), rate(it.council)};
    for (const pl::AuditRate& r : it.by_team) row.push_back(rate(r));
    items.rows.push_back(std::move(row));
  }
  std::vector<Cell> all = {TextCell("All items"), rate(w.council)};
  for (const pl::CaseworkTeam& t : w.teams) all.push_back(rate(t.year));
  items.rows.push_back(std::move(all));
  s.blocks.push_back(std::move(items));
  Table q;
  q.id = "casework-quarters";
  q.caption = "All items met, by quarter";
  q.columns = {{"Quarter", ColumnType::kText, 0}, {"Council", ColumnType::kPercent, 0}};
  for (const pl::CaseworkTeam& t : w.teams) q.columns.push_back({a.snapshot->OrgUnitId(t.org_unit), ColumnType::kPercent, 0});
  for (size_t i = 0; i < w.quarters.size(); ++i) {
    if (w.council_by_quarter[i].audited == 0) continue;
    std::vector<Cell> row = {TextCell(w.quarters[i].Label()), rate(w.council_by_quarter[i])};
    for (const pl::CaseworkTeam& t : w.teams) row.push_back(rate(t.by_quarter[i]));
    q.rows.push_back(std::move(row));
  }
  s.blocks.push_back(std::move(q));
  s.blocks.push_back(Heading{3, "Good figures, poor files"});
  if (w.diverging.empty())
    s.blocks.push_back(Paragraph{"No team has files below the funnel's 95% limit while most of its how_well "
                                 "indicators are better than the council's."});
  for (int i : w.diverging)
    s.blocks.push_back(Callout{Callout::Kind::kWarning,
                               a.snapshot->OrgUnitId(w.teams[static_cast<size_t>(i)].org_unit) + ": good figures, poor files.",
                               cc.disclosure ? "Its case files meet the checklist less often than other teams', while "
                                               "most of its indicators are better than the council's."
                                             : w.teams[static_cast<size_t>(i)].why + "."});
  return s;
}

Section AddedValue(const BuildContext& b) {
  const pl::AddedValue& v = *b.a->audits.added_value;
  const ChartContext& cc = b.charts;
  Section s;
  s.id = "added-value";
  s.title = "Carers' added value";
  s.blocks.push_back(Paragraph{fmt::format(
      "Seed 001 asks what supporting carers does for the people they care for. For {}, the outcomes of people "
      "whose carer had an assessment or a Hub service in the year before are set against those whose carer did "
      "not, within the same age band and primary support reason, and pooled as a Mantel-Haenszel risk ratio "
      "(Greenland-Robins variance); below 1 means the outcome was less likely where carers were supported.",
      v.year.Label())});
  s.blocks.push_back(Callout{Callout::Kind::kInfo, "An association, not proof.", v.caveat});
  for (const pl::AddedValueOutcome& o : v.outcomes) {
    s.blocks.push_back(Heading{3, o.title});
    std::string words = o.words;
    if (words.size() > v.caveat.size() && words.compare(words.size() - v.caveat.size(), v.caveat.size(), v.caveat) == 0)
      words.resize(words.size() - v.caveat.size() - 1);
    if (!cc.disclosure) s.blocks.push_back(Paragraph{words});
    Table t;
    t.id = "added-value-" + o.id;
    t.caption = "By stratum: events of people whose carer was supported, and not";
    t.columns = {{"Age band", ColumnType::kText, 0},        {"Support reason", ColumnType::kText, 0},
                 {"Supported: events", ColumnType::kCount, 0}, {"of", ColumnType::kCount, 0},
                 {"Not supported: events", ColumnType::kCount, 0}, {"of", ColumnType::kCount, 0}};
    for (const pl::AddedValueStratum& st : o.strata)
      t.rows.push_back({TextCell(st.age_band), TextCell(st.reason), AuditCount(cc, st.table.events_exposed),
                        AuditCount(cc, st.table.n_exposed), AuditCount(cc, st.table.events_unexposed),
                        AuditCount(cc, st.table.n_unexposed)});
    t.rows.push_back({TextCell("All"), TextCell(""), AuditCount(cc, o.crude.events_exposed), AuditCount(cc, o.crude.n_exposed),
                      AuditCount(cc, o.crude.events_unexposed), AuditCount(cc, o.crude.n_unexposed)});
    auto ratio = [](const char* name, const std::optional<stats::PooledRatio>& r) {
      return r ? fmt::format("{} {:.2f} (95% interval {:.2f} to {:.2f}, {} strata)", name, r->estimate, r->ci.low,
                             r->ci.high, r->informative_strata)
               : fmt::format("{}: too few events to estimate", name);
    };
    t.note = ratio("Mantel-Haenszel risk ratio", o.risk_ratio) + "; " + ratio("odds ratio", o.odds_ratio) +
             (o.left_out_follow_up > 0
                  ? fmt::format("; {} events left out because their follow-up reaches past the records",
                                o.left_out_follow_up)
                  : "") +
             ".";
    if (cc.disclosure) t.note += " " + DisclosureNote(*cc.disclosure);
    s.blocks.push_back(std::move(t));
  }
  return s;
}

}  // namespace

void BuildMoneyManagement(const BuildContext& b, Document& doc) {
  const CarersAudits& au = b.a->audits;
  if (au.costs) doc.sections.push_back(Costs(b));
  if (au.casework) doc.sections.push_back(Casework(b));
  if (au.added_value) doc.sections.push_back(AddedValue(b));
  if (!au.costs || !au.casework || !au.added_value) {
    Section s;
    s.id = "audits-missing";
    s.title = "Audits without data";
    for (const std::string& why : au.absent) s.blocks.push_back(Callout{Callout::Kind::kMissing, "Not available.", why});
    if (!s.blocks.empty()) doc.sections.push_back(std::move(s));
  }
}

void BuildMoneySummary(const BuildContext& b, Document& doc) {
  const CarersAudits& au = b.a->audits;
  if (!au.costs) return;
  const pl::CostsAudit& k = *au.costs;
  Section s;
  s.id = "money";
  s.title = "Money";
  double budget = 0, spend = 0;
  for (const pl::CostLine& c : k.services) budget += c.budget, spend += c.spend;
  s.blocks.push_back(Paragraph{fmt::format("Spend in {}{}: {} against a budget of {} ({:+.1f}%).", k.year.Label(),
                                           k.partial ? " so far" : "", pl::FormatMoney(spend), pl::FormatMoney(budget),
                                           budget > 0 ? 100.0 * (spend / budget - 1.0) : 0.0)});
  Table t;
  t.id = "cabinet-costs";
  t.in_annex = true;  // the spend and the flagged services stay on the two pages
  t.caption = "Unit costs";
  t.columns = {{"Service", ColumnType::kText, 0}, {"Unit cost £", ColumnType::kNumber, 2},
               {"Change on a year before", ColumnType::kPercent, 1}, {"£ a person supported", ColumnType::kNumber, 0},
               {"£ an outcome achieved", ColumnType::kNumber, 0}};
  for (const pl::CostLine& c : k.services)
    t.rows.push_back({TextCell(c.service_type + " (a " + pl::SingularUnit(c.unit) + ")"), NumberCell(c.unit_cost, "-"),
                      NumberCell(Pc(c.unit_cost_change), "-"), NumberCell(c.cost_per_person, "-"),
                      NumberCell(c.cost_per_outcome, "-")});
  s.blocks.push_back(std::move(t));
  for (const pl::CostLine& c : k.services)
    if (std::find(c.flags.begin(), c.flags.end(), "activity_falls_budget_on_target") != c.flags.end())
      s.blocks.push_back(Callout{Callout::Kind::kWarning, c.service_type + ": fewer services for the same money.", c.evidence});
  doc.sections.push_back(std::move(s));
}

}  // namespace goldthread::report::internal
