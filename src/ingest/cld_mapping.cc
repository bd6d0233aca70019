#include "ingest/cld_mapping.h"

#include <algorithm>
#include <array>

#include <toml++/toml.h>

#include "core/file.h"
#include "core/utf8.h"
#include "ingest/digest.h"
#include "model/schema.h"

namespace goldthread {
namespace {

/// The codes of a canonical field ("people", "sex"), for checking targets.
std::span<const std::string_view> CodesOf(TableId table, std::string_view field) {
  const TableSpec& t = Table(table);
  return t.fields[static_cast<size_t>(t.FieldIndex(field))].codes;
}

std::string CodeList(std::span<const std::string_view> codes) {
  std::string out;
  for (std::string_view c : codes) out += (out.empty() ? "" : ", ") + std::string(c);
  return out;
}

bool IsCode(std::span<const std::string_view> codes, std::string_view v) {
  return std::find(codes.begin(), codes.end(), v) != codes.end();
}

constexpr std::string_view kYesNo[] = {"Y", "N"};

struct TableDef {
  CldValueTable CldMapping::*member;
  const char* section;
  const char* column;
  std::span<const std::string_view> codes;
  bool allow_skip;  // "-" allowed
};

std::vector<TableDef> ValueTables() {
  using T = TableId;
  return {
      {&CldMapping::client_type, "client_type", "Client_Type", CodesOf(T::kPeople, "role"), false},
      {&CldMapping::gender, "gender", "Gender", CodesOf(T::kPeople, "sex"), false},
      {&CldMapping::ethnicity, "ethnicity", "Ethnicity", CodesOf(T::kPeople, "ethnicity"), false},
      {&CldMapping::primary_support_reason, "primary_support_reason", "Primary_Support_Reason",
       CodesOf(T::kPeople, "primary_support_reason"), false},
      {&CldMapping::employment_status, "employment_status", "Employment_Status", CodesOf(T::kPeople, "employment"),
       false},
      {&CldMapping::route_of_access, "request_route_of_access", "Request_Route_of_Access",
       CodesOf(T::kRequests, "route"), false},
      {&CldMapping::request_outcome, "request_outcome", "Event_Outcome", CodesOf(T::kRequests, "outcome"), true},
      {&CldMapping::assessment_type, "assessment_type", "Assessment_Type", CodesOf(T::kAssessments, "kind"), true},
      {&CldMapping::eligible_needs, "eligible_needs_identified", "Eligible_Needs_Identified", kYesNo, false},
      {&CldMapping::review_reason, "review_reason", "Review_Reason", CodesOf(T::kReviews, "kind"), true},
      {&CldMapping::review_outcomes, "review_outcomes_achieved", "Review_Outcomes_Achieved",
       CodesOf(T::kReviews, "outcomes_achieved"), false},
      {&CldMapping::delivery_mechanism, "delivery_mechanism", "Delivery_Mechanism", CodesOf(T::kServices, "delivery"),
       false},
      {&CldMapping::carer_service_description, "carer_service_description", "Event_Description",
       CodesOf(T::kServices, "hub_intervention"), false},
  };
}

struct CostName {
  std::string_view name;
  CostBasis basis;
};
constexpr CostName kCostNames[] = {
    {"per_unit", CostBasis::kPerUnit}, {"week", CostBasis::kWeek},   {"fortnight", CostBasis::kFortnight},
    {"four_weeks", CostBasis::kFourWeeks}, {"month", CostBasis::kMonth}, {"quarter", CostBasis::kQuarter},
    {"year", CostBasis::kYear},        {"one_off", CostBasis::kOneOff},
};

/// A table's entries in the order they are written (toml++ keeps keys
/// sorted; export needs "the first listed").
std::vector<std::pair<std::string, const toml::node*>> InFileOrder(const toml::table& t) {
  std::vector<std::pair<std::string, const toml::node*>> out;
  for (const auto& [k, v] : t) out.emplace_back(std::string(k.str()), &v);
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second->source().begin.line < b.second->source().begin.line;
  });
  return out;
}

