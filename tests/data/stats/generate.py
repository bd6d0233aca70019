#!/usr/bin/python3
"""Generates the expected values for goldthread's statistics tests.

Run from the repository root:

    /usr/bin/python3 tests/data/stats/generate.py [/work/shared/data/real]

Needs python3-numpy, python3-scipy and python3-statsmodels (Debian packages).
The C++ tests only read the JSON and CSV files this script writes; they never
run Python. See README.md in this folder for what each file holds.

Sources of truth:
- intervals: statsmodels proportion_confint (wilson, beta), scipy chi2.ppf
  and t.ppf: the reference implementations named in shared/STATISTICS.md.
- forecasts: statsmodels OLS get_prediction(...).summary_frame(alpha)
  (obs_ci_lower / obs_ci_upper are prediction intervals).
- SPC: R is not available here, so NHSRplotthedots (CRAN 0.2:
  R/ptd_spc_standard.R, R/ptd_calculate_point_type.R,
  R/ptd_calculate_assurance_type.R) is transcribed line by line below, in its
  own vectorised style, independently of the C++ code. goldthread's
  documented deviations (docs/statistics.md) are applied explicitly and
  marked "DEVIATION".
- funnel plots: FunnelPlotR (CRAN: R/od_adjustment.R, R/calculate_limits.R,
  R/outliers_func.R) transcribed the same way; exact binomial limits from
  Spiegelhalter (2005) appendix A.1.1 with scipy's binom.
"""

import csv
import json
import math
import os
import sys

import numpy as np
from scipy import stats
from statsmodels.regression.linear_model import OLS
from statsmodels.stats.proportion import proportion_confint

HERE = os.path.dirname(os.path.abspath(__file__))
REAL = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/real"


def write_json(name, obj):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(obj, f, indent=1, allow_nan=False)
        f.write("\n")


def none_if_nan(v):
    return None if v is None or not math.isfinite(v) else float(v)


# ===--- 1. Intervals ---====================================================

def intervals():
    props = [(0, 0), (0, 1), (1, 1), (0, 10), (10, 10), (1, 10), (5, 10), (12, 40),
             (3, 7), (99, 100), (1, 1000), (1529, 1776), (50000, 100000), (7, 13)]
    out = {"proportion": [], "poisson": [], "rate": [], "mean": []}
    for x, n in props:
        case = {"x": x, "n": n}
        if n == 0:
            case["wilson"] = None
            case["beta"] = None
        else:
            for method in ("wilson", "beta"):
                lo, hi = proportion_confint(x, n, alpha=0.05, method=method)
                case[method] = [float(lo), float(hi)]
            lo, hi = proportion_confint(x, n, alpha=0.10, method="wilson")
            case["wilson90"] = [float(lo), float(hi)]
        out["proportion"].append(case)
    for x in [0, 1, 2, 5, 10, 37, 100, 1234]:
        lo = 0.0 if x == 0 else stats.chi2.ppf(0.025, 2 * x) / 2
        hi = stats.chi2.ppf(0.975, 2 * x + 2) / 2
        out["poisson"].append({"x": x, "low": float(lo), "high": float(hi)})
    for x, pop in [(0, 50000), (12, 250000), (345, 1200000)]:
        lo = 0.0 if x == 0 else stats.chi2.ppf(0.025, 2 * x) / 2
        hi = stats.chi2.ppf(0.975, 2 * x + 2) / 2
        out["rate"].append({"x": x, "population": pop, "per": 100000,
                            "low": float(lo / pop * 100000), "high": float(hi / pop * 100000)})
    for values in [[1.0, 2.0], [2.5, 3.1, 4.7, 3.3, 2.9], [10.0, 10.0, 10.0],
                   [61.2, 58.4, 57.9, 60.1, 55.0, 59.3, 62.8, 58.8, 57.1, 60.4]]:
        a = np.array(values)
        m, s, n = a.mean(), a.std(ddof=1), len(a)
        half = stats.t.ppf(0.975, n - 1) * s / math.sqrt(n)
        out["mean"].append({"values": values, "low": float(m - half), "high": float(m + half)})
    write_json("intervals.json", out)


