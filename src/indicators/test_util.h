#pragma once
// Test helpers: small hand-built snapshots and running one definition.
// Rows are given as {field, value} pairs; fields left out are empty, and a
// record's org_unit_id defaults to T1. The org tree is C > S > T1, T2.

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/period.h"
#include "indicators/definition.h"
#include "indicators/engine.h"
#include "model/snapshot.h"

// Expects a figure's numerator and denominator (-1: no denominator).
#define EXPECT_FIGURE(fig, num, den)                         \
  do {                                                       \
    const Figure* f_ = (fig);                                \
    ASSERT_NE(f_, nullptr);                                  \
    EXPECT_DOUBLE_EQ(f_->numerator, (num));                  \
    if ((den) < 0)                                           \
      EXPECT_FALSE(f_->denominator.has_value());             \
    else                                                     \
      EXPECT_DOUBLE_EQ(f_->denominator.value_or(-1), (den)); \
  } while (0)

namespace goldthread::indicators::testing {

using Fields = std::map<std::string, std::string>;

class Data {
 public:
  Data() {
    Org("C", "", "council");
    Org("S", "C", "service");
    Org("T1", "S", "team");
    Org("T2", "S", "team");
  }
  void Org(const std::string& id, const std::string& parent, const std::string& kind) {
    Add("org_units", {{"org_unit_id", id}, {"parent_id", parent}, {"name", id}, {"kind", kind}});
  }
  /// A person: role, birth date, and any other people fields.
  void Person(const std::string& id, const std::string& role, const std::string& birth, Fields more = {}) {
    more["person_id"] = id;
    more["role"] = role;
    more["birth_date"] = birth;
    Add("people", more);
  }
  void Add(const std::string& table, const Fields& fields) {
    const TableSpec* spec = FindTable(table);
    ASSERT_NE(spec, nullptr) << table;
    std::vector<std::string> values;
    for (const FieldSpec& f : spec->fields) {
      auto it = fields.find(std::string(f.name));
      std::string v = it != fields.end() ? it->second : "";
      if (f.name == "org_unit_id" && spec->has_lineage && it == fields.end()) v = "T1";
      values.push_back(v);
    }
    for (const auto& [k, v] : fields) EXPECT_GE(spec->FieldIndex(k), 0) << table << "." << k;
    std::vector<std::string_view> views(values.begin(), values.end());
    Status s = builder_.AddRow(spec->id, views, 1);
    EXPECT_TRUE(s.ok()) << table << ": " << s.ToString();
  }
  /// A hospital episode of person p, admitted `in`, discharged `out` to dest.
  void Episode(const std::string& id, const std::string& p, const std::string& in, const std::string& out,
               const std::string& dest, const std::string& emergency = "Y") {
    Add("hospital_episodes", {{"episode_id", id},
                              {"person_id", p},
                              {"admitted_on", in},
                              {"discharged_on", out},
                              {"emergency", emergency},
                              {"discharge_destination", dest}});
  }
  /// A care home admission of person p on `on`; permanent "Y" or "N".
  void Admission(const std::string& id, const std::string& p, const std::string& on,
                 const std::string& permanent) {
    Add("care_home_admissions",
        {{"admission_id", id}, {"person_id", p}, {"admitted_on", on}, {"permanent", permanent}});
  }
  std::unique_ptr<Snapshot> Finish() {
    auto r = builder_.Finish();
    EXPECT_TRUE(r.ok());
    return std::move(r).value();
  }

 private:
  SnapshotBuilder builder_;
};

/// The metadata of a test's own definition "x", to be followed by its tables.
inline std::string DefinitionHeader(const std::string& description, const std::string& unit = "count",
                                    const std::string& oba = "how_much", const std::string& kind = "flow") {
  return "id = \"x\"\ntitle = \"X\"\ndescription = \"" + description + "\"\nunit = \"" + unit +
         "\"\npolarity = \"up\"\noba = \"" + oba + "\"\nkind = \"" + kind + "\"\nversion = 1\n";
}

/// One definition parsed from text (as x.toml), in a list for RunDefs; a
/// parse error fails the test and gives an empty list.
inline std::vector<Definition> ParseOne(const std::string& text) {
  auto d = ParseDefinition(text, "x.toml");
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  std::vector<Definition> out;
  if (d.ok()) out.push_back(std::move(d).value());
  return out;
}

/// Loads a built-in definition from the project's indicators/ directory.
inline Definition BuiltIn(const std::string& id) {
  auto d = LoadDefinitionFile(std::string(GOLDTHREAD_SOURCE_DIR) + "/indicators/" + id + ".toml");
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  return d.ok() ? std::move(d).value() : Definition();
}

inline std::vector<Definition> BuiltIns(std::initializer_list<std::string> ids) {
  std::vector<Definition> out;
  for (const std::string& id : ids) out.push_back(BuiltIn(id));
  return out;
}

/// Computes defs by month from..to ("2024-04").
inline ComputeResult RunDefs(const Snapshot& snap, std::vector<Definition> defs_in, const std::string& from,
                         const std::string& to, bool keep_cases = true, int threads = 1) {
  // The result points at its definitions: keep them for the test's life.
  static std::deque<std::vector<Definition>> kept;
  kept.push_back(std::move(defs_in));
  const std::vector<Definition>& defs = kept.back();
  ComputeOptions o;
  EXPECT_TRUE(TryParseMonth(from, o.from_month));
  EXPECT_TRUE(TryParseMonth(to, o.to_month));
  o.keep_cases = keep_cases;
  o.threads = threads;
  auto r = Compute(snap, defs, o);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return std::move(r).value();
}

/// The figure of result's indicator i for a period label, org unit id and group.
inline const Figure* Find(const ComputeResult& r, const Snapshot& snap, const std::string& period,
                          const std::string& org, const std::string& group = "all", size_t i = 0) {
  const IndicatorResult& ir = r.indicators.at(i);
  for (const Figure& f : ir.figures)
    if (r.periods[f.period].Label() == period && snap.OrgUnitId(f.org_unit) == org && ir.groups[f.group] == group)
      return &f;
  return nullptr;
}

/// "P1 P3": the ids of persons, for readable expectations.
inline std::string Ids(const Snapshot& snap, const std::vector<int32_t>& persons) {
  std::string out;
  for (int32_t p : persons) out += (out.empty() ? "" : " ") + snap.PersonId(p);
  return out;
}

}  // namespace goldthread::indicators::testing
