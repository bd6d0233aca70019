#include "report/document.h"

namespace goldthread::report {

Cell TextCell(std::string text, std::string link) {
  Cell c;
  c.text = std::move(text);
  c.link = std::move(link);
  return c;
}

Cell NumberCell(std::optional<double> v, std::string if_missing, std::string link) {
  Cell c;
  c.number = v;
  if (!v) c.text = std::move(if_missing);
  c.link = std::move(link);
  return c;
}

Cell DateCell(Date d) {
  Cell c;
  if (d != kNullDate) c.number = static_cast<double>(d);
  return c;
}

std::vector<const Chart*> Charts(const Document& doc) {
  std::vector<const Chart*> out;
  for (const Section& s : doc.sections)
    for (const Block& b : s.blocks)
      if (const auto* c = std::get_if<Chart>(&b)) out.push_back(c);
  return out;
}

std::vector<const Table*> Tables(const Document& doc) {
  std::vector<const Table*> out;
  for (const Section& s : doc.sections)
    for (const Block& b : s.blocks) {
      if (const auto* c = std::get_if<Chart>(&b)) out.push_back(&c->data);
      if (const auto* t = std::get_if<Table>(&b)) out.push_back(t);
      if (const auto* f = std::get_if<FindingBlock>(&b)) out.push_back(&f->evidence);
    }
  return out;
}

}  // namespace goldthread::report
