#include "planning/plan_parse.h"

#include <algorithm>
#include <cmath>
#include <toml++/toml.h>

#include <fmt/format.h>

#include "core/text.h"

namespace goldthread::planning {
namespace {

constexpr std::string_view kTopKeys[] = {"title", "years", "objective", "plan", "target"};
constexpr std::string_view kObjectiveKeys[] = {"id", "title", "owner", "perspective", "description", "indicators"};
constexpr std::string_view kPlanKeys[] = {"id", "title", "org_unit", "owner", "objectives", "prime", "indicators",
                                          "owners"};
constexpr std::string_view kTargetKeys[] = {"plan",  "indicator", "org_unit", "value",    "by",
                                            "owner", "per",       "note",     "objective"};

SourceLoc Loc(const toml::source_region& r) {
  return {static_cast<int64_t>(r.begin.line), static_cast<int64_t>(r.begin.column)};
}
SourceLoc Loc(const toml::node& n) { return Loc(n.source()); }

std::string TypeName(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return "text";
    case toml::node_type::integer:
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "true/false";
    case toml::node_type::array: return "a list";
    case toml::node_type::table: return "a table";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date and time";
    default: return "nothing";
  }
}

class Parser {
 public:
  Parser(std::string_view text, std::string_view file) : text_(text) { out_.doc.file = file; }

  ParsedPlan Run() {
    toml::table root;
    try {
      root = toml::parse(text_, std::string_view(out_.doc.file));
    } catch (const toml::parse_error& e) {
      Error("toml", Loc(e.source()), "not valid TOML: " + std::string(e.description()));
      return std::move(out_);
    }
    UnknownKeys(root, kTopKeys, "");
    if (const toml::node* t = root.get("title")) String(*t, "title", "the plan", out_.doc.title);
    Years(root);
    for (const toml::table* t : Tables(root, "objective")) Objective(*t);
    for (const toml::table* t : Tables(root, "plan")) Plan(*t);
    for (const toml::table* t : Tables(root, "target")) Target(*t);
    return std::move(out_);
  }

 private:
  void Add(Severity s, std::string rule, SourceLoc loc, std::string message, int32_t target = -1) {
    out_.diagnostics.push_back({s, std::move(rule), loc, std::move(message), target});
  }
  void Error(std::string rule, SourceLoc loc, std::string message, int32_t target = -1) {
    Add(Severity::kError, std::move(rule), loc, std::move(message), target);
  }