# ===--- 2. Forecasts ---====================================================

def forecast_case(y, window, horizon, percent):
    pts = [(i, v) for i, v in enumerate(y) if v is not None][-window:]
    xs = np.array([p[0] for p in pts], dtype=float)
    ys = np.array([p[1] for p in pts], dtype=float)
    if percent:
        clamp = 0.05  # kLogitClampPercent
        p = np.clip(ys, clamp, 100 - clamp) / 100
        ys = np.log(p / (1 - p))
    res = OLS(ys, np.column_stack([np.ones_like(xs), xs])).fit()
    new_x = np.arange(len(y), len(y) + horizon, dtype=float)
    exog = np.column_stack([np.ones_like(new_x), new_x])
    f80 = res.get_prediction(exog).summary_frame(alpha=0.20)
    f95 = res.get_prediction(exog).summary_frame(alpha=0.05)
    back = (lambda v: 100 / (1 + np.exp(-v))) if percent else (lambda v: v)
    return {
        "y": y, "window": window, "horizon": horizon, "percent": percent,
        "intercept": float(res.params[0]), "slope": float(res.params[1]),
        "points": [{"position": float(new_x[h]), "fit": float(back(f95["mean"][h])),
                    "pi80": [float(back(f80["obs_ci_lower"][h])), float(back(f80["obs_ci_upper"][h]))],
                    "pi95": [float(back(f95["obs_ci_lower"][h])), float(back(f95["obs_ci_upper"][h]))]}
                   for h in range(horizon)],
    }


def forecasts():
    cases = [
        forecast_case([12.0, 14.0, 13.5, 15.2, 16.1, 15.8, 17.3, 18.0, 18.4, 19.9], 8, 4, False),
        forecast_case([3.0, 4.0, 8.0], 8, 2, False),
        forecast_case([61.0, 64.5, 66.0, 70.2, 73.9, 75.0, 79.5, 83.1, 86.0, 88.2, 91.0], 8, 6, True),
        forecast_case([95.0, 97.0, None, 99.0, 100.0, 98.5], 8, 3, True),
    ]
    write_json("forecast.json", cases)


# ===--- 3. SPC: NHSRplotthedots transcribed ---============================

def r_sign(v):
    return np.sign(v)


def ptd_spc_standard(y, fix_after_n_points, screen_outliers):
    """One rebase group of R/ptd_spc_standard.R."""
    limit = 2.66
    limitclose = 2 * (limit / 3)
    n = len(y)
    fix = n if fix_after_n_points is None else fix_after_n_points
    fix_y = np.array([y[i] if i < fix else np.nan for i in range(n)])
    mean = np.nanmean(fix_y)
    mr = np.concatenate([[np.nan], np.abs(np.diff(fix_y))])
    amr = np.nanmean(mr) if np.any(~np.isnan(mr)) else np.nan
    if screen_outliers:
        with np.errstate(invalid="ignore"):
            mr = np.where(mr < 3.267 * amr, mr, np.nan)
    amr = np.nanmean(mr) if np.any(~np.isnan(mr)) else np.nan
    lim = {"mean": mean, "lpl": mean - limit * amr, "upl": mean + limit * amr,
           "nlpl": mean - limitclose * amr, "nupl": mean + limitclose * amr}
    # DEVIATION (docs/statistics.md, note S1): all baseline values equal, or
    # fewer than 2 of them: limits undefined (R: NaN when screened,
    # zero-width when not).
    base = [v for v in fix_y if not np.isnan(v)]
    if len(base) < 2 or all(v == base[0] for v in base):
        for k in ("lpl", "upl", "nlpl", "nupl"):
            lim[k] = np.nan
    return lim


def ptd_seven_point_one_side_mean(v, L):
    vp = [0] * (L - 1) + list(v)
    return [1.0 if all(vp[i] == vp[i - j] for j in range(1, L)) and vp[i] != 0 else 0.0
            for i in range(L - 1, len(v) + L - 1)]


def ptd_part_of_seven_trend(v, L):
    vp = list(v) + [0] * (L - 1)
    return [1.0 if any(abs(vp[i + j]) == 1 for j in range(L)) else 0.0 for i in range(len(v))]


