#include "server/filters.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "report/svg_util.h"

namespace goldthread::server {
namespace {

using report::SvgEscape;

std::string Option(std::string_view value, std::string_view label, std::string_view current) {
  return fmt::format("<option value=\"{}\"{}>{}</option>", SvgEscape(value),
                     value == current ? " selected" : "", SvgEscape(label));
}

}  // namespace

std::vector<std::string> AllGroups(const report::Analysis& a) {
  std::set<std::string> groups;
  for (const indicators::IndicatorResult& ir : a.monthly.result.indicators)
    for (const std::string& g : ir.groups)
      if (g != "all") groups.insert(g);
  return {groups.begin(), groups.end()};
}

std::string FilterForm(const report::Analysis& a, std::string_view action, const FilterChoice& choice,
                       const FilterValues& current) {
  std::string out = fmt::format(
      "<form class=\"gt-filters\" method=\"get\" action=\"{}\" aria-label=\"Filters\">\n", SvgEscape(action));
  if (choice.period) {
    out += "<label>Period<select name=\"period\">" + Option("", "latest", current.period);
    const std::vector<Period>& periods = a.grain(choice.by).result.periods;
    for (auto p = periods.rbegin(); p != periods.rend(); ++p)
      out += Option(p->Label(), p->Label(), current.period);
    out += "</select></label>\n";
  }
  if (!choice.units.empty()) {
    out += fmt::format("<label>{}<select name=\"org_unit\">", SvgEscape(choice.unit_label));
    for (int32_t o : choice.units) {
      const std::string id = a.snapshot->OrgUnitId(o);
      out += Option(id, id + " " + a.OrgUnitName(o), current.org_unit);
    }
    out += "</select></label>\n";
  }
  if (choice.group) {
    out += "<label>Group<select name=\"group\">" + Option("", "everyone", current.group);
    for (const std::string& g : AllGroups(a)) out += Option(g, g, current.group);
    out += "</select></label>\n";
  }
  out += "<button type=\"submit\">Show</button>\n</form>\n";
  return out;
}

}  // namespace goldthread::server
