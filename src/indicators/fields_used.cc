#include "indicators/fields_used.h"

#include <algorithm>

#include "indicators/expr_node.h"

namespace goldthread::indicators {
namespace {

void Use(TableId table, int field, std::vector<FieldUse>& out) {
  if (table != kNoTable && field >= 0) out.push_back({table, field});
}

void Use(TableId table, std::string_view name, std::vector<FieldUse>& out) {
  Use(table, Table(table).FieldIndex(name), out);
}

// The node kinds that read a field are those eval.cc reads columns for.
void Walk(const Node* n, std::vector<FieldUse>& out) {
  if (!n) return;
  switch (n->op) {
    case Op::kField:
    case Op::kPersonField:
    case Op::kRowId:
      Use(n->table, n->field, out);
      break;
    case Op::kRefField:
      // table.field is the reference column; table2.field2 the field behind it.
      Use(n->table, n->field, out);
      Use(n->table2, n->field2, out);
      break;
    case Op::kActiveAt:
    case Op::kActiveIn:
      Use(n->table, n->field, out);
      Use(n->table, n->field2, out);
      break;
    case Op::kAgeAt:
      Use(TableId::kPeople, "birth_date", out);
      break;
    case Op::kAnswer:
      for (std::string_view f : {"instrument", "collected_on", "item", "answer"})
        Use(TableId::kSurveyResponses, f, out);
      break;
    case Op::kWeekCount:
    case Op::kWeekSum:
      Use(n->table, Table(n->table).date_field, out);
      break;
    case Op::kLatest:
    case Op::kFirst:
      // Ordered by the timeline date (unless a date is given), ties by id.
      if (n->kids.size() < 3) Use(n->table, Table(n->table).date_field, out);
      Use(n->table, Table(n->table).id_field, out);
      break;
    case Op::kHasGroup:
      Use(TableId::kPeople, "groups", out);
      break;
    default:
      break;
  }
  for (const auto& kid : n->kids) Walk(kid.get(), out);
}

void Walk(const Expr& e, std::vector<FieldUse>& out) { Walk(e.root(), out); }

// The people field each cut groups by (engine.cc's GroupsOf).
std::string_view CutField(Cut c) {
  switch (c) {
    case Cut::kAgeBand:
      return "birth_date";
    case Cut::kSex:
      return "sex";
    case Cut::kEthnicity:
      return "ethnicity";
    case Cut::kPrimarySupportReason:
      return "primary_support_reason";
    case Cut::kCarerGroup:
      return "groups";
  }
  return "";
}

}  // namespace

std::vector<FieldUse> FieldsUsed(const Definition& def, bool include_criteria) {
  std::vector<FieldUse> out;
  for (const Branch& b : def.branches) {
    const TableSpec& t = Table(b.table);
    if (t.has_lineage) Use(b.table, "org_unit_id", out);
    // A table without a team (care_links) is still read: its person field
    // puts each record on a timeline, whatever else the where names.
    else if (t.person_field >= 0 && b.table != TableId::kPeople) Use(b.table, t.fields[t.person_field].name, out);
    Walk(b.where, out);
    for (const Expr& e : b.lets) Walk(e, out);
    Walk(b.value, out);
    Walk(b.age_on, out);
    Walk(b.num_where, out);
    Walk(b.num_claimed, out);
    if (include_criteria)
      for (const Expr& e : b.criteria) Walk(e, out);
  }
  if (def.unit == Unit::kRatePer100k && def.rate_population) {
    // The rate's own population: its records (the cuts are added below).
    for (const FieldUse& u : FieldsUsed(*def.rate_population, include_criteria)) out.push_back(u);
  } else if (def.unit == Unit::kRatePer100k && def.rate_table == TableId::kCarerPopulations) {
    Walk(def.rate_where, out);
    Use(TableId::kCarerPopulations, "estimated_count", out);
  } else if (def.unit == Unit::kRatePer100k && !def.derived) {
    Walk(def.rate_where, out);
    Use(TableId::kPopulations, "year", out);
    Use(TableId::kPopulations, "count", out);
  }
  for (Cut c : def.cuts) Use(TableId::kPeople, CutField(c), out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace goldthread::indicators
