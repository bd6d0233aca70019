-- The months computed, :from to :to (YYYY-MM), each with its first day (ps)
-- and last day (pe). psql -v from=2024-10 -v to=2026-09 -f months.sql
DROP TABLE IF EXISTS months;
CREATE TABLE months (period text PRIMARY KEY, ps date, pe date);
INSERT INTO months
SELECT to_char(ps, 'YYYY-MM'), ps, (ps + interval '1 month' - interval '1 day')::date
FROM generate_series(to_date(:'from', 'YYYY-MM'), to_date(:'to', 'YYYY-MM'), interval '1 month') AS g (ps);
ANALYZE months;
