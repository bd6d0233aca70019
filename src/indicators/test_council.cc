#include "indicators/test_council.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <map>

#include "ingest/csv.h"
#include "sim/simulator.h"

namespace goldthread::indicators::testing {

namespace fs = std::filesystem;

std::unique_ptr<Snapshot> BuildSnapshot(const Rows& rows, bool reversed) {
  SnapshotBuilder b;
  auto add = [&](const std::pair<TableId, std::vector<std::string>>& r) {
    std::vector<std::string_view> v(r.second.begin(), r.second.end());
    Status s = b.AddRow(r.first, v, 1);
    EXPECT_TRUE(s.ok()) << Table(r.first).name << ": " << s.ToString();
  };
  if (reversed) std::for_each(rows.rbegin(), rows.rend(), add);
  else std::for_each(rows.begin(), rows.end(), add);
  auto snap = b.Finish();
  EXPECT_TRUE(snap.ok()) << snap.status().ToString();
  return snap.ok() ? std::move(snap).value() : nullptr;
}

const Rows& SimulatedCouncil() {
  static const Rows rows = [] {
    fs::path dir = fs::temp_directory_path() / fmt::format("gt_differential_{}", ::getpid());
    fs::remove_all(dir);
    sim::SimOptions o;
    o.people = 400;
    o.months = 24;
    o.seed = 5;
    o.start = DateFromCivil(2023, 4, 1);
    auto summary = sim::Simulate(o, dir);
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    Rows out;
    for (const TableSpec& t : AllTables()) {
      fs::path file = dir / t.FileName();
      if (!fs::exists(file)) continue;
      auto reader = CsvReader::Open(file.string(), t.FileName());
      EXPECT_TRUE(reader.ok()) << reader.status().ToString();
      if (!reader.ok()) continue;
      bool header = true;
      while ((*reader)->Next()) {
        if (header) {
          header = false;
          continue;
        }
        std::vector<std::string> v((*reader)->fields().begin(), (*reader)->fields().end());
        out.emplace_back(t.id, std::move(v));
      }
    }
    fs::remove_all(dir);
    return out;
  }();
  return rows;
}

Rows EdgeCouncil() {
  uint64_t state = 42;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;  // Knuth's MMIX LCG
    return static_cast<int>((state >> 33) % 1000003);
  };
  const std::vector<std::string> days = {"2024-03-25", "2024-03-31", "2024-04-01", "2024-04-01", "2024-04-15",
                                         "2024-04-29", "2024-04-30", "2024-04-30", "2024-05-01", "2024-05-06"};
  auto day = [&] { return days[static_cast<size_t>(next()) % days.size()]; };
  auto later = [&](const std::string& from) {  // a day on or after from, or empty
    std::vector<std::string> after;
    for (const std::string& d : days)
      if (d >= from) after.push_back(d);
    return next() % 3 == 0 ? std::string() : after[static_cast<size_t>(next()) % after.size()];
  };
  Rows rows;
  auto row = [&](TableId t, std::map<std::string, std::string> f) {
    std::vector<std::string> v;
    for (const FieldSpec& fs : Table(t).fields) {
      auto it = f.find(std::string(fs.name));
      v.push_back(it == f.end() ? "" : it->second);
    }
    rows.emplace_back(t, std::move(v));
  };
  row(TableId::kOrgUnits, {{"org_unit_id", "C"}, {"name", "C"}, {"kind", "council"}});
  row(TableId::kOrgUnits, {{"org_unit_id", "T1"}, {"parent_id", "C"}, {"name", "T1"}, {"kind", "team"}});
  row(TableId::kOrgUnits, {{"org_unit_id", "T2"}, {"parent_id", "C"}, {"name", "T2"}, {"kind", "team"}});
  int id = 0;
  auto uid = [&](const char* prefix) { return fmt::format("{}{}", prefix, ++id); };
  auto team = [&] { return next() % 2 ? "T1" : "T2"; };
  auto pick = [&](std::initializer_list<const char*> v) {
    return std::string(*(v.begin() + static_cast<ptrdiff_t>(static_cast<size_t>(next()) % v.size())));
  };
  for (int p = 1; p <= 8; ++p) {
    const std::string pid = fmt::format("P{}", p);
    row(TableId::kPeople, {{"person_id", pid}, {"role", p % 3 == 0 ? "carer" : "service_user"},
                           {"birth_date", pick({"1959-04-30", "1959-05-01", "1944-04-15", "1990-01-01", ""})},
                           {"sex", pick({"F", "M", ""})}, {"employment", pick({"full_time", "retired", ""})},
                           {"primary_support_reason", pick({"physical", "memory_cognition", ""})},
                           {"groups", pick({"", "bme", "bme;lgbt"})}});
    std::vector<std::string> requests, services;
    for (int i = 0; i < 2; ++i) {
      std::string r = uid("R"), on = day();
      requests.push_back(r);
      row(TableId::kRequests, {{"request_id", r}, {"person_id", pid}, {"received_on", on}, {"route", pick({"gp", "hospital", ""})},
                               {"org_unit_id", team()}});
      row(TableId::kAssessments, {{"assessment_id", uid("A")}, {"person_id", pid}, {"request_id", next() % 4 ? r : ""},
                                  {"kind", pick({"needs", "carer", "joint"})}, {"started_on", on}, {"completed_on", later(on)},
                                  {"org_unit_id", team()}});
    }
    for (int i = 0; i < 3; ++i) {
      std::string s = uid("S"), on = day();
      services.push_back(s);
      row(TableId::kServices, {{"service_id", s}, {"person_id", pid}, {"service_type", pick({"home_care", "day_care", "carer_support"})},
                               {"hub_intervention", pick({"", "breaks"})}, {"setting", pick({"community", "residential", ""})},
                               {"term", pick({"long", "short"})}, {"delivery", pick({"direct_payment", "commissioned", ""})},
                               {"start_on", on}, {"end_on", later(on)}, {"weekly_cost", pick({"100.5", "0.1", "0.2", ""})},
                               {"org_unit_id", team()}});
      row(TableId::kPersonalBudgets, {{"budget_id", uid("B")}, {"person_id", pid}, {"start_on", on}, {"end_on", later(on)},
                                      {"allocation_informed_on", later("2024-03-25")}, {"plan_agreed_on", later(on)},
                                      {"choice_confirmed_on", later("2024-03-25")}, {"recorded_as_budget", pick({"Y", "N"})},
                                      {"org_unit_id", team()}});
    }
    for (int i = 0; i < 12; ++i)
      row(TableId::kVisits, {{"visit_id", uid("V")}, {"person_id", pid}, {"service_id", services[static_cast<size_t>(next()) % 3]},
                             {"visit_on", day()}, {"minutes", pick({"60", "120", "45"})}, {"org_unit_id", team()}});
    for (int i = 0; i < 2; ++i) {
      std::string agreed = day();
      row(TableId::kSupportPlans, {{"plan_id", uid("L")}, {"person_id", pid}, {"agreed_on", agreed}, {"review_due_on", later(agreed)},
                                   {"copy_given", pick({"Y", "N", ""})}, {"contact_named", pick({"Y", ""})}, {"org_unit_id", team()}});
      row(TableId::kReviews, {{"review_id", uid("W")}, {"person_id", pid}, {"kind", "planned"}, {"due_on", day()},
                              {"completed_on", later("2024-03-25")}, {"org_unit_id", team()}});
      std::string in = day();
      row(TableId::kHospitalEpisodes, {{"episode_id", uid("E")}, {"person_id", pid}, {"admitted_on", in}, {"discharged_on", later(in)},
                                       {"emergency", pick({"Y", "N"})}, {"discharge_destination", pick({"reablement", "died", "home", ""})},
                                       {"org_unit_id", team()}});
      row(TableId::kCareHomeAdmissions, {{"admission_id", uid("H")}, {"person_id", pid}, {"admitted_on", day()},
                                         {"permanent", pick({"Y", "N"})}, {"org_unit_id", team()}});
      row(TableId::kEmergencyPlans, {{"plan_id", uid("X")}, {"person_id", pid}, {"agreed_on", day()}, {"org_unit_id", team()}});
      row(TableId::kFeedback, {{"feedback_id", uid("F")}, {"person_id", next() % 5 ? pid : ""}, {"kind", pick({"complaint", "compliment"})},
                               {"received_on", day()}, {"org_unit_id", team()}});
      row(TableId::kCaseAudits, {{"audit_id", uid("CA")}, {"person_id", pid}, {"audited_on", day()}, {"item", pick({"plan_signed", "risk_assessed"})},
                                 {"result", pick({"met", "not_met", "na"})}, {"org_unit_id", team()}});
      // A survey response: several items, one respondent (person, instrument, day).
      std::string resp = uid("Q"), on = day(), t = team();
      for (const char* item : {"q_occupation", "q_control", "q_self_care", "q_safety", "q_social", "q_support",
                               "q_satisfaction", "q_involved", "q_info_ease"})
        if (next() % 6)
          row(TableId::kSurveyResponses, {{"response_id", resp}, {"person_id", pid}, {"instrument", "sace"}, {"collected_on", on},
                                          {"item", item}, {"answer", pick({"1", "2", "3", "5"})}, {"org_unit_id", t}});
      // An outcome measure: several domain rows.
      for (const char* stage : {"baseline", "follow_up"}) {
        std::string m = uid("M"), mon = stage[0] == 'b' ? pick({"2024-03-25", "2024-03-31", "2024-04-01"}) : day();
        for (const char* domain : {"control", "food", "safety"})
          row(TableId::kOutcomeMeasures, {{"measure_id", m}, {"person_id", pid}, {"instrument", pick({"ascot", "ascot", "wemwbs"})},
                                          {"measured_on", mon}, {"stage", stage}, {"domain", domain},
                                          {"score", pick({"0", "1", "2", "3", "0.1", "0.2", "0.3"})}, {"org_unit_id", t}});
      }
    }
    row(TableId::kCareLinks, {{"carer_id", pid}, {"cared_for_id", fmt::format("P{}", p % 8 + 1)}, {"start_date", day()}});
  }
  for (const char* band : {"65-74", "75-84", "85+", "18-64"})
    for (const char* year : {"2023", "2024"})
      row(TableId::kPopulations, {{"area", "A"}, {"year", year}, {"age_band", band}, {"sex", "F"}, {"count", "1000"}});
  return rows;
}

const std::string& FieldOf(const std::vector<std::string>& row, TableId t, std::string_view name) {
  const int f = Table(t).FieldIndex(name);
  EXPECT_GE(f, 0) << Table(t).name << "." << name;
  return row.at(static_cast<size_t>(f));
}

}  // namespace goldthread::indicators::testing
