#include "indicators/definition.h"

#include <cmath>
#include <cstdlib>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/file.h"
#include "indicators/derived.h"

namespace goldthread::indicators {

std::string_view UnitName(Unit u) {
  switch (u) {
    case Unit::kPercent: return "percent";
    case Unit::kRatePer100k: return "rate_per_100k";
    case Unit::kCount: return "count";
    case Unit::kMean: return "mean";
    case Unit::kDays: return "days";
  }
  return "?";
}
std::string_view PolarityName(Polarity p) { return p == Polarity::kUp ? "up" : "down"; }
std::string_view ObaName(Oba o) {
  return o == Oba::kHowMuch ? "how_much" : o == Oba::kHowWell ? "how_well" : "better_off";
}
std::string_view KindName(Kind k) { return k == Kind::kFlow ? "flow" : "snapshot"; }
std::string_view CutName(Cut c) {
  switch (c) {
    case Cut::kAgeBand: return "age_band";
    case Cut::kSex: return "sex";
    case Cut::kEthnicity: return "ethnicity";
    case Cut::kPrimarySupportReason: return "primary_support_reason";
    case Cut::kCarerGroup: return "carer_group";
  }
  return "?";
}

std::string_view StatisticName(Statistic s) {
  return s == Statistic::kMean ? "mean" : s == Statistic::kMedian ? "median" : "percentile";
}
std::string PerLabel(double per) {
  if (!(per >= 1 && per <= 1e15 && per == std::floor(per))) return fmt::format("per {}", per);
  std::string digits = fmt::format("{:.0f}", per), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return "per " + out;
}

std::string_view DerivedOpName(DerivedOp op) { return op == DerivedOp::kRatio ? "ratio" : "difference"; }

namespace {

template <typename E>
struct Choice {
  std::string_view name;
  E value;
};
constexpr Choice<Unit> kUnits[] = {{"percent", Unit::kPercent}, {"rate_per_100k", Unit::kRatePer100k},
                                   {"count", Unit::kCount}, {"mean", Unit::kMean}, {"days", Unit::kDays}};
constexpr Choice<Polarity> kPolarities[] = {{"up", Polarity::kUp}, {"down", Polarity::kDown}};
constexpr Choice<Oba> kObas[] = {{"how_much", Oba::kHowMuch}, {"how_well", Oba::kHowWell},
                                 {"better_off", Oba::kBetterOff}};
constexpr Choice<Kind> kKinds[] = {{"flow", Kind::kFlow}, {"snapshot", Kind::kSnapshot}};
constexpr Choice<Statistic> kStatistics[] = {{"mean", Statistic::kMean}, {"median", Statistic::kMedian},
                                             {"percentile", Statistic::kPercentile}};
constexpr Choice<DerivedOp> kDerivedOps[] = {{"ratio", DerivedOp::kRatio}, {"difference", DerivedOp::kDifference}};
constexpr Choice<Cut> kCuts[] = {{"age_band", Cut::kAgeBand}, {"sex", Cut::kSex}, {"ethnicity", Cut::kEthnicity},
                                 {"primary_support_reason", Cut::kPrimarySupportReason},
                                 {"carer_group", Cut::kCarerGroup}};

constexpr std::string_view kTopKeys[] = {"id", "title", "description", "unit", "polarity", "oba", "kind",
                                         "version", "cuts", "links", "parameters", "let", "population",
                                         "numerator", "criteria", "value", "rate", "follow_up_days", "age_on",
                                         "statistic", "percentile", "derived"};
constexpr std::string_view kPopulationKeys[] = {"unit", "from", "where", "distinct"};
constexpr std::string_view kNumeratorKeys[] = {"from", "where", "claimed"};
constexpr std::string_view kRateKeys[] = {"where", "per", "table", "from", "unit"};
constexpr std::string_view kDerivedKeys[] = {"of", "op", "per"};
// What a [derived] definition cannot have: its figures are its components'.
constexpr std::string_view kNotWithDerived[] = {"cuts", "follow_up_days", "statistic", "percentile", "value",
                                                "age_on", "parameters", "let", "population", "numerator",
                                                "criteria", "rate"};

class Loader {
 public:
  Loader(std::string_view text, std::string_view file) : text_(text), file_(file) {}

