#include "ingest/cld_import.h"

#include <algorithm>
#include <charconv>
#include <csignal>
#include <limits>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "core/key_set.h"
#include "core/utf8.h"
#include "ingest/cld_format.h"
#include "ingest/csv.h"
#include "ingest/digest.h"
#include "ingest/validate.h"

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

/// "31/03/2024" -> "2024-03-31" (in buf); anything else is passed on
/// unchanged for the canonical check to judge (and name the column).
std::string_view IsoDate(std::string_view s, std::string& buf) {
  if (s.size() != 10 || s[2] != '/' || s[5] != '/') return s;
  buf.assign(s.substr(6, 4));
  buf += '-';
  buf += s.substr(3, 2);
  buf += '-';
  buf += s.substr(0, 2);
  return buf;
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
  std::string_view id;     // in the batch's text, as are the values (CldImporter::person_values_)
  size_t fingerprint = 0;  // of the row's person fields as written
  std::string rank;  // Reporting_Period_End_Date|Event_Start_Date: the latest row gives the details
  int64_t line = 0;
};

/// The most fields of a canonical table (people has 9, services 16).
constexpr size_t kMaxCanonicalFields = 24;

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
    Listed(std::string(CldColumnName(column)), std::move(what));
  }
  /// A problem listed by itself. Without --quarantine at most
  /// kMaxProblemsKept are kept (ImportAdapted lists no more), the rest
  /// counted; with it each is kept for the reject file, whose rows' text is
  /// held too, so the bound is the return's (kMaxCldBytes).
  void Listed(std::string column, std::string what) {
    if (!quarantine_ && batch_.problems.size() >= kMaxProblemsKept) {
      ++batch_.problems_not_kept;
      return;
    }
    held_bytes_ += column.size() + what.size();
    batch_.problems.push_back({line_, raw_index_, std::move(column), std::move(what)});
  }
  /// Looks a value up in a table; an unknown value is counted (one problem
  /// per value, listing its rows) and refuses the row. nullptr: empty or
  /// unknown; else the mapping's code (which outlives the import).
  const std::string* Code(const CldValueTable& t, C column, std::string_view value);
  void Unmapped(C column, std::string_view value, const std::string& expected);
  /// Refuses the row if a column it reads is longer than kMaxFieldBytes,
  /// before anything of it is held (the canonical check would refuse it
  /// later, after a 1 MiB id had been copied into half a dozen keys).
  bool FieldsFit(Row r);
  Status ReadHeader(CsvReader& csv);
  void MapRow(Row r);
  // The row being mapped is built as views (of the row, the mapping's codes
  // and the buffers below) and copied into the batch's text once it is
  // good: no allocation a row.
  /// The person's details from this row into person_; the caller keeps them
  /// as the person's (KeepPerson) once the whole row is good.
  void MapPerson(Row r);
  /// kept: the person's index in picks_, or -1 for a person not seen before.
  void KeepPerson(std::string_view person, int64_t kept, size_t fingerprint);
  void MapEvent(Row r, Event e, std::string_view person, std::string_view start, std::string_view end);
  void MapService(Row r, std::span<std::string_view> v);
  std::string_view EventId(Row r, Event e, std::string_view person, std::string_view start);
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
  size_t held_bytes_ = 0;  // the rows' text read and the problems' text kept (kMaxCldBytes)
  bool row_ok_ = true;
  std::string unit_;  // the org unit of the current row
  std::string problem_;
  std::string key_;  // CldKeyInto's buffer
  std::string fingerprint_, rank_;
  // The current row's canonical values, and the text made for them.
  std::array<std::string_view, kMaxCanonicalFields> person_{}, event_{};
  std::string start_, end_, birth_, period_, area_, id_, hours_, cost_;
  // The people of the return, in the order they first appear: their ids'
  // index in picks_ (a flat table: a lookup a row, so its memory is a few
  // cache lines, not a node each), their details kPeopleFields views each.
  KeySet person_index_;
  std::vector<PersonPick> picks_;
  std::vector<std::string_view> person_values_;
  /// The person of the last row: a return often lists a person's rows
  /// together, as a case system extracts them.
  int64_t last_person_ = -1;
  std::map<std::pair<std::string, std::string>, LinkPick> links_;
  std::set<std::string, std::less<>> la_codes_;
  /// Unknown values: (column, CldKey) -> count, first line, first text; at
  /// most kMaxUnmappedValues a column, the rest counted together.
  struct UnmappedValue {
    CldUnmapped u;
    std::string expected;
    int32_t reason = -1;  // in batch_.reasons, with --quarantine
  };
  std::map<std::pair<int, std::string>, UnmappedValue> unmapped_;
  std::array<int64_t, kCldColumnCount> unmapped_values_{};  // distinct values kept, by column
  std::array<UnmappedValue, kCldColumnCount> unmapped_more_;  // the values past the limit, by column
  /// Each event type's ids seen and their row, to count exact repeats.
  std::array<KeySet, 4> events_seen_;
};

