// The document as JSON: the same blocks, tables with typed values.

#include <nlohmann/json.hpp>

#include "report/render.h"

namespace goldthread::report {
namespace {

using json = nlohmann::ordered_json;

std::string_view TypeName(ColumnType t) {
  switch (t) {
    case ColumnType::kText: return "text";
    case ColumnType::kCount: return "count";
    case ColumnType::kPercent: return "percent";
    case ColumnType::kDate: return "date";
    case ColumnType::kNumber: return "number";
  }
  return "text";
}

json CellJson(const Column& col, const Cell& c) {
  if (c.suppressed) return json{{"suppressed", true}, {"text", c.text}};
  json v;
  if (!c.number) v = c.text.empty() ? json(nullptr) : json(c.text);
  else if (col.type == ColumnType::kDate) v = FormatDate(static_cast<Date>(*c.number));
  else if (col.type == ColumnType::kCount) v = static_cast<int64_t>(*c.number);
  else v = *c.number;
  if (c.link.empty()) return v;
  return json{{"value", v}, {"link", c.link}};
}

json TableJson(const Table& t) {
  json cols = json::array();
  for (const Column& c : t.columns) cols.push_back({{"heading", c.heading}, {"type", TypeName(c.type)}, {"decimals", c.decimals}});
  json rows = json::array();
  for (const auto& r : t.rows) {
    json row = json::array();
    for (size_t i = 0; i < r.size() && i < t.columns.size(); ++i) row.push_back(CellJson(t.columns[i], r[i]));
    rows.push_back(std::move(row));
  }
  return json{{"id", t.id},   {"caption", t.caption},           {"columns", cols},
              {"rows", rows}, {"note", t.note}, {"person_level", t.person_level}};
}

json BlockJson(const Block& b) {
  if (const auto* h = std::get_if<Heading>(&b)) return {{"type", "heading"}, {"level", h->level}, {"text", h->text}};
  if (const auto* p = std::get_if<Paragraph>(&b)) return {{"type", "paragraph"}, {"text", p->text}};
  if (const auto* c = std::get_if<Callout>(&b)) {
    const char* kind = c->kind == Callout::Kind::kWarning ? "warning" : c->kind == Callout::Kind::kMissing ? "missing" : "info";
    return {{"type", "callout"}, {"kind", kind}, {"title", c->title}, {"text", c->text}};
  }
  if (const auto* ch = std::get_if<Chart>(&b))
    return {{"type", "chart"}, {"id", ch->id}, {"title", ch->title}, {"alt", ch->alt}, {"data", TableJson(ch->data)}};
  if (const auto* t = std::get_if<Table>(&b)) {
    json j = TableJson(*t);
    j["type"] = "table";
    return j;
  }
  if (const auto* i = std::get_if<Icons>(&b))
    return {{"type", "icons"}, {"variation", i->variation}, {"assurance", i->assurance}, {"warning", i->warning}};
  if (const auto* f = std::get_if<FindingBlock>(&b))
    return {{"type", "finding"},         {"severity", f->severity}, {"check", f->check},
            {"org_unit", f->org_unit},   {"period", f->period},     {"indicators", f->indicators},
            {"summary", f->summary},     {"why", f->why}, {"rule", f->rule},           {"innocent_if", f->innocent_if},
            {"evidence", TableJson(f->evidence)}, {"link", f->link}};
  return {};
}

}  // namespace

std::string RenderJson(const Document& doc, int indent) {
  json sections = json::array();
  for (const Section& s : doc.sections) {
    json blocks = json::array();
    for (const Block& b : s.blocks) blocks.push_back(BlockJson(b));
    sections.push_back({{"id", s.id}, {"title", s.title}, {"person_level", s.person_level}, {"blocks", blocks}});
  }
  json views = json::array();
  for (const PersonLevelView& v : doc.person_level_views)
    views.push_back({{"what", v.what}, {"org_unit", v.org_unit}, {"detail", v.detail}, {"records", v.records}});
  const ProvenanceBlock& p = doc.provenance;
  json j{{"title", doc.title},
         {"subtitle", doc.subtitle},
         {"audience", doc.audience},
         {"period", doc.period},
         {"disclosure_control", doc.disclosure_control},
         {"sections", sections},
         {"person_level_views", views},
         {"provenance",
          {{"text", p.text},
           {"run_id", p.run_id},
           {"batch_ids", p.batch_ids},
           {"definitions", p.definitions},
           {"data_end", p.data_end},
           {"figures_digest", p.figures_digest}}}};
  return j.dump(indent);
}

}  // namespace goldthread::report
