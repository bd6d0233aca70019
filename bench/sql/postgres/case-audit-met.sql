-- case-audit-met: of case-audit items (rows) audited in the period whose
-- result is not 'na', those 'met'.
WITH cases AS (
  SELECT m.period, c.org_unit_id, c.result = 'met' AS num
  FROM case_audits c JOIN months m ON c.audited_on BETWEEN m.ps AND m.pe
  WHERE c.result <> 'na')
-- Every month x org unit (a case counts in its unit and every unit above it).
SELECT 'case-audit-met', m.period, o.org_unit_id, COALESCE(a.num, 0), COALESCE(a.den, 0)
FROM months m CROSS JOIN org_units o
LEFT JOIN (SELECT c.period, oc.ancestor AS org_unit_id, COUNT(*) FILTER (WHERE c.num) AS num, COUNT(*) AS den
           FROM cases c JOIN org_closure oc ON oc.unit = c.org_unit_id
           GROUP BY c.period, oc.ancestor) a
  ON a.period = m.period AND a.org_unit_id = o.org_unit_id
ORDER BY m.period, o.seq;
