#pragma once
// Which fields of the canonical tables a definition reads: what data_quality
// checks for completeness ("each field that an indicator uses",
// shared/DESIGN.md section 6.9), so a council's own indicators are covered
// as soon as they are loaded.
//
// A definition reads:
//  - every field its expressions name: fields of the case record, of
//    enclosing (outer.) and scanned (exists/count/sum/max/min) records, the
//    reference column and the target field of request_id.x / service_id.x,
//    and the person's fields (person.x);
//  - the start and end fields active_at()/active_in() compare with;
//  - people.birth_date for age_at() and the age_band cut, and the people
//    field of each other cut;
//  - survey_responses.instrument, collected_on, item and answer for
//    answer(), and the scanned table's timeline date for week_count() and
//    week_sum();
//  - the org_unit_id of each population table (it places a case in a team),
//    or, for a table without one (care_links), its person field;
//  - for rates, populations.year and populations.count,
//    carer_populations.estimated_count, or the fields of the records
//    counted ([rate] from).
//
// Pure function of the compiled definition; thread-safe.

#include <vector>

#include "indicators/definition.h"
#include "model/schema.h"

namespace goldthread::indicators {

/// A field of a canonical table: Table(table).fields[field].
struct FieldUse {
  TableId table = kNoTable;
  int field = -1;
  auto operator<=>(const FieldUse&) const = default;  // NOLINT(modernize-use-nullptr): clang-tidy 14 misreads it
};

/// The fields def reads, sorted by table and field index, each once.
/// include_criteria = false leaves out fields only its [criteria] read.
std::vector<FieldUse> FieldsUsed(const Definition& def, bool include_criteria = true);

}  // namespace goldthread::indicators