class Parser {
 public:
  explicit Parser(std::string_view source) : source_(source) {}
  Status Parse(const toml::table& root, CldMapping& m);

 private:
  Status Error(const toml::node* at, const std::string& what) const {
    std::string where = std::string(source_);
    if (at && at->source().begin.line > 0) where += ":" + std::to_string(at->source().begin.line);
    return Status::InvalidArgument(where + ": " + what);
  }
  /// Remembers a key of a section, refusing two values that are one key.
  Status Claim(const std::string& section, const std::string& value, const toml::node* at,
               std::map<std::string, std::string>& seen, std::string& key) {
    key = CldKey(value);
    if (key.empty())
      return Error(at, "[" + section + "] '" + Printable(value) + "' has no letters or digits (expected a CLD value)");
    auto [it, inserted] = seen.try_emplace(key, value);
    if (!inserted)
      return Error(at, "[" + section + "] '" + Printable(value) + "' is the same value as '" + Printable(it->second) +
                           "' (values are matched ignoring case, spaces and punctuation; expected each once)");
    return Status::Ok();
  }
  Status Options(const toml::table& t, CldMapping& m);
  Status Values(const toml::table& t, const TableDef& def, CldValueTable& out);
  Status Services(const toml::table& t, const std::string& section, bool component,
                  std::vector<CldMapping::ServiceEntry>& out);
  Status Costs(const toml::table& t, CldMapping& m);

  std::string_view source_;
};

Status Parser::Options(const toml::table& t, CldMapping& m) {
  for (const auto& entry : InFileOrder(t)) {
    // Named, not structured bindings: the lambdas below use them, which
    // clang 14 (the fuzzers' compiler) refuses for a binding.
    const auto& key = entry.first;
    const auto& node = entry.second;
    const std::string where = "[options] " + key;
    auto text = [&](std::string& out, std::initializer_list<std::string_view> allowed) -> Status {
      std::optional<std::string> v = node->value<std::string>();
      if (!v || !node->is_string()) return Error(node, where + ": expected a string");
      if (allowed.size() && std::find(allowed.begin(), allowed.end(), *v) == allowed.end()) {
        std::string list;
        for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        return Error(node, where + ": '" + Printable(*v) + "' (expected one of " + list + ")");
      }
      out = *v;
      return Status::Ok();
    };
    auto flag = [&](bool& out) -> Status {
      if (!node->is_boolean()) return Error(node, where + ": expected true or false");
      out = *node->value<bool>();
      return Status::Ok();
    };
    if (key == "event_id") {
      std::string v;
      GT_RETURN_IF_ERROR(text(v, {"auto", "derived", "event_reference"}));
      m.event_id = v == "derived"           ? CldMapping::EventId::kDerived
                   : v == "event_reference" ? CldMapping::EventId::kReference
                                            : CldMapping::EventId::kAuto;
    } else if (key == "area") {
      GT_RETURN_IF_ERROR(text(m.area, {"la_code", "postcode", "postcode_district", "none"}));
    } else if (key == "org_unit") {
      GT_RETURN_IF_ERROR(text(m.org_unit, {}));
    } else if (key == "link_assessments") {
      GT_RETURN_IF_ERROR(flag(m.link_assessments));
    } else if (key == "derive_care_home_admissions") {
      GT_RETURN_IF_ERROR(flag(m.derive_care_home_admissions));
    } else {
      return Error(node, where + ": unknown option (expected event_id, area, org_unit, link_assessments, "
                                 "derive_care_home_admissions)");
    }
  }
  return Status::Ok();
}

Status Parser::Values(const toml::table& t, const TableDef& def, CldValueTable& out) {
  out = CldValueTable{};
  out.section = def.section;
  out.column = def.column;
  std::map<std::string, std::string> seen;
  for (const auto& [value, node] : InFileOrder(t)) {
    std::string key;
    GT_RETURN_IF_ERROR(Claim(def.section, value, node, seen, key));
    std::optional<std::string> code = node->value<std::string>();
    const std::string where = "[" + std::string(def.section) + "] '" + Printable(value) + "'";
    if (!code || !node->is_string()) return Error(node, where + ": expected a string (a goldthread code)");
    const bool skip = *code == "-";
    if ((skip && !def.allow_skip) || (!skip && !IsCode(def.codes, *code)))
      return Error(node, where + " = '" + Printable(*code) + "': not a code (expected one of " + CodeList(def.codes) +
                             (def.allow_skip ? ", or - for not imported" : "") + ")");
    out.codes[key] = *code;
    out.labels[key] = value;
    if (!skip) out.export_value.try_emplace(*code, value);
  }
  return Status::Ok();
}

