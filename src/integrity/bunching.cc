#include "integrity/bunching.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <utility>

#include "stats/funnel.h"

namespace goldthread::integrity {
namespace {

// Least-squares polynomial on x scaled to [-1, 1] (keeps the normal
// equations well conditioned for degrees up to 9), solved by Gaussian
// elimination with partial pivoting. Returns false when singular.
bool FitPolynomial(const std::vector<double>& x, const std::vector<double>& y, int degree, std::vector<double>& coef) {
  const int m = degree + 1;
  std::vector<double> a(m * (m + 1), 0.0);
  for (size_t i = 0; i < x.size(); ++i) {
    std::vector<double> p(m);
    p[0] = 1.0;
    for (int k = 1; k < m; ++k) p[k] = p[k - 1] * x[i];
    for (int r = 0; r < m; ++r) {
      for (int c = 0; c < m; ++c) a[r * (m + 1) + c] += p[r] * p[c];
      a[r * (m + 1) + m] += p[r] * y[i];
    }
  }
  for (int col = 0; col < m; ++col) {
    int pivot = col;
    for (int r = col + 1; r < m; ++r)
      if (std::fabs(a[r * (m + 1) + col]) > std::fabs(a[pivot * (m + 1) + col])) pivot = r;
    if (std::fabs(a[pivot * (m + 1) + col]) < 1e-12) return false;
    for (int c = 0; c <= m; ++c) std::swap(a[col * (m + 1) + c], a[pivot * (m + 1) + c]);
    for (int r = 0; r < m; ++r) {
      if (r == col) continue;
      double f = a[r * (m + 1) + col] / a[col * (m + 1) + col];
      for (int c = col; c <= m; ++c) a[r * (m + 1) + c] -= f * a[col * (m + 1) + c];
    }
  }
  coef.assign(m, 0.0);
  for (int r = 0; r < m; ++r) coef[r] = a[r * (m + 1) + m] / a[r * (m + 1) + r];
  return true;
}

double Eval(const std::vector<double>& coef, double x) {
  double v = 0.0;
  for (size_t k = coef.size(); k-- > 0;) v = v * x + coef[k];
  return v;
}

struct Fit {
  std::vector<double> fitted;
  double excess = 0.0, ratio = 0.0, missing = 0.0;
};

bool FitOnce(std::span<const double> counts, int t, int w, int degree, Fit& out) {
  const int n = static_cast<int>(counts.size());
  const double half = (n - 1) / 2.0;
  std::vector<double> xs, ys;
  for (int j = 0; j < n; ++j) {
    if (j >= t - w && j <= t + w) continue;
    xs.push_back((j - half) / half);
    ys.push_back(counts[j]);
  }
  std::vector<double> coef;
  if (!FitPolynomial(xs, ys, degree, coef)) return false;
  out.fitted.resize(n);
  // A count cannot be negative: clip the counterfactual at 0.
  for (int j = 0; j < n; ++j) out.fitted[j] = std::max(0.0, Eval(coef, (j - half) / half));
  double excess = 0.0, base = 0.0, missing = 0.0;
  for (int j = std::max(0, t - w); j <= t; ++j) {
    excess += counts[j] - out.fitted[j];
    base += out.fitted[j];
  }
  for (int j = t + 1; j <= t + w; ++j) missing += out.fitted[j] - counts[j];
  double mean_base = base / (t - std::max(0, t - w) + 1);
  out.excess = excess;
  out.missing = missing;
  // With no counterfactual mass at all, any excess is infinitely surprising;
  // report it against one case a day instead of dividing by zero.
  out.ratio = excess / std::max(mean_base, 1.0);
  return true;
}

}  // namespace

Result<BunchingEstimate> EstimateBunching(std::span<const double> counts, int threshold, int window, int degree,
                                          int reps, unsigned seed) {
  const int n = static_cast<int>(counts.size());
  if (threshold < 1 || window < 0 || threshold + window >= n)
    return Status::InvalidArgument("bunching: threshold " + std::to_string(threshold) + " + window " +
                                   std::to_string(window) + " must lie inside the " + std::to_string(n) +
                                   " days counted");
  int outside = n - (std::min(n - 1, threshold + window) - std::max(0, threshold - window) + 1);
  if (outside < degree + 2)
    return Status::InvalidArgument("bunching: " + std::to_string(outside) + " days outside the window are too few for degree " +
                                   std::to_string(degree));
  Fit fit;
  if (!FitOnce(counts, threshold, window, degree, fit)) return Status::InvalidArgument("bunching: singular fit");
  BunchingEstimate est;
  est.fitted = fit.fitted;
  est.excess = fit.excess;
  est.ratio = fit.ratio;
  est.missing_mass = fit.missing;
  double observed = 0.0;
  for (int j = std::max(0, threshold - window); j <= threshold; ++j) observed += counts[j];
  est.observed_in_window = std::llround(observed);
  est.ci_low = est.ci_high = fit.ratio;
  if (reps <= 0) return est;

  std::vector<double> residuals;
  for (int j = 0; j < n; ++j)
    if (j < threshold - window || j > threshold + window) residuals.push_back(counts[j] - fit.fitted[j]);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<size_t> pick(0, residuals.size() - 1);
  std::vector<double> ratios;
  std::vector<double> sample(n);
  for (int r = 0; r < reps; ++r) {
    for (int j = 0; j < n; ++j) {
      bool inside = j >= threshold - window && j <= threshold + window;
      sample[j] = std::max(0.0, (inside ? counts[j] : fit.fitted[j]) + residuals[pick(rng)]);
    }
    Fit f;
    if (FitOnce(sample, threshold, window, degree, f)) ratios.push_back(f.ratio);
  }
  if (!ratios.empty()) {
    std::sort(ratios.begin(), ratios.end());
    est.ci_low = stats::QuantileType7(ratios, 0.025);
    est.ci_high = stats::QuantileType7(ratios, 0.975);
  }
  return est;
}

namespace {

struct Cell {
  std::vector<double> counts;
  std::vector<int64_t> window_rows;  // assessments completed in [T-w, T]
  int64_t cases = 0;
  int64_t near = 0, inside_near = 0;  // companion: days T-2..T+2, and of those T-2..T
};

}  // namespace

std::vector<Finding> CheckDeadlineBunching(const Snapshot& snap, const BunchingConfig& config,
                                           const CheckScope& scope) {
  std::vector<Finding> out;
  if (!config.enabled) return out;
  const int t = config.threshold_days, w = config.window_days;
  const int days = std::max(2 * t, t + w + config.degree + 4) + 1;
  const TableData& ass = snap.table(TableId::kAssessments);
  const TableData& req = snap.table(TableId::kRequests);
  const int f_req = ass.Field("request_id"), f_done = ass.Field("completed_on"), f_org = ass.Field("org_unit_id");
  const int f_recv = req.Field("received_on");

  // (financial year start, team row) -> durations.
  std::map<std::pair<int, int32_t>, Cell> cells;
  for (int64_t row = 0; row < ass.rows; ++row) {
    Date done = ass.Int(f_done, row);
    int32_t r = ass.Int(f_req, row);
    if (!scope.Contains(done) || r < 0) continue;
    Date received = req.Int(f_recv, r);
    if (received == kNullI32) continue;
    int d = done - received;
    if (d < 0 || d >= days) continue;
    Cell& c = cells[{FinancialYearOf(done), ass.Int(f_org, row)}];
    if (c.counts.empty()) c.counts.assign(days, 0.0);
    c.counts[d] += 1;
    ++c.cases;
    if (d >= t - w && d <= t) c.window_rows.push_back(row);
    if (d >= t - 2 && d <= t + 2) {
      ++c.near;
      if (d <= t) ++c.inside_near;
    }
  }

  std::map<int, std::vector<std::pair<int32_t, Cell*>>> by_year;
  for (auto& [key, cell] : cells) by_year[key.first].push_back({key.second, &cell});

  for (auto& [year, teams] : by_year) {
    // Companion statistic: the share of near-deadline cases just inside,
    // compared across teams on a funnel (STATISTICS.md section 5).
    std::vector<double> num, den;
    for (auto& [team, cell] : teams) {
      num.push_back(static_cast<double>(cell->inside_near));
      den.push_back(static_cast<double>(cell->near));
    }
    std::optional<stats::FunnelResult> funnel;
    if (auto f = stats::FunnelPlot(num, den, stats::FunnelOptions{}); f.ok()) funnel = std::move(f).value();

    for (size_t i = 0; i < teams.size(); ++i) {
      Cell& cell = *teams[i].second;
      if (cell.cases < config.min_cases) continue;
      auto est = EstimateBunching(cell.counts, t, w, config.degree, config.bootstrap, config.seed);
      if (!est.ok()) continue;
      // Peers: every other team's durations that year, pooled.
      std::vector<double> peers(days, 0.0);
      int64_t peer_cases = 0;
      for (size_t k = 0; k < teams.size(); ++k) {
        if (k == i) continue;
        for (int d = 0; d < days; ++d) peers[d] += teams[k].second->counts[d];
        peer_cases += teams[k].second->cases;
      }
      double peer_ratio = 0.0;
      bool peers_known = false;
      if (peer_cases >= config.min_cases) {
        if (auto p = EstimateBunching(peers, t, w, config.degree, 0, config.seed); p.ok()) {
          peer_ratio = p->ratio;
          peers_known = true;
        }
      }
      // The peers in words: a ratio at or below 0 is no bunching at all
      // (as many or fewer cases inside the deadline than the smooth fit).
      const std::string peers_in_words =
          !peers_known      ? "the other teams have too few cases to compare"
          : peer_ratio <= 0 ? "the other teams show no bunching"
                            : fmt::format("the other teams together show a bunching ratio of {:.2f}", peer_ratio);
      // Stricter than "lower bound > 0" (STATISTICS.md section 5): on clean
      // simulated teams of ~100 assessments a year a counterfactual under
      // one case a day lets 3-9 chance cases pass that test (measured in
      // bench/integrity_perftest.cc), so the lower bound must itself reach
      // min_ratio and the excess min_excess cases.
      bool fires = est->ci_low >= config.min_ratio && est->excess >= config.min_excess &&
                   est->ratio >= config.min_ratio &&
                   est->ratio - std::max(0.0, peer_ratio) >= config.min_ratio;
      if (!fires) continue;
      bool funnel_high = funnel && i < funnel->units.size() && funnel->units[i].outlier == stats::Outlier::kHigh;

      Finding f;
      f.check = std::string(kDeadlineBunching);
      f.indicators = {"assessment-28d"};
      f.org_unit = UnitId(snap, teams[i].first);
      f.period = FinancialYearPeriod(year).Label();
      f.severity = est->ratio >= 2 * config.min_ratio && funnel_high ? Severity::kHigh : Severity::kMedium;
      f.summary = fmt::format(
          "{} assessments were completed {}-{} days after the request, about {:.0f} more than the smooth pattern of "
          "the team's other durations predicts, just inside the {}-day deadline. In the same year {}.",
          est->observed_in_window, t - w, t, est->excess, t, peers_in_words);
      f.statistic = "bunching_ratio";
      f.value = est->ratio;
      f.threshold = fmt::format(
          "bootstrap 95% interval {:.2f} to {:.2f} has lower bound >= {:.2f}, excess >= {} cases, and exceeds the "
          "peers' ratio ({}) by >= {:.2f}",
          est->ci_low, est->ci_high, config.min_ratio, config.min_excess,
          peers_known && peer_ratio > 0 ? fmt::format("{:.2f}", peer_ratio) : peers_in_words + ": taken as 0",
          config.min_ratio);
      f.looked_at = fmt::format(
          "durations from request received to assessment completed (0-{} days) of {} assessments; polynomial of "
          "degree {} fitted outside days {}-{}",
          days - 1, cell.cases, config.degree, t - w, t + w);
      f.innocent_if =
          "the work really takes this long: the assessment records would show the visits and decisions dated "
          "through those days, not only a completion date set just before the deadline, and the days just after "
          "it would not be empty.";
      f.evidence.records = est->observed_in_window;
      f.evidence.figures = {{"cases", static_cast<double>(cell.cases)},
                            {"in_window", static_cast<double>(est->observed_in_window)},
                            {"excess", est->excess},
                            {"ci_low", est->ci_low},
                            {"ci_high", est->ci_high},
                            {"missing_mass_after_deadline", est->missing_mass},
                            {"peer_ratio", peer_ratio},
                            {"near_deadline", static_cast<double>(cell.near)},
                            {"near_deadline_inside", static_cast<double>(cell.inside_near)}};
      if (funnel && i < funnel->units.size()) {
        f.evidence.figures.push_back({"near_deadline_inside_share_peers", funnel->model.target});
        if (funnel->units[i].z) f.evidence.figures.push_back({"funnel_z", *funnel->units[i].z});
      }
      LineageTally tally;
      for (int64_t row : cell.window_rows) {
        tally.Add(snap, ass, row);
        f.AddRecordId(ass.RecordId(row, snap));
      }
      tally.Fill(f.evidence);
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace goldthread::integrity