const std::string* CldImporter::Code(const CldValueTable& t, C column, std::string_view value) {
  if (value.empty()) return nullptr;
  if (const std::string* code = t.Find(value)) return code;
  Unmapped(column, value, "a value listed in the mapping's [" + t.section + "] table");
  return nullptr;
}

void CldImporter::Unmapped(C column, std::string_view value, const std::string& expected) {
  row_ok_ = false;
  // The problem list names each value once, with its count (Finish). A
  // return of a million different values (a column shifted by one) keeps
  // the first kMaxUnmappedValues of each column and counts the rest.
  const size_t c = static_cast<size_t>(column);
  UnmappedValue* entry = nullptr;
  std::pair<int, std::string> key{static_cast<int>(column), CldKey(value)};
  auto it = unmapped_.find(key);
  if (it != unmapped_.end()) {
    entry = &it->second;
  } else if (unmapped_values_[c] < kMaxUnmappedValues) {
    ++unmapped_values_[c];
    entry = &unmapped_.emplace(std::move(key), UnmappedValue{}).first->second;
    entry->u = {std::string(CldColumnName(column)), Printable(value), 0, line_, false};
    entry->expected = expected;
  } else {
    entry = &unmapped_more_[c];
    if (entry->u.rows == 0) {
      entry->u = {std::string(CldColumnName(column)), Printable(value), 0, line_, true};
      entry->expected = expected;
    }
  }
  ++entry->u.rows;
  if (!quarantine_) return;
  // Each refused row goes to the quarantine file with the value it has.
  std::string what = "'" + Printable(value) + "' is not in the mapping (expected " + expected + ")";
  if (entry == &unmapped_more_[c] || entry->reason < 0) {
    held_bytes_ += what.size();
    batch_.reasons.emplace_back(std::string(CldColumnName(column)), std::move(what));
    if (entry != &unmapped_more_[c]) entry->reason = static_cast<int32_t>(batch_.reasons.size() - 1);
  }
  const int32_t reason =
      entry == &unmapped_more_[c] ? static_cast<int32_t>(batch_.reasons.size() - 1) : entry->reason;
  batch_.problems.push_back({line_, raw_index_, "", "", reason});
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

void CldImporter::MapPerson(Row r) {
  std::span<std::string_view> v(person_.data(), Table(TableId::kPeople).fields.size());
  std::fill(v.begin(), v.end(), std::string_view());
  v[0] = Get(r, C::kPersonId);
  if (const std::string* role = Code(m_.client_type, C::kClientType, Get(r, C::kClientType))) v[1] = *role;
  v[2] = IsoDate(Get(r, C::kDateOfBirth), birth_);
  if (auto c = Code(m_.gender, C::kGender, Get(r, C::kGender))) v[3] = *c;
  if (auto c = Code(m_.ethnicity, C::kEthnicity, Get(r, C::kEthnicity))) v[4] = *c;
  if (m_.area == "la_code") {
    v[5] = Get(r, C::kLaCode);
  } else if (m_.area == "postcode_district" && !Get(r, C::kPostcode).empty()) {
    area_ = PostcodeDistrict(Get(r, C::kPostcode));
    v[5] = area_;
  } else if (m_.area == "postcode") {
    v[5] = Get(r, C::kPostcode);
  }
  if (auto c = Code(m_.primary_support_reason, C::kPrimarySupportReason, Get(r, C::kPrimarySupportReason))) v[6] = *c;
  if (auto c = Code(m_.employment_status, C::kEmploymentStatus, Get(r, C::kEmploymentStatus))) v[7] = *c;
}

void CldImporter::KeepPerson(std::string_view person, int64_t kept, size_t fingerprint) {
  // The latest row (by reporting period end, then event start, then line)
  // gives the person's details, as NHS England's LTS004 code takes the
  // latest record's status. The caller has compared the ranks.
  const size_t n = Table(TableId::kPeople).fields.size();
  if (kept < 0) {
    kept = static_cast<int64_t>(picks_.size());
    person_index_.Insert(person, kept);
    picks_.emplace_back().id = batch_.text.Add(person);
    person_values_.resize(person_values_.size() + n);
  }
  last_person_ = kept;
  PersonPick& pick = picks_[static_cast<size_t>(kept)];
  std::string_view* values = person_values_.data() + static_cast<size_t>(kept) * n;
  values[0] = pick.id;
  for (size_t i = 1; i < n; ++i) values[i] = batch_.text.Add(person_[i]);
  pick.rank = rank_;
  pick.line = line_;
  pick.fingerprint = fingerprint;
}

std::string_view CldImporter::EventId(Row r, Event e, std::string_view person, std::string_view start) {
  const std::string_view ref = Get(r, C::kEventReference);
  if (m_.event_id != CldMapping::EventId::kDerived && !ref.empty()) return ref;
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
  static constexpr char kLetter[] = {'R', 'A', 'S', 'V'};
  std::string& id = id_;
  id.clear();
  id += kLetter[static_cast<int>(e)];
  id += ':';
  id += person;
  id += ':';
  id += start;
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

void CldImporter::MapService(Row r, std::span<std::string_view> v) {
  // services: service_id,person_id,service_type,hub_intervention,setting,term,delivery,start_on,end_on,
  // planned_hours_week,weekly_cost,provider_id
  const std::string_view type = Get(r, C::kServiceType), component = Get(r, C::kServiceComponent);
  const CldMapping::ServiceEntry* st = type.empty() ? nullptr : m_.FindServiceType(type);
  if (type.empty()) Problem(C::kServiceType, "is empty (expected the service type of a Service event)");
  else if (!st) Unmapped(C::kServiceType, type, "a value listed in the mapping's [service_type] table");
  const CldMapping::ServiceEntry* sc = component.empty() ? nullptr : m_.FindServiceComponent(component);
  if (!component.empty() && !sc)
    Unmapped(C::kServiceComponent, component, "a value listed in the mapping's [service_component] table");
  const std::string* delivery = Code(m_.delivery_mechanism, C::kDeliveryMechanism, Get(r, C::kDeliveryMechanism));
  if (!st) return;
  std::string_view service_type = st->map.service_type, hub = st->map.hub_intervention;
  if (sc) {
    if (!sc->map.service_type.empty()) service_type = sc->map.service_type;
    if (!sc->map.hub_intervention.empty()) hub = sc->map.hub_intervention;
    if (!sc->map.delivery.empty() && !delivery) delivery = &sc->map.delivery;
  }
  if (service_type == "carer_support" && hub.empty())
    if (const std::string* found = m_.carer_service_description.Find(Get(r, C::kEventDescription))) hub = *found;
  v[2] = service_type;
  v[3] = hub;
  v[4] = st->map.setting;
  v[5] = st->map.term;
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
  if (basis == CostBasis::kPerUnit && planned && key_ == "hourly") {
    hours_ = Decimal(*planned);
    v[9] = hours_;
  }
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
    if (weekly >= 0) {
      cost_ = Decimal(weekly);
      v[10] = cost_;
    }
  }
  v[11] = Get(r, C::kProviderId);
}

void CldImporter::MapEvent(Row r, Event e, std::string_view person, std::string_view start, std::string_view end) {
  static constexpr TableId kTables[] = {TableId::kRequests, TableId::kAssessments, TableId::kServices,
                                        TableId::kReviews};
  const TableSpec& t = Table(kTables[static_cast<int>(e)]);
  std::span<std::string_view> v(event_.data(), t.fields.size());
  std::fill(v.begin(), v.end(), std::string_view());
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
  AdaptedRows& rows = batch_.rows[static_cast<size_t>(t.id)];
  const int64_t first = events_seen_[static_cast<size_t>(e)].Insert(v[0], static_cast<int64_t>(rows.size()));
  if (first >= 0) {
    const std::span<const std::string_view> earlier = rows.values(static_cast<size_t>(first));
    if (std::equal(earlier.begin(), earlier.end(), v.begin(), v.end())) {
      ++report_.repeated;
      return;
    }
  }
  ++report_.events[static_cast<int>(e)];
  batch_.AddRow(t.id, line_, raw_index_, v);
}

bool CldImporter::FieldsFit(Row r) {
  // The columns the import reads: everything but the free text it only
  // looks up (Event_Description) and the columns it never reads.
  static constexpr C kRead[] = {
      C::kLaCode, C::kReportingPeriodStart, C::kReportingPeriodEnd, C::kPersonId, C::kGender, C::kEthnicity,
      C::kDateOfBirth, C::kClientType, C::kPrimarySupportReason, C::kPostcode, C::kEmploymentStatus, C::kEventType,
      C::kEventReference, C::kEventStartDate, C::kEventEndDate, C::kEventOutcome, C::kRouteOfAccess,
      C::kAssessmentType, C::kEligibleNeeds, C::kHoursCaring, C::kLinkedPerson1, C::kLinkedPerson2,
      C::kLinkedPerson3, C::kServiceType, C::kServiceComponent, C::kDeliveryMechanism, C::kProviderId,
      C::kReviewReason, C::kReviewOutcomes, C::kUnitCost, C::kCostFrequency, C::kPlannedUnits};
  row_ok_ = true;
  for (C c : kRead) {
    const size_t n = Get(r, c).size();
    if (n > kMaxFieldBytes)
      Problem(c, fmt::format("is {} bytes long (expected at most {} bytes)", n, kMaxFieldBytes));
  }
  return row_ok_;
}

void CldImporter::MapRow(Row r) {
  row_ok_ = true;
  const std::string_view la = Get(r, C::kLaCode), person = Get(r, C::kPersonId);
  if (la.empty()) Problem(C::kLaCode, "is empty (expected the council's LA code)");
  if (person.empty()) Problem(C::kPersonId, "is empty (expected the person's identifier in the council's system)");
  if (!row_ok_) return;
  unit_.assign(m_.org_unit.empty() ? la : std::string_view(m_.org_unit));
  if (la_codes_.find(la) == la_codes_.end()) la_codes_.emplace(la);
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
  const std::string_view start = IsoDate(Get(r, C::kEventStartDate), start_),
                         end = IsoDate(Get(r, C::kEventEndDate), end_);
  if (e != Event::kNone && start.empty())
    Problem(C::kEventStartDate, "is empty (expected the date the event started, YYYY-MM-DD)");
  const std::string_view hours = Get(r, C::kHoursCaring);
  std::optional<double> h;
  if (!hours.empty() && !(h = Amount(hours, problem_))) Problem(C::kHoursCaring, problem_);
  // A person's details come from their latest row. Most rows repeat the
  // person's fields exactly: those are not mapped again (a row that differs
  // is, so every value of the return is checked).
  rank_.assign(IsoDate(Get(r, C::kReportingPeriodEnd), period_));
  rank_ += '|';
  if (!by_association) rank_ += start;
  fingerprint_.clear();
  for (C c : {C::kLaCode, C::kClientType, C::kDateOfBirth, C::kGender, C::kEthnicity, C::kPostcode,
              C::kPrimarySupportReason,
              C::kEmploymentStatus}) {
    fingerprint_ += Get(r, c);
    fingerprint_ += '\x1f';
  }
  const size_t fingerprint = std::hash<std::string>{}(fingerprint_);
  int64_t kept = last_person_ >= 0 && picks_[static_cast<size_t>(last_person_)].id == person ? last_person_ : -1;
  if (kept < 0) kept = person_index_.Find(person);
  if (kept >= 0) last_person_ = kept;
  PersonPick* pick = kept >= 0 ? &picks_[static_cast<size_t>(kept)] : nullptr;
  const bool newer = !pick || rank_ >= pick->rank;
  const bool same = pick && pick->fingerprint == fingerprint;
  if (!same) MapPerson(r);
  // The event's fields are mapped even after a problem, so that every
  // unknown value of the return is reported at once.
  if (e != Event::kNone) MapEvent(r, e, person, start, end);
  if (!row_ok_) return;
  if (newer && same) {  // the same details, from a later row: that row is the source
    pick->rank = rank_;
    pick->line = line_;
  } else if (newer) {
    KeepPerson(person, kept, fingerprint);
  }
  if (e == Event::kNone) ++report_.carers_by_association;
  // A carer's cared-for adults: a care link each, from the carer's first
  // event (or reporting period) that names them.
  const std::string_view link_start = e == Event::kNone ? IsoDate(Get(r, C::kReportingPeriodStart), period_) : start;
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
      if (!*has) batch_.AddRow(TableId::kOrgUnits, 1, -1, std::array<std::string_view, 4>{la, "", la, "council"});
    }
  }
  // People, from each person's latest row.
  {
    // In the order a hash map of the ids, filled in order of first
    // appearance, gives them: the order of their rows in the store, as
    // before the flat index.
    std::unordered_map<std::string_view, size_t> order;
    for (size_t i = 0; i < picks_.size(); ++i) order.emplace(picks_[i].id, i);
    const size_t n = Table(TableId::kPeople).fields.size();
    for (const auto& [id, i] : order) {
      batch_.rows[static_cast<size_t>(TableId::kPeople)].Add(
          picks_[i].line, -1, std::span(person_values_.data() + i * n, n));  // in the batch's text
      ++report_.people;
    }
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
    batch_.AddRow(TableId::kCareLinks, link.line, -1,
                  std::array<std::string_view, 5>{key.first, key.second, start, "", link.hours});
    ++report_.care_links;
    // A cared-for adult the return does not list otherwise (and the store
    // does not hold) is a service user known only through the carer.
    if (person_index_.Contains(key.second)) continue;
    Result<bool> has = store_.HasRecord(TableId::kPeople, key.second);
    if (!has.ok()) return has.status();
    if (*has) continue;
    person_index_.Insert(key.second, std::numeric_limits<int64_t>::max());  // a stub: no details
    batch_.AddRow(TableId::kPeople, link.line, -1,
                  std::array<std::string_view, 9>{key.second, "service_user", "", "", "", area, "", "", ""});
    ++report_.stub_people;
  }
  // An assessment's request: the person's latest request received on or
  // before the assessment started, from this return or the store.
  AdaptedRows& assessments = batch_.rows[static_cast<size_t>(TableId::kAssessments)];
  if (m_.link_assessments && !assessments.empty()) {
    // (person, received, id) of this return's requests and of the store's
    // for people in it, all in the batch's text, sorted: one array, where a
    // map of lists would allocate a list a person.
    struct Received {
      std::string_view person, on, id;
      auto operator<=>(const Received&) const = default;
    };
    std::vector<Received> requests;
    const AdaptedRows& batch_requests = batch_.rows[static_cast<size_t>(TableId::kRequests)];
    for (size_t i = 0; i < batch_requests.size(); ++i) {
      const std::span<const std::string_view> r = batch_requests.values(i);
      requests.push_back({r[1], r[3], r[0]});
    }
    GT_RETURN_IF_ERROR(store_.ScanCurrent(TableId::kRequests, [&](const StoredRow& row) -> Status {
      // Every person with a request of this return is a person of it.
      if (person_index_.Contains(row.values[1]))
        requests.push_back(
            {batch_.text.Add(row.values[1]), batch_.text.Add(row.values[3]), batch_.text.Add(row.values[0])});
      return Status::Ok();
    }));
    std::sort(requests.begin(), requests.end());
    for (size_t i = 0; i < assessments.size(); ++i) {
      const std::span<std::string_view> a = assessments.values(i);
      const std::string_view from = a[4].empty() ? a[5] : a[4];
      if (from.empty()) continue;
      // The person's last request received on or before from.
      auto after = std::upper_bound(requests.begin(), requests.end(), Received{a[1], from, "\xff"});
      if (after == requests.begin() || std::prev(after)->person != a[1]) continue;
      a[2] = std::prev(after)->id;
      ++report_.linked_assessments;
    }
  }
  // Permanent care-home admissions (NHS England's ASCOF 2A from CLD): a
  // person's first long-term residential or nursing service, unless the
  // store already holds an admission on or before it.
  if (m_.derive_care_home_admissions) {
    std::map<std::string_view, std::pair<std::string_view, int64_t>> first;  // person -> (start, line)
    const AdaptedRows& services = batch_.rows[static_cast<size_t>(TableId::kServices)];
    for (size_t i = 0; i < services.size(); ++i) {
      const std::span<const std::string_view> r = services.values(i);
      const std::string_view type = r[2];
      if (r[5] != "long" || (type != "residential" && type != "nursing")) continue;
      auto [it, inserted] = first.try_emplace(r[1], r[7], services.line(i));
      if (!inserted && r[7] < it->second.first) it->second = {r[7], services.line(i)};
    }
    if (!first.empty()) {
      GT_RETURN_IF_ERROR(store_.ScanCurrent(TableId::kCareHomeAdmissions, [&](const StoredRow& row) -> Status {
        auto it = first.find(row.values[1]);
        if (it != first.end() && row.values[3] == "Y" && row.values[2] <= it->second.first) first.erase(it);
        return Status::Ok();
      }));
    }
    std::span<std::string_view> v(event_.data(), Table(TableId::kCareHomeAdmissions).fields.size());
    for (const auto& [person, at] : first) {
      line_ = at.second;
      std::fill(v.begin(), v.end(), std::string_view());
      id_ = fmt::format("CH:{}:{}", person, at.first);
      v[0] = id_;
      v[1] = person;
      v[2] = at.first;
      v[3] = "Y";
      v[4] = "needs";
      v[v.size() - 4] = unit_;
      batch_.AddRow(TableId::kCareHomeAdmissions, at.second, -1, v);
      ++report_.care_home_admissions;
    }
  }
  // Each unknown value once, with its count and first row; a column's
  // values past kMaxUnmappedValues together, after its others.
  auto summarise = [&](const UnmappedValue& v) {
    const CldUnmapped& u = v.u;
    const std::string rows = std::to_string(u.rows) + (u.rows == 1 ? " row" : " rows");
    batch_.summaries.emplace_back(
        u.first_line,
        batch_.file + ":" + std::to_string(u.first_line) + ": " + u.column + ": " +
            (u.others ? fmt::format("more than {} different values are not in the mapping: the others, from '{}' "
                                    "on, in {}, first at line {} (expected {}; is a column shifted or mislabelled? "
                                    "see docs/cld.md)",
                                    kMaxUnmappedValues, u.value, rows, u.first_line, v.expected)
                      : "'" + u.value + "' is not in the mapping (" + rows + ", first at line " +
                            std::to_string(u.first_line) + "; expected " + v.expected +
                            "; add it to the mapping file, see docs/cld.md)"));
    report_.unmapped.push_back(u);
  };
  for (auto it = unmapped_.begin(); it != unmapped_.end(); ++it) {
    summarise(it->second);
    auto next = std::next(it);
    const int column = it->first.first;
    if ((next == unmapped_.end() || next->first.first != column) && unmapped_more_[static_cast<size_t>(column)].u.rows)
      summarise(unmapped_more_[static_cast<size_t>(column)]);
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
    const volatile std::sig_atomic_t* interrupted = options_.import.interrupted;
    while (csv.Next()) {
      if (interrupted && *interrupted) return Status::IOError("interrupted");
      const Row r = csv.fields();
      if (r.size() == 1 && r[0].empty() && csv.raw().empty()) continue;  // blank line
      ++report_.rows_read;
      line_ = csv.line();
      raw_index_ = -1;
      held_bytes_ += csv.raw().size();
      if (report_.rows_read > options_.max_rows || held_bytes_ > options_.max_bytes) {
        const size_t mib = options_.max_bytes >> 20;
        batch_.file_problems.push_back(
            report_.rows_read > options_.max_rows
                ? fmt::format("{}:{}: more than {} rows (expected at most {} in one import; import the return in "
                              "parts, a quarter or an event type at a time)",
                              batch_.file, line_, options_.max_rows, options_.max_rows)
                : fmt::format("{}:{}: the rows so far{} come to more than {} (expected at most that in one "
                              "import; import the return in parts, a quarter or an event type at a time)",
                              batch_.file, line_, quarantine_ ? " and their problems" : "",
                              mib ? fmt::format("{} MiB", mib) : fmt::format("{} bytes", options_.max_bytes)));
        break;
      }
      if (quarantine_) {  // the row's text, for the reject file
        raw_index_ = static_cast<int64_t>(batch_.raw_spans.size());
        batch_.raw_spans.emplace_back(batch_.raw_text.size(), csv.raw().size());
        batch_.raw_text += csv.raw();
      }
      if (r.size() != width_) {
        row_ok_ = false;
        Listed("", fmt::format("has {} fields (expected {}, as in the header)", r.size(), width_));
      } else if (FieldsFit(r)) {
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
