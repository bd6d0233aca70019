#include "planning/added_value.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "planning/hub_format.h"

namespace goldthread::planning {
namespace {

constexpr std::string_view kCaveat =
    "This is an association, not proof that supporting carers changed what happened: carers who are supported may "
    "differ from those who are not in ways the records do not show (how much care they give, their own health, who "
    "is referred for support), and comparing within age bands and support reasons removes only those differences.";

int32_t Code(const TableData& t, int field, std::string_view code) {
  const auto& codes = t.spec->fields[static_cast<size_t>(field)].codes;
  auto it = std::find(codes.begin(), codes.end(), code);
  return it == codes.end() ? -1 : static_cast<int32_t>(it - codes.begin());
}

struct Span {
  Date from, to;  // to kNullDate: open
};

/// Who cares for whom, and when each carer was supported.
class CarerSupport {
 public:
  CarerSupport(const Snapshot& snap, int lookback) : lookback_(lookback) {
    const TableData& cl = snap.table(TableId::kCareLinks);
    const int f_carer = cl.Field("carer_id"), f_cared = cl.Field("cared_for_id"), f_start = cl.Field("start_date"),
              f_end = cl.Field("end_date");
    for (int64_t r = 0; r < cl.rows; ++r) {
      int32_t carer = cl.Int(f_carer, r), cared = cl.Int(f_cared, r);
      if (carer >= 0 && cared >= 0) links_[cared].push_back({carer, {cl.Int(f_start, r), cl.Int(f_end, r)}});
    }
    const TableData& as = snap.table(TableId::kAssessments);
    const int f_kind = as.Field("kind"), f_done = as.Field("completed_on"), f_person = as.Field("person_id");
    const int32_t carer_kind = Code(as, f_kind, "carer"), joint = Code(as, f_kind, "joint");
    for (int64_t r = 0; r < as.rows; ++r) {
      int32_t k = as.Int(f_kind, r);
      Date done = as.Int(f_done, r);
      if ((k == carer_kind || k == joint) && done != kNullI32) support_[as.Int(f_person, r)].push_back({done, done});
    }
    const TableData& sv = snap.table(TableId::kServices);
    const int f_hub = sv.Field("hub_intervention"), f_start_on = sv.Field("start_on"), f_end_on = sv.Field("end_on"),
              f_sp = sv.Field("person_id");
    for (int64_t r = 0; r < sv.rows; ++r)
      if (sv.Int(f_hub, r) >= 0 && sv.Int(f_start_on, r) != kNullI32)
        support_[sv.Int(f_sp, r)].push_back({sv.Int(f_start_on, r), sv.Int(f_end_on, r)});
  }

  /// Whether the person had a carer on `on`; sets `supported` when one of
  /// those carers was supported in the lookback window up to `on`.
  bool Cared(int32_t person, Date on, bool& supported) const {
    supported = false;
    auto it = links_.find(person);
    if (it == links_.end()) return false;
    bool cared = false;
    for (const auto& [carer, link] : it->second) {
      if (link.from == kNullI32 || link.from > on || (link.to != kNullI32 && link.to < on)) continue;
      cared = true;
      auto s = support_.find(carer);
      if (s == support_.end()) continue;
      for (const Span& sp : s->second)
        if (sp.from <= on && (sp.to == kNullI32 || sp.to >= on - lookback_)) supported = true;
    }
    return cared;
  }