def ptd_seven_point_trend(y, L):
    if len(y) < L:
        return [0.0] * len(y)
    out = [0.0] * (L - 1)
    for i in range(L - 1, len(y)):
        window = [y[i - j] for j in range(L)]  # y[i - 0:6]
        d = r_sign(np.diff(window)) * -1
        out.append(1.0 if all(d == 1) else (-1.0 if all(d == -1) else 0.0))
    return out


def ptd_two_in_three(v, rtm):
    if len(v) == 0:
        return []
    vp = [0, 0] + list(v) + [0, 0]
    rtmp = [0, 0] + list(rtm) + [0, 0]
    out = []
    for i in range(len(v)):
        hit = False
        for a in (0, 1, 2):
            s = sum(vp[i + a:i + a + 3])
            side = abs(sum(rtmp[i + a:i + a + 3]))
            hit = hit or (s >= 2 and side == 3)
        out.append(1.0 if hit else 0.0)
    return out


def ptd_special_cause_type(y, rtm, close, outside, L):
    part_trend = ptd_part_of_seven_trend(ptd_seven_point_trend(y, L), L)
    tit = ptd_two_in_three(close, rtm)
    part_tit = [1.0 if tit[i] == 1 and abs(close[i]) == 1 else 0.0 for i in range(len(y))]
    part_shift = ptd_part_of_seven_trend(ptd_seven_point_one_side_mean(rtm, L), L)
    sdy = list(r_sign(np.diff(y)))
    right = sdy + sdy[-1:]
    left = [0.0] + sdy
    cond = [bool(a) and bool(b) for a, b in zip(part_trend[1:] + [0], part_trend)]
    sdy = [right[i] if cond[i] else left[i] for i in range(len(y))]
    out = []
    for i in range(len(y)):
        above = "Above" if rtm[i] > 0 else "Below"
        if outside[i]:
            out.append("Above UCL" if rtm[i] == 1 else "Below LCL")
        elif part_trend[i] != 0:
            out.append("7 Point Trend (" + ("In" if sdy[i] == 1 else "De") + "creasing)")
        elif part_tit[i] != 0:
            out.append("2 in 3 " + above + " CL")
        elif part_shift[i] != 0:
            out.append("7 Points " + above + " CL")
        else:
            out.append("Common Cause")
    return out


def ptd_point_type(sct, improvement_direction):
    out = []
    for t in sct:
        v = 1 if ("Above" in t or "Increasing" in t) else (-1 if ("Below" in t or "Decreasing" in t) else 0)
        if improvement_direction == 0:
            out.append("neutral_high" if v > 0 else ("neutral_low" if v < 0 else "common_cause"))
        else:
            v *= improvement_direction
            out.append("improvement" if v > 0 else ("concern" if v < 0 else "common_cause"))
    return out


RULE = {"Above UCL": "outside", "Below LCL": "outside"}


def rule_of(t):
    if t in RULE:
        return "outside"
    if "Trend" in t:
        return "trend"
    if "2 in 3" in t:
        return "two_in_three"
    if "7 Points" in t:
        return "shift"
    return "none"


def classify(y, lims, L, two_in_three):
    """Rules over one segment, given per-point limits."""
    n = len(y)
    rtm, close, outside = [], [], []
    for i in range(n):
        l = lims[i]
        rtm.append(float(r_sign(y[i] - l["mean"])))
        defined = not np.isnan(l["upl"])
        o = defined and (y[i] > l["upl"] or y[i] < l["lpl"])
        c = defined and (not o) and (y[i] < l["nlpl"] or y[i] > l["nupl"])
        outside.append(1.0 if o else 0.0)
        close.append(1.0 if c else 0.0)
    # DEVIATION (note S3): the "2023" rule counts points beyond the process
    # limits as well as close ones.
    counted = [max(c, o) for c, o in zip(close, outside)] if two_in_three == "2023" else close
    return ptd_special_cause_type(list(y), rtm, counted, outside, L)


