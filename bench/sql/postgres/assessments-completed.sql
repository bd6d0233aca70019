-- assessments-completed: assessments with completed_on in the period.
WITH cases AS (
  SELECT m.period, a.org_unit_id
  FROM assessments a JOIN months m ON a.completed_on BETWEEN m.ps AND m.pe)
-- Every month x org unit (a case counts in its unit and every unit above it).
SELECT 'assessments-completed', m.period, o.org_unit_id, COALESCE(a.n, 0), NULL
FROM months m CROSS JOIN org_units o
LEFT JOIN (SELECT c.period, oc.ancestor AS org_unit_id, COUNT(*) AS n
           FROM cases c JOIN org_closure oc ON oc.unit = c.org_unit_id
           GROUP BY c.period, oc.ancestor) a
  ON a.period = m.period AND a.org_unit_id = o.org_unit_id
ORDER BY m.period, o.seq;