  Result<Definition> Run() {
    GT_RETURN_IF_ERROR(CheckKeyDepth());
    toml::table root;
    try {
      root = toml::parse(text_, file_);
    } catch (const toml::parse_error& e) {
      return Status::InvalidArgument(Where(e.source().begin) + std::string(e.description()));
    }
    Definition d;
    d.file = file_;
    GT_RETURN_IF_ERROR(CheckKeys(root, kTopKeys, ""));
    if (root.get("derived")) GT_RETURN_IF_ERROR(NothingButDerived(root));
    GT_RETURN_IF_ERROR(RequireString(root, "id", d.id));
    GT_RETURN_IF_ERROR(RequireString(root, "title", d.title));
    GT_RETURN_IF_ERROR(RequireString(root, "description", d.description));
    GT_RETURN_IF_ERROR(RequireChoice(root, "unit", kUnits, d.unit));
    GT_RETURN_IF_ERROR(RequireChoice(root, "polarity", kPolarities, d.polarity));
    GT_RETURN_IF_ERROR(RequireChoice(root, "oba", kObas, d.oba));
    GT_RETURN_IF_ERROR(RequireChoice(root, "kind", kKinds, d.kind));
    if (const toml::node* v = root.get("version")) {
      if (!v->is_integer() || v->as_integer()->get() < 1) return Err(*v, "'version' must be a whole number >= 1");
      d.version = v->as_integer()->get();
    } else {
      return Status::InvalidArgument(file_ + ":1:1: missing 'version' (add version = 1)");
    }
    if (const toml::node* v = root.get("follow_up_days")) {
      if (!v->is_integer() || v->as_integer()->get() < 0 || v->as_integer()->get() > 3660)
        return Err(*v, "'follow_up_days' must be a whole number of days from 0 to 3660");
      d.follow_up_days = static_cast<int>(v->as_integer()->get());
    }
    if (const toml::node* v = root.get("statistic")) {
      GT_RETURN_IF_ERROR(ParseChoice(*v, "statistic", kStatistics, d.statistic));
      if (d.unit != Unit::kMean && d.unit != Unit::kDays)
        return Err(*v, "'statistic' applies to units mean and days (the cases' values)");
      if (d.statistic == Statistic::kMedian) d.percentile = 50;
    }
    if (const toml::node* v = root.get("percentile")) {
      const std::optional<double> p = v->value<double>();
      if (d.statistic != Statistic::kPercentile)
        return Err(*v, "'percentile' goes with statistic = \"percentile\"");
      if (!v->is_number() || !p || !(*p >= 0 && *p <= 100)) return Err(*v, "'percentile' must be a number from 0 to 100");
      d.percentile = *p;
    } else if (d.statistic == Statistic::kPercentile) {
      return Err(*root.get("statistic"), "statistic = \"percentile\" needs 'percentile' (0-100, e.g. percentile = 90)");
    }
    if (const toml::node* v = root.get("cuts")) {
      const toml::array* a = v->as_array();
      if (!a) return Err(*v, "'cuts' must be a list of strings");
      for (const toml::node& e : *a) {
        Cut c;
        GT_RETURN_IF_ERROR(ParseChoice(e, "cut", kCuts, c));
        // Each cut's groups are laid out once; a second copy would count
        // every case in two groups of one name.
        if (std::find(d.cuts.begin(), d.cuts.end(), c) != d.cuts.end())
          return Err(e, "cut '" + std::string(CutName(c)) + "' is listed twice");
        d.cuts.push_back(c);
      }
    }
    if (const toml::node* v = root.get("links")) {
      const toml::array* a = v->as_array();
      if (!a) return Err(*v, "'links' must be a list of indicator ids");
      for (const toml::node& e : *a) {
        if (!e.is_string()) return Err(e, "'links' must be a list of indicator ids");
        d.links.push_back(e.as_string()->get());
      }
    }
    if (root.get("derived")) {
      GT_RETURN_IF_ERROR(ParseDerived(root, d));
      return d;
    }
    if (const toml::node* v = root.get("parameters")) {
      const toml::table* t = v->as_table();
      if (!t) return Err(*v, "'parameters' must be a table of numbers");
      GT_RETURN_IF_ERROR(NoTopKeys(*t, "parameters"));
      for (auto&& [k, pv] : *t) {
        if (!pv.is_number() || !std::isfinite(pv.value<double>().value()))
          return Err(pv, "parameter '" + std::string(k.str()) + "' must be a number");
        d.parameters[std::string(k.str())] = pv.value<double>().value();
      }
    }
    env_.parameters = d.parameters;
    env_.text_literals = &d.text_literals;

    // The population: one table, or an array of tables (any of them).
    const toml::node* pop = root.get("population");
    if (!pop) return Status::InvalidArgument(file_ + ":1:1: missing [population]");
    std::vector<const toml::table*> pops;
    if (const toml::table* t = pop->as_table()) pops.push_back(t);
    else if (const toml::array* a = pop->as_array()) {
      for (const toml::node& e : *a)
        if (const toml::table* t = e.as_table()) pops.push_back(t);
    }
    if (pops.empty()) return Err(*pop, "[population] must be a table or an array of tables");
    bool first = true;
    std::vector<const toml::node*> where_nodes;  // parallel to d.branches
    for (const toml::table* p : pops) {
      GT_RETURN_IF_ERROR(CheckKeys(*p, kPopulationKeys, "population."));
      bool persons = true;
      if (const toml::node* u = p->get("unit")) {
        std::string s = u->value<std::string>().value_or("");
        if (s != "person" && s != "record") return Err(*u, "population unit must be 'person' or 'record'");
        persons = s == "person";
      }
      if (!first && persons != d.count_persons)
        return Err(*p, "every [[population]] must have the same unit");
      d.count_persons = persons;
      first = false;
      Branch b;
      const toml::node* from = p->get("from");
      if (!from) return Err(*p, "[population] needs 'from' (the table whose records put a person in it)");
      GT_RETURN_IF_ERROR(ParseTable(*from, b.table));
      // No 'where': every record of the table (b.where stays invalid). It
      // is compiled after the lets, which it may use.
      where_nodes.push_back(p->get("where"));
      if (const toml::node* dn = p->get("distinct")) {
        if (persons) return Err(*dn, "'distinct' applies to unit = \"record\" only");
        const toml::array* a = dn->as_array();
        if (!a) return Err(*dn, "'distinct' must be a list of field names");
        for (const toml::node& e : *a) {
          std::string name = e.value<std::string>().value_or("");
          int f = Table(b.table).FieldIndex(name);
          if (f < 0) return Err(e, "unknown field '" + name + "' in table " + std::string(Table(b.table).name));
          b.distinct.push_back(f);
        }
      }
      d.branches.push_back(std::move(b));
    }

    // Lets: named values on the case record.
    std::vector<const toml::node*> let_nodes;
    if (const toml::node* v = root.get("let")) {
      const toml::table* t = v->as_table();
      if (!t) return Err(*v, "[let] must be a table of expressions");
      GT_RETURN_IF_ERROR(NoTopKeys(*t, "let"));
      for (const auto& [name, node] : InFileOrder(*t)) {
        d.let_names.push_back(name);
        let_nodes.push_back(node);
      }
    }
    for (size_t bi = 0; bi < d.branches.size(); ++bi) {
      Branch& b = d.branches[bi];
      env_.lets.clear();
      env_.let_is_date.clear();
      env_.let_heights.clear();
      for (size_t i = 0; i < let_nodes.size(); ++i) {
        Expr e;
        GT_RETURN_IF_ERROR(CompileNode(*let_nodes[i], {}, b.table, false, e));
        env_.lets.push_back(d.let_names[i]);
        env_.let_is_date.push_back(e.is_date());
        env_.let_heights.push_back(e.height());
        b.lets.push_back(std::move(e));
      }
      // A let is a value of the record being tested, so the population's
      // where may use it as any other expression on the case record does.
      if (where_nodes[bi]) GT_RETURN_IF_ERROR(CompileNode(*where_nodes[bi], {}, b.table, true, b.where));
      GT_RETURN_IF_ERROR(CompileCaseParts(root, d, b));
    }
    const bool needs_value = d.unit == Unit::kMean || d.unit == Unit::kDays;
    if (needs_value && !root.get("value"))
      return Status::InvalidArgument(file_ + ":1:1: unit '" + std::string(UnitName(d.unit)) +
                                     "' needs 'value' (the number averaged over the cases)");
    if (d.unit == Unit::kPercent && !d.has_numerator)
      return Status::InvalidArgument(file_ + ":1:1: unit 'percent' needs [numerator]");
    if ((d.unit == Unit::kCount || d.unit == Unit::kRatePer100k) && d.has_numerator)
      return Err(*root.get("numerator"), "unit '" + std::string(UnitName(d.unit)) +
                                             "' counts the population; it takes no [numerator]");
    if (!d.criteria.empty() && !d.has_numerator) return Err(*root.get("criteria"), "[criteria] needs a [numerator]");
    if (d.unit == Unit::kRatePer100k) {
      const toml::node* rv = root.get("rate");
      if (!rv || !rv->as_table())
        return Status::InvalidArgument(file_ +
                                       ":1:1: unit 'rate_per_100k' needs [rate], its denominator: where = \"...\" "
                                       "(which populations.csv rows), table = \"carer_populations\", or from = "
                                       "\"TABLE\" (its records)");
      GT_RETURN_IF_ERROR(ParseRate(*rv->as_table(), d));
    }
    return d;
  }