  template <size_t N>
  void UnknownKeys(const toml::table& t, const std::string_view (&known)[N], const std::string& what) {
    for (auto&& [k, v] : t) {
      const std::string_view name = k.str();
      if (std::find(std::begin(known), std::end(known), name) != std::end(known)) continue;
      const std::string hint = ClosestName(name, std::vector<std::string_view>(std::begin(known), std::end(known)));
      Add(Severity::kWarning, "unknown_key", Loc(k.source()),
          fmt::format("{}unknown key '{}' ignored{}", what.empty() ? "" : what + ": ", name,
                      hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
    }
  }

  /// The tables of an array of tables ([[objective]]); an error if the key
  /// holds something else.
  std::vector<const toml::table*> Tables(const toml::table& root, std::string_view key) {
    std::vector<const toml::table*> out;
    const toml::node* n = root.get(key);
    if (!n) return out;
    const toml::array* a = n->as_array();
    if (!a || !a->is_array_of_tables()) {
      Error(std::string(key), Loc(*n), fmt::format("'{}' must be written as [[{}]] tables, got {}", key, key,
                                                   TypeName(*n)));
      return out;
    }
    for (const toml::node& e : *a) out.push_back(e.as_table());
    return out;
  }

  /// A text value; false (with an error) when it is of another type.
  bool String(const toml::node& n, std::string_view key, const std::string& what, std::string& out) {
    if (!n.is_string()) {
      Error(std::string(key), Loc(n), fmt::format("{}: {} must be text (in quotes), got {}", what, key, TypeName(n)));
      return false;
    }
    out = n.as_string()->get();
    return true;
  }

  /// A required text key: absent or empty is an error at the table.
  void Required(const toml::table& t, std::string_view key, const std::string& what, std::string_view example,
                std::string& out, std::string rule = "") {
    if (rule.empty()) rule = std::string(key);
    const toml::node* n = t.get(key);
    if (!n) {
      Error(rule, Loc(t), fmt::format("{} has no {} (expected {} = {})", what, key, key, example));
      return;
    }
    if (String(*n, key, what, out) && out.empty())
      Error(rule, Loc(*n), fmt::format("{}: {} is empty (expected {} = {})", what, key, key, example));
  }

  std::vector<std::string> StringList(const toml::table& t, std::string_view key, const std::string& what,
                                      SourceLoc* loc = nullptr) {
    std::vector<std::string> out;
    const toml::node* n = t.get(key);
    if (!n) return out;
    if (loc) *loc = Loc(*n);
    const toml::array* a = n->as_array();
    if (!a) {
      Error(std::string(key), Loc(*n),
            fmt::format("{}: {} must be a list of indicator or objective ids, such as [\"a\", \"b\"], got {}", what,
                        key, TypeName(*n)));
      return out;
    }
    for (const toml::node& e : *a) {
      if (!e.is_string() || e.as_string()->get().empty()) {
        Error(std::string(key), Loc(e),
              fmt::format("{}: every entry of {} must be an id in quotes, got {}", what, key, TypeName(e)));
        continue;
      }
      out.push_back(e.as_string()->get());
    }
    return out;
  }

  void Years(const toml::table& root) {
    const std::string example = "[\"2024-25\", \"2025-26\", \"2026-27\"]";
    const toml::node* n = root.get("years");
    if (!n) {
      Error("years", {}, "the plan has no years (expected years = " + example +
                             ": the financial years it covers, at least three)");
      return;
    }
    out_.doc.years_loc = Loc(*n);
    const toml::array* a = n->as_array();
    if (!a) {
      Error("years", Loc(*n), "years must be a list of financial years, such as " + example + ", got " + TypeName(*n));
      return;
    }
    for (const toml::node& e : *a) {
      Period p;
      const std::string label = e.value<std::string>().value_or("");
      if (!e.is_string() || !TryParsePeriod(label, p) || p.kind != PeriodKind::kYear) {
        Error("years", Loc(e),
              fmt::format("years: {} is not a financial year (expected YYYY-YY, such as \"2024-25\")",
                          e.is_string() ? "'" + label + "'" : TypeName(e)));
        return;
      }
      const int y = FinancialYearOf(p.start);
      if (!out_.doc.years.empty() && y != out_.doc.years.back() + 1) {
        Error("years", Loc(e),
              fmt::format("years: {} does not follow {} (expected consecutive financial years, in order)", label,
                          FinancialYearPeriod(out_.doc.years.back()).Label()));
        return;
      }
      out_.doc.years.push_back(y);
    }
    if (out_.doc.years.size() < 3)
      Error("years", Loc(*n),
            fmt::format("years: a plan covers at least three financial years (seed 004: \"Plans should cover at "
                        "least a three-year timescale\"); this one has {}",
                        out_.doc.years.size()));
  }

  void Objective(const toml::table& t) {
    planning::Objective o;
    o.loc = Loc(t);
    Required(t, "id", "objective", "\"O1\"", o.id);
    const std::string what = o.id.empty() ? "objective" : "objective " + o.id;
    UnknownKeys(t, kObjectiveKeys, what);
    Required(t, "title", what, "\"Carers have a life of their own alongside caring\"", o.title);
    Required(t, "owner", what, "\"Director of Adult Social Care\" (who answers for it)", o.owner);
    if (const toml::node* d = t.get("description")) String(*d, "description", what, o.description);
    std::string perspective;
    Required(t, "perspective", what, "\"customer\" (financial, customer, internal_process or learning_growth)",
             perspective);
    if (!perspective.empty() && !TryParsePerspective(perspective, o.perspective)) {
      std::vector<std::string_view> names;
      for (Perspective p : kPerspectives) names.push_back(PerspectiveName(p));
      const std::string hint = ClosestName(perspective, names);
      Error("perspective", Loc(*t.get("perspective")),
            fmt::format("{}: perspective '{}' is not one of financial, customer, internal_process, "
                        "learning_growth{}",
                        what, perspective, hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
    }
    o.indicators = StringList(t, "indicators", what);
    out_.doc.objectives.push_back(std::move(o));
  }

  void Plan(const toml::table& t) {
    planning::Plan p;
    p.loc = Loc(t);
    Required(t, "id", "plan", "\"P-T03\"", p.id);
    const std::string what = p.id.empty() ? "plan" : "plan " + p.id;
    UnknownKeys(t, kPlanKeys, what);
    if (const toml::node* n = t.get("title")) String(*n, "title", what, p.title);
    Required(t, "org_unit", what, "\"T03\" (an org_unit_id of org_units.csv: the council, a service or a team)",
             p.org_unit);
    if (const toml::node* n = t.get("org_unit")) p.org_unit_loc = Loc(*n);
    Required(t, "owner", what, "\"Team manager, Carrow\" (who answers for the plan)", p.owner);
    p.objectives = StringList(t, "objectives", what);
    if (!t.get("objectives") || (p.objectives.empty() && t.get("objectives")->is_array()))
      Error("objectives", t.get("objectives") ? Loc(*t.get("objectives")) : p.loc,
            fmt::format("{} serves no objective (expected objectives = [\"O1\"]: what the plan is for, the thread "
                        "up to the council's objectives)",
                        what));
    p.prime_loc = p.loc;
    p.prime = StringList(t, "prime", what, &p.prime_loc);
    p.indicators = StringList(t, "indicators", what);
    if (const toml::node* n = t.get("owners")) {
      const toml::table* owners = n->as_table();
      if (!owners) {
        Error("owners", Loc(*n),
              fmt::format("{}: owners must be a table of indicator = \"owner\", such as owners = {{ \"reviews-12m\" "
                          "= \"Senior practitioner\" }}, got {}",
                          what, TypeName(*n)));
      } else {
        for (auto&& [k, v] : *owners) {
          IndicatorOwner io;
          io.indicator = std::string(k.str());
          io.loc = Loc(k.source());
          if (String(v, "owners." + io.indicator, what, io.owner)) p.owners.push_back(std::move(io));
        }
        std::sort(p.owners.begin(), p.owners.end(), [](const IndicatorOwner& a, const IndicatorOwner& b) {
          return a.loc.line != b.loc.line ? a.loc.line < b.loc.line : a.loc.column < b.loc.column;
        });
      }
    }
    out_.doc.plans.push_back(std::move(p));
  }

  void Target(const toml::table& t) {
    planning::Target g;
    const int32_t index = static_cast<int32_t>(out_.doc.targets.size());
    g.loc = g.indicator_loc = g.org_unit_loc = g.value_loc = g.by_loc = Loc(t);
    // Every field is read first, so that each message can name the target.
    struct Pending {
      std::string rule;
      SourceLoc loc;
      std::string letter;  // the SMART letter it fails, or "" for a plain problem
      std::string why;
    };
    std::vector<Pending> pending;
    auto id_field = [&](std::string_view key, std::string& out, SourceLoc& loc, std::string_view what) {
      const toml::node* n = t.get(key);
      if (!n) return;
      loc = Loc(*n);
      if (n->is_string()) {
        out = n->as_string()->get();
      } else if (n->is_array()) {
        pending.push_back({"specific", loc, "Specific",
                           fmt::format("{} must be one {} id, got a list (give each its own [[target]])", key, what)});
      } else {
        pending.push_back(
            {"specific", loc, "Specific", fmt::format("{} must be an {} id in quotes, got {}", key, what, TypeName(*n))});
      }
    };
    id_field("indicator", g.indicator, g.indicator_loc, "indicator");
    id_field("org_unit", g.org_unit, g.org_unit_loc, "org unit");
    if (const toml::node* n = t.get("plan")) {
      if (n->is_string()) g.plan = n->as_string()->get();
      else pending.push_back({"plan", Loc(*n), "", "plan must be a [[plan]] id in quotes, got " + TypeName(*n)});
    }
    if (const toml::node* n = t.get("by")) {
      g.by_loc = Loc(*n);
      if (const toml::value<toml::date>* d = n->as_date()) {
        const toml::date v = d->get();
        g.by = DateFromCivil(v.year, v.month, v.day);
      } else if (n->is_string()) {
        const std::string s = n->as_string()->get();
        if (!TryParseDate(s, g.by))
          pending.push_back({"time_bound", g.by_loc, "Time bound", "by '" + s + "' is not a date (expected YYYY-MM-DD)"});
      } else {
        pending.push_back(
            {"time_bound", g.by_loc, "Time bound", "by must be a date, such as 2027-03-31, got " + TypeName(*n)});
      }
    }
    if (const toml::node* n = t.get("value")) {
      g.value_loc = Loc(*n);
      if (n->is_number() && std::isfinite(n->value<double>().value_or(NAN))) {
        g.value = n->value<double>().value();
        g.has_value = true;
      } else {
        pending.push_back({"measurable", g.value_loc, "Measurable", "value must be a number, got " + TypeName(*n)});
      }
    }
    if (const toml::node* n = t.get("per")) {
      const std::string per = n->value<std::string>().value_or("");
      PeriodKind k;
      if (n->is_string() && TryParsePeriodKind(per, k) && k != PeriodKind::kRolling12) {
        g.per = k;
      } else {
        pending.push_back({"per", Loc(*n), "",
                           fmt::format("per {} is not month, quarter or year (the period whose figure the target is "
                                       "judged on)",
                                       n->is_string() ? "'" + per + "'" : TypeName(*n))});
      }
    }
    if (const toml::node* n = t.get("owner")) {
      if (!n->is_string())
        pending.push_back({"owner", Loc(*n), "", "owner must be text (in quotes), got " + TypeName(*n)});
      else if ((g.owner = n->as_string()->get()).empty())
        pending.push_back({"owner", Loc(*n), "", "owner is empty (expected the person who answers for the target)"});
    }
    if (const toml::node* n = t.get("objective")) {
      g.objective_loc = Loc(*n);
      if (n->is_string()) g.objective = n->as_string()->get();
      else pending.push_back({"objective", g.objective_loc, "", "objective must be one objective id in quotes, got " + TypeName(*n)});
    }
    if (const toml::node* n = t.get("note")) {
      if (n->is_string()) g.note = n->as_string()->get();
      else pending.push_back({"note", Loc(*n), "", "note must be text (in quotes), got " + TypeName(*n)});
    }
    // Without org_unit the target is for its plan's unit (an unknown plan is
    // reported by the check, and then no unit is known).
    if (!t.get("org_unit")) {
      const int32_t p = out_.doc.FindPlan(g.plan);
      if (p >= 0) g.org_unit = out_.doc.plans[p].org_unit;
    }

    const std::string what = "target " + g.Label();
    UnknownKeys(t, kTargetKeys, what);
    if (!t.get("plan"))
      Error("plan", g.loc, what + " names no plan (expected plan = \"P-T03\": the [[plan]] it belongs to)", index);
    if (!t.get("indicator"))
      Error("specific", g.loc,
            what + " is not Specific: it names no indicator (expected indicator = \"reviews-12m\": one indicator id)",
            index);
    if (!t.get("value"))
      Error("measurable", g.loc,
            what + " is not Measurable: it has no value (expected value = a number in the indicator's unit, "
                   "such as 60.0 for 60%)",
            index);
    if (!t.get("by"))
      Error("time_bound", g.loc,
            what + " is not Time bound: it has no date (expected by = 2027-03-31, within the plan's years)", index);
    if (!t.get("owner"))
      Error("owner", g.loc,
            what + " has no owner (expected owner = \"Senior practitioner, Carrow\": who answers for it)", index);
    for (Pending& d : pending)
      Error(d.rule, d.loc, d.letter.empty() ? what + ": " + d.why : what + " is not " + d.letter + ": " + d.why, index);
    out_.doc.targets.push_back(std::move(g));
  }

  std::string_view text_;
  ParsedPlan out_;
};

}  // namespace

ParsedPlan ParsePlan(std::string_view text, std::string_view file) { return Parser(text, file).Run(); }

}  // namespace goldthread::planning