def spc_case(name, y=None, num=None, den=None, polarity="up", target=None, baseline=None,
             rebase_at=(), run_length=7, two_in_three="reference", screen=True):
    p_chart = num is not None
    n = len(num) if p_chart else len(y)
    if p_chart:
        missing = [den[i] is None or num[i] is None or den[i] == 0 for i in range(n)]
        values = [None if missing[i] else num[i] / den[i] for i in range(n)]
    else:
        missing = [v is None for v in y]
        values = y
    seg = []
    s = 0
    for i in range(n):
        if i in rebase_at and i > 0:
            s += 1
        seg.append(s)
    direction = {"up": 1, "down": -1, "neutral": 0}[polarity]
    points = [None] * n
    for g in sorted(set(seg)):
        # DEVIATION (note S2): missing points are dropped before the rules.
        idx = [i for i in range(n) if seg[i] == g and not missing[i]]
        if not idx:
            continue
        yy = np.array([values[i] for i in idx], dtype=float)
        k = len(idx) if baseline is None else min(baseline, len(idx))
        if p_chart:
            # p-chart (shared/STATISTICS.md section 2): p̄ = Σx/Σn over the
            # baseline, limits p̄ ± 3·sqrt(p̄(1-p̄)/nᵢ), near with 2, in [0, 1].
            pbar = sum(num[i] for i in idx[:k]) / sum(den[i] for i in idx[:k])
            lims = []
            for i in idx:
                if pbar <= 0 or pbar >= 1:
                    lims.append({"mean": pbar, "lpl": np.nan, "upl": np.nan, "nlpl": np.nan, "nupl": np.nan})
                    continue
                sd = math.sqrt(pbar * (1 - pbar) / den[i])
                lims.append({"mean": pbar, "lpl": max(0.0, pbar - 3 * sd), "upl": min(1.0, pbar + 3 * sd),
                             "nlpl": max(0.0, pbar - 2 * sd), "nupl": min(1.0, pbar + 2 * sd)})
        else:
            lim = ptd_spc_standard(list(yy), baseline, screen)
            lims = [lim] * len(idx)
        sct = classify(yy, lims, run_length, two_in_three)
        types = ptd_point_type(sct, direction)
        for j, i in enumerate(idx):
            l = lims[j]
            points[i] = {"x": str(i + 1), "y": float(yy[j]), "mean": none_if_nan(l["mean"]),
                         "lpl": none_if_nan(l["lpl"]), "upl": none_if_nan(l["upl"]),
                         "near_lpl": none_if_nan(l["nlpl"]), "near_upl": none_if_nan(l["nupl"]),
                         "point_type": types[j], "rule": rule_of(sct[j]), "trial_limits": k < 13}
    for i in range(n):
        if points[i] is None:
            # Missing points carry their segment's XmR limits (for drawing).
            src = next((points[j] for j in range(n) if seg[j] == seg[i] and points[j] is not None), None)
            carry = src is not None and not p_chart
            points[i] = {"x": str(i + 1), "y": None, "point_type": None, "rule": "none",
                         **{k: (src[k] if carry else None) for k in ("mean", "lpl", "upl", "near_lpl", "near_upl")}}
    last = next((p for p in reversed(points) if p["y"] is not None), None)
    variation = last["point_type"] if last else None
    # R/ptd_calculate_assurance_type.R on the last point.
    assurance = None
    if target is not None and polarity != "neutral" and last is not None:
        inc = polarity == "up"
        if last["upl"] is not None and target > last["upl"]:
            assurance = "consistent_fail" if inc else "consistent_pass"
        elif last["lpl"] is not None and target < last["lpl"]:
            assurance = "consistent_pass" if inc else "consistent_fail"
        else:
            assurance = "inconsistent"
    options = {"polarity": polarity, "target": target, "baseline": baseline or 0,
               "rebase_at": list(rebase_at), "run_length": run_length,
               "two_in_three": two_in_three, "screen": screen}
    inputs = {"num": num, "den": den} if p_chart else {"y": y}
    return {"name": name, "chart": "p" if p_chart else "xmr", **inputs, "options": options,
            "points": points, "variation": variation, "assurance": assurance}