 private:
  // [rate]: the denominator of a rate. Without 'from', the sum of a
  // population table's count over the rows 'where' selects; with it, the
  // persons (or records) of that table meeting 'where', counted as a
  // population is (docs/indicators.md, "Rates over other populations").
  Status ParseRate(const toml::table& rt, Definition& d) {
    GT_RETURN_IF_ERROR(CheckKeys(rt, kRateKeys, "rate."));
    env_.lets.clear();
    env_.let_is_date.clear();
    env_.let_heights.clear();
    const toml::node* from = rt.get("from");
    const toml::node* table = rt.get("table");
    if (from && table)
      return Err(*table, "[rate] takes 'table' (a population table's counts) or 'from' (records counted), not both");
    if (const toml::node* u = rt.get("unit"); u && !from)
      return Err(*u, "[rate] 'unit' goes with 'from' (the table whose records are counted)");
    if (table) {
      const std::string s = table->value<std::string>().value_or("");
      if (s == "populations") d.rate_table = TableId::kPopulations;
      else if (s == "carer_populations") d.rate_table = TableId::kCarerPopulations;
      else
        return Err(*table, "[rate] table must be \"populations\" (residents: count) or \"carer_populations\" "
                           "(estimated carers: estimated_count), got '" + s + "'");
    }
    const toml::node* w = rt.get("where");
    if (from) {
      auto pop = std::make_shared<Definition>();
      pop->file = d.file;
      pop->id = d.id + " (rate denominator)";
      pop->title = d.title + ": the rate's denominator";
      pop->description = pop->title;
      pop->unit = Unit::kCount;
      pop->version = d.version;
      pop->parameters = d.parameters;
      // Its cells are the rate's: the same groups, ages taken the same way.
      pop->cuts = d.cuts;
      pop->kind = d.kind;
      if (const toml::node* u = rt.get("unit")) {
        const std::string s = u->value<std::string>().value_or("");
        if (s != "person" && s != "record") return Err(*u, "[rate] unit must be 'person' or 'record'");
        pop->count_persons = s == "person";
      }
      Branch b;
      GT_RETURN_IF_ERROR(ParseTable(*from, b.table));
      if (w) GT_RETURN_IF_ERROR(CompileNode(*w, {}, b.table, true, b.where));
      pop->branches.push_back(std::move(b));
      pop->text_literals = d.text_literals;  // the where's literals are numbered in d's list
      d.rate_population = std::move(pop);
    } else if (w) {
      GT_RETURN_IF_ERROR(CompileNode(*w, {}, d.rate_table, true, d.rate_where));
    }
    if (const toml::node* per = rt.get("per")) GT_RETURN_IF_ERROR(ParsePer(*per, d.rate_per));
    return Status::Ok();
  }

