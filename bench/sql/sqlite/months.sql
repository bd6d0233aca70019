-- The months computed, @from to @to (YYYY-MM), each with its first day (ps)
-- and last day (pe). sqlite3 -cmd ".parameter set @from '2024-10'" ...
DROP TABLE IF EXISTS months;
CREATE TABLE months (period TEXT PRIMARY KEY, ps TEXT, pe TEXT);
INSERT INTO months
WITH RECURSIVE m (ps) AS (
  SELECT @from || '-01'
  UNION ALL
  SELECT date(ps, '+1 month') FROM m WHERE ps < @to || '-01')
SELECT substr(ps, 1, 7), ps, date(ps, '+1 month', '-1 day') FROM m;
