#pragma once
// The canonical input format (shared/DESIGN.md section 3) as data: one
// TableSpec per CSV file, one FieldSpec per column, in file order, lineage
// columns included. Ingest validates against it, the store derives its SQL
// tables from it, the simulator writes it and the snapshot parses it, so the
// format is defined once.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace goldthread {

enum class TableId : uint8_t {
  kOrgUnits, kPeople, kCareLinks, kRequests, kAssessments, kSupportPlans, kServices,
  kVisits, kPersonalBudgets, kReviews, kHospitalEpisodes, kCareHomeAdmissions,
  kEmergencyPlans, kSurveyResponses, kOutcomeMeasures, kCaseAudits, kFeedback,
  kFinance, kPopulations, kCarerPopulations,
};
inline constexpr int kTableCount = 20;
inline constexpr TableId kNoTable = static_cast<TableId>(255);

enum class FieldType : uint8_t {
  kId,         // this record's own id: non-empty text
  kRef,        // the id of a record of another table (FieldSpec::ref)
  kDate,       // YYYY-MM-DD
  kBirthDate,  // YYYY-MM-DD or YYYY-MM
  kMonth,      // YYYY-MM
  kTimestamp,  // ISO 8601, optional Z or offset
  kCount,      // whole number >= 0
  kInt,        // whole number (a year)
  kAmount,     // decimal >= 0 (money, hours)
  kScore,      // decimal (an outcome-measure score)
  kYesNo,      // Y or N
  kCode,       // one of FieldSpec::codes
  kCodeSet,    // ';'-separated codes from FieldSpec::codes
  kText,       // free text: worker ids, survey items, instruments
};

struct FieldSpec {
  std::string_view name;
  FieldType type;
  bool required;
  std::span<const std::string_view> codes = {};  // kCode, kCodeSet
  TableId ref = kNoTable;                        // kRef
};

/// "end must not be before start", checked per row.
struct DateOrder {
  int start;  // field index
  int end;    // field index
};

struct TableSpec {
  TableId id;
  std::string_view name;              // "requests": the file is requests.csv, the SQL table requests
  std::span<const FieldSpec> fields;  // in file order, lineage last where present
  std::span<const int> key;           // fields that identify a record across versions
  int id_field;                       // the kId field, or -1 (composite key only)
  int person_field;                   // the person a record belongs to, or -1
  int date_field;                     // the date records are ordered by on a timeline, or -1
  bool has_lineage;                   // ends with org_unit_id, worker_id, recorded_at, recorded_by
  bool required_file;                 // org_units.csv and people.csv must be present
  std::span<const DateOrder> date_orders;
  std::string_view description;       // one line, for error messages and docs

  /// Index of the field with this name, or -1.
  int FieldIndex(std::string_view field_name) const;
  std::string FileName() const { return std::string(name) + ".csv"; }
};

/// Every table, in load order: a table is listed after the tables it refers to.
std::span<const TableSpec> AllTables();
const TableSpec& Table(TableId id);
/// By name ("requests"); nullptr if unknown.
const TableSpec* FindTable(std::string_view name);

/// The four lineage columns' names, in order.
inline constexpr std::string_view kLineageFields[] = {"org_unit_id", "worker_id", "recorded_at",
                                                      "recorded_by"};

std::string_view FieldTypeName(FieldType t);

// Code lists used elsewhere by name.
namespace codes {
extern const std::span<const std::string_view> kHubInterventions;
extern const std::span<const std::string_view> kServiceTypes;
extern const std::span<const std::string_view> kCarerGroups;
}  // namespace codes

}  // namespace goldthread