Status Parser::Services(const toml::table& t, const std::string& section, bool component,
                        std::vector<CldMapping::ServiceEntry>& out) {
  std::map<std::string, std::string> seen;
  const TableSpec& services = Table(TableId::kServices);
  for (const auto& [value, node] : InFileOrder(t)) {
    CldMapping::ServiceEntry e;
    e.label = value;
    GT_RETURN_IF_ERROR(Claim(section, value, node, seen, e.key));
    const std::string where = "[" + section + "] '" + Printable(value) + "'";
    const toml::table* fields = node->as_table();
    if (!fields) return Error(node, where + ": expected an inline table, e.g. { service_type = \"home_care\" }");
    for (const auto& [fname, fnode] : *fields) {
      const std::string name(fname.str());
      if (name == "care_home") {
        if (!fnode.is_boolean()) return Error(&fnode, where + " care_home: expected true or false");
        e.map.care_home = *fnode.value<bool>();
        continue;
      }
      std::string* slot = name == "service_type"       ? &e.map.service_type
                          : name == "setting"          ? &e.map.setting
                          : name == "term"             ? &e.map.term
                          : name == "hub_intervention" ? &e.map.hub_intervention
                          : name == "delivery"         ? &e.map.delivery
                                                       : nullptr;
      if (!slot)
        return Error(&fnode, where + " " + name +
                                 ": unknown field (expected service_type, setting, term, hub_intervention, delivery, "
                                 "care_home)");
      std::optional<std::string> v = fnode.value<std::string>();
      if (!v || !fnode.is_string()) return Error(&fnode, where + " " + name + ": expected a string");
      const FieldSpec& f = services.fields[static_cast<size_t>(services.FieldIndex(name))];
      if (!v->empty() && !IsCode(f.codes, *v))
        return Error(&fnode, where + " " + name + " = '" + Printable(*v) + "': not a code (expected one of " +
                                 CodeList(f.codes) + ")");
      *slot = *v;
    }
    if (!component && (e.map.service_type.empty() || e.map.term.empty()))
      return Error(node, where + ": expected service_type and term (every service has them)");
    out.push_back(std::move(e));
  }
  return Status::Ok();
}

Status Parser::Costs(const toml::table& t, CldMapping& m) {
  std::map<std::string, std::string> seen;
  for (const auto& [value, node] : InFileOrder(t)) {
    std::string key;
    GT_RETURN_IF_ERROR(Claim("cost_frequency", value, node, seen, key));
    std::optional<std::string> v = node->value<std::string>();
    const CostName* found = nullptr;
    for (const CostName& c : kCostNames)
      if (v && c.name == *v) found = &c;
    if (!found || !node->is_string())
      return Error(node, "[cost_frequency] '" + Printable(value) +
                             "': expected one of per_unit, week, fortnight, four_weeks, month, quarter, year, one_off");
    m.cost_frequency[key] = found->basis;
    m.cost_frequency_label[key] = value;
    m.cost_frequency_export.try_emplace(found->basis, value);
  }
  return Status::Ok();
}

