#pragma once
// The mapping from the value sets of the NHS England Adult Social Care Client
// Level Data (CLD) return, Release 1, to goldthread's canonical codes
// (shared/DESIGN.md section 3). A council adjusts it for local variants in a
// TOML file (`--mapping cld_mapping.toml`); the built-in default is written
// out by `goldthread import --write-mapping FILE`. docs/cld.md documents every
// table and where its values come from.
//
// Values are matched on their letters and digits only, ignoring case, so
// "NFA- Other", "NFA - other" and "NFA – Other" are one value: NHS England's
// own CLD code matches Event_Outcome the same way, stripping spaces and
// punctuation (NHSDigital/ASC-Client-Level-Data-SALT-ASCOF-transformations,
// and the LA dashboard's master-table script).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace goldthread {

/// Letters and digits of s, lower-cased: the key values are matched on.
std::string CldKey(std::string_view s);
/// The same into out (replacing it), for callers on the hot path.
void CldKeyInto(std::string_view s, std::string& out);

/// How a Cost_Frequency_(Unit_Type) turns Unit_Cost into a weekly cost.
enum class CostBasis : uint8_t {
  kPerUnit,    // hourly, daily, per session: Unit_Cost x Planned_units_per_week
  kWeek,       // x 1
  kFortnight,  // x 1/2
  kFourWeeks,  // x 1/4
  kMonth,      // x 12/52
  kQuarter,    // x 4/52
  kYear,       // x 1/52
  kOneOff,     // no weekly cost
};

/// What one Service_Type or Service_Component value sets on a service.
/// Empty members leave the field to another table (the component's
/// service_type overrides the type's; delivery applies when
/// Delivery_Mechanism is empty).
struct CldServiceMap {
  std::string service_type;      // canonical service_type
  std::string setting;           // community | residential | nursing | "" (none)
  std::string term;              // long | short
  std::string hub_intervention;  // a Carers' Hub code, or ""
  std::string delivery;          // direct_payment | managed_budget | commissioned | ""
  bool care_home = false;        // a permanent care-home placement (derives care_home_admissions)
};

/// One value table: CLD value key -> canonical code ("-" = not imported, by
/// design: the row is counted as skipped, never silently dropped).
struct CldValueTable {
  std::string section;  // the TOML table and the CLD column it maps ("gender")
  std::string column;   // the CLD column ("Gender")
  std::unordered_map<std::string, std::string> codes;  // CldKey(value) -> code
  std::map<std::string, std::string> labels;  // CldKey(value) -> the value as written in the mapping
  /// The CLD value export writes for a canonical code: the first listed.
  std::map<std::string, std::string> export_value;
  const std::string* Find(std::string_view value) const;
};

struct CldMapping {
  // [options]
  /// How an event is identified across returns: kAuto (the default) uses
  /// Event_Reference where the row fills it in, else derives the id.
  enum class EventId : uint8_t { kAuto, kDerived, kReference };
  EventId event_id = EventId::kAuto;
  std::string area = "la_code";          // la_code | postcode_district | none
  std::string org_unit;                  // "" = one council unit per LA_Code
  bool link_assessments = true;          // infer an assessment's request
  bool derive_care_home_admissions = true;

  CldValueTable client_type, gender, ethnicity, primary_support_reason, employment_status, route_of_access,
      request_outcome, assessment_type, eligible_needs, review_reason, review_outcomes, delivery_mechanism;
  /// Service_Type and Service_Component, in the order listed (export picks
  /// the first entry that fits a canonical service).
  struct ServiceEntry {
    std::string key, label;
    CldServiceMap map;
  };
  std::vector<ServiceEntry> service_type, service_component;
  const ServiceEntry* FindServiceType(std::string_view value) const;
  const ServiceEntry* FindServiceComponent(std::string_view value) const;
  CldValueTable carer_service_description;  // Event_Description -> hub_intervention (free text: no match is fine)
  std::unordered_map<std::string, CostBasis> cost_frequency;
  std::map<std::string, std::string> cost_frequency_label;
  std::map<CostBasis, std::string> cost_frequency_export;  // the first value listed for each basis
  std::string digest;  // SHA-256 of the mapping's text (recorded with the batch)
};

/// The built-in mapping's TOML text (what --write-mapping writes).
std::string_view DefaultCldMappingText();
/// Parses a mapping. source names it in messages ("cld_mapping.toml").
/// Errors: "cld_mapping.toml: [gender] 'Male' = 'Q': 'Q' is not a sex code
/// (expected one of F, M, X, U)" and TOML syntax errors with their line.
Result<CldMapping> ParseCldMapping(std::string_view text, std::string_view source);
/// The built-in mapping, parsed (it always parses: a test says so).
const CldMapping& DefaultCldMapping();
/// Reads and parses a mapping file (core/file.h rules: a regular file, at most 64 MiB).
Result<CldMapping> LoadCldMapping(const std::string& path);

}  // namespace goldthread