  Status ParsePer(const toml::node& per, double& out) const {
    const std::optional<double> v = per.value<double>();
    if (!per.is_number() || !v || !std::isfinite(*v) || !(*v > 0))
      return Err(per, "'per' must be a number above 0 (per = 1000 for a rate per 1,000)");
    out = *v;
    return Status::Ok();
  }

  Status NothingButDerived(const toml::table& root) const {
    for (std::string_view key : kNotWithDerived) {
      const toml::node* v = root.get(key);
      if (!v) continue;
      std::string why = key == "cuts" ? "its groups are those both its components have"
                        : key == "follow_up_days"
                            ? "its figure is provisional when either component's is"
                            : "its figures come from its components' figures";
      return Err(*v, "'" + std::string(key) + "' cannot go with [derived]: " + why +
                         " (docs/indicators.md, Indicators from indicators)");
    }
    return Status::Ok();
  }

  // [derived] of = ["a", "b"], op = "ratio" (per x a / b) or "difference"
  // (a - b). The components are found, and checked, by ResolveDerived.
  Status ParseDerived(const toml::table& root, Definition& d) {
    const toml::node* v = root.get("derived");
    const toml::table* t = v->as_table();
    if (!t) return Err(*v, "[derived] must be a table: of = [\"a\", \"b\"] and op = \"ratio\" or \"difference\"");
    GT_RETURN_IF_ERROR(CheckKeys(*t, kDerivedKeys, "derived."));
    Derived dv;
    const toml::node* of = t->get("of");
    if (!of) return Err(*t, "[derived] needs 'of', the ids of the two indicators it is made from: of = [\"a\", \"b\"]");
    const toml::array* a = of->as_array();
    const std::string two = "'of' must be a list of two indicator ids: of = [\"a\", \"b\"] for a / b or a - b";
    if (!a || a->size() != 2) return Err(*of, two);
    for (const toml::node& e : *a) {
      if (!e.is_string() || e.as_string()->get().empty()) return Err(e, two);
      dv.of.push_back(e.as_string()->get());
      dv.of_at.push_back(Where(e.source().begin));
    }
    const toml::node* op = t->get("op");
    if (!op) return Err(*t, "[derived] needs 'op': \"ratio\" (a / b) or \"difference\" (a - b)");
    GT_RETURN_IF_ERROR(ParseChoice(*op, "op", kDerivedOps, dv.op));
    dv.op_at = Where(op->source().begin);
    const toml::node* per = t->get("per");
    if (dv.op == DerivedOp::kDifference) {
      if (per) return Err(*per, "'per' goes with op = \"ratio\" (a difference is in the components' unit)");
    } else {
      if (d.unit == Unit::kCount || d.unit == Unit::kDays)
        return Err(*root.get("unit"),
                   "a ratio of two indicators is not a " + std::string(UnitName(d.unit)) +
                       ": write unit = \"mean\" for a / b, \"percent\" for 100 x a / b, or \"rate_per_100k\" "
                       "with per = 1000 in [derived] for a / b per 1,000");
      d.rate_per = d.unit == Unit::kPercent ? 100 : d.unit == Unit::kMean ? 1 : 100000;
      if (per) GT_RETURN_IF_ERROR(ParsePer(*per, d.rate_per));
    }
    d.derived = std::move(dv);
    return Status::Ok();
  }

