#include "planning/hub_count.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "planning/hub_codes.h"

namespace goldthread::planning::internal {
namespace {

/// The index of `code` in a code field's list (-1 if the schema lacks it).
int32_t CodeOf(const TableData& t, int field, std::string_view code) {
  const auto& codes = t.spec->fields[static_cast<size_t>(field)].codes;
  for (size_t i = 0; i < codes.size(); ++i)
    if (codes[i] == code) return static_cast<int32_t>(i);
  return -1;
}

bool Overlaps(Date start, Date end, const Period& p) {
  return start != kNullI32 && start <= p.end && (end == kNullI32 || end >= p.start);
}

}  // namespace

int8_t SatisfiedIn(const Snapshot& snap, int32_t person, const Period& year) {
  const TableData& sv = snap.table(TableId::kSurveyResponses);
  const int32_t sace = snap.strings().Find("sace"), item = snap.strings().Find("q_satisfaction");
  if (sace < 0 || item < 0) return -1;
  const int f_inst = sv.Field("instrument"), f_on = sv.Field("collected_on"), f_item = sv.Field("item"),
            f_answer = sv.Field("answer");
  Date latest = kNullDate;
  int8_t out = -1;
  auto [lo, hi] = sv.PersonRows(person);
  for (int64_t r = lo; r < hi; ++r) {
    if (sv.Int(f_inst, r) != sace || sv.Int(f_item, r) != item) continue;
    Date on = sv.Int(f_on, r);
    int32_t answer = sv.Int(f_answer, r);
    if (!year.Contains(on) || answer < 1 || answer > 7 || (latest != kNullDate && on < latest)) continue;
    latest = on;
    out = answer <= 2 ? 1 : 0;
  }
  return out;
}

int8_t ImprovedIn(const Snapshot& snap, int32_t person, const Period& year) {
  const TableData& om = snap.table(TableId::kOutcomeMeasures);
  const int f_inst = om.Field("instrument"), f_on = om.Field("measured_on"), f_stage = om.Field("stage"),
            f_score = om.Field("score");
  const int32_t follow = CodeOf(om, f_stage, "follow_up"), base = CodeOf(om, f_stage, "baseline");
  // A measure is all rows of (instrument, stage, measured_on); its total is
  // the sum of its domain scores.
  std::map<std::tuple<int32_t, int32_t, Date>, double> totals;
  auto [lo, hi] = om.PersonRows(person);
  for (int64_t r = lo; r < hi; ++r) {
    double score = om.Real(f_score, r);
    if (score != score) continue;  // NaN: unknown
    totals[{om.Int(f_inst, r), om.Int(f_stage, r), om.Int(f_on, r)}] += score;
  }
  const std::pair<const std::tuple<int32_t, int32_t, Date>, double>* latest = nullptr;
  for (const auto& m : totals) {
    auto [inst, stage, on] = m.first;
    if (stage == follow && year.Contains(on) && (!latest || on >= std::get<2>(latest->first))) latest = &m;
  }
  if (!latest) return -1;
  auto [inst, stage, on] = latest->first;
  const double* baseline = nullptr;
  Date baseline_on = kNullDate;
  for (const auto& m : totals) {
    auto [i, s, d] = m.first;
    if (i == inst && s == base && d < on && (baseline == nullptr || d > baseline_on)) {
      baseline = &m.second;
      baseline_on = d;
    }
  }
  if (!baseline) return -1;
  return latest->second > *baseline ? 1 : 0;
}

int AreaList::Find(std::string_view name) const {
  auto it = std::lower_bound(names.begin(), names.end(), name);
  return it != names.end() && *it == name ? static_cast<int>(it - names.begin()) : -1;
}

AreaList CollectAreas(const Snapshot& snap) {
  const TableData& people = snap.table(TableId::kPeople);
  const TableData& sv = snap.table(TableId::kServices);
  const TableData& cp = snap.table(TableId::kCarerPopulations);
  const int f_area = people.Field("area"), f_hub = sv.Field("hub_intervention"), f_person = sv.Field("person_id");
  const int f_cp_area = cp.Field("area");
  std::vector<int32_t> pool;
  for (int64_t r = 0; r < sv.rows; ++r) {
    int32_t p = sv.Int(f_person, r);
    if (sv.Int(f_hub, r) < 0 || p < 0) continue;
    int32_t a = people.Int(f_area, p);
    if (a >= 0) pool.push_back(a);
  }
  for (int64_t r = 0; r < cp.rows; ++r) {
    int32_t a = cp.Int(f_cp_area, r);
    if (a >= 0 && snap.Text(a) != "all") pool.push_back(a);
  }
  std::sort(pool.begin(), pool.end());
  pool.erase(std::unique(pool.begin(), pool.end()), pool.end());
  std::vector<std::pair<std::string, int32_t>> named;
  for (int32_t a : pool) named.emplace_back(std::string(snap.Text(a)), a);
  std::sort(named.begin(), named.end());
  AreaList out;
  for (auto& [name, a] : named) {
    out.by_pool[a] = static_cast<int>(out.names.size());
    out.names.push_back(name);
  }
  return out;
}

std::vector<CarerFacts> CollectCarers(const Snapshot& snap, const Period& year, const AreaList& areas) {
  const TableData& people = snap.table(TableId::kPeople);
  const TableData& sv = snap.table(TableId::kServices);
  const TableData& as = snap.table(TableId::kAssessments);
  const TableData& cl = snap.table(TableId::kCareLinks);
  const int f_hub = sv.Field("hub_intervention"), f_start = sv.Field("start_on"), f_end = sv.Field("end_on"),
            f_provider = sv.Field("provider_id"), f_delivery = sv.Field("delivery"), f_org = sv.Field("org_unit_id");
  const int32_t direct_payment = CodeOf(sv, f_delivery, "direct_payment");
  const int f_kind = as.Field("kind"), f_done = as.Field("completed_on");
  const int32_t carer_kind = CodeOf(as, f_kind, "carer"), joint_kind = CodeOf(as, f_kind, "joint");
  const int f_cared = cl.Field("cared_for_id"), f_link_start = cl.Field("start_date"), f_link_end = cl.Field("end_date");
  const int f_birth = people.Field("birth_date"), f_area = people.Field("area"), f_groups = people.Field("groups"),
            f_psr = people.Field("primary_support_reason"), f_employment = people.Field("employment");
  const int32_t full_time = CodeOf(people, f_employment, "full_time"), part_time = CodeOf(people, f_employment, "part_time");
  const int32_t psr_unknown = CodeOf(people, f_psr, "unknown");

  std::vector<CarerFacts> out;
  for (int32_t p = 0; p < snap.people(); ++p) {
    auto [lo, hi] = sv.PersonRows(p);
    CarerFacts f;
    Date first_day = kNullDate;
    for (int64_t r = lo; r < hi; ++r) {
      int32_t iv = sv.Int(f_hub, r);
      Date start = sv.Int(f_start, r), end = sv.Int(f_end, r);
      if (iv < 0 || !Overlaps(start, end, year)) continue;
      f.interventions |= 1u << iv;
      int32_t provider = sv.Int(f_delivery, r) == direct_payment ? kDirectPayment : sv.Int(f_provider, r);
      // A commissioned service with no provider recorded has no provider to
      // count, but is no direct payment either.
      if (provider != kDirectPayment && provider < 0) provider = -2;
      if (provider != -2 && std::find(f.providers.begin(), f.providers.end(), std::pair{static_cast<int>(iv), provider}) ==
                                f.providers.end())
        f.providers.emplace_back(iv, provider);
      Date on = std::max(start, year.start);
      if (first_day == kNullDate || on < first_day) {
        first_day = on;
        f.team = sv.Int(f_org, r);
      }
    }
    if (f.interventions == 0) continue;
    f.person = p;
    f.groups = 1u;  // all
    uint32_t flags = static_cast<uint32_t>(std::max(0, people.Int(f_groups, p)));
    for (int k = 0; k < 6; ++k)
      if (flags & (1u << k)) f.groups |= 1u << (kHubGroupFirstFlag + k);
    Date birth = people.Int(f_birth, p);
    if (birth == kNullI32) {
      f.unknown_age = true;
    } else {
      int age = AgeInYears(birth, first_day);
      if (age >= 16 && age <= 24) f.groups |= 1u << kHubGroupFirstAge;
      else if (age >= 25 && age <= 64) f.groups |= 1u << (kHubGroupFirstAge + 1);
      else if (age >= 65) f.groups |= 1u << (kHubGroupFirstAge + 2);
      else f.unknown_age = age < 0;
    }
    int32_t employment = people.Int(f_employment, p);
    if (employment >= 0 && (employment == full_time || employment == part_time)) f.groups |= 1u << kHubGroupWorking;

    // The cared-for people: care links of this carer overlapping the year.
    int32_t area_pool = people.Int(f_area, p);
    bool condition_known = false;
    auto [llo, lhi] = cl.PersonRows(p);
    for (int64_t r = llo; r < lhi; ++r) {
      int32_t cared = cl.Int(f_cared, r);
      if (cared < 0 || !Overlaps(cl.Int(f_link_start, r), cl.Int(f_link_end, r), year)) continue;
      int32_t psr = people.Int(f_psr, cared);
      if (psr >= 0 && psr != psr_unknown && psr < kHubGroupCount - kHubGroupFirstCondition) {
        f.groups |= 1u << (kHubGroupFirstCondition + psr);
        condition_known = true;
      }
      if (area_pool < 0) area_pool = people.Int(f_area, cared);
    }
    f.unknown_condition = !condition_known;
    f.area = area_pool >= 0 ? areas.Find(area_pool) : -1;

    auto [alo, ahi] = as.PersonRows(p);
    for (int64_t r = alo; r < ahi && !f.assessed; ++r) {
      int32_t kind = as.Int(f_kind, r);
      Date done = as.Int(f_done, r);
      f.assessed = (kind == carer_kind || kind == joint_kind) && done != kNullI32 && done <= year.end;
    }
    f.satisfied = SatisfiedIn(snap, p, year);
    f.improved = ImprovedIn(snap, p, year);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace goldthread::planning::internal
