#include "indicators/definition_gen.h"

#include <fmt/format.h>

#include <string_view>
#include <utility>

#include "model/schema.h"

namespace goldthread::indicators::testing {
namespace {

// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
// generators", OOPSLA 2014): the same stream on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  int Below(size_t n) { return static_cast<int>(Next() % n); }
  bool Chance(int percent) { return Below(100) < percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(Below(v.size()))];
  }

 private:
  uint64_t state_;
};

//===----------------------------------------------------------------------===//
// Expression text that knows its scopes
//===----------------------------------------------------------------------===//

// A field reference keeps the scope depth it reads (target) and the depth it
// is written at (at), so it is printed with the right number of outer.
// wherever the text ends up; a let reference keeps the depth it is used at.
// Depths are those of the expression's own frame: 0 is the case record (for
// a let's body too, since a let is a value of the case record).
struct Piece {
  enum class Kind { kText, kField, kLet } kind = Kind::kText;
  std::string text;  // kText: the text; kField: the field ("request_id.received_on" follows a reference)
  int target = 0, at = 0;
  int let = -1;
};
using Code = std::vector<Piece>;

Code Txt(std::string s) { return {Piece{Piece::Kind::kText, std::move(s), 0, 0, -1}}; }
Code Fld(std::string name, int target, int at) { return {Piece{Piece::Kind::kField, std::move(name), target, at, -1}}; }
Code LetRef(int let, int at) { return {Piece{Piece::Kind::kLet, "", 0, at, let}}; }
Code Join(std::initializer_list<Code> parts) {
  Code out;
  for (const Code& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

std::string LetName(int i) { return "let_" + std::string(1, static_cast<char>('a' + i)); }

// Prints code whose frame sits at scope depth `offset` of the definition:
// a field of the case record (target 0) is reached through every scope
// between, any other through those of its own frame.
std::string Print(const Code& code, const std::vector<Code>& lets, bool inline_lets, int offset = 0) {
  std::string out;
  for (const Piece& p : code) {
    switch (p.kind) {
      case Piece::Kind::kText:
        out += p.text;
        break;
      case Piece::Kind::kField: {
        const int outers = p.target == 0 ? p.at + offset : p.at - p.target;
        for (int i = 0; i < outers; ++i) out += "outer.";
        out += p.text;
        break;
      }
      case Piece::Kind::kLet:
        if (inline_lets) out += "(" + Print(lets[static_cast<size_t>(p.let)], lets, true, offset + p.at) + ")";
        else out += LetName(p.let);
        break;
    }
  }
  return out;
}

//===----------------------------------------------------------------------===//
// The schema, as the generator uses it
//===----------------------------------------------------------------------===//

enum class Cat { kDate, kNum, kCode, kYesNo, kText, kRef };

bool Is(const FieldSpec& f, Cat c) {
  switch (f.type) {
    case FieldType::kDate: return c == Cat::kDate;
    case FieldType::kCount: case FieldType::kInt: case FieldType::kAmount: case FieldType::kScore:
      return c == Cat::kNum;
    case FieldType::kCode: return c == Cat::kCode;
    case FieldType::kYesNo: return c == Cat::kYesNo;
    case FieldType::kText: return c == Cat::kText;
    case FieldType::kRef: return c == Cat::kRef;
    default: return false;
  }
}

std::vector<std::string> FieldsOf(TableId t, Cat c) {
  std::vector<std::string> out;
  for (const FieldSpec& f : Table(t).fields)
    if (Is(f, c)) out.emplace_back(f.name);
  return out;
}

const FieldSpec& Spec(TableId t, const std::string& name) { return Table(t).fields[Table(t).FieldIndex(name)]; }

// Tables on a person's timeline with a timeline date: scans and populations.
const std::vector<TableId>& TimelineTables() {
  static const std::vector<TableId> kTables = {
      TableId::kRequests, TableId::kAssessments, TableId::kSupportPlans, TableId::kServices,
      TableId::kVisits, TableId::kPersonalBudgets, TableId::kReviews, TableId::kHospitalEpisodes,
      TableId::kCareHomeAdmissions, TableId::kEmergencyPlans, TableId::kSurveyResponses,
      TableId::kOutcomeMeasures, TableId::kCaseAudits, TableId::kFeedback, TableId::kCareLinks};
  return kTables;
}

bool HasInterval(TableId t) {
  return t == TableId::kServices || t == TableId::kPersonalBudgets || t == TableId::kCareLinks ||
         t == TableId::kHospitalEpisodes;
}

std::string DateField(TableId t) { return std::string(Table(t).fields[Table(t).date_field].name); }

// Text values that occur in the simulated council (and some that do not).
std::vector<std::string> TextValues(TableId t, const std::string& field) {
  if (t == TableId::kSurveyResponses && field == "instrument") return {"sace", "other"};
  if (t == TableId::kSurveyResponses && field == "item")
    return {"q_satisfaction", "q_involved", "q_info_ease", "q_control", "q_safety"};
  if (t == TableId::kOutcomeMeasures && field == "instrument") return {"ascot", "carers_star", "wemwbs"};
  if (t == TableId::kOutcomeMeasures && field == "domain") return {"control", "food", "safety", "work"};
  if (t == TableId::kCaseAudits && field == "item") return {"plan_signed", "risk_assessed", "consent_recorded"};
  if (field == "area") return {"Ashworth", "Bramley"};
  return {"PRV_REABLE", "PRV_HOMECARE1"};
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

struct LetInfo {
  bool date = false;
};

class Gen {
 public:
  explicit Gen(Rng& rng) : rng_(rng) {}

  // Where an expression is being written.
  struct Ctx {
    std::vector<TableId> tables;  // tables[d]: the record at scope depth d of the frame
    bool let_body = false;        // a let's body: depth 0 is the case record, seen from where the let is used
    int max_scan = 3;             // the deepest scope a scan may open
    int lets = 0;                 // lets usable here: 0 .. lets-1
    const std::vector<LetInfo>* let_info = nullptr;
    bool outer = true;            // may read enclosing records
    int depth() const { return static_cast<int>(tables.size()) - 1; }
    TableId table() const { return tables.back(); }
    // Whether a construct that reads the current record implicitly
    // (active_at, week_count, answer) may be used: not at the top of a let's
    // body, where it would mean the record the let is used on.
    bool implicit_ok() const { return !let_body || depth() > 0; }
    bool people() const { return table() == TableId::kPeople; }
  };

  // A field of the current record or (sometimes) of an enclosing one.
  bool PickField(const Ctx& c, Cat cat, Code& out, TableId* table = nullptr, std::string* name = nullptr) {
    int target = c.depth();
    if (c.outer && c.depth() > 0 && rng_.Chance(40)) target = rng_.Below(static_cast<size_t>(c.depth()));
    for (int tries = 0; tries < 2; ++tries, target = c.depth()) {
      std::vector<std::string> fs = FieldsOf(c.tables[target], cat);
      if (cat == Cat::kText)  // the lineage's worker ids and free names seldom match a literal
        std::erase_if(fs, [](const std::string& f) { return f == "worker_id" || f == "recorded_by" || f == "name"; });
      if (fs.empty()) continue;
      std::string f = rng_.Pick(fs);
      out = Fld(f, target, c.depth());
      if (table) *table = c.tables[target];
      if (name) *name = f;
      return true;
    }
    return false;
  }

  Code Number(const Ctx& c, int budget) {
    const int choice = budget <= 0 ? rng_.Below(4) : rng_.Below(15);
    switch (choice) {
      case 0: return Txt(std::to_string(rng_.Below(60)));
      case 1: return Txt(rng_.Chance(50) ? "p_days" : "p_min");
      case 2: {
        Code f;
        if (PickField(c, Cat::kNum, f)) return f;
        return Txt("p_min");
      }
      case 3:
        if (c.lets > 0) {
          for (int tries = 0; tries < 4; ++tries) {
            int l = rng_.Below(static_cast<size_t>(c.lets));
            if (!(*c.let_info)[static_cast<size_t>(l)].date && LetAllowed(c)) return LetRef(l, c.depth());
          }
        }
        return Txt("1.5");
      case 4: return Join({Txt("("), Date(c, budget - 1), Txt(" - "), Date(c, budget - 1), Txt(")")});
      case 5: return Join({Txt("("), Number(c, budget - 1), Txt(rng_.Chance(50) ? " + " : " - "), Number(c, budget - 1), Txt(")")});
      case 6: return Join({Number(c, budget - 1), Txt(" * "), Txt(std::to_string(1 + rng_.Below(3)))});
      case 7: {
        // A divisor read from the data (the quotient is unknown where it is
        // 0), or a constant other than 0 (a constant 0 is refused at load).
        Code divisor = Txt(std::to_string(1 + rng_.Below(7)));
        if (rng_.Chance(50) && !PickField(c, Cat::kNum, divisor)) divisor = Aggregate(c, budget - 1, false);
        return Join({Txt("("), Number(c, budget - 1), Txt(" / "), divisor, Txt(")")});
      }
      case 8: return Join({Txt("-"), Number(c, budget - 1)});
      case 9: return Join({Txt("age_at("), Date(c, budget - 1), Txt(")")});
      case 10: case 11: case 12: return Aggregate(c, budget, false);
      case 13:
        if (c.implicit_ok() && c.table() == TableId::kSurveyResponses)
          return Txt("answer('" + rng_.Pick(TextValues(TableId::kSurveyResponses, "item")) + "')");
        return Aggregate(c, budget, false);
      default:
        if (c.implicit_ok() && !c.people() && c.depth() + 1 <= c.max_scan) {
          Ctx in = c;
          in.tables.push_back(c.table());
          if (rng_.Chance(50)) return Join({Txt("week_count("), Condition(in, budget - 1), Txt(")")});
          std::vector<std::string> nums = FieldsOf(c.table(), Cat::kNum);
          if (!nums.empty())
            return Join({Txt("week_sum("), Fld(rng_.Pick(nums), in.depth(), in.depth()), Txt(", "),
                        Condition(in, budget - 1), Txt(")")});
        }
        return Txt("p_days");
    }
  }

  Code Date(const Ctx& c, int budget) {
    const int choice = budget <= 0 ? rng_.Below(4) : rng_.Below(10);
    switch (choice) {
      case 0: case 1: {
        Code f;
        if (PickField(c, Cat::kDate, f)) return f;
        return Txt("period_end");
      }
      case 2: return Txt(rng_.Chance(50) ? "period_start" : "period_end");
      case 3:
        if (c.lets > 0) {
          for (int tries = 0; tries < 4; ++tries) {
            int l = rng_.Below(static_cast<size_t>(c.lets));
            if ((*c.let_info)[static_cast<size_t>(l)].date && LetAllowed(c)) return LetRef(l, c.depth());
          }
        }
        return Txt("period_end");
      case 4: return Join({Date(c, budget - 1), Txt(rng_.Chance(50) ? " + " : " - "), Txt(std::to_string(rng_.Below(400)))});
      case 5:
        if (rng_.Chance(40))
          return Join({Txt("add_months("), Date(c, budget - 1), Txt(", " + std::to_string(rng_.Below(30)) + ")")});
        return Join({Txt("week_start("), Date(c, budget - 1), Txt(")")});
      case 6: {
        // Follow a reference of the current record.
        TableId t = c.table();
        if (t == TableId::kAssessments) return Fld("request_id.received_on", c.depth(), c.depth());
        if (t == TableId::kVisits) return Fld(rng_.Chance(50) ? "service_id.start_on" : "service_id.end_on", c.depth(), c.depth());
        return Txt("period_start");
      }
      default: return Aggregate(c, budget, true);
    }
  }

  // count/sum/max/min over another table (or the case's own).
  Code Aggregate(const Ctx& c, int budget, bool date) {
    if (c.depth() + 1 > c.max_scan) return date ? Txt("period_end") : Txt("p_days");
    TableId t = rng_.Chance(35) && c.tables[0] != TableId::kPeople ? c.tables[0] : rng_.Pick(TimelineTables());
    Ctx in = c;
    in.tables.push_back(t);
    const int d = in.depth();
    Code cond = Related(in, budget - 1);
    if (date) {
      std::vector<std::string> ds = FieldsOf(t, Cat::kDate);
      static const char* kDateFns[] = {"max(", "min(", "latest(", "first("};
      const int fn = rng_.Below(4);
      Code agg = Join({Txt(kDateFns[fn]), Txt(std::string(Table(t).name)), Txt(", "), Fld(rng_.Pick(ds), d, d),
                       Txt(", "), cond});
      // latest() and first() sometimes ordered by another date of the
      // record than its timeline's.
      if (fn >= 2 && rng_.Chance(15)) agg = Join({agg, Txt(", "), Fld(rng_.Pick(ds), d, d)});
      return Join({agg, Txt(")")});
    }
    std::vector<std::string> nums = FieldsOf(t, Cat::kNum);
    if (nums.empty() || rng_.Chance(30)) return Join({Txt("count("), Txt(std::string(Table(t).name)), Txt(", "), cond, Txt(")")});
    static const char* kFns[] = {"sum(", "max(", "min(", "median(", "latest(", "first(", "percentile("};
    const char* fn = kFns[rng_.Below(7)];
    const std::string p = fn == std::string("percentile(") ? ", " + std::to_string(rng_.Below(101)) : "";
    return Join({Txt(fn), Txt(std::string(Table(t).name)), Txt(", "), Fld(rng_.Pick(nums), d, d), Txt(p + ", "),
                 cond, Txt(")")});
  }

  // A scan's condition, shaped as real ones are: tied to the enclosing
  // record's date or text, a window of the period, a code; sometimes more.
  Code Related(const Ctx& c, int budget) {
    const int d = c.depth();
    const TableId here = c.table();
    const TableId up = d > 0 ? c.tables[static_cast<size_t>(d - 1)] : TableId::kPeople;
    static const char* kOps[] = {" >= ", " <= ", " < ", " > ", " = "};
    auto date_tie = [&] {
      return Join({Fld(DateField(here), d, d), Txt(kOps[rng_.Below(5)]), Fld(DateField(up), d - 1, d)});
    };
    const bool can_tie = c.outer && d > 0 && here != TableId::kPeople && up != TableId::kPeople;
    Code cond;
    switch (rng_.Below(10)) {
      case 0: case 1: case 2:
        cond = can_tie ? date_tie() : Window(here, d, c.implicit_ok());
        break;
      case 3: case 4:
        cond = Window(here, d, c.implicit_ok());
        break;
      case 5:
        if (can_tie && here == up && !FieldsOf(here, Cat::kText).empty() && rng_.Chance(70)) {
          std::vector<std::string> texts = FieldsOf(here, Cat::kText);
          std::erase_if(texts, [](const std::string& f) { return f == "name"; });
          std::string f = rng_.Pick(texts);
          cond = Join({Fld(f, d, d), Txt(" = "), Fld(f, d - 1, d)});
          break;
        }
        [[fallthrough]];
      case 6:
        // Records compared as records: another record of the same table, or
        // one of the same team.
        if (can_tie && here == up && Table(here).key.size() == 1 && rng_.Chance(60)) {
          std::string id(Table(here).fields[Table(here).id_field].name);
          cond = Join({Fld(id, d, d), Txt(" != "), Fld(id, d - 1, d), Txt(" and "), date_tie()});
          break;
        }
        if (can_tie && Table(here).has_lineage && Table(up).has_lineage && rng_.Chance(50)) {
          cond = Join({Fld("org_unit_id", d, d), Txt(" = "), Fld("org_unit_id", d - 1, d)});
          break;
        }
        cond = Leaf(c);
        break;
      default:
        cond = Join({can_tie ? date_tie() : Leaf(c), Txt(" and "), rng_.Chance(50) ? Window(here, d, c.implicit_ok()) : Leaf(c)});
        break;
    }
    if (budget > 0 && rng_.Chance(30)) cond = Join({cond, Txt(rng_.Chance(60) ? " and " : " or "), Condition(c, budget - 1)});
    return cond;
  }

  Code Condition(const Ctx& c, int budget) {
    if (budget <= 0) return Leaf(c);
    switch (rng_.Below(10)) {
      case 0: case 1: return Join({Condition(c, budget - 1), Txt(" and "), Condition(c, budget - 1)});
      case 2: case 3: return Join({Txt("("), Condition(c, budget - 1), Txt(" or "), Condition(c, budget - 1), Txt(")")});
      case 4: return Join({Txt("not ("), Condition(c, budget - 1), Txt(")")});
      case 5: case 6:
        if (c.depth() + 1 <= c.max_scan) {
          Ctx in = c;
          TableId t = rng_.Pick(TimelineTables());
          in.tables.push_back(t);
          return Join({Txt(rng_.Chance(80) ? "exists(" : "not exists("), Txt(std::string(Table(t).name)), Txt(", "),
                      Related(in, budget - 1), Txt(")")});
        }
        return Leaf(c);
      default: return Leaf(c);
    }
  }

  Code Leaf(const Ctx& c) {
    static const char* kOrd[] = {" = ", " != ", " < ", " <= ", " > ", " >= "};
    switch (rng_.Below(14)) {
      case 0: {
        Code f;
        TableId t;
        std::string name;
        if (!PickField(c, Cat::kCode, f, &t, &name)) break;
        std::span<const std::string_view> codes = Spec(t, name).codes;
        std::string a(codes[static_cast<size_t>(rng_.Below(codes.size()))]);
        if (rng_.Chance(40)) {
          std::string b(codes[static_cast<size_t>(rng_.Below(codes.size()))]);
          return Join({f, Txt(" in ('" + a + "', '" + b + "')")});
        }
        return Join({f, Txt(rng_.Chance(70) ? " = '" : " != '"), Txt(a + "'")});
      }
      case 1: {
        Code f;
        if (PickField(c, Cat::kYesNo, f)) return Join({f, Txt(rng_.Chance(70) ? " = 'Y'" : " = 'N'")});
        break;
      }
      case 2: {
        Code f;
        Cat cats[] = {Cat::kDate, Cat::kNum, Cat::kCode, Cat::kRef, Cat::kText};
        if (PickField(c, cats[rng_.Below(5)], f)) return Join({f, Txt(rng_.Chance(50) ? " is null" : " is not null")});
        break;
      }
      case 3: {
        Code f;
        TableId t;
        std::string name;
        if (PickField(c, Cat::kText, f, &t, &name)) return Join({f, Txt(" = '" + rng_.Pick(TextValues(t, name)) + "'")});
        break;
      }
      case 4: return Join({Number(c, 1), Txt(kOrd[rng_.Below(6)]), Number(c, 1)});
      case 5: return Join({Date(c, 1), Txt(kOrd[rng_.Below(6)]), Date(c, 1)});
      case 6: {
        Code d = Date(c, 1);
        switch (rng_.Below(5)) {
          case 0: return Join({d, Txt(" in period")});
          case 1: return Join({d, Txt(" in days_before(period_end, p_days)")});
          case 3: return Join({d, Txt(" in months_before(period_end, " + std::to_string(rng_.Below(25)) + ")")});
          case 4: return Join({d, Txt(" in months_after("), Date(c, 0), Txt(", " + std::to_string(rng_.Below(14)) + ")")});
          default: return Join({d, Txt(" in days_after("), Date(c, 0), Txt(", " + std::to_string(rng_.Below(100)) + ")")});
        }
      }
      case 7: return Join({Txt("between("), Number(c, 1), Txt(", p_min, p_days)")});
      case 8:
        if (c.implicit_ok() && HasInterval(c.table()))
          return rng_.Chance(50) ? Txt("active_at(period_end)") : Join({Txt("active_in(period_start - p_days, "), Date(c, 0), Txt(")")});
        break;
      case 9: return Join({Txt("age_at("), Date(c, 0), Txt(") >= 65")});
      case 10: return Txt(rng_.Chance(50) ? "person.role = 'carer'" : "person.sex in ('F', 'U')");
      case 11: return Txt(rng_.Chance(50) ? "person.employment is null" : "person.primary_support_reason = 'physical'");
      case 12: {
        static const char* kGroups[] = {"bme", "refugee", "lgbt", "traveller", "distance", "young_adult"};
        return Txt(std::string(rng_.Chance(70) ? "" : "not ") + "has_group('" + kGroups[rng_.Below(6)] + "')");
      }
      default: break;
    }
    if (c.people()) return Txt("person.role = 'service_user'");
    return Window(c.table(), c.depth(), c.implicit_ok());
  }

  // A condition that uses a let where lets go wrong most easily: inside a
  // scan of another table or of the case's own, next to the scan's fields.
  Code LetUse(const Ctx& c, int budget) {
    if (c.lets == 0 || !LetAllowed(c)) return Condition(c, budget);
    const int l = rng_.Below(static_cast<size_t>(c.lets));
    const bool date = (*c.let_info)[static_cast<size_t>(l)].date;
    static const char* kOps[] = {" >= ", " <= ", " = ", " < ", " > "};
    const char* op = kOps[rng_.Below(5)];
    if (c.depth() + 1 > c.max_scan || !LetAllowed(c, 1) || rng_.Chance(20)) {
      Code here;
      if (!PickField(c, date ? Cat::kDate : Cat::kNum, here)) here = date ? Txt("period_end") : Txt("p_min");
      return Join({here, Txt(op), LetRef(l, c.depth())});
    }
    TableId t = rng_.Chance(40) && c.tables[0] != TableId::kPeople ? c.tables[0] : rng_.Pick(TimelineTables());
    Ctx in = c;
    in.tables.push_back(t);
    const int d = in.depth();
    Code field;
    if (date) field = Fld(DateField(t), d, d);
    else if (!PickField(in, Cat::kNum, field)) field = Txt("p_days");
    Code cond = Join({field, Txt(op), LetRef(l, d)});
    if (rng_.Chance(40)) cond = Join({cond, Txt(" and "), Related(in, budget - 1)});
    const std::string name(Table(t).name);
    std::vector<std::string> nums = FieldsOf(t, Cat::kNum);
    switch (rng_.Below(4)) {
      case 0: case 1: return Join({Txt("exists(" + name + ", "), cond, Txt(")")});
      case 2: return Join({Txt("count(" + name + ", "), cond, Txt(") >= " + std::to_string(1 + rng_.Below(3)))});
      default:
        if (nums.empty()) return Join({Txt("not exists(" + name + ", "), cond, Txt(")")});
        return Join({Txt("sum(" + name + ", "), Fld(rng_.Pick(nums), d, d), Txt(", "), cond, Txt(") > "), Number(c, 0)});
    }
  }

  // A let's body: mostly an aggregate of the shapes real definitions use
  // (the latest record before the case's, a total of the records on a day
  // another let found, the records since a date another let found), else
  // any number or date.
  Code LetBody(const Ctx& c, bool date, TableId case_table) {
    std::vector<int> date_lets;
    for (int j = 0; j < c.lets; ++j)
      if ((*c.let_info)[static_cast<size_t>(j)].date) date_lets.push_back(j);
    const bool own = case_table != TableId::kPeople;
    TableId t = own && rng_.Chance(50) ? case_table : rng_.Pick(TimelineTables());
    Ctx in = c;
    in.tables.push_back(t);
    const std::string name(Table(t).name), dt = DateField(t);
    auto text_tie = [&]() -> Code {
      std::vector<std::string> texts = FieldsOf(t, Cat::kText);
      std::erase_if(texts, [](const std::string& f) { return f == "name" || f == "worker_id" || f == "recorded_by"; });
      if (t != case_table || texts.empty()) return Txt("");
      std::string f = rng_.Pick(texts);
      return Join({Txt(" and "), Fld(f, 1, 1), Txt(" = "), Fld(f, 0, 1)});
    };
    const int roll = rng_.Below(10);
    if (date) {
      if (roll < 4) return Join({Txt(rng_.Chance(70) ? "max(" : "min("), Txt(name + ", " + dt + ", "), Related(in, 1), Txt(")")});
      if (roll < 6 && own && t == case_table)
        return Join({Txt("max(" + name + ", " + dt + ", "), Fld(dt, 1, 1), Txt(" < "), Fld(dt, 0, 1), text_tie(), Txt(")")});
      if (roll < 7 && !date_lets.empty())
        return Join({Txt("min(" + name + ", " + dt + ", "), Fld(dt, 1, 1), Txt(" > "), LetRef(rng_.Pick(date_lets), 1), Txt(")")});
      return Date(c, 2);
    }
    std::vector<std::string> nums = FieldsOf(t, Cat::kNum);
    if (roll < 4) {
      if (nums.empty() || rng_.Chance(40)) return Join({Txt("count(" + name + ", "), Related(in, 1), Txt(")")});
      return Join({Txt("sum(" + name + ", "), Fld(rng_.Pick(nums), 1, 1), Txt(", "), Related(in, 1), Txt(")")});
    }
    if (roll < 7 && !date_lets.empty()) {
      const int j = rng_.Pick(date_lets);
      if (!nums.empty() && rng_.Chance(60))
        return Join({Txt("sum(" + name + ", "), Fld(rng_.Pick(nums), 1, 1), Txt(", "), Fld(dt, 1, 1), Txt(" = "), LetRef(j, 1),
                     text_tie(), Txt(")")});
      return Join({Txt("count(" + name + ", "), Fld(dt, 1, 1), Txt(" >= "), LetRef(j, 1), Txt(" and "), Fld(dt, 1, 1),
                   Txt(" <= period_end)")});
    }
    return Number(c, 2);
  }

  // A condition on a table's timeline date as period windows are written.
  Code Window(TableId t, int depth, bool implicit_ok) {
    if (implicit_ok && HasInterval(t) && rng_.Chance(40))
      return rng_.Chance(50) ? Txt("active_at(period_end)") : Txt("active_in(period_start, period_end)");
    Code f = Fld(DateField(t), depth, depth);
    switch (rng_.Below(8)) {
      case 0: case 1: return Join({f, Txt(" in period")});
      case 2: return Join({f, Txt(" in days_before(period_end, p_days)")});
      case 3: return Join({f, Txt(" <= period_end")});
      case 4: return Join({f, Txt(" >= period_start - p_days and "), f, Txt(" < period_end + 1")});
      case 5: return Join({Txt("between("), f, Txt(", period_start - 7, period_end)")});
      case 6: return Join({Txt("week_start("), f, Txt(") in period")});
      default: return Join({f, Txt(" > period_start - 30")});
    }
  }

 private:
  // Where a let may be used: written out there, its scans stay within the
  // language's nesting limit (a let's scans open at most 2 scopes, a let is
  // used at most 1 scope into another let and at most 2 into the rest).
  bool LetAllowed(const Ctx& c, int extra = 0) const { return c.depth() + extra <= (c.let_body ? 1 : 2); }

  Rng& rng_;
};

//===----------------------------------------------------------------------===//
// Definitions
//===----------------------------------------------------------------------===//

std::string Quote(const std::string& expr) { return "\"" + expr + "\""; }

GeneratedDefinition Generate(Rng& rng, uint64_t seed, int index) {
  Gen g(rng);
  GeneratedDefinition out;
  out.id = fmt::format("gen-{}-{}", seed, index);
  const int unit_roll = rng.Below(100);
  const std::string unit = unit_roll < 55 ? "percent" : unit_roll < 75 ? "count" : "mean";
  const bool persons = rng.Chance(50);

  // The ways in: one, or two of the same or different tables.
  std::vector<TableId> tables;
  tables.push_back(rng.Chance(8) ? TableId::kPeople : rng.Pick(TimelineTables()));
  if (rng.Chance(20)) tables.push_back(rng.Chance(50) || tables[0] == TableId::kPeople ? tables[0] : rng.Pick(TimelineTables()));
  const bool one_table = tables.size() == 1 || tables[0] == tables[1];
  const TableId case_table = tables[0];

  // Lets: numbers and dates on the case record.
  std::vector<Code> lets;
  std::vector<LetInfo> let_info;
  if (one_table) {
    const int n = rng.Below(4);
    for (int i = 0; i < n; ++i) {
      Gen::Ctx c;
      c.tables = {case_table};
      c.let_body = true;
      c.max_scan = 2;
      c.lets = i;
      c.let_info = &let_info;
      LetInfo info;
      info.date = rng.Chance(50);
      lets.push_back(g.LetBody(c, info.date, case_table));
      let_info.push_back(info);
    }
  }
  out.has_lets = !lets.empty();

  auto expr = [&](const Code& code, bool inlined) { return Quote(Print(code, lets, inlined)); };
  // Both versions of the file are written side by side.
  std::string with, inl;
  auto both = [&](const std::string& s) { with += s, inl += s; };
  auto line = [&](const std::string& key, const Code& code) {
    with += key + " = " + expr(code, false) + "\n";
    inl += key + " = " + expr(code, true) + "\n";
  };

  both("id = \"" + out.id + "\"\ntitle = \"Generated " + out.id + "\"\n");
  both("description = \"A generated definition.\"\nunit = \"" + unit + "\"\npolarity = \"up\"\noba = \"how_well\"\n");
  both(std::string("kind = \"") + (rng.Chance(50) ? "flow" : "snapshot") + "\"\nversion = 1\n");
  static const char* kCuts[] = {"age_band", "sex", "ethnicity", "primary_support_reason", "carer_group"};
  std::string cuts;
  for (const char* cut : kCuts)
    if (rng.Chance(25)) cuts += std::string(cuts.empty() ? "" : ", ") + "\"" + cut + "\"";
  if (!cuts.empty()) both("cuts = [" + cuts + "]\n");

  Gen::Ctx top;
  top.tables = {case_table};
  top.lets = static_cast<int>(lets.size());
  top.let_info = &let_info;
  if (unit == "mean") {
    if (!one_table) {
      both("value = \"1\"\n");
    } else {
      if (rng.Chance(30)) both(rng.Chance(50) ? "statistic = \"median\"\n" : "statistic = \"percentile\"\npercentile = 90\n");
      Code v = g.Number(top, 3);
      if (top.lets > 0 && rng.Chance(60)) v = Join({Txt("("), v, Txt(" + "), LetRef(rng.Below(static_cast<size_t>(top.lets)), 0), Txt(")")});
      line("value", v);
    }
  }
  both(fmt::format("\n[parameters]\np_days = {}\np_min = {}\n", 1 + rng.Below(400), rng.Below(20)));

  for (TableId t : tables) {
    both(tables.size() > 1 ? "\n[[population]]\n" : "\n[population]\n");
    both(std::string("unit = \"") + (persons ? "person" : "record") + "\"\nfrom = \"" + std::string(Table(t).name) + "\"\n");
    if (!persons && rng.Chance(35)) {
      std::vector<std::string> keys = FieldsOf(t, Cat::kText);
      for (const std::string& f : FieldsOf(t, Cat::kDate)) keys.push_back(f);
      for (const std::string& f : FieldsOf(t, Cat::kCode)) keys.push_back(f);
      if (!keys.empty()) {
        std::string a = rng.Pick(keys), b = rng.Pick(keys);
        both("distinct = [\"" + a + "\"" + (a != b && rng.Chance(50) ? ", \"" + b + "\"" : std::string()) + "]\n");
      }
    }
    Gen::Ctx c;
    c.tables = {t};
    Code where = t == TableId::kPeople ? g.Condition(c, 1) : g.Window(t, 0, true);
    const int filter = rng.Below(10);
    if (filter < 5) where = Join({where, Txt(" and "), g.Leaf(c)});
    else if (filter < 7) where = Join({where, Txt(" and "), g.Condition(c, 1)});
    // A let in the population's where (the lets are the case table's).
    if (!lets.empty() && rng.Chance(30)) where = Join({where, Txt(" and "), g.LetUse(top, 1)});
    line("where", where);
  }

  if (!lets.empty()) {
    with += "\n[let]\n";
    for (size_t i = 0; i < lets.size(); ++i) with += LetName(static_cast<int>(i)) + " = " + expr(lets[i], false) + "\n";
  }

  if (unit == "percent") {
    both("\n[numerator]\n");
    const bool from = !one_table || rng.Chance(50);
    if (!from) {
      line("where", top.lets > 0 && rng.Chance(80) ? Join({g.LetUse(top, 2), Txt(rng.Chance(50) ? " and " : " or "),
                                                           g.Condition(top, 1)})
                                                   : g.Condition(top, 3));
    } else {
      TableId t = rng.Pick(TimelineTables());
      both("from = \"" + std::string(Table(t).name) + "\"\n");
      Gen::Ctx c = top;
      c.tables.push_back(t);
      c.outer = one_table;
      line("where", c.lets > 0 && rng.Chance(70)
                        ? Join({Txt("("), g.Related(c, 1), Txt(rng.Chance(50) ? ") and (" : ") or ("), g.LetUse(c, 2), Txt(")")})
                        : g.Related(c, 3));
      if (rng.Chance(30)) {
        line("claimed", g.Leaf(c));
        both("\n[criteria]\n");
        const int n = 1 + rng.Below(2);
        for (int i = 0; i < n; ++i) line("c" + std::to_string(i + 1), g.Leaf(c));
      }
    }
  }
  out.toml = with;
  out.toml_inlined = inl;
  return out;
}

}  // namespace

std::vector<GeneratedDefinition> GenerateDefinitions(uint64_t seed, int count) {
  Rng rng(seed);
  std::vector<GeneratedDefinition> out;
  for (int i = 0; i < count; ++i) out.push_back(Generate(rng, seed, i));
  return out;
}

}  // namespace goldthread::indicators::testing