  Status CompileCaseParts(const toml::table& root, Definition& d, Branch& b) {
    if (const toml::node* v = root.get("value"))
      GT_RETURN_IF_ERROR(CompileNode(*v, {}, b.table, false, b.value));
    if (const toml::node* v = root.get("age_on")) {
      GT_RETURN_IF_ERROR(CompileNode(*v, {}, b.table, false, b.age_on));
      if (!b.age_on.is_date()) return Err(*v, "'age_on' must be a date on the case record (e.g. \"discharged_on\")");
    }
    std::vector<TableId> outer;
    TableId scope = b.table;
    if (const toml::node* nv = root.get("numerator")) {
      const toml::table* nt = nv->as_table();
      if (!nt) return Err(*nv, "[numerator] must be a table");
      GT_RETURN_IF_ERROR(CheckKeys(*nt, kNumeratorKeys, "numerator."));
      d.has_numerator = true;
      if (const toml::node* from = nt->get("from")) {
        GT_RETURN_IF_ERROR(ParseTable(*from, d.numerator_from));
        outer.push_back(b.table);
        scope = d.numerator_from;
      }
      const toml::node* where = nt->get("where");
      if (!where) return Err(*nt, "[numerator] needs 'where'");
      GT_RETURN_IF_ERROR(CompileNode(*where, outer, scope, true, b.num_where));
      if (const toml::node* c = nt->get("claimed")) {
        d.has_claimed = true;
        GT_RETURN_IF_ERROR(CompileNode(*c, outer, scope, true, b.num_claimed));
      }
    }
    if (const toml::node* cv = root.get("criteria")) {
      const toml::table* ct = cv->as_table();
      if (!ct) return Err(*cv, "[criteria] must be a table of named conditions");
      GT_RETURN_IF_ERROR(NoTopKeys(*ct, "criteria"));
      bool record_names = d.criteria.empty();
      // Which criteria a claimed case fails is kept as bits of a 32-bit mask.
      if (ct->size() > 32) return Err(*cv, "[criteria] has " + std::to_string(ct->size()) + " criteria (at most 32)");
      for (const auto& [name, c] : InFileOrder(*ct)) {
        if (record_names) d.criteria.push_back(name);
        Expr e;
        GT_RETURN_IF_ERROR(CompileNode(*c, outer, scope, true, e));
        b.criteria.push_back(std::move(e));
      }
    }
    return Status::Ok();
  }