 private:
  int lookback_;
  std::map<int32_t, std::vector<std::pair<int32_t, Span>>> links_;
  std::map<int32_t, std::vector<Span>> support_;
};

std::string AgeBand(Date birth, Date on) {
  if (birth == kNullI32) return "unknown";
  int age = AgeInYears(birth, on);
  return age < 18 ? "" : age < 65 ? "18-64" : age < 75 ? "65-74" : age < 85 ? "75-84" : "85+";
}

class Tables {
 public:
  void Add(const std::string& age, const std::string& reason, bool exposed, bool event) {
    stats::Stratum2x2& t = strata_[{AgeOrder(age), reason}].table;
    strata_[{AgeOrder(age), reason}].age_band = age;
    strata_[{AgeOrder(age), reason}].reason = reason;
    (exposed ? t.n_exposed : t.n_unexposed) += 1;
    if (event) (exposed ? t.events_exposed : t.events_unexposed) += 1;
  }
  void Fill(AddedValueOutcome& o) const {
    std::vector<stats::Stratum2x2> tables;
    for (const auto& [key, s] : strata_) {
      o.strata.push_back(s);
      tables.push_back(s.table);
      o.crude.events_exposed += s.table.events_exposed;
      o.crude.n_exposed += s.table.n_exposed;
      o.crude.events_unexposed += s.table.events_unexposed;
      o.crude.n_unexposed += s.table.n_unexposed;
    }
    const stats::Stratum2x2& c = o.crude;
    if (c.n_exposed > 0 && c.n_unexposed > 0 && c.events_unexposed > 0)
      o.crude_risk_ratio = (c.events_exposed / c.n_exposed) / (c.events_unexposed / c.n_unexposed);
    o.risk_ratio = stats::MantelHaenszelRiskRatio(tables);
    o.odds_ratio = stats::MantelHaenszelOddsRatio(tables);
  }