Status Parser::Parse(const toml::table& root, CldMapping& m) {
  const std::vector<TableDef> defs = ValueTables();
  for (const auto& entry : InFileOrder(root)) {
    const auto& name = entry.first;  // not a structured binding: a lambda below uses it (clang 14)
    const auto& node = entry.second;
    const toml::table* t = node->as_table();
    if (!t) return Error(node, name + ": expected a table ([" + name + "])");
    if (name == "options") {
      GT_RETURN_IF_ERROR(Options(*t, m));
    } else if (name == "service_type" || name == "service_component") {
      GT_RETURN_IF_ERROR(Services(*t, name, name == "service_component",
                                  name == "service_type" ? m.service_type : m.service_component));
    } else if (name == "cost_frequency") {
      GT_RETURN_IF_ERROR(Costs(*t, m));
    } else {
      auto def = std::find_if(defs.begin(), defs.end(), [&](const TableDef& d) { return name == d.section; });
      if (def == defs.end()) {
        std::string known = "options, service_type, service_component, cost_frequency";
        for (const TableDef& d : defs) known += ", " + std::string(d.section);
        return Error(node, "[" + Printable(name) + "]: unknown table (expected " + known + ")");
      }
      GT_RETURN_IF_ERROR(Values(*t, *def, m.*(def->member)));
    }
  }
  // A table left out of the file maps nothing; say which column it is for.
  for (const TableDef& d : defs) {
    CldValueTable& v = m.*(d.member);
    v.section = d.section;
    v.column = d.column;
  }
  return Status::Ok();
}

}  // namespace

void CldKeyInto(std::string_view s, std::string& out) {
  // ASCII letters and digits only (the CLD value sets are ASCII), without
  // the locale lookups of isalnum/tolower or a branch a byte: a dozen
  // values a row. Each byte's key character, or 0 for none.
  static constexpr std::array<char, 256> kKey = [] {
    std::array<char, 256> k{};
    for (int c = '0'; c <= '9'; ++c) k[c] = static_cast<char>(c);
    for (int c = 'a'; c <= 'z'; ++c) k[c] = static_cast<char>(c);
    for (int c = 'A'; c <= 'Z'; ++c) k[c] = static_cast<char>(c - 'A' + 'a');
    return k;
  }();
  out.resize(s.size());
  size_t n = 0;
  for (const char c : s) {
    const char k = kKey[static_cast<unsigned char>(c)];
    out[n] = k;
    n += k != 0;
  }
  out.resize(n);
}

std::string CldKey(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  CldKeyInto(s, out);
  return out;
}

namespace {

/// The key of a value looked up, in a buffer reused by each thread (the
/// import looks up a dozen values a row).
const std::string& LookupKey(std::string_view value) {
  thread_local std::string key;
  CldKeyInto(value, key);
  return key;
}

}  // namespace

const std::string* CldValueTable::Find(std::string_view value) const {
  auto it = codes.find(LookupKey(value));
  return it == codes.end() ? nullptr : &it->second;
}

const CldMapping::ServiceEntry* CldMapping::FindServiceType(std::string_view value) const {
  const std::string& key = LookupKey(value);
  for (const ServiceEntry& e : service_type)
    if (e.key == key) return &e;
  return nullptr;
}

const CldMapping::ServiceEntry* CldMapping::FindServiceComponent(std::string_view value) const {
  const std::string& key = LookupKey(value);
  for (const ServiceEntry& e : service_component)
    if (e.key == key) return &e;
  return nullptr;
}

Result<CldMapping> ParseCldMapping(std::string_view text, std::string_view source) {
  // toml++ is built with exceptions; its parse error is caught here, at the
  // boundary (shared/STYLE_ANCHORS.md section 5).
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& err) {
    return Status::InvalidArgument(std::string(source) + ":" + std::to_string(err.source().begin.line) + ": " +
                                   std::string(err.description()));
  }
  CldMapping m;
  Parser parser(source);
  GT_RETURN_IF_ERROR(parser.Parse(root, m));
  m.digest = Sha256Hex(text);
  return m;
}

const CldMapping& DefaultCldMapping() {
  static const CldMapping* mapping = [] {
    Result<CldMapping> m = ParseCldMapping(DefaultCldMappingText(), "the built-in CLD mapping");
    assert(m.ok());  // cld_mapping_test parses it
    return new CldMapping(std::move(*m));
  }();
  return *mapping;
}

Result<CldMapping> LoadCldMapping(const std::string& path) {
  Result<std::string> text = ReadInputFile(path);
  if (!text.ok()) return text.status();
  return ParseCldMapping(*text, path);
}

}  // namespace goldthread
