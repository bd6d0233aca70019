-- assessment-28d: of assessments completed in the period that have a
-- request, those completed on the request's received_on up to 28 days after.
WITH cases AS (
  SELECT m.period, a.org_unit_id,
         (a.completed_on >= r.received_on AND a.completed_on <= r.received_on + 28) AS num
  FROM assessments a
  JOIN months m ON a.completed_on BETWEEN m.ps AND m.pe
  LEFT JOIN requests r ON r.request_id = a.request_id
  WHERE a.request_id IS NOT NULL)
-- Every month x org unit (a case counts in its unit and every unit above it).
SELECT 'assessment-28d', m.period, o.org_unit_id, COALESCE(a.num, 0), COALESCE(a.den, 0)
FROM months m CROSS JOIN org_units o
LEFT JOIN (SELECT c.period, oc.ancestor AS org_unit_id, COUNT(*) FILTER (WHERE c.num) AS num, COUNT(*) AS den
           FROM cases c JOIN org_closure oc ON oc.unit = c.org_unit_id
           GROUP BY c.period, oc.ancestor) a
  ON a.period = m.period AND a.org_unit_id = o.org_unit_id
ORDER BY m.period, o.seq;