  // toml++ keeps keys sorted; criteria and lets keep the order they are
  // written in (a let may use the lets above it).
  static std::vector<std::pair<std::string, const toml::node*>> InFileOrder(const toml::table& t) {
    std::vector<std::pair<toml::source_position, std::pair<std::string, const toml::node*>>> v;
    for (auto&& [k, n] : t) v.push_back({k.source().begin, {std::string(k.str()), &n}});
    std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
      return a.first.line != b.first.line ? a.first.line < b.first.line : a.first.column < b.first.column;
    });
    std::vector<std::pair<std::string, const toml::node*>> out;
    for (auto& e : v) out.push_back(std::move(e.second));
    return out;
  }

  // toml++ limits nested values (arrays, inline tables) to 256, but not
  // dotted keys: a.b.b.b... = 1 with 50,000 parts nests 50,000 tables and
  // overflows the stack in toml++. A key (or [table] header) of more than
  // kMaxKeyParts parts is refused before toml++ reads the text. Strings and
  // comments are skipped; keys are what precedes '=' on a line or in an
  // inline table, and [headers].
  Status CheckKeyDepth() const {
    constexpr int kMaxKeyParts = 64;
    size_t line = 1, col = 1;
    bool in_key = true;  // at the start of a line: a key or a header
    int braces = 0, parts = 1;
    for (size_t i = 0; i < text_.size(); ++i, ++col) {
      const char c = text_[i];
      if (c == '\n') {
        ++line, col = 0, in_key = braces == 0, parts = 1;
        continue;
      }
      if (c == '#') {  // a comment runs to the end of the line
        while (i + 1 < text_.size() && text_[i + 1] != '\n') ++i;
        continue;
      }
      if (c == '"' || c == '\'') {
        // Skip the string: basic or literal, one line or three quotes.
        const bool triple = text_.substr(i, 3) == std::string(3, c);
        const std::string_view close = triple ? text_.substr(i, 3) : text_.substr(i, 1);
        size_t j = i + close.size();
        while (j < text_.size() && text_.substr(j, close.size()) != close) {
          if (c == '"' && text_[j] == '\\') ++j;  // an escape in a basic string
          if (j < text_.size() && text_[j] == '\n') ++line, col = 0;
          ++j;
        }
        col += j - i;
        i = std::min(text_.size(), j + close.size()) - 1;
        continue;
      }
      if (c == '{') ++braces, in_key = true, parts = 1;
      else if (c == '}') braces = std::max(0, braces - 1), in_key = false;
      else if (c == ',' && braces > 0) in_key = true, parts = 1;
      else if (c == '=') in_key = false;
      else if (c == '.' && in_key && ++parts > kMaxKeyParts)
        return Status::InvalidArgument(file_ + ":" + std::to_string(line) + ":" + std::to_string(col) +
                                       ": a key of more than " + std::to_string(kMaxKeyParts) + " dotted parts");
    }
    return Status::Ok();
  }