 private:
  static int AgeOrder(const std::string& a) {
    return a == "18-64" ? 0 : a == "65-74" ? 1 : a == "75-84" ? 2 : a == "85+" ? 3 : 4;
  }
  std::map<std::pair<int, std::string>, AddedValueStratum> strata_;
};

std::string Words(const AddedValueOutcome& o, std::string_view what, std::string_view event, std::string_view verb) {
  const stats::Stratum2x2& c = o.crude;
  if (c.n_exposed == 0 || c.n_unexposed == 0)
    return fmt::format("Too few {} to compare: {} whose carer was supported, {} whose carer was not.", what,
                       FormatCount(static_cast<int64_t>(c.n_exposed)), FormatCount(static_cast<int64_t>(c.n_unexposed)));
  std::string s = fmt::format(
      "Of {} {} whose carer was supported, {} {}, against {} of {} whose carer was not.",
      FormatCount(static_cast<int64_t>(c.n_exposed)), what, FormatShare(c.events_exposed / c.n_exposed), event,
      FormatShare(c.events_unexposed / c.n_unexposed), FormatCount(static_cast<int64_t>(c.n_unexposed)));
  if (o.risk_ratio) {
    const stats::PooledRatio& rr = *o.risk_ratio;
    std::string verdict;
    const bool lower = rr.ci.high < 1.0, higher = rr.ci.low > 1.0;
    if (!lower && !higher) verdict = "no clear difference either way";
    else if (lower == o.lower_is_better) verdict = "better where carers were supported";
    else verdict = "worse where carers were supported";
    s += fmt::format(
        " Compared within the same age band and primary support reason, people whose carer was supported were "
        "{:.2f} times as likely to {} (95% interval {:.2f} to {:.2f}; Mantel-Haenszel risk ratio over {} strata): {}.",
        rr.estimate, verb, rr.ci.low, rr.ci.high, rr.informative_strata, verdict);
  } else {
    s += " There are too few events in the strata for a stratified estimate.";
  }
  return s + " " + std::string(kCaveat);
}

}  // namespace

std::string_view AddedValueCaveat() { return kCaveat; }

Result<AddedValue> RunAddedValue(const Snapshot& snap, const AddedValueOptions& opt) {
  if (opt.year <= 0) return Status::InvalidArgument("added value needs a financial year");
  AddedValue out;
  out.year = FinancialYearPeriod(opt.year);
  out.caveat = std::string(kCaveat);
  const Date data_end = opt.data_end == kNullDate ? out.year.end : opt.data_end;
  CarerSupport carers(snap, opt.lookback_days);
  const TableData& people = snap.table(TableId::kPeople);
  const int f_birth = people.Field("birth_date"), f_psr = people.Field("primary_support_reason");
  auto reason = [&](int32_t p) {
    int32_t code = people.Int(f_psr, p);
    return code < 0 ? std::string("unknown")
                    : std::string(people.spec->fields[static_cast<size_t>(f_psr)].codes[static_cast<size_t>(code)]);
  };
  const TableData& ep = snap.table(TableId::kHospitalEpisodes);
  const int f_adm = ep.Field("admitted_on"), f_dis = ep.Field("discharged_on"), f_em = ep.Field("emergency"),
            f_dest = ep.Field("discharge_destination");
  const int32_t died = Code(ep, f_dest, "died"), reablement = Code(ep, f_dest, "reablement");
  const TableData& ch = snap.table(TableId::kCareHomeAdmissions);
  const int f_ch_on = ch.Field("admitted_on"), f_perm = ch.Field("permanent");
  auto permanent_between = [&](int32_t p, Date from, Date to) {
    auto [lo, hi] = ch.PersonRows(p);
    for (int64_t r = lo; r < hi; ++r)
      if (ch.Int(f_perm, r) == 1 && ch.Int(f_ch_on, r) >= from && ch.Int(f_ch_on, r) <= to) return true;
    return false;
  };
  auto died_between = [&](int32_t p, Date from, Date to) {
    auto [lo, hi] = ep.PersonRows(p);
    for (int64_t r = lo; r < hi; ++r)
      if (ep.Int(f_dest, r) == died && ep.Int(f_dis, r) >= from && ep.Int(f_dis, r) <= to) return true;
    return false;
  };

  auto outcome = [](std::string id, std::string title, bool lower_is_better) {
    AddedValueOutcome o;
    o.id = std::move(id);
    o.title = std::move(title);
    o.lower_is_better = lower_is_better;
    return o;
  };
  AddedValueOutcome readmit = outcome("readmission-28d", "Emergency readmission within 28 days of a hospital discharge", true);
  AddedValueOutcome home = outcome("still-home-91", "Still at home 91 days after discharge to reablement (65+)", false);
  AddedValueOutcome care_home = outcome("care-home-admission", "Permanent care-home admission during the year", true);
  Tables t_readmit, t_home, t_care;
  for (int32_t p = 0; p < snap.people(); ++p) {
    auto [lo, hi] = ep.PersonRows(p);
    for (int64_t r = lo; r < hi; ++r) {
      Date dis = ep.Int(f_dis, r);
      if (!out.year.Contains(dis) || ep.Int(f_dest, r) == died) continue;
      bool supported = false;
      if (!carers.Cared(p, dis, supported)) continue;
      std::string age = AgeBand(people.Int(f_birth, p), dis);
      if (age.empty()) continue;
      // readmission-28d: an emergency admission 0-28 days after discharge.
      if (dis + 28 > data_end) {
        ++readmit.left_out_follow_up;
      } else {
        bool again = false;
        for (int64_t q = lo; q < hi && !again; ++q)
          again = q != r && ep.Int(f_em, q) == 1 && ep.Int(f_adm, q) >= dis && ep.Int(f_adm, q) <= dis + 28;
        t_readmit.Add(age, reason(p), supported, again);
      }
      // still-home-91: 65+ discharged to reablement, no permanent admission
      // and no death in the 91 days after.
      if (ep.Int(f_dest, r) == reablement && age != "18-64" && age != "unknown") {
        if (dis + 91 > data_end) ++home.left_out_follow_up;
        else t_home.Add(age, reason(p), supported, !permanent_between(p, dis, dis + 91) && !died_between(p, dis, dis + 91));
      }
    }
    // Care-home admissions: cared for on the year's first day, at home then.
    bool supported = false;
    const Date start = out.year.start;
    if (!carers.Cared(p, start, supported) || permanent_between(p, kNullI32 + 1, start - 1) ||
        died_between(p, kNullI32 + 1, start - 1))
      continue;
    std::string age = AgeBand(people.Int(f_birth, p), start);
    if (age.empty()) continue;
    t_care.Add(age, reason(p), supported, permanent_between(p, start, std::min(out.year.end, data_end)));
  }
  t_readmit.Fill(readmit);
  t_home.Fill(home);
  t_care.Fill(care_home);
  readmit.words = Words(readmit, "discharges of people", "were followed by an emergency readmission within 28 days",
                        "be readmitted");
  home.words = Words(home, "people aged 65 and over discharged to reablement", "were still at home 91 days later",
                     "be still at home");
  care_home.words = Words(care_home, "people cared for at the start of the year",
                          "moved permanently into a care home during it", "move into a care home");
  out.outcomes = {std::move(readmit), std::move(home), std::move(care_home)};
  return out;
}

}  // namespace goldthread::planning