def spc():
    shifted = [10, 11, 9, 10, 12, 9, 11, 10, 9, 11, 10, 12, 13, 12, 11, 13, 12, 13, 12, 11, 12, 9, 10, 11]
    trend = [50.0, 49.1, 51.2, 50.4, 48.8, 50.9, 47.0, 48.0, 49.5, 51.0, 52.2, 53.9, 55.0, 51.0, 50.2,
             49.0, 50.5, 48.1, 50.6, 49.9]
    # A tie inside a rising run breaks it; a peak shared by a rising and a
    # falling run takes the direction of the run to its right.
    tie = [5.0, 6.0, 7.0, 8.0, 8.0, 9.0, 10.0, 11.0, 12.0, 6.0, 7.0, 5.0]
    peak = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 6.5, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 4.0, 8.0, 0.0]
    # Screening changes the limits (the 40 inflates the moving ranges) and
    # with them which rule flags points 9 and 11.
    outlier = [20, 21, 20.5, 19.5, 20, 40, 20, 21, 19.3, 20.2, 19.4, 21, 20.2, 22.8, 22.6, 21.5]
    # With a baseline of 12 calm points (mean 10, near limits 8.79/11.21,
    # process limits 8.19/11.81): points 13 and 15 are close above the mean
    # (two-in-three), 18 is close next to 19 beyond the limit (only the 2023
    # rule flags 18), and 22 and 24 are close below.
    tit = [10, 10.5, 9.5, 10, 10.5, 9.5, 10, 10.5, 9.5, 10, 10.5, 9.5, 11.5, 10.2, 11.6, 10, 9.8, 11.5,
           12.5, 10.3, 9.9, 8.5, 9.6, 8.6, 10.2]
    falling = [30.0, 29.0, 28.5, 28.0, 27.0, 26.2, 25.0, 24.1, 26.0, 27.1, 26.5, 27.3]
    cases = [
        spc_case("shift_up", y=shifted, target=8.0),
        spc_case("shift_down_polarity", y=shifted, polarity="down", target=8.0),
        spc_case("shift_neutral", y=shifted, polarity="neutral", target=8.0),
        spc_case("shift_run6", y=shifted, run_length=6),
        spc_case("trend", y=trend),
        spc_case("falling_trend", y=falling, polarity="down", target=31.0),
        spc_case("outliers_screened", y=outlier, target=15.0),
        spc_case("outliers_unscreened", y=outlier, target=15.0, screen=False),
        spc_case("two_in_three_reference", y=tit, baseline=12),
        spc_case("two_in_three_2023", y=tit, two_in_three="2023", baseline=12),
        spc_case("trend_tie", y=tie),
        spc_case("trend_peak", y=peak, polarity="neutral"),
        spc_case("baseline_12", y=shifted, baseline=12, target=14.0),
        spc_case("rebase", y=shifted, rebase_at=(11, 21)),
        spc_case("rebase_baseline", y=shifted, rebase_at=(15,), baseline=6),
        spc_case("all_equal", y=[5.0] * 10, target=4.0),
        spc_case("all_equal_unscreened", y=[5.0] * 10, screen=False),
        spc_case("single_point", y=[3.5]),
        spc_case("two_points", y=[3.5, 4.5]),
        spc_case("missing_values", y=trend[:6] + [None] + trend[6:15] + [None]),
        spc_case("p_chart", num=[41, 45, 38, 52, 60, 48, 44, 39, 70, 72, 75, 80, 78, 74],
                 den=[100, 110, 95, 120, 130, 105, 100, 90, 110, 115, 112, 118, 120, 113], target=0.6),
        spc_case("p_chart_zero_denominator", num=[5, 0, 6, 7, 4], den=[20, 0, 22, 25, 18]),
        spc_case("p_chart_all_zero", num=[0, 0, 0, 0], den=[10, 12, 9, 11]),
    ]
    write_json("spc.json", cases)


# ===--- 4. Funnel plots: FunnelPlotR transcribed ---=======================

Z95, Z998 = 1.959964, 3.090232


def r_quantile7(x, p):
    return float(np.quantile(np.array(x, dtype=float), p, method="linear"))


