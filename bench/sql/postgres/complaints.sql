-- complaints: feedback rows of kind complaint received in the period.
WITH cases AS (
  SELECT m.period, f.org_unit_id
  FROM feedback f JOIN months m ON f.received_on BETWEEN m.ps AND m.pe
  WHERE f.kind = 'complaint')
-- Every month x org unit (a case counts in its unit and every unit above it).
SELECT 'complaints', m.period, o.org_unit_id, COALESCE(a.n, 0), NULL
FROM months m CROSS JOIN org_units o
LEFT JOIN (SELECT c.period, oc.ancestor AS org_unit_id, COUNT(*) AS n
           FROM cases c JOIN org_closure oc ON oc.unit = c.org_unit_id
           GROUP BY c.period, oc.ancestor) a
  ON a.period = m.period AND a.org_unit_id = o.org_unit_id
ORDER BY m.period, o.seq;
