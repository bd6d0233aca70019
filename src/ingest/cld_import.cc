#include "ingest/cld_import.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "core/utf8.h"
#include "ingest/cld_format.h"
#include "ingest/csv.h"
#include "ingest/digest.h"

namespace goldthread {
namespace {

using C = CldCol;

enum class Event : uint8_t { kRequest, kAssessment, kService, kReview, kNone };

/// The CLD column each canonical field comes from, for messages.
std::string ColumnOf(TableId table, const TableSpec& t, int field) {
  const std::string_view f = t.fields[static_cast<size_t>(field)].name;
  auto col = [](C c) { return std::string(CldColumnName(c)); };
  if (f == "org_unit_id" || (table == TableId::kOrgUnits && f != "parent_id")) return col(C::kLaCode);
  if (f == "person_id" || f == "carer_id") return col(C::kPersonId);
  switch (table) {
    case TableId::kPeople:
      if (f == "role") return col(C::kClientType);
      if (f == "birth_date") return col(C::kDateOfBirth);
      if (f == "sex") return col(C::kGender);
      if (f == "ethnicity") return col(C::kEthnicity);
      if (f == "area") return col(C::kPostcode);
      if (f == "primary_support_reason") return col(C::kPrimarySupportReason);
      if (f == "employment") return col(C::kEmploymentStatus);
      break;
    case TableId::kCareLinks:
      if (f == "cared_for_id") return "Adult_1/2/3_Linked_Person_ID";
      if (f == "start_date") return col(C::kEventStartDate);
      if (f == "hours_per_week") return col(C::kHoursCaring);
      break;
    case TableId::kRequests:
      if (f == "received_on") return col(C::kEventStartDate);
      if (f == "closed_on") return col(C::kEventEndDate);
      if (f == "route") return col(C::kRouteOfAccess);
      if (f == "outcome") return col(C::kEventOutcome);
      break;
    case TableId::kAssessments:
      if (f == "started_on") return col(C::kEventStartDate);
      if (f == "completed_on") return col(C::kEventEndDate);
      if (f == "kind") return col(C::kAssessmentType);
      if (f == "eligible") return col(C::kEligibleNeeds);
      if (f == "request_id") return "the person's latest request (inferred)";
      break;
    case TableId::kServices:
      if (f == "start_on") return col(C::kEventStartDate);
      if (f == "end_on") return col(C::kEventEndDate);
      if (f == "service_type" || f == "setting" || f == "term") return col(C::kServiceType);
      if (f == "delivery") return col(C::kDeliveryMechanism);
      if (f == "planned_hours_week") return col(C::kPlannedUnits);
      if (f == "weekly_cost") return col(C::kUnitCost);
      if (f == "provider_id") return col(C::kProviderId);
      break;
    case TableId::kReviews:
      if (f == "completed_on") return col(C::kEventEndDate);
      if (f == "kind") return col(C::kReviewReason);
      if (f == "outcomes_achieved") return col(C::kReviewOutcomes);
      break;
    case TableId::kCareHomeAdmissions:
      if (f == "admitted_on") return col(C::kEventStartDate);
      break;
    default:
      break;
  }
  if (t.id_field == field && table != TableId::kPeople) return "the event (" + std::string(f) + ")";
  return "";
}

/// "31/03/2024" -> "2024-03-31"; anything else is passed on unchanged for
/// the canonical check to judge (and name the column).
std::string IsoDate(std::string_view s) {
  if (s.size() == 10 && s[2] == '/' && s[5] == '/')
    return std::string(s.substr(6, 4)) + "-" + std::string(s.substr(3, 2)) + "-" + std::string(s.substr(0, 2));
  return std::string(s);
}

/// A decimal >= 0, or nullopt with problem set.
std::optional<double> Amount(std::string_view s, std::string& problem) {
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) {
    problem = "'" + Printable(s) + "' is not a number (expected a decimal such as 18.50)";
    return std::nullopt;
  }
  if (v < 0) {
    problem = "'" + Printable(s) + "' is negative (expected 0 or more)";
    return std::nullopt;
  }
  return v;
}

/// Two decimals, trailing zeros dropped ("18.5", "120").
std::string Decimal(double v) {
  std::string s = fmt::format("{:.2f}", std::round(v * 100) / 100);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

/// The outward code of a postcode: "NR1 3AB" -> "NR1", "NR13AB" -> "NR1".
std::string PostcodeDistrict(std::string_view pc) {
  std::string s;
  for (char c : pc)
    if (c != ' ') s += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const size_t space = pc.find(' ');
  if (space != std::string_view::npos) {
    std::string out;
    for (char c : pc.substr(0, space)) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
  }
  return s.size() > 4 ? s.substr(0, s.size() - 3) : s;  // the inward code is always 3 characters
}

struct PersonPick {
  std::vector<std::string> values;
  size_t fingerprint = 0;  // of the row's person fields as written
  std::string rank;  // Reporting_Period_End_Date|Event_Start_Date: the latest row gives the details
  int64_t line = 0;
};

struct LinkPick {
  std::string start;
  std::string hours;
  int64_t line = 0;
};

class CldImporter {
 public:
  CldImporter(Store& store, const std::string& path, const CldImportOptions& options)
      : store_(store), path_(path), options_(options),
        m_(options.mapping ? *options.mapping : DefaultCldMapping()),
        quarantine_(!options.import.quarantine_path.empty()) {}
  Result<CldImportReport> Run();

 private:
  using Row = std::span<const std::string_view>;
  std::string_view Get(Row r, C c) const {
    const int i = col_[static_cast<size_t>(c)];
    return i < 0 ? std::string_view() : r[static_cast<size_t>(i)];
  }
  /// A problem of the current row (refusing it).
  void Problem(C column, std::string what) {
    row_ok_ = false;
    batch_.problems.push_back({line_, raw_index_, std::string(CldColumnName(column)), std::move(what), true});
  }
  /// Looks a value up in a table; an unknown value is counted (one problem
  /// per value, listing its rows) and refuses the row. nullopt: empty.
  std::optional<std::string> Code(const CldValueTable& t, C column, std::string_view value);
  void Unmapped(C column, std::string_view value, const std::string& expected);
  Status ReadHeader(CsvReader& csv);
  void MapRow(Row r);
  /// The person's details from this row; the caller keeps them as the
  /// person's (KeepPerson) once the whole row is good.
  std::vector<std::string> MapPerson(Row r);
  void KeepPerson(Row r, std::vector<std::string> values, std::string rank, size_t fingerprint);
  void MapEvent(Row r, Event e, const std::string& person, const std::string& start, const std::string& end);
  void MapService(Row r, std::vector<std::string>& v);
  std::string EventId(Row r, Event e, const std::string& person, const std::string& start);
  void Add(TableId t, std::vector<std::string> values) {
    batch_.rows[static_cast<size_t>(t)].push_back({line_, raw_index_, std::move(values)});
  }
  Status Finish();

  Store& store_;
  std::string path_;
  const CldImportOptions& options_;
  const CldMapping& m_;
  bool quarantine_;
  AdaptedBatch batch_;
  CldImportReport report_;
  std::array<int, kCldColumnCount> col_{};
  size_t width_ = 0;
  int64_t line_ = 0, raw_index_ = -1;
  bool row_ok_ = true;
  std::string unit_;  // the org unit of the current row
  std::string problem_;
  std::string key_;  // CldKeyInto's buffer
  std::string fingerprint_;
  std::unordered_map<std::string, PersonPick> people_;
  std::map<std::pair<std::string, std::string>, LinkPick> links_;
  std::set<std::string> la_codes_;
  /// Unknown values: (column, CldKey) -> count, first line, first text.
  std::map<std::pair<int, std::string>, CldUnmapped> unmapped_;
  std::map<std::pair<int, std::string>, std::string> unmapped_expected_;
  /// Event ids seen (table letter + id) and their row, to count exact repeats.
  std::unordered_map<std::string, size_t> events_seen_;
};

std::optional<std::string> CldImporter::Code(const CldValueTable& t, C column, std::string_view value) {
  if (value.empty()) return std::nullopt;
  if (const std::string* code = t.Find(value)) return *code;
  Unmapped(column, value, "a value listed in the mapping's [" + t.section + "] table");
  return std::nullopt;
}

void CldImporter::Unmapped(C column, std::string_view value, const std::string& expected) {
  row_ok_ = false;
  const std::pair<int, std::string> key{static_cast<int>(column), CldKey(value)};
  auto [it, inserted] = unmapped_.try_emplace(key);
  if (inserted) {
    it->second = {std::string(CldColumnName(column)), std::string(value), 0, line_};
    unmapped_expected_[key] = expected;
  }
  ++it->second.rows;
  // Each refused row goes to the quarantine file; the problem list names the
  // value once, with its count (below).
  batch_.problems.push_back({line_, raw_index_, std::string(CldColumnName(column)),
                             "'" + Printable(value) + "' is not in the mapping (expected " + expected + ")", false});
}

Status CldImporter::ReadHeader(CsvReader& csv) {
  col_.fill(-1);
  const std::string at = batch_.file + ":1: header: ";
  if (!csv.Next()) {
    if (!csv.status().ok()) {
      if (csv.status().code() != StatusCode::kInvalidArgument) return csv.status();
      batch_.file_problems.push_back(csv.status().message());
    } else {
      batch_.file_problems.push_back(at + "the file is empty (expected the CLD header row: LA_Code, ...)");
    }
    return Status::Ok();
  }
  std::vector<std::string> unknown;
  for (size_t i = 0; i < csv.fields().size(); ++i) {
    const std::string_view h = csv.fields()[i];
    std::optional<C> c = FindCldColumn(h);
    if (!c) {
      unknown.push_back(Printable(h));
      continue;
    }
    int& slot = col_[static_cast<size_t>(*c)];
    if (slot >= 0) {
      batch_.file_problems.push_back(at + "column '" + std::string(CldColumnName(*c)) +
                                     "' appears twice (expected each column once)");
      continue;
    }
    slot = static_cast<int>(i);
  }
  width_ = csv.fields().size();
  std::string absent;
  for (int c = 0; c < kCldColumnCount; ++c) {
    if (col_[static_cast<size_t>(c)] >= 0) continue;
    if (CldColumnRequired(static_cast<C>(c)))
      batch_.file_problems.push_back(at + "column '" + std::string(CldColumnName(static_cast<C>(c))) +
                                     "' is missing (expected the CLD Release 1 columns, at least LA_Code, "
                                     "LA_Person_Unique_Identifier, Client_Type, Event_Type, Event_Start_Date)");
    else
      absent += (absent.empty() ? "" : ", ") + std::string(CldColumnName(static_cast<C>(c)));
  }
  if (!absent.empty()) batch_.warnings.push_back(at + "columns not in this return (read as empty): " + absent);
  if (!unknown.empty()) {
    std::string names;
    for (size_t i = 0; i < unknown.size() && i < 10; ++i) names += (i ? ", '" : "'") + unknown[i] + "'";
    if (unknown.size() > 10) names += " and " + std::to_string(unknown.size() - 10) + " more";
    batch_.warnings.push_back(at + "columns that are not CLD Release 1 columns, ignored: " + names);
  }
  return Status::Ok();
}

std::vector<std::string> CldImporter::MapPerson(Row r) {
  const TableSpec& t = Table(TableId::kPeople);
  std::vector<std::string> v(t.fields.size());
  const std::string person(Get(r, C::kPersonId));
  v[0] = person;
  if (std::optional<std::string> role = Code(m_.client_type, C::kClientType, Get(r, C::kClientType))) v[1] = *role;
  v[2] = IsoDate(Get(r, C::kDateOfBirth));
  if (auto c = Code(m_.gender, C::kGender, Get(r, C::kGender))) v[3] = *c;
  if (auto c = Code(m_.ethnicity, C::kEthnicity, Get(r, C::kEthnicity))) v[4] = *c;
  if (m_.area == "la_code") v[5] = std::string(Get(r, C::kLaCode));
  else if (m_.area == "postcode_district" && !Get(r, C::kPostcode).empty())
    v[5] = PostcodeDistrict(Get(r, C::kPostcode));
  else if (m_.area == "postcode")
    v[5] = std::string(Get(r, C::kPostcode));
  if (auto c = Code(m_.primary_support_reason, C::kPrimarySupportReason, Get(r, C::kPrimarySupportReason))) v[6] = *c;
  if (auto c = Code(m_.employment_status, C::kEmploymentStatus, Get(r, C::kEmploymentStatus))) v[7] = *c;
  return v;
}

void CldImporter::KeepPerson(Row r, std::vector<std::string> v, std::string rank, size_t fingerprint) {
  const std::string person(Get(r, C::kPersonId));
  // The latest row (by reporting period end, then event start, then line)
  // gives the person's details, as NHS England's LTS004 code takes the
  // latest record's status.
  PersonPick& pick = people_[person];
  if (pick.values.empty() || rank >= pick.rank) {
    pick.values = std::move(v);
    pick.rank = std::move(rank);
    pick.line = line_;
    pick.fingerprint = fingerprint;
  }
}

std::string CldImporter::EventId(Row r, Event e, const std::string& person, const std::string& start) {
  const std::string_view ref = Get(r, C::kEventReference);
  if (m_.event_id != CldMapping::EventId::kDerived && !ref.empty()) return std::string(ref);
  if (m_.event_id == CldMapping::EventId::kReference) {
    Problem(C::kEventReference,
            "is empty (expected the event's reference: the mapping's [options] event_id = \"event_reference\")");
    return {};
  }
  // NHS England's CLD code tells events apart by LA, client, start date and
  // route of access (requests) or service type, component and delivery
  // mechanism (services): "Reproducing SALT metrics from Client Level Data",
  // Central Transformation Principles (2024), STS001 and STS002a. The same
  // for assessments (assessment type) and reviews (review reason).
  static constexpr std::string_view kLetter[] = {"R", "A", "S", "V"};
  std::string id = std::string(kLetter[static_cast<int>(e)]) + ":" + person + ":" + start;
  auto part = [&](C c) {
    CldKeyInto(Get(r, c), key_);
    id += ':';
    id += key_;
  };
  switch (e) {
    case Event::kRequest: part(C::kRouteOfAccess); break;
    case Event::kAssessment: part(C::kAssessmentType); break;
    case Event::kService:
      part(C::kServiceType);
      part(C::kServiceComponent);
      part(C::kDeliveryMechanism);
      break;
    case Event::kReview: part(C::kReviewReason); break;
    case Event::kNone: break;
  }
  return id;
}

void CldImporter::MapService(Row r, std::vector<std::string>& v) {
  // services: service_id,person_id,service_type,hub_intervention,setting,term,delivery,start_on,end_on,
  // planned_hours_week,weekly_cost,provider_id
  const std::string_view type = Get(r, C::kServiceType), component = Get(r, C::kServiceComponent);
  const CldMapping::ServiceEntry* st = type.empty() ? nullptr : m_.FindServiceType(type);
  if (type.empty()) Problem(C::kServiceType, "is empty (expected the service type of a Service event)");
  else if (!st) Unmapped(C::kServiceType, type, "a value listed in the mapping's [service_type] table");
  const CldMapping::ServiceEntry* sc = component.empty() ? nullptr : m_.FindServiceComponent(component);
  if (!component.empty() && !sc)
    Unmapped(C::kServiceComponent, component, "a value listed in the mapping's [service_component] table");
  std::optional<std::string> delivery =
      Code(m_.delivery_mechanism, C::kDeliveryMechanism, Get(r, C::kDeliveryMechanism));
  if (!st) return;
  CldServiceMap s = st->map;
  if (sc) {
    if (!sc->map.service_type.empty()) s.service_type = sc->map.service_type;
    if (!sc->map.hub_intervention.empty()) s.hub_intervention = sc->map.hub_intervention;
    if (!sc->map.delivery.empty() && !delivery) delivery = sc->map.delivery;
  }
  if (s.service_type == "carer_support" && s.hub_intervention.empty())
    if (const std::string* hub = m_.carer_service_description.Find(Get(r, C::kEventDescription)))
      s.hub_intervention = *hub;
  v[2] = s.service_type;
  v[3] = s.hub_intervention;
  v[4] = s.setting;
  v[5] = s.term;
  if (delivery) v[6] = *delivery;
  // Weekly cost as NHS England's CLD costs code derives it: Unit_Cost times
  // the units a week the frequency implies (per unit: Planned_units_per_week).
  const std::string_view cost = Get(r, C::kUnitCost), units = Get(r, C::kPlannedUnits),
                         freq = Get(r, C::kCostFrequency);
  std::optional<double> unit_cost, planned;
  if (!cost.empty() && !(unit_cost = Amount(cost, problem_))) Problem(C::kUnitCost, problem_);
  if (!units.empty() && !(planned = Amount(units, problem_))) Problem(C::kPlannedUnits, problem_);
  std::optional<CostBasis> basis;
  if (!freq.empty()) {
    CldKeyInto(freq, key_);
    auto it = m_.cost_frequency.find(key_);
    if (it == m_.cost_frequency.end())
      Unmapped(C::kCostFrequency, freq, "a value listed in the mapping's [cost_frequency] table");
    else
      basis = it->second;
  }
  if (basis == CostBasis::kPerUnit && planned && key_ == "hourly") v[9] = Decimal(*planned);
  if (unit_cost && basis) {
    double weekly = -1;
    switch (*basis) {
      case CostBasis::kPerUnit: weekly = planned ? *unit_cost * *planned : -1; break;
      case CostBasis::kWeek: weekly = *unit_cost; break;
      case CostBasis::kFortnight: weekly = *unit_cost / 2; break;
      case CostBasis::kFourWeeks: weekly = *unit_cost / 4; break;
      case CostBasis::kMonth: weekly = *unit_cost * 12 / 52; break;
      case CostBasis::kQuarter: weekly = *unit_cost * 4 / 52; break;
      case CostBasis::kYear: weekly = *unit_cost / 52; break;
      case CostBasis::kOneOff: break;
    }
    if (weekly >= 0) v[10] = Decimal(weekly);
  }
  v[11] = std::string(Get(r, C::kProviderId));
}

void CldImporter::MapEvent(Row r, Event e, const std::string& person, const std::string& start,
                           const std::string& end) {
  static constexpr TableId kTables[] = {TableId::kRequests, TableId::kAssessments, TableId::kServices,
                                        TableId::kReviews};
  const TableSpec& t = Table(kTables[static_cast<int>(e)]);
  std::vector<std::string> v(t.fields.size());
  v[0] = EventId(r, e, person, start);
  v[1] = person;
  bool skip = false;
  switch (e) {
    case Event::kRequest:  // request_id,person_id,first_contact_on,received_on,route,outcome,closed_on
      v[3] = start;
      if (auto c = Code(m_.route_of_access, C::kRouteOfAccess, Get(r, C::kRouteOfAccess))) v[4] = *c;
      if (auto c = Code(m_.request_outcome, C::kEventOutcome, Get(r, C::kEventOutcome))) {
        if (*c == "-") skip = true;
        else v[5] = *c;
      }
      v[6] = end;
      break;
    case Event::kAssessment:  // assessment_id,person_id,request_id,kind,started_on,completed_on,eligible
      if (auto c = Code(m_.assessment_type, C::kAssessmentType, Get(r, C::kAssessmentType))) {
        if (*c == "-") skip = true;
        else v[3] = *c;
      } else if (row_ok_) {
        Problem(C::kAssessmentType, "is empty (expected the assessment type of an Assessment event)");
      }
      v[4] = start;
      v[5] = end;
      if (auto c = Code(m_.eligible_needs, C::kEligibleNeeds, Get(r, C::kEligibleNeeds))) v[6] = *c;
      break;
    case Event::kService:
      MapService(r, v);
      v[7] = start;
      v[8] = end;
      break;
    case Event::kReview:  // review_id,person_id,kind,due_on,completed_on,outcomes_achieved
      if (auto c = Code(m_.review_reason, C::kReviewReason, Get(r, C::kReviewReason))) {
        if (*c == "-") skip = true;
        else v[2] = *c;
      } else if (row_ok_) {
        Problem(C::kReviewReason, "is empty (expected Planned or an Unplanned reason for a Review event)");
      }
      v[4] = end;
      if (auto c = Code(m_.review_outcomes, C::kReviewOutcomes, Get(r, C::kReviewOutcomes))) v[5] = *c;
      break;
    case Event::kNone:
      return;
  }
  if (!row_ok_) return;
  if (skip) {
    ++report_.skipped;
    return;
  }
  // Lineage: the council's unit; CLD says nothing of the worker or when
  // the row was entered (integrity checks that need it say so).
  v[v.size() - 4] = unit_;
  // A row repeated exactly (the same event, the same values) is one event.
  std::vector<AdaptedRow>& rows = batch_.rows[static_cast<size_t>(t.id)];
  auto [it, inserted] = events_seen_.try_emplace(std::to_string(static_cast<int>(e)) + v[0], rows.size());
  if (!inserted && rows[it->second].values == v) {
    ++report_.repeated;
    return;
  }
  ++report_.events[static_cast<int>(e)];
  Add(t.id, std::move(v));
}

void CldImporter::MapRow(Row r) {
  row_ok_ = true;
  const std::string_view la = Get(r, C::kLaCode), person = Get(r, C::kPersonId);
  if (la.empty()) Problem(C::kLaCode, "is empty (expected the council's LA code)");
  if (person.empty()) Problem(C::kPersonId, "is empty (expected the person's identifier in the council's system)");
  if (!row_ok_) return;
  unit_ = m_.org_unit.empty() ? std::string(la) : m_.org_unit;
  la_codes_.insert(std::string(la));
  const std::string_view type = Get(r, C::kEventType);
  CldKeyInto(Get(r, C::kClientType), key_);
  const bool by_association = key_ == "carerknownbyassociation";
  Event e = Event::kNone;
  CldKeyInto(type, key_);
  const std::string& key = key_;
  if (key == "request") e = Event::kRequest;
  else if (key == "assessment") e = Event::kAssessment;
  else if (key == "service") e = Event::kService;
  else if (key == "review") e = Event::kReview;
  else if (!type.empty())
    Problem(C::kEventType, "'" + Printable(type) + "' is not an event type (expected Request, Assessment, Service "
                           "or Review)");
  else if (!by_association)
    Problem(C::kEventType, "is empty (expected Request, Assessment, Service or Review; only a 'Carer known by "
                           "association' row has no event)");
  const std::string start = IsoDate(Get(r, C::kEventStartDate)), end = IsoDate(Get(r, C::kEventEndDate));
  if (e != Event::kNone && start.empty())
    Problem(C::kEventStartDate, "is empty (expected the date the event started, YYYY-MM-DD)");
  const std::string_view hours = Get(r, C::kHoursCaring);
  std::optional<double> h;
  if (!hours.empty() && !(h = Amount(hours, problem_))) Problem(C::kHoursCaring, problem_);
  // A person's details come from their latest row. Most rows repeat the
  // person's fields exactly: those are not mapped again (a row that differs
  // is, so every value of the return is checked).
  std::string rank = IsoDate(Get(r, C::kReportingPeriodEnd)) + "|" +
                     (by_association ? std::string() : IsoDate(Get(r, C::kEventStartDate)));
  fingerprint_.clear();
  for (C c : {C::kLaCode, C::kClientType, C::kDateOfBirth, C::kGender, C::kEthnicity, C::kPostcode,
              C::kPrimarySupportReason,
              C::kEmploymentStatus}) {
    fingerprint_ += Get(r, c);
    fingerprint_ += '\x1f';
  }
  const size_t fingerprint = std::hash<std::string>{}(fingerprint_);
  auto kept = people_.find(std::string(person));
  const bool newer = kept == people_.end() || rank >= kept->second.rank;
  const bool same = kept != people_.end() && kept->second.fingerprint == fingerprint;
  std::vector<std::string> details;
  if (!same) details = MapPerson(r);
  // The event's fields are mapped even after a problem, so that every
  // unknown value of the return is reported at once.
  if (e != Event::kNone) MapEvent(r, e, std::string(person), start, end);
  if (!row_ok_) return;
  if (newer && same) {  // the same details, from a later row: that row is the source
    kept->second.rank = std::move(rank);
    kept->second.line = line_;
  } else if (newer) {
    KeepPerson(r, std::move(details), std::move(rank), fingerprint);
  }
  if (e == Event::kNone) ++report_.carers_by_association;
  // A carer's cared-for adults: a care link each, from the carer's first
  // event (or reporting period) that names them.
  const std::string link_start = e == Event::kNone ? IsoDate(Get(r, C::kReportingPeriodStart)) : start;
  for (C c : {C::kLinkedPerson1, C::kLinkedPerson2, C::kLinkedPerson3}) {
    const std::string_view adult = Get(r, c);
    if (adult.empty() || adult == person) continue;
    if (link_start.empty()) {
      Problem(C::kReportingPeriodStart, "is empty (expected the reporting period's first day, for the care link)");
      return;
    }
    LinkPick& l = links_[{std::string(person), std::string(adult)}];
    if (l.start.empty() || link_start < l.start) {
      l.start = link_start;
      l.line = line_;
    }
    if (h) l.hours = Decimal(*h);
  }
}

Status CldImporter::Finish() {
  // Org units: one council unit per LA code, unless the store has it (a
  // council that loads canonical extracts too keeps its own name for it) or
  // the mapping names a unit of the store.
  if (!m_.org_unit.empty()) {
    Result<bool> has = store_.HasRecord(TableId::kOrgUnits, m_.org_unit);
    if (!has.ok()) return has.status();
    if (!*has)
      batch_.file_problems.push_back("mapping: [options] org_unit '" + Printable(m_.org_unit) +
                                     "' is not an org unit of the store (expected an org_unit_id already imported, "
                                     "or \"\" for one council unit per LA_Code)");
  } else {
    for (const std::string& la : la_codes_) {
      Result<bool> has = store_.HasRecord(TableId::kOrgUnits, la);
      if (!has.ok()) return has.status();
      if (!*has) batch_.rows[static_cast<size_t>(TableId::kOrgUnits)].push_back({1, -1, {la, "", la, "council"}});
    }
  }
  // People, from each person's latest row.
  for (auto& [id, pick] : people_) {
    batch_.rows[static_cast<size_t>(TableId::kPeople)].push_back({pick.line, -1, std::move(pick.values)});
    ++report_.people;
  }
  // Care links keep a start date already stored for the same pair, so the
  // next quarter's return updates the link rather than adding another.
  std::map<std::pair<std::string, std::string>, std::string> stored_starts;
  if (!links_.empty()) {
    GT_RETURN_IF_ERROR(store_.ScanCurrent(TableId::kCareLinks, [&](const StoredRow& row) -> Status {
      std::pair<std::string, std::string> key{std::string(row.values[0]), std::string(row.values[1])};
      if (!links_.count(key)) return Status::Ok();
      std::string& s = stored_starts[key];
      if (s.empty() || row.values[2] < s) s = std::string(row.values[2]);
      return Status::Ok();
    }));
  }
  const std::string area = m_.area == "la_code" && la_codes_.size() == 1 ? *la_codes_.begin() : std::string();
  for (auto& [key, link] : links_) {
    auto stored = stored_starts.find(key);
    const std::string& start = stored != stored_starts.end() ? stored->second : link.start;
    batch_.rows[static_cast<size_t>(TableId::kCareLinks)].push_back(
        {link.line, -1, {key.first, key.second, start, "", link.hours}});
    ++report_.care_links;
    // A cared-for adult the return does not list otherwise (and the store
    // does not hold) is a service user known only through the carer.
    if (people_.count(key.second)) continue;
    Result<bool> has = store_.HasRecord(TableId::kPeople, key.second);
    if (!has.ok()) return has.status();
    if (*has) continue;
    people_[key.second] = {};
    batch_.rows[static_cast<size_t>(TableId::kPeople)].push_back(
        {link.line, -1, {key.second, "service_user", "", "", "", area, "", "", ""}});
    ++report_.stub_people;
  }
  // An assessment's request: the person's latest request received on or
  // before the assessment started, from this return or the store.
  std::vector<AdaptedRow>& assessments = batch_.rows[static_cast<size_t>(TableId::kAssessments)];
  if (m_.link_assessments && !assessments.empty()) {
    std::unordered_map<std::string, std::vector<std::pair<std::string, std::string>>> requests;  // person -> (received, id)
    for (const AdaptedRow& r : batch_.rows[static_cast<size_t>(TableId::kRequests)])
      requests[r.values[1]].emplace_back(r.values[3], r.values[0]);
    GT_RETURN_IF_ERROR(store_.ScanCurrent(TableId::kRequests, [&](const StoredRow& row) -> Status {
      auto it = requests.find(std::string(row.values[1]));
      if (it != requests.end() || people_.count(std::string(row.values[1])))
        requests[std::string(row.values[1])].emplace_back(std::string(row.values[3]), std::string(row.values[0]));
      return Status::Ok();
    }));
    for (auto& [person, list] : requests) std::sort(list.begin(), list.end());
    for (AdaptedRow& a : assessments) {
      const std::string& from = a.values[4].empty() ? a.values[5] : a.values[4];
      auto it = requests.find(a.values[1]);
      if (it == requests.end() || from.empty()) continue;
      auto after = std::upper_bound(it->second.begin(), it->second.end(), std::make_pair(from, std::string("\xff")));
      if (after == it->second.begin()) continue;
      a.values[2] = std::prev(after)->second;
      ++report_.linked_assessments;
    }
  }
  // Permanent care-home admissions (NHS England's ASCOF 2A from CLD): a
  // person's first long-term residential or nursing service, unless the
  // store already holds an admission on or before it.
  if (m_.derive_care_home_admissions) {
    std::map<std::string, std::pair<std::string, int64_t>> first;  // person -> (start, line)
    for (const AdaptedRow& r : batch_.rows[static_cast<size_t>(TableId::kServices)]) {
      const std::string& type = r.values[2];
      if (r.values[5] != "long" || (type != "residential" && type != "nursing")) continue;
      auto [it, inserted] = first.try_emplace(r.values[1], r.values[7], r.line);
      if (!inserted && r.values[7] < it->second.first) it->second = {r.values[7], r.line};
    }
    if (!first.empty()) {
      GT_RETURN_IF_ERROR(store_.ScanCurrent(TableId::kCareHomeAdmissions, [&](const StoredRow& row) -> Status {
        auto it = first.find(std::string(row.values[1]));
        if (it != first.end() && row.values[3] == "Y" && row.values[2] <= it->second.first) first.erase(it);
        return Status::Ok();
      }));
    }
    for (const auto& [person, at] : first) {
      line_ = at.second;
      std::vector<std::string> v(Table(TableId::kCareHomeAdmissions).fields.size());
      v[0] = "CH:" + person + ":" + at.first;
      v[1] = person;
      v[2] = at.first;
      v[3] = "Y";
      v[4] = "needs";
      v[v.size() - 4] = unit_;
      batch_.rows[static_cast<size_t>(TableId::kCareHomeAdmissions)].push_back({at.second, -1, std::move(v)});
      ++report_.care_home_admissions;
    }
  }
  // Each unknown value once, with its count and first row.
  for (const auto& [key, u] : unmapped_) {
    batch_.summaries.emplace_back(
        u.first_line, batch_.file + ":" + std::to_string(u.first_line) + ": " + u.column + ": '" +
                          Printable(u.value) + "' is not in the mapping (" + std::to_string(u.rows) +
                          (u.rows == 1 ? " row" : " rows") + ", first at line " + std::to_string(u.first_line) +
                          "; expected " + unmapped_expected_[key] + "; add it to the mapping file, see docs/cld.md)");
    report_.unmapped.push_back(u);
  }
  return Status::Ok();
}

Result<CldImportReport> CldImporter::Run() {
  namespace fs = std::filesystem;
  batch_.source = path_;
  batch_.file = fs::path(path_).filename().string();
  batch_.column_of = [](TableId table, int field) { return ColumnOf(table, Table(table), field); };
  Result<std::string> sha = Sha256File(path_);
  if (!sha.ok()) return sha.status();
  Result<std::unique_ptr<CsvReader>> opened = CsvReader::Open(path_, batch_.file);
  if (!opened.ok()) return opened.status();
  CsvReader& csv = **opened;
  GT_RETURN_IF_ERROR(ReadHeader(csv));
  if (batch_.file_problems.empty()) {
    while (csv.Next()) {
      const Row r = csv.fields();
      if (r.size() == 1 && r[0].empty() && csv.raw().empty()) continue;  // blank line
      ++report_.rows_read;
      line_ = csv.line();
      raw_index_ = -1;
      if (report_.rows_read > kMaxCldRows) {
        batch_.file_problems.push_back(fmt::format(
            "{}:{}: more than {} rows (expected at most {} in one import; import the return in parts, a quarter "
            "or an event type at a time)",
            batch_.file, line_, kMaxCldRows, kMaxCldRows));
        break;
      }
      if (quarantine_) {  // the row's text, for the reject file
        raw_index_ = static_cast<int64_t>(batch_.raw_spans.size());
        batch_.raw_spans.emplace_back(batch_.raw_text.size(), csv.raw().size());
        batch_.raw_text += csv.raw();
      }
      if (r.size() != width_) {
        row_ok_ = false;
        batch_.problems.push_back({line_, raw_index_, "",
                                   fmt::format("has {} fields (expected {}, as in the header)", r.size(), width_),
                                   true});
      } else {
        MapRow(r);
      }
      if (!row_ok_) ++batch_.rows_rejected;
    }
    if (!csv.status().ok()) {
      if (csv.status().code() != StatusCode::kInvalidArgument) return csv.status();
      batch_.file_problems.push_back(csv.status().message());
    }
  }
  if (batch_.file_problems.empty()) GT_RETURN_IF_ERROR(Finish());
  batch_.digests.push_back({batch_.file, *sha, report_.rows_read});
  // The mapping is part of what was imported: the same return under a
  // changed mapping is a new batch (its rows new versions where they differ).
  batch_.digests.push_back({"cld_mapping:" + options_.mapping_name, m_.digest, 0});
  Result<ImportReport> imported = ImportAdapted(store_, batch_, options_.import);
  if (!imported.ok()) return imported.status();
  report_.import = std::move(*imported);
  return std::move(report_);
}

}  // namespace

Result<CldImportReport> ImportCld(Store& store, const std::string& path, const CldImportOptions& options) {
  CldImporter importer(store, path, options);
  return importer.Run();
}

}  // namespace goldthread