def tau_func(n, phi, S):
    # od_adjustment.R tau_func.
    if len(S) == 0:
        return 0.0
    if n * phi < n - 1:
        return 0.0
    # DEVIATION (note F4): a single unit has no between-unit variance (R: Inf).
    if len(S) < 2:
        return 0.0
    w = 1 / np.asarray(S) ** 2
    return float(max(0.0, (n * phi - (n - 1)) / (w.sum() - (w ** 2).sum() / w.sum())))


def exact_binomial(q, n, p):
    # Spiegelhalter (2005) appendix A.1.1.
    n = int(round(n))
    r = stats.binom.ppf(q, n, p)
    f = stats.binom.pmf(r, n, p)
    alpha = (stats.binom.cdf(r, n, p) - q) / f if f > 0 else 0.0
    return min(1.0, max(0.0, (r - alpha) / n))


def clip_sin2(theta):
    # DEVIATION (note F1): clip on the arcsine scale before sin².
    t = min(max(theta, 0.0), math.pi / 2)
    return math.sin(t) ** 2


def funnel_case(name, units, num, den, type_="proportion", adjust="tau2", exact=False, at998=True):
    valid = [i for i in range(len(num)) if num[i] is not None and den[i] is not None and den[i] > 0]
    O = np.array([num[i] for i in valid], dtype=float)
    n = np.array([den[i] for i in valid], dtype=float)
    if type_ == "proportion":
        # transformed_zscore, data_type "PR".
        target = O.sum() / n.sum()
        tt = math.asin(math.sqrt(target))
        Y = np.arcsin(np.sqrt(O / n))
        s = 1 / (2 * np.sqrt(n))
        uz = (Y - tt) / s
        # winsorisation.
        lz, hz = r_quantile7(uz, 0.1), r_quantile7(uz, 0.9)
        wz = np.where(uz < lz, lz, np.where(uz > hz, hz, uz))
        keep = np.ones(len(uz), dtype=bool)
    else:
        # transformed_zscore, data_type "SR", sr_method "SHMI", then truncation.
        target = 1.0
        s = 1 / np.sqrt(n)
        with np.errstate(divide="ignore"):
            uz = np.sqrt(n) * np.log(O / n)
        k = 1 / 0.1
        rk = stats.rankdata(uz, method="average")
        sp = np.floor(rk * k / (len(rk) + 1))
        keep = (sp > 0) & (sp < k - 1)
        keep &= np.isfinite(uz)  # DEVIATION (note F3): infinite z left out of φ.
        wz = uz
    nn = float(keep.sum())
    phi = float((wz[keep] ** 2).sum() / nn) if nn > 0 else 0.0
    tau2 = tau_func(nn, phi, s[keep])
    # DEVIATION (note F2): fall back to unadjusted limits when φ <= 1 (R:
    # when τ² = 0).
    adjusted = adjust != "none" and phi > 1 and (adjust == "phi" or tau2 > 0)

    def limits(d):
        if type_ == "proportion":
            if not adjusted and exact:
                return [exact_binomial(0.025, d, target), exact_binomial(0.975, d, target),
                        exact_binomial(0.001, d, target), exact_binomial(0.999, d, target)]
            tt = math.asin(math.sqrt(target))
            if adjusted and adjust == "phi":
                sd = math.sqrt(phi / (4 * d))  # multiplicative (Spiegelhalter 2005, 6.1)
            else:
                sd = math.sqrt(1 / (4 * d) + (tau2 if adjusted else 0.0))
            return [clip_sin2(tt - Z95 * sd), clip_sin2(tt + Z95 * sd),
                    clip_sin2(tt - Z998 * sd), clip_sin2(tt + Z998 * sd)]
        if not adjusted:
            return [stats.chi2.ppf(0.025, 2 * d) / (2 * d), stats.chi2.ppf(0.975, 2 * d + 2) / (2 * d),
                    stats.chi2.ppf(0.001, 2 * d) / (2 * d), stats.chi2.ppf(0.999, 2 * d + 2) / (2 * d)]
        sd = math.sqrt(phi / d) if adjust == "phi" else math.sqrt(1 / d + tau2)
        return [math.exp(-Z95 * sd), math.exp(Z95 * sd), math.exp(-Z998 * sd), math.exp(Z998 * sd)]

    out_units = []
    for i in range(len(num)):
        u = {"unit": units[i], "numerator": num[i], "denominator": den[i]}
        if i not in valid:
            u.update({"value": None, "z": None, "lower95": None, "upper95": None,
                      "lower998": None, "upper998": None, "outlier": None})
        else:
            j = valid.index(i)
            v = O[j] / n[j]
            l = [float(x) for x in limits(n[j])]
            lo, hi = (l[2], l[3]) if at998 else (l[0], l[1])
            # outliers_func.R: inside when lower <= value <= upper.
            outlier = "high" if v > hi else ("low" if v < lo else None)
            u.update({"value": float(v), "z": none_if_nan(uz[j]), "lower95": l[0], "upper95": l[1],
                      "lower998": l[2], "upper998": l[3], "outlier": outlier})
        out_units.append(u)
    return {"name": name, "type": type_, "adjust": adjust, "exact": exact, "outliers_at_998": at998,
            "target": float(target), "phi": phi, "tau2": tau2, "adjusted": bool(adjusted),
            "units": out_units}