  std::string Where(const toml::source_position& p) const {
    return file_ + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) + ": ";
  }
  Status Err(const toml::node& n, const std::string& msg) const {
    return Status::InvalidArgument(Where(n.source().begin) + msg);
  }

  template <size_t N>
  Status CheckKeys(const toml::table& t, const std::string_view (&known)[N], std::string_view prefix) {
    for (auto&& [k, v] : t) {
      std::string_view name = k.str();
      if (std::find(std::begin(known), std::end(known), name) != std::end(known)) continue;
      if (!prefix.empty()) GT_RETURN_IF_ERROR(NotATopKey(k, prefix.substr(0, prefix.size() - 1)));
      std::vector<std::string_view> cands(std::begin(known), std::end(known));
      std::string hint = ClosestName(name, cands);
      std::string msg = "unknown key '" + std::string(prefix) + std::string(name) + "'";
      if (!hint.empty()) msg += " (did you mean '" + std::string(prefix) + hint + "'?)";
      return Status::InvalidArgument(Where(k.source().begin) + msg);
    }
    return Status::Ok();
  }

  // A top-level key written below a [table] header is read by TOML as a
  // key of that table ("parameter 'cuts' must be a number"): say so.
  Status NotATopKey(const toml::key& k, std::string_view table) const {
    const std::string_view name = k.str();
    if (std::find(std::begin(kTopKeys), std::end(kTopKeys), name) == std::end(kTopKeys)) return Status::Ok();
    return Status::InvalidArgument(Where(k.source().begin) + "'" + std::string(name) + "' is read as part of [" +
                                   std::string(table) +
                                   "], since TOML puts every key after a [table] header into that table: move '" +
                                   std::string(name) + "' above the first [table] header");
  }
  Status NoTopKeys(const toml::table& t, std::string_view table) const {
    for (auto&& [k, v] : t) GT_RETURN_IF_ERROR(NotATopKey(k, table));
    return Status::Ok();
  }

  Status RequireString(const toml::table& t, std::string_view key, std::string& out) {
    const toml::node* v = t.get(key);
    if (!v) return Status::InvalidArgument(file_ + ":1:1: missing '" + std::string(key) + "'");
    if (!v->is_string()) return Err(*v, "'" + std::string(key) + "' must be a string");
    out = v->as_string()->get();
    if (out.empty()) return Err(*v, "'" + std::string(key) + "' must not be empty");
    return Status::Ok();
  }

  template <typename E, size_t N>
  Status ParseChoice(const toml::node& v, std::string_view what, const Choice<E> (&choices)[N], E& out) {
    std::string s = v.value<std::string>().value_or("");
    std::vector<std::string_view> names;
    for (const auto& c : choices) {
      if (c.name == s) {
        out = c.value;
        return Status::Ok();
      }
      names.push_back(c.name);
    }
    std::string hint = ClosestName(s, names);
    if (!hint.empty()) return Err(v, "unknown " + std::string(what) + " '" + s + "' (did you mean '" + hint + "'?)");
    std::string all;
    for (std::string_view n : names) all += (all.empty() ? "" : ", ") + std::string(n);
    return Err(v, "unknown " + std::string(what) + " '" + s + "' (expected one of: " + all + ")");
  }
  template <typename E, size_t N>
  Status RequireChoice(const toml::table& t, std::string_view key, const Choice<E> (&choices)[N], E& out) {
    const toml::node* v = t.get(key);
    if (!v) return Status::InvalidArgument(file_ + ":1:1: missing '" + std::string(key) + "'");
    return ParseChoice(*v, key, choices, out);
  }

  Status ParseTable(const toml::node& v, TableId& out) {
    std::string s = v.value<std::string>().value_or("");
    const TableSpec* t = FindTable(s);
    if (!t) {
      std::vector<std::string_view> names;
      for (const TableSpec& ts : AllTables()) names.push_back(ts.name);
      std::string hint = ClosestName(s, names);
      return Err(v, "unknown table '" + s + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
    }
    if (t->person_field < 0 && t->id != TableId::kPeople)
      return Err(v, "table " + s + " is not on a person's timeline");
    out = t->id;
    return Status::Ok();
  }

  // Compiles a string node; errors point into the string.
  Status CompileNode(const toml::node& v, const std::vector<TableId>& outer, TableId scope, bool want_bool,
                     Expr& out) {
    if (!v.is_string()) return Err(v, "expected an expression in a string");
    ExprError err;
    if (TryCompile(v.as_string()->get(), outer, scope, want_bool, env_, out, err)) return Status::Ok();
    // Map the offset in the string to the file: skip the opening quote(s);
    // multi-line strings trim a newline straight after the delimiter.
    toml::source_position p = v.source().begin;
    const std::string& s = v.as_string()->get();
    std::string_view line = Line(p.line);
    size_t col0 = p.column - 1;
    size_t delim = (line.substr(col0, 3) == "\"\"\"" || line.substr(col0, 3) == "'''") ? 3 : 1;
    size_t ln = p.line, col = p.column + delim;
    if (delim == 3 && col0 + 3 >= line.size()) ln += 1, col = 1;
    for (size_t i = 0; i < err.offset && i < s.size(); ++i) {
      if (s[i] == '\n') ++ln, col = 1;
      else ++col;
    }
    return Status::InvalidArgument(file_ + ":" + std::to_string(ln) + ":" + std::to_string(col) + ": " + err.message);
  }
  std::string_view Line(size_t n) const {
    size_t pos = 0;
    for (size_t i = 1; i < n && pos != std::string_view::npos; ++i) {
      pos = text_.find('\n', pos);
      if (pos != std::string_view::npos) ++pos;
    }
    if (pos == std::string_view::npos) return {};
    size_t end = text_.find('\n', pos);
    return text_.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
  }

  std::string_view text_;
  std::string file_;
  CompileEnv env_;
};

}  // namespace

