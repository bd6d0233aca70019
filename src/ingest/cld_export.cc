#include "ingest/cld_export.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <functional>
#include <optional>
#include <map>
#include <set>
#include <vector>

#include <fmt/format.h>

#include "core/file.h"
#include "ingest/cld_format.h"

namespace goldthread {
namespace {

using C = CldCol;

std::string Quote(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

double Number(std::string_view s) {
  double v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::string Trimmed(double v, int decimals) {
  std::string s = fmt::format("{:.{}f}", v, decimals);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

/// The CLD value export writes for a code ("" when the mapping has none).
std::string Value(const CldValueTable& t, std::string_view code) {
  auto it = t.export_value.find(std::string(code));
  return it == t.export_value.end() ? std::string() : it->second;
}

/// The quarter (of the financial year) a date falls in: its first and last day.
std::pair<std::string, std::string> QuarterOf(std::string_view date) {
  if (date.size() < 7) return {};
  const int y = std::stoi(std::string(date.substr(0, 4))), mo = std::stoi(std::string(date.substr(5, 2)));
  const int q0 = ((mo - 1) / 3) * 3 + 1;  // Jan, Apr, Jul, Oct: the financial-year quarters
  static constexpr int kLast[] = {31, 30, 30, 31};
  return {fmt::format("{:04d}-{:02d}-01", y, q0), fmt::format("{:04d}-{:02d}-{:02d}", y, q0 + 2, kLast[(q0 - 1) / 3])};
}

struct Person {
  std::array<std::string, kCldColumnCount> cols;  // the person columns filled
  std::vector<std::pair<std::string, std::string>> cares_for;  // (cared-for id, hours)
  bool carer = false;
  int64_t events = 0;
};

class Exporter {
 public:
  Exporter(Store& store, const CldExportOptions& options)
      : store_(store), m_(options.mapping ? *options.mapping : DefaultCldMapping()), la_(options.la_code) {}
  Result<CldExportReport> Run(const std::string& dir);

 private:
  Status ChooseLa();
  Status LoadPeople();
  void Write(Person& p, std::array<std::string, kCldColumnCount>& row);
  /// Service_Type, Service_Component and Event_Description of a service.
  void Service(std::span<const std::string_view> v, std::array<std::string, kCldColumnCount>& row) const;

  Store& store_;
  const CldMapping& m_;
  std::string la_;
  std::map<std::string, Person> people_;
  std::string period_start_, period_end_;
  OutputFile out_;
  CldExportReport report_;
};

Status Exporter::ChooseLa() {
  if (!la_.empty()) return Status::Ok();
  std::vector<std::string> roots;
  GT_RETURN_IF_ERROR(store_.ScanCurrent(TableId::kOrgUnits, [&](const StoredRow& row) -> Status {
    if (row.values[1].empty()) roots.emplace_back(row.values[0]);
    return Status::Ok();
  }));
  if (roots.size() != 1)
    return Status::InvalidArgument(fmt::format(
        "the store has {} top-level org units (expected one, the council, whose id is the LA code; or give "
        "--la-code)",
        roots.size()));
  la_ = roots[0];
  return Status::Ok();
}

Status Exporter::LoadPeople() {
  GT_RETURN_IF_ERROR(store_.ScanCurrent(TableId::kPeople, [&](const StoredRow& row) -> Status {
    // person_id,role,birth_date,sex,ethnicity,area,primary_support_reason,employment,groups
    Person& p = people_[std::string(row.values[0])];
    auto set = [&](C c, std::string v) { p.cols[static_cast<size_t>(c)] = std::move(v); };
    set(C::kPersonId, std::string(row.values[0]));
    set(C::kClientType, Value(m_.client_type, row.values[1]));
    p.carer = row.values[1] == "carer";
    // A birth month is written as its first day, as NHS England derives a
    // proxy date of birth from birth month and year.
    std::string birth(row.values[2]);
    if (birth.size() == 7) birth += "-01";
    set(C::kDateOfBirth, birth);
    set(C::kGender, Value(m_.gender, row.values[3]));
    set(C::kEthnicity, Value(m_.ethnicity, row.values[4]));
    set(C::kPostcode, std::string(row.values[5]));  // the area code: the canonical record has no postcode
    set(C::kPrimarySupportReason, Value(m_.primary_support_reason, row.values[6]));
    set(C::kEmploymentStatus, Value(m_.employment_status, row.values[7]));
    return Status::Ok();
  }));
  GT_RETURN_IF_ERROR(store_.ScanCurrent(TableId::kCareLinks, [&](const StoredRow& row) -> Status {
    auto it = people_.find(std::string(row.values[0]));
    if (it != people_.end() && row.values[3].empty())  // links still open
      it->second.cares_for.emplace_back(std::string(row.values[1]), std::string(row.values[4]));
    return Status::Ok();
  }));
  for (auto& [id, p] : people_) {
    std::sort(p.cares_for.begin(), p.cares_for.end());
    static constexpr C kLinked[] = {C::kLinkedPerson1, C::kLinkedPerson2, C::kLinkedPerson3};
    double hours = 0;
    bool all_hours = !p.cares_for.empty();
    for (size_t i = 0; i < p.cares_for.size(); ++i) {
      if (i < 3) p.cols[static_cast<size_t>(kLinked[i])] = p.cares_for[i].first;
      if (p.cares_for[i].second.empty()) all_hours = false;
      else hours += Number(p.cares_for[i].second);
    }
    if (all_hours) p.cols[static_cast<size_t>(C::kHoursCaring)] = Trimmed(hours, 2);
    if (!p.cares_for.empty())
      p.cols[static_cast<size_t>(C::kAdultsCaredFor)] = std::to_string(p.cares_for.size());
  }
  return Status::Ok();
}

void Exporter::Write(Person& p, std::array<std::string, kCldColumnCount>& row) {
  for (size_t c = 0; c < row.size(); ++c)
    if (row[c].empty() && !p.cols[c].empty()) row[c] = p.cols[c];
  row[static_cast<size_t>(C::kLaCode)] = la_;
  row[static_cast<size_t>(C::kReportingPeriodStart)] = period_start_;
  row[static_cast<size_t>(C::kReportingPeriodEnd)] = period_end_;
  std::string line;
  for (size_t c = 0; c < row.size(); ++c) line += (c ? "," : "") + Quote(row[c]);
  out_.Write(line + "\n");
  ++report_.rows;
  ++p.events;
}

void Exporter::Service(std::span<const std::string_view> v, std::array<std::string, kCldColumnCount>& row) const {
  // services: service_id,person_id,service_type,hub_intervention,setting,term,delivery,start_on,end_on,...
  const std::string_view type = v[2], hub = v[3], setting = v[4], term = v[5];
  // The first Service_Type (with a Service_Component, or none) whose mapping
  // gives this service's type, setting and term (failing that, type and
  // setting; then type alone): a type that is itself the service's type
  // first, then a general one ("other") made specific by a component.
  for (int pass = 0; pass < 3; ++pass) {
    for (int prefer = 0; prefer < 2; ++prefer) {
      for (const CldMapping::ServiceEntry& st : m_.service_type) {
        if (pass < 2 && st.map.setting != setting) continue;
        if (pass < 1 && st.map.term != term) continue;
        if (prefer == 0 && st.map.service_type != type) continue;
        if (prefer == 1 && st.map.service_type != "other") continue;
        const CldMapping::ServiceEntry* chosen = nullptr;
        if (st.map.service_type != type) {
          for (const CldMapping::ServiceEntry& sc : m_.service_component)
            if (sc.map.service_type == type && sc.map.hub_intervention.empty() && sc.map.delivery.empty()) {
              chosen = &sc;
              break;
            }
          if (!chosen) continue;
        }
        row[static_cast<size_t>(C::kServiceType)] = st.label;
        if (chosen) row[static_cast<size_t>(C::kServiceComponent)] = chosen->label;
        if (!hub.empty())
          row[static_cast<size_t>(C::kEventDescription)] = Value(m_.carer_service_description, hub);
        return;
      }
    }
  }
}

Result<CldExportReport> Exporter::Run(const std::string& dir) {
  namespace fs = std::filesystem;
  GT_RETURN_IF_ERROR(ChooseLa());
  report_.la_code = la_;
  GT_RETURN_IF_ERROR(LoadPeople());
  // The return's reporting period: the financial-year quarters from the
  // first event to the last.
  std::string first, last;
  auto span = [&](TableId t, int field) -> Status {
    Result<std::optional<std::pair<std::string, std::string>>> r = store_.RangeCurrent(t, field);
    if (!r.ok()) return r.status();
    if (*r) {
      if (first.empty() || (*r)->first < first) first = (*r)->first;
      if (last.empty() || (*r)->second > last) last = (*r)->second;
    }
    return Status::Ok();
  };
  GT_RETURN_IF_ERROR(span(TableId::kRequests, 3));
  GT_RETURN_IF_ERROR(span(TableId::kAssessments, 4));
  GT_RETURN_IF_ERROR(span(TableId::kServices, 7));
  GT_RETURN_IF_ERROR(span(TableId::kReviews, 4));
  period_start_ = QuarterOf(first).first;
  period_end_ = QuarterOf(last).second;

  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create '" + dir + "': " + ec.message());
  report_.path = (fs::path(dir) / "cld.csv").string();
  ProtectedFiles protect;
  protect.AddStore(store_.location());
  Result<OutputFile> out = OutputFile::Open(report_.path, protect);
  if (!out.ok()) return out.status();
  out_ = std::move(*out);
  std::string header;
  for (int c = 0; c < kCldColumnCount; ++c) header += (c ? "," : "") + std::string(CldColumnName(static_cast<C>(c)));
  out_.Write(header + "\n");

  using Row = std::array<std::string, kCldColumnCount>;
  auto cell = [](Row& row, C c) -> std::string& { return row[static_cast<size_t>(c)]; };
  auto events = [&](TableId t, int kind, const std::function<void(std::span<const std::string_view>, Row&)>& fill) {
    return store_.ScanCurrent(t, [&](const StoredRow& stored) -> Status {
      auto it = people_.find(std::string(stored.values[1]));
      if (it == people_.end()) return Status::Ok();  // the store checks references: not reached
      Row row;
      cell(row, C::kEventReference) = std::string(stored.values[0]);
      fill(stored.values, row);
      Write(it->second, row);
      ++report_.events[static_cast<size_t>(kind)];
      return Status::Ok();
    });
  };
  GT_RETURN_IF_ERROR(events(TableId::kRequests, 0, [&](std::span<const std::string_view> v, Row& row) {
    // request_id,person_id,first_contact_on,received_on,route,outcome,closed_on
    cell(row, C::kEventType) = "Request";
    cell(row, C::kEventStartDate) = std::string(v[3]);
    cell(row, C::kEventEndDate) = std::string(v[6]);
    cell(row, C::kRouteOfAccess) = Value(m_.route_of_access, v[4]);
    cell(row, C::kEventOutcome) = Value(m_.request_outcome, v[5]);
  }));
  GT_RETURN_IF_ERROR(events(TableId::kAssessments, 1, [&](std::span<const std::string_view> v, Row& row) {
    // assessment_id,person_id,request_id,kind,started_on,completed_on,eligible
    cell(row, C::kEventType) = "Assessment";
    cell(row, C::kEventStartDate) = std::string(v[4].empty() ? v[5] : v[4]);
    cell(row, C::kEventEndDate) = std::string(v[5]);
    cell(row, C::kAssessmentType) = Value(m_.assessment_type, v[3]);
    cell(row, C::kEligibleNeeds) = Value(m_.eligible_needs, v[6]);
  }));
  GT_RETURN_IF_ERROR(events(TableId::kServices, 2, [&](std::span<const std::string_view> v, Row& row) {
    // ...,delivery,start_on,end_on,planned_hours_week,weekly_cost,provider_id
    cell(row, C::kEventType) = "Service";
    Service(v, row);
    cell(row, C::kDeliveryMechanism) = Value(m_.delivery_mechanism, v[6]);
    cell(row, C::kEventStartDate) = std::string(v[7]);
    cell(row, C::kEventEndDate) = std::string(v[8]);
    cell(row, C::kProviderId) = std::string(v[11]);
    const std::string_view hours = v[9], weekly = v[10];
    // Hours and a weekly cost: an hourly rate to 6 decimals, which times the
    // hours (at most 168) gives the weekly cost back to the penny.
    if (!hours.empty() && Number(hours) > 0) {
      auto hourly = m_.cost_frequency_export.find(CostBasis::kPerUnit);
      cell(row, C::kCostFrequency) = hourly != m_.cost_frequency_export.end() ? hourly->second : "";
      cell(row, C::kPlannedUnits) = std::string(hours);
      if (!weekly.empty()) cell(row, C::kUnitCost) = Trimmed(Number(weekly) / Number(hours), 6);
    } else if (!weekly.empty()) {
      auto week = m_.cost_frequency_export.find(CostBasis::kWeek);
      cell(row, C::kCostFrequency) = week != m_.cost_frequency_export.end() ? week->second : "";
      cell(row, C::kUnitCost) = std::string(weekly);
    }
  }));
  GT_RETURN_IF_ERROR(events(TableId::kReviews, 3, [&](std::span<const std::string_view> v, Row& row) {
    // review_id,person_id,kind,due_on,completed_on,outcomes_achieved
    cell(row, C::kEventType) = "Review";
    cell(row, C::kEventStartDate) = std::string(v[3].empty() ? v[4] : v[3]);
    cell(row, C::kEventEndDate) = std::string(v[4]);
    cell(row, C::kReviewReason) = Value(m_.review_reason, v[2]);
    cell(row, C::kReviewOutcomes) = Value(m_.review_outcomes, v[5]);
  }));
  // Carers with no event of their own are "known by association".
  const std::string by_association = "Carer known by association";
  for (auto& [id, p] : people_) {
    if (p.events > 0) continue;
    if (p.carer && !p.cares_for.empty()) {
      Row row;
      cell(row, C::kClientType) = by_association;
      Write(p, row);
      ++report_.carers_by_association;
    } else {
      ++report_.people_without_events;
    }
  }
  for (const TableSpec& t : AllTables()) {
    switch (t.id) {
      case TableId::kOrgUnits: case TableId::kPeople: case TableId::kCareLinks: case TableId::kRequests:
      case TableId::kAssessments: case TableId::kServices: case TableId::kReviews:
        continue;
      default:
        break;
    }
    Result<int64_t> n = store_.CountCurrent(t.id);
    if (!n.ok()) return n.status();
    report_.not_written[static_cast<size_t>(t.id)] = *n;
  }
  GT_RETURN_IF_ERROR(out_.Commit());
  return std::move(report_);
}

}  // namespace

Result<CldExportReport> ExportCld(Store& store, const std::string& dir, const CldExportOptions& options) {
  Exporter exporter(store, options);
  return exporter.Run(dir);
}

}  // namespace goldthread