def ascof_extract(measure, out_name):
    rows = {}
    path = os.path.join(REAL, "ascof_2020-21_open_data_nhsdigital.csv")
    with open(path, encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            if (r["ASCOF Measure Code"] != measure or r["Disaggregation Level"] != "Total"
                    or r["Geographical Level"] != "Council"):
                continue
            if r["Measure Type"] in ("Numerator", "Denominator"):
                rows.setdefault(r["ONS Code"], {})[r["Measure Type"]] = r["Measure Value"]
    units, num, den = [], [], []
    with open(os.path.join(HERE, out_name), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["unit", "numerator", "denominator"])
        for code in sorted(rows):
            nv, dv = rows[code].get("Numerator", "[x]"), rows[code].get("Denominator", "[x]")
            # "[x]" = not available: written as an empty (missing) field.
            nv = "" if nv == "[x]" else nv
            dv = "" if dv == "[x]" else dv
            w.writerow([code, nv, dv])
            units.append(code)
            num.append(float(nv) if nv else None)
            den.append(float(dv) if dv else None)
    return units, num, den


def funnel():
    units = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L"]
    num = [45, 120, 12, 300, 80, 66, 150, 9, 210, 33, 95, 140]
    den = [60, 150, 20, 380, 100, 90, 170, 15, 260, 40, 140, 160]
    obs = [12, 30, 8, 55, 20, 0, 41, 15, 5, 27]
    exp_ = [10.2, 28.5, 11.0, 40.3, 21.7, 3.1, 38.8, 14.2, 6.6, 25.0]
    cases = [
        funnel_case("proportion_tau2", units, num, den),
        funnel_case("proportion_phi", units, num, den, adjust="phi"),
        funnel_case("proportion_none", units, num, den, adjust="none"),
        funnel_case("proportion_exact", units, num, den, adjust="none", exact=True),
        funnel_case("proportion_none_95", units, num, den, adjust="none", at998=False),
        funnel_case("proportion_zero_and_full", ["a", "b", "c", "d", "e"], [0, 10, 4, 5, 3],
                    [10, 10, 0, 9, 8], adjust="none"),
        funnel_case("ratio_tau2", units[:10], obs, exp_, type_="ratio"),
        funnel_case("ratio_none", units[:10], obs, exp_, type_="ratio", adjust="none"),
        funnel_case("ratio_phi", units[:10], obs, exp_, type_="ratio", adjust="phi"),
    ]
    write_json("funnel.json", cases)
    real = []
    for measure, fname in [("1C1A", "ascof_1c1a_2020-21.csv"), ("2B1", "ascof_2b1_2020-21.csv")]:
        u, n_, d_ = ascof_extract(measure, fname)
        for adjust in ("tau2", "none"):
            case = funnel_case(f"ascof_{measure}_{adjust}", u, n_, d_, adjust=adjust)
            case["file"] = fname
            real.append(case)
        case = funnel_case(f"ascof_{measure}_exact", u, n_, d_, adjust="none", exact=True)
        case["file"] = fname
        real.append(case)
    write_json("ascof_funnel.json", real)


if __name__ == "__main__":
    intervals()
    forecasts()
    spc()
    funnel()
