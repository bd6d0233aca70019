#!/usr/bin/env bash
# The README's "Published data: how many council-years need explaining":
# imports every published file in DATA_DIR into one new store, runs
# `goldthread benchmark check` and counts, per source, the council-years,
# the changes judged (a council's Total figure for a measure in a year and
# in the measure's previous published year), the changes flagged by
# implausible_jump (high among them) and the erratic series.
#
#   bash scripts/published_jumps.sh build/release/src/cli/goldthread ../shared/data/real
#
# The 2020-21 open data goes first: the processed 2018-19 and 2019-20 files
# name measures only by description, and `benchmark import` maps those to
# codes through the descriptions already stored (otherwise their measures
# are not the same series as 2020-21's). Needs the sqlite3 shell
# (scripts/setup.sh installs it). Writes only into a temporary directory.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 GOLDTHREAD DATA_DIR" >&2
  exit 2
fi
gt=$(realpath "$1")
data=$(realpath "$2")
work=$(mktemp -d "${TMPDIR:-/tmp}/published_jumps.XXXXXX")
trap 'rm -rf "$work"' EXIT
store="$work/published.db"

"$gt" benchmark import "$store" "$data/ascof_2020-21_open_data_nhsdigital.csv" --year 2020-21
"$gt" benchmark import "$store" "$data/ascof_2019-20_processed_ericyang.csv" --year 2019-20
"$gt" benchmark import "$store" "$data/ascof_2018-19_processed_ericyang.csv" --year 2018-19
for f in "$data"/oflog_asc_measures_by_la_*.csv "$data"/trafford_lginform_*.csv; do
  "$gt" benchmark import "$store" "$f"
done
"$gt" benchmark check "$store" --json "$work/findings.json" | tail -n 1

sqlite3 -header -column "$store" <<SQL
WITH v AS (
  SELECT measure, ons_code, year,
         CASE WHEN source LIKE 'ascof%' THEN 'ASCOF' WHEN source LIKE 'oflog%' THEN 'Oflog' ELSE 'LG Inform' END AS src
  FROM published_measures WHERE disaggregation = 'Total' AND measure_type = 'Outcome'),
p AS (
  SELECT measure, year, LAG(year) OVER (PARTITION BY measure ORDER BY year) AS prev
  FROM (SELECT DISTINCT measure, year FROM v)),
judged AS (
  SELECT cur.src FROM v cur
  JOIN p ON p.measure = cur.measure AND p.year = cur.year
  JOIN v old ON old.measure = cur.measure AND old.ons_code = cur.ons_code AND old.year = p.prev),
f AS (
  SELECT json_extract(value, '$.indicator') AS measure, json_extract(value, '$.org_unit') AS ons_code,
         json_extract(value, '$.evidence.dates[#-1]') AS year,
         json_extract(value, '$.statistic.name') AS stat, json_extract(value, '$.severity') AS severity
  FROM json_each(readfile('$work/findings.json'), '$.findings')
  WHERE json_extract(value, '$.check') = 'implausible_jump'),
fs AS (SELECT v.src, f.stat, f.severity FROM f JOIN v USING (measure, ons_code, year)),
per AS (
  SELECT src,
    (SELECT count(DISTINCT ons_code) FROM v WHERE v.src = s.src) AS councils,
    (SELECT count(*) FROM v WHERE v.src = s.src) AS council_years,
    (SELECT count(*) FROM judged WHERE judged.src = s.src) AS judged,
    (SELECT count(*) FROM fs WHERE fs.src = s.src AND stat = 'robust_z_of_change') AS flagged,
    (SELECT count(*) FROM fs WHERE fs.src = s.src AND stat = 'robust_z_of_change' AND severity = 'high') AS high,
    (SELECT count(*) FROM fs WHERE fs.src = s.src AND stat = 'extreme_changes') AS erratic
  FROM (SELECT DISTINCT src FROM v) s)
SELECT src AS source, councils, council_years, judged AS changes_judged, flagged,
       printf('%.1f%%', 100.0 * flagged / judged) AS share, high, erratic AS erratic_series FROM per
UNION ALL
SELECT 'all', (SELECT count(DISTINCT ons_code) FROM v), sum(council_years), sum(judged), sum(flagged),
       printf('%.1f%%', 100.0 * sum(flagged) / sum(judged)), sum(high), sum(erratic) FROM per;
SQL