Result<Definition> ParseDefinition(std::string_view toml_text, std::string_view file_name) {
  Loader l(toml_text, file_name);
  return l.Run();
}

Result<Definition> LoadDefinitionFile(const std::string& path) {
  // A regular file of bounded size (core/file.h), never a FIFO or a device.
  Result<std::string> text = ReadInputFile(path, kMaxDefinitionBytes);
  if (!text.ok()) return text.status();
  return ParseDefinition(*text, path);
}

Result<std::vector<Definition>> LoadDefinitionDir(const std::string& dir) {
  std::error_code ec;
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.path().extension() == ".toml") files.push_back(e.path().string());
  if (ec) return Status::IOError(dir + ": cannot list the directory (" + ec.message() + ")");
  std::sort(files.begin(), files.end());
  std::vector<Definition> out;
  for (const std::string& f : files) {
    Result<Definition> d = LoadDefinitionFile(f);
    if (!d.ok()) return d.status();
    std::vector<Definition> one;
    one.push_back(std::move(d).value());
    GT_RETURN_IF_ERROR(MergeDefinitions(out, std::move(one)));
  }
  return out;
}

Status MergeDefinitions(std::vector<Definition>& base, std::vector<Definition> extra) {
  for (Definition& d : extra) {
    for (const Definition& b : base)
      if (b.id == d.id)
        return Status::InvalidArgument(d.file + ": indicator '" + d.id + "' is already defined in " + b.file);
    base.push_back(std::move(d));
  }
  return Status::Ok();
}

bool IsProvisional(const Period& period, const Definition& d, Date data_end) {
  return d.follow_up_days > 0 && data_end != kNullDate && period.end + d.follow_up_days > data_end;
}

Result<std::vector<Definition>> LoadBuiltInAndLocal(const std::string& extra_dir) {
  Result<std::vector<Definition>> defs = LoadDefinitionDir(BuiltInDir());
  if (!defs.ok()) return defs;
  if (!extra_dir.empty()) {
    Result<std::vector<Definition>> extra = LoadDefinitionDir(extra_dir);
    if (!extra.ok()) return extra.status();
    GT_RETURN_IF_ERROR(MergeDefinitions(*defs, std::move(extra).value()));
  }
  // [derived] definitions may name any of them.
  GT_RETURN_IF_ERROR(ResolveDerived(*defs));
  return defs;
}

}  // namespace goldthread::indicators
