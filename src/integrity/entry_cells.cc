#include "integrity/entry_cells.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

namespace goldthread::integrity {
namespace {

// The case records whose entry is a piece of work, each with the date of
// the event it records. Visits and survey answers are left out: they are
// logged routinely in bulk by design (a rostering feed, a survey's return),
// so a day or a week of them entered at once is how they arrive, not a
// sign of anything.
struct EntryTable {
  TableId table;
  const char* event_field;
  const char* indicator;
  const char* one;
  const char* many;
};
constexpr EntryTable kEntryTables[] = {
    {TableId::kRequests, "received_on", "requests-new", "request", "requests"},
    {TableId::kAssessments, "completed_on", "assessments-completed", "assessment", "assessments"},
    {TableId::kSupportPlans, "agreed_on", "plan-with-review-date", "support plan", "support plans"},
    {TableId::kServices, "start_on", "reviews-12m", "service", "services"},
    {TableId::kPersonalBudgets, "start_on", "pb-share-claimed", "personal budget", "personal budgets"},
    {TableId::kReviews, "completed_on", "reviews-12m", "review", "reviews"},
    {TableId::kEmergencyPlans, "agreed_on", "carer-emergency-plan", "emergency plan", "emergency plans"},
    {TableId::kCareHomeAdmissions, "admitted_on", "care-home-admissions-65", "care-home admission",
     "care-home admissions"},
    {TableId::kCaseAudits, "audited_on", "case-audit-met", "case audit", "case audits"},
    {TableId::kOutcomeMeasures, "measured_on", "outcome-improved", "outcome measure", "outcome measures"},
    {TableId::kFeedback, "received_on", "complaints", "complaint or compliment",
     "complaints and compliments"},
};

std::vector<std::string> IndicatorsOf(const std::vector<const Entry*>& entries) {
  std::set<std::string> ids;
  for (const Entry* e : entries) ids.insert(kEntryTables[e->kind].indicator);
  return {ids.begin(), ids.end()};
}

void AddEvidenceRows(const Snapshot& snap, const std::vector<const Entry*>& rows, Finding& f) {
  LineageTally tally;
  for (const Entry* e : rows) {
    const TableData& t = EntryTableOf(snap, *e);
    tally.Add(snap, t, e->row);
    // A measure's or an audit's own id, not the key of the row that stands for it.
    const std::string id =
        t.spec->id_field >= 0 ? t.columns[t.spec->id_field].ids.Get(e->row) : t.RecordId(e->row, snap);
    f.AddRecordId(std::string(t.spec->name) + ":" + id);
  }
  tally.Fill(f.evidence);
  f.evidence.records = static_cast<int64_t>(rows.size());
  f.indicators = IndicatorsOf(rows);
}

}  // namespace

EntryLog ReadEntries(const Snapshot& snap) {
  EntryLog log;
  static_assert(std::size(kEntryTables) < kAllKinds, "a kind is an entry table's index in a uint8_t");
  for (size_t i = 0; i < std::size(kEntryTables); ++i) {
    const auto k = static_cast<uint8_t>(i);
    const TableData& t = snap.table(kEntryTables[k].table);
    const int f_event = t.Field(kEntryTables[k].event_field), f_rec = t.Field("recorded_at"),
              f_org = t.Field("org_unit_id"), f_person = t.spec->person_field;
    // An outcome measure is a row per domain and a case audit a row per
    // item, entered together: one entry per measure or audit, or a measure
    // of eight domains would count as eight entries on the same minute and
    // every count of them would be overdispersed eightfold. A record's rows
    // belong to one person, and rows are sorted by person.
    const bool rows_per_record = t.spec->key.size() > 1 && t.spec->id_field >= 0;
    std::unordered_set<std::string> seen;  // the current person's record ids
    int32_t person = kNullI32;
    for (int64_t row = 0; row < t.rows; ++row) {
      if (rows_per_record) {
        const int32_t p = t.Int(f_person, row);
        if (p != person) seen.clear(), person = p;
        if (!seen.insert(t.columns[t.spec->id_field].ids.Get(row)).second) continue;
      }
      Date rec = RecordedDate(t, f_rec, row);
      if (rec == kNullDate) {
        ++log.lineage_unknown;
        continue;
      }
      int32_t ev = t.Int(f_event, row);
      log.entries.push_back({k, row, t.Int(f_org, row), ev == kNullI32 ? kNullDate : ev, rec});
    }
  }
  return log;
}

std::string_view EntryNoun(uint8_t kind, bool plural) {
  if (kind == kAllKinds) return plural ? "records" : "record";
  return plural ? kEntryTables[kind].many : kEntryTables[kind].one;
}

const TableData& EntryTableOf(const Snapshot& snap, const Entry& e) {
  return snap.table(kEntryTables[e.kind].table);
}

std::vector<Finding> MergeEntryHits(const Snapshot& snap, std::vector<EntryHit> hits) {
  std::map<std::pair<int32_t, std::string>, std::vector<EntryHit*>> groups;
  for (EntryHit& h : hits) groups[{h.cell.team, h.finding.period}].push_back(&h);
  std::vector<Finding> out;
  for (auto& [key, group] : groups) {
    std::vector<EntryHit*> chosen;
    for (EntryHit* h : group)
      if (h->cell.kind != kAllKinds) chosen.push_back(h);
    if (chosen.empty()) chosen = group;  // only the pooled cell fired
    std::stable_sort(chosen.begin(), chosen.end(),
                     [](const EntryHit* a, const EntryHit* b) { return a->strength > b->strength; });
    Finding f = std::move(chosen[0]->finding);
    std::vector<const Entry*> rows = chosen[0]->rows;
    for (size_t i = 1; i < chosen.size(); ++i) {
      const EntryHit& h = *chosen[i];
      f.severity = std::max(f.severity, h.finding.severity);
      rows.insert(rows.end(), h.rows.begin(), h.rows.end());
      const std::string table(snap.table(kEntryTables[h.cell.kind].table).spec->name);
      f.evidence.figures.push_back({table + "_" + h.finding.statistic, h.finding.value});
    }
    if (chosen.size() > 1) {
      f.summary += " The same in ";
      for (size_t i = 1; i < chosen.size(); ++i)
        f.summary += (i == 1 ? "" : i + 1 == chosen.size() ? " and " : ", ") + chosen[i]->also;
      f.summary += ".";
    }
    AddEvidenceRows(snap, rows, f);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace goldthread::integrity
