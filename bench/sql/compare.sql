-- Compares goldthread's figures (compute --json, group "all") with the
-- SQLite and PostgreSQL queries' (CSV: indicator, period, org_unit,
-- numerator, denominator), figure by figure. Run by compare.sh in its work
-- folder with @json naming goldthread's JSON; reads sqlite.csv and
-- postgres.csv (either may be empty), writes differences.csv and prints one
-- line per indicator: id|figures|SQLite differences|PostgreSQL differences.
CREATE TEMP TABLE gt AS
SELECT json_extract(i.value, '$.id') AS ind, json_extract(s.value, '$.period') AS period,
       json_extract(s.value, '$.org_unit') AS org, json_extract(s.value, '$.numerator') AS num,
       json_extract(s.value, '$.denominator') AS den
FROM json_each(readfile(@json), '$.indicators') AS i, json_each(i.value, '$.series') AS s
WHERE json_extract(s.value, '$.group') = 'all';

CREATE TEMP TABLE sq (ind TEXT, period TEXT, org TEXT, num NUMERIC, den NUMERIC);
CREATE TEMP TABLE pg (ind TEXT, period TEXT, org TEXT, num NUMERIC, den NUMERIC);
.mode csv
.import --schema temp sqlite.csv sq
.import --schema temp postgres.csv pg
UPDATE sq SET den = NULL WHERE den = '';
UPDATE pg SET den = NULL WHERE den = '';

CREATE TEMP TABLE engine_figures AS
SELECT 'sqlite' AS engine, * FROM sq UNION ALL SELECT 'postgres', * FROM pg;
CREATE INDEX temp.gt_key ON gt (ind, period, org);
CREATE INDEX temp.engine_key ON engine_figures (engine, ind, period, org);

-- A figure differs when one side lacks it or a number is not equal (12 and
-- 12.0 are equal; an absent denominator equals only an absent one). Written
-- without FULL OUTER JOIN, which SQLite 3.40 gets wrong with ORDER BY over
-- a view (rows listed as differing that are equal).
CREATE TEMP TABLE diffs AS
SELECT x.engine, g.ind, g.period, g.org, g.num AS gt_num, g.den AS gt_den, e.num AS sql_num, e.den AS sql_den
FROM (SELECT 'sqlite' AS engine UNION ALL SELECT 'postgres') AS x
CROSS JOIN gt g
LEFT JOIN engine_figures e ON e.engine = x.engine AND e.ind = g.ind AND e.period = g.period AND e.org = g.org
WHERE EXISTS (SELECT 1 FROM engine_figures f WHERE f.engine = x.engine)
  AND (e.ind IS NULL OR g.num IS NOT e.num OR g.den IS NOT e.den)
UNION ALL
SELECT e.engine, e.ind, e.period, e.org, NULL, NULL, e.num, e.den
FROM engine_figures e
WHERE NOT EXISTS (SELECT 1 FROM gt g WHERE g.ind = e.ind AND g.period = e.period AND g.org = e.org);

.headers on
.output differences.csv
SELECT * FROM diffs ORDER BY engine, ind, period, org;
.output stdout
.headers off
.mode list
SELECT i.ind, (SELECT COUNT(*) FROM gt g WHERE g.ind = i.ind),
       (SELECT COUNT(*) FROM diffs d WHERE d.engine = 'sqlite' AND d.ind = i.ind),
       (SELECT COUNT(*) FROM diffs d WHERE d.engine = 'postgres' AND d.ind = i.ind)
FROM (SELECT ind FROM gt UNION SELECT ind FROM sq UNION SELECT ind FROM pg) AS i ORDER BY i.ind;
