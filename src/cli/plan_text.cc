#include "cli/plan_text.h"

#include <algorithm>
#include <ostream>

#include <fmt/format.h>

#include "cli/cli_util.h"
#include "indicators/definition.h"
#include "planning/plan_format.h"

namespace goldthread::cli {
namespace {

namespace ind = goldthread::indicators;
namespace pl = goldthread::planning;

std::string Pad(std::string s, size_t n) {
  if (s.size() < n) s.resize(n, ' ');
  return s;
}

std::string Value(const std::optional<double>& v, ind::Unit unit, double rate_per) {
  return v ? pl::FormatValue(*v, unit, rate_per) : std::string("-");
}

// "on track" padded to the widest state, "not yet measurable".
std::string State(pl::TargetState s) { return Pad(std::string(pl::TargetStateWords(s)), 18); }

std::string RealismTag(pl::Realism r) {
  switch (r) {
    case pl::Realism::kNeedsChange: return "  [needs a change of practice]";
    case pl::Realism::kNotStretching: return "  [not stretching]";
    default: return "";
  }
}

void PrintTarget(const pl::TargetLine& l, bool why, const std::string& indent, std::ostream& out) {
  const std::string ask = fmt::format(
      "{} {}", l.polarity == ind::Polarity::kUp ? ">=" : "<=", pl::FormatValue(l.value, l.unit, l.rate_per));
  out << indent << State(l.state) << Pad(l.indicator, 24) << " " << Pad(ask, 20) << " by " << l.by
      << "  latest " << Value(l.latest, l.unit, l.rate_per) << (l.latest ? " (" + l.latest_period + ")" : "")
      << "  owner " << l.owner << RealismTag(l.realism) << "\n";
  if (!why) return;
  out << indent << "    " << l.reason << "\n";
  if (!l.realism_reason.empty()) out << indent << "    realism: " << l.realism_reason << "\n";
  if (!l.objectives.empty()) {
    std::string objs;
    for (const std::string& o : l.objectives) objs += (objs.empty() ? "" : ", ") + o;
    out << indent << "    serves " << objs << (l.note.empty() ? "" : "; note: " + l.note) << "\n";
  }
}

std::string Describe(const pl::LoadedPlan& plan, int32_t p) {
  const pl::Plan& pp = plan.doc.plans[p];
  const int32_t u = plan.thread.plan_unit[p];
  const std::string unit = u >= 0 ? fmt::format("{} {}", plan.org.at(u).kind, plan.org.Describe(u)) : pp.org_unit;
  return fmt::format("{}  {}{}, owner {}", pp.id, unit, pp.title.empty() ? "" : ": " + pp.title, pp.owner);
}

// Depth of a plan in the thread (0 at the top).
int Depth(const pl::LoadedPlan& plan, int32_t p) {
  int d = 0;
  for (int32_t q = plan.thread.parent_plan[p]; q >= 0 && d <= static_cast<int>(plan.doc.plans.size());
       q = plan.thread.parent_plan[q])
    ++d;
  return d;
}

}  // namespace

ProtectedFiles PlanInputs(const std::string& store, const std::string& extra_dir, const std::string& plan_file) {
  ProtectedFiles protect;
  if (!store.empty()) protect.AddStore(store);
  ProtectDirectory(protect, ind::BuiltInDir(), ".toml", "a built-in definition");
  if (!extra_dir.empty()) ProtectDirectory(protect, extra_dir, ".toml", "a definition file");
  if (!plan_file.empty()) protect.Add(plan_file, "the plan file");
  return protect;
}

void PrintDiagnostics(const std::string& file, const std::vector<pl::Diagnostic>& diagnostics, std::ostream& out) {
  int refused = 0, errors = 0, warnings = 0;
  std::vector<int32_t> targets;
  for (const pl::Diagnostic& d : diagnostics) {
    out << pl::FormatDiagnostic(file, d) << "\n";
    if (d.severity == pl::Severity::kWarning) {
      ++warnings;
    } else if (d.target >= 0) {
      if (std::find(targets.begin(), targets.end(), d.target) == targets.end()) targets.push_back(d.target), ++refused;
    } else {
      ++errors;
    }
  }
  out << fmt::format("{}: {} target{} refused, {} other error{}, {} warning{}\n", file, refused, refused == 1 ? "" : "s",
                     errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
}

void PrintThread(const pl::LoadedPlan& plan, const pl::PlanEvaluation& ev, const pl::DefinitionIndex& defs,
                 const ShowFilter& filter, std::ostream& out) {
  const pl::PlanDocument& doc = plan.doc;
  const std::vector<std::string> years = doc.YearLabels();
  out << (doc.title.empty() ? "the plan" : doc.title);
  if (plan.version.version > 0)
    out << fmt::format(": version {}, loaded {} by {} from {}", plan.version.version,
                       FormatTimestamp(plan.version.loaded_at), plan.version.loaded_by, plan.version.source);
  out << "\n";
  if (!years.empty()) out << "years " << years.front() << " to " << years.back();
  out << "; figures to " << FormatDate(ev.data_end) << "\n";
  const bool why = filter.why || !filter.objective.empty() || !filter.org_unit.empty();

  // The objectives, each with the roll-up of the targets serving it.
  out << "\nobjectives\n";
  for (size_t o = 0; o < doc.objectives.size(); ++o) {
    const pl::Objective& obj = doc.objectives[o];
    if (!filter.objective.empty() && obj.id != filter.objective) continue;
    out << "  " << Pad(obj.id, 4) << " " << obj.title << "\n      " << pl::PerspectiveName(obj.perspective)
        << "; owner " << obj.owner << "; " << ev.objectives[o].Summary() << "\n";
  }

  // The plans down the org-unit tree (parents before children).
  std::vector<int32_t> order;
  std::vector<bool> placed(doc.plans.size(), false);
  auto place = [&](auto&& self, int32_t p) -> void {
    if (placed[p]) return;
    placed[p] = true;
    order.push_back(p);
    for (size_t q = 0; q < doc.plans.size(); ++q)
      if (plan.thread.parent_plan[q] == p) self(self, static_cast<int32_t>(q));
  };
  for (size_t p = 0; p < doc.plans.size(); ++p)
    if (plan.thread.parent_plan[p] < 0) place(place, static_cast<int32_t>(p));
  for (size_t p = 0; p < doc.plans.size(); ++p) place(place, static_cast<int32_t>(p));

  // With --org-unit: that unit's plan (or its nearest ancestor's) and the
  // plans above it; with --objective: the plans serving it.
  std::vector<bool> shown(doc.plans.size(), true);
  if (!filter.org_unit.empty()) {
    std::fill(shown.begin(), shown.end(), false);
    const pl::ThreadUp up = pl::FollowUp(plan, "", filter.org_unit);
    for (int32_t p : up.plans) shown[p] = true;
  }
  const int32_t objective = filter.objective.empty() ? -1 : doc.FindObjective(filter.objective);
  out << "\nthe thread: plans down the org-unit tree, each with its own targets\n";
  for (int32_t p : order) {
    if (!shown[p]) continue;
    std::vector<int32_t> targets = plan.thread.targets_of_plan[p];
    if (objective >= 0)
      targets.erase(std::remove_if(targets.begin(), targets.end(),
                                   [&](int32_t t) {
                                     const auto& objs = plan.thread.objectives_of_target[t];
                                     return std::find(objs.begin(), objs.end(), objective) == objs.end();
                                   }),
                    targets.end());
    if (objective >= 0 && targets.empty()) continue;
    const std::string indent(2 + 2 * Depth(plan, p), ' ');
    out << indent << Describe(plan, p) << "\n" << indent << "  " << ev.plans[p].Summary()
        << (plan.thread.targets_of_plan[p].size() == static_cast<size_t>(ev.plans[p].total()) ? ""
                                                                                             : " (with the plans below)")
        << "\n";
    for (int32_t t : targets) PrintTarget(pl::MakeTargetLine(plan, ev, defs, t), why, indent + "    ", out);
  }
}

void PrintTrace(const pl::LoadedPlan& plan, const pl::PlanEvaluation& ev, const pl::DefinitionIndex& defs,
                const pl::ThreadUp& up, const pl::Curve* curve, const pl::FigureCases* cases, size_t max_cases,
                std::ostream& out) {
  const pl::PlanDocument& doc = plan.doc;
  ind::Unit unit = ind::Unit::kPercent;
  double per = 100000;
  std::string title;
  if (curve) {
    if (auto it = defs.find(curve->indicator); it != defs.end())
      unit = it->second->unit, per = it->second->rate_per, title = it->second->title;
    out << curve->indicator << (title.empty() ? "" : " (" + title + ")") << " at " << curve->org_unit << ", by "
        << PeriodKindName(curve->per) << "\n";
    const size_t from = curve->points.size() > 8 ? curve->points.size() - 8 : 0;
    for (size_t i = from; i < curve->points.size(); ++i) {
      const pl::CurvePoint& p = curve->points[i];
      out << "  " << Pad(p.period.Label(), 12) << Pad(Value(p.value, unit, per), 20)
          << (p.provisional  ? "provisional"
              : p.point_type ? std::string(stats::PointTypeName(*p.point_type))
                             : std::string("-"))
          << "\n";
    }
    for (const pl::CurveForecast& f : curve->forecast)
      out << "  " << Pad(f.period.Label(), 12) << Pad("forecast " + pl::FormatValue(f.fit, unit, per), 26)
          << "95% " << pl::FormatValue(f.low95, unit, per) << " to " << pl::FormatValue(f.high95, unit, per)
          << "\n";
  }
  out << "\nup the thread\n";
  if (up.targets.empty()) out << "  no target is set for it at this unit\n";
  for (int32_t t : up.targets) PrintTarget(pl::MakeTargetLine(plan, ev, defs, t), true, "  ", out);
  for (int32_t p : up.plans) out << "  plan " << Describe(plan, p) << "\n";
  for (int32_t o : up.objectives)
    out << "  objective " << doc.objectives[o].id << " " << doc.objectives[o].title << " ("
        << pl::PerspectiveName(doc.objectives[o].perspective) << "; owner " << doc.objectives[o].owner << ")\n";
  if (!cases) return;
  out << "\ndown to the cases: " << cases->period.Label() << ", " << Value(cases->value, unit, per) << " = "
      << pl::FormatNumber(cases->numerator)
      << (cases->denominator ? " of " + pl::FormatNumber(*cases->denominator) : std::string()) << "\n";
  auto list = [&](const char* what, const std::vector<std::string>& ids) {
    out << "  " << what << " (" << ids.size() << "):";
    for (size_t i = 0; i < ids.size() && i < max_cases; ++i) out << " " << ids[i];
    if (ids.size() > max_cases) out << " ... (" << ids.size() - max_cases << " more; --cases N or --json for all)";
    out << "\n";
  };
  // The lists are people; a figure over records (assessments, reviews)
  // counts each record, so a person with two is one id for two in the count.
  const bool counts = unit == ind::Unit::kPercent || unit == ind::Unit::kCount;
  const bool records = counts && (static_cast<double>(cases->counted.size()) != cases->numerator ||
                       (cases->denominator && static_cast<double>(cases->counted.size() + cases->not_counted.size()) !=
                                                  *cases->denominator));
  if (records) out << "  (people, each listed once: the figure counts records, and some people have more than one)\n";
  list("counted", cases->counted);
  if (cases->denominator) list("not counted", cases->not_counted);
}

void PrintBalanced(const pl::BalancedScorecard& card, std::ostream& out) {
  for (const pl::BalancedPerspective& page : card.perspectives) {
    out << "\n== " << page.title << " ==  " << page.status.Summary() << "\n";
    if (page.objectives.empty()) out << "  no objective in this perspective\n";
    for (const pl::BalancedObjective& o : page.objectives) {
      out << "  " << o.id << "  " << o.title << " (owner " << o.owner << ")\n    " << o.status.Summary() << "\n";
      std::vector<std::string> seen;
      for (const pl::TargetLine& l : o.targets) {
        // One line per indicator and state: many teams share a target.
        const std::string key = l.indicator + "|" + std::string(pl::TargetStateName(l.state));
        if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
        seen.push_back(key);
        int n = 0;
        std::string units;
        for (const pl::TargetLine& m : o.targets)
          if (m.indicator == l.indicator && m.state == l.state) units += (n++ ? " " : "") + m.org_unit;
        out << "      " << State(l.state) << Pad(l.indicator, 24) << " " << n << " at " << units << "\n";
      }
    }
  }
}

void PrintOba(const pl::ObaScorecard& card, std::ostream& out) {
  auto measure = [&](const pl::ObaMeasure& m, const std::string& indent) {
    const int32_t last = m.curve.LastFinal();
    out << indent << Pad(m.indicator, 24) << " latest "
        << (last >= 0 ? Value(m.curve.points[last].value, m.unit, m.rate_per) + " (" +
                            m.curve.points[last].period.Label() + ")"
                      : std::string("-"));
    if (!m.curve.forecast.empty())
      out << "; if nothing changes " << pl::FormatValue(m.curve.forecast.back().fit, m.unit, m.rate_per)
          << " by " << m.curve.forecast.back().period.Label();
    out << "\n";
    for (const pl::TargetLine& l : m.targets) PrintTarget(l, false, indent + "  ", out);
    for (const pl::StorySection& s : m.stories)
      if (s.latest)
        out << indent << "  " << s.section << " (" << s.latest->author << ", " << FormatTimestamp(s.latest->written_at)
            << (s.entries > 1 ? fmt::format("; {} earlier", s.entries - 1) : "") << "): " << s.latest->text << "\n";
  };
  if (!card.results.empty()) out << "population results (at the council)\n";
  for (const pl::ObaResult& r : card.results) {
    out << "  " << r.id << "  " << r.title << "\n";
    for (const pl::ObaMeasure& m : r.indicators) measure(m, "    ");
  }
  for (const pl::ObaPlan& p : card.plans) {
    out << "\n" << p.id << "  " << p.org_unit << (p.title.empty() ? "" : ": " + p.title) << " (owner " << p.owner
        << ")\n";
    const std::pair<const char*, const std::vector<pl::ObaMeasure>*> groups[] = {
        {"how much did we do?", &p.how_much}, {"how well did we do it?", &p.how_well},
        {"is anyone better off?", &p.better_off}};
    for (const auto& [q, ms] : groups) {
      out << "  " << q << "\n";
      if (ms->empty()) out << "    (no measure)\n";
      for (const pl::ObaMeasure& m : *ms) measure(m, "    ");
    }
  }
}

void PrintTeamProgress(const std::vector<pl::TeamProgress>& teams, std::ostream& out) {
  for (const pl::TeamProgress& t : teams) {
    out << "\n" << t.plan_id << "  " << t.org_unit << (t.name.empty() ? "" : " " + t.name) << ", "
        << (t.quarter.start == kNullDate ? std::string("no quarter") : t.quarter.Label()) << " (owner " << t.owner
        << ")\n  " << t.status.Summary() << "\n";
    for (const pl::TeamPrimeLine& l : t.prime) {
      out << "  " << Pad(l.indicator, 24) << Pad(ind::ObaName(l.oba).data(), 11)
          << Pad(Value(l.value, l.unit, l.rate_per), 12) << "previous "
          << Pad(Value(l.previous, l.unit, l.rate_per), 12)
          << (l.provisional  ? "provisional"
              : l.point_type ? std::string(stats::PointTypeName(*l.point_type))
                             : std::string("-"))
          << "  owner " << (l.owner.empty() ? "-" : l.owner) << "\n";
      for (const pl::TargetLine& g : l.targets) PrintTarget(g, false, "      ", out);
    }
  }
}

void PrintUnits(const pl::OrgTree& org, const pl::PlanDocument* doc, int64_t version, std::ostream& out) {
  if (doc) out << "org units, with their plans in plan version " << version << "\n";
  else out << "org units (the store holds no plan yet)\n";
  auto print = [&](auto&& self, int32_t u, int depth) -> void {
    const pl::OrgUnitInfo& info = org.at(u);
    std::string plan;
    if (doc) {
      plan = "no plan";
      for (const pl::Plan& p : doc->plans)
        if (p.org_unit == info.id)
          plan = "plan " + p.id + (p.prime.empty() ? "" : fmt::format(" ({} prime)", p.prime.size()));
    }
    std::string line = Pad(std::string(2 * depth, ' ') + info.id, 12) + Pad(info.kind, 9) + Pad(info.name, 34) + plan;
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << "\n";
    for (int32_t c = 0; c < org.size(); ++c)
      if (org.at(c).parent == u && depth < org.size()) self(self, c, depth + 1);
  };
  for (int32_t u = 0; u < org.size(); ++u)
    if (org.at(u).parent < 0) print(print, u, 0);
}

void PrintVersions(const std::vector<PlanVersionInfo>& versions, std::ostream& out) {
  if (versions.empty()) out << "no plan has been loaded\n";
  for (const PlanVersionInfo& v : versions)
    out << "version " << v.version << "  loaded " << FormatTimestamp(v.loaded_at) << " by " << v.loaded_by << " from "
        << v.source << "  sha256 " << v.sha256.substr(0, 12) << (v.title.empty() ? "" : "  " + v.title) << "\n";
}

void PrintStories(const std::vector<StoryRecord>& stories, std::ostream& out) {
  if (stories.empty()) out << "no stories\n";
  for (const StoryRecord& s : stories)
    out << "#" << s.id << " " << FormatTimestamp(s.written_at) << " " << s.author << "  " << s.indicator << " at "
        << s.org_unit << ", " << s.section << ":\n    " << s.text << "\n";
}

}  // namespace goldthread::cli
