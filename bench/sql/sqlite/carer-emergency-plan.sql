-- carer-emergency-plan: of carers supported in the 12 months to the period
-- end, those with an emergency plan agreed on or before the period end.
WITH ways AS (
  SELECT m.period, m.pe, a.person_id, a.completed_on AS d, 0 AS way, a.assessment_id AS id, a.org_unit_id
  FROM assessments a JOIN months m ON a.completed_on BETWEEN date(m.pe, '-364 days') AND m.pe
  WHERE a.kind IN ('carer', 'joint')
  UNION ALL
  SELECT m.period, m.pe, s.person_id, s.start_on, 1, s.service_id, s.org_unit_id
  FROM services s JOIN months m ON s.start_on <= m.pe AND (s.end_on IS NULL OR s.end_on >= date(m.pe, '-364 days'))
  WHERE s.hub_intervention IS NOT NULL),
pop AS (
  SELECT period, pe, person_id, org_unit_id FROM (
    SELECT w.*, ROW_NUMBER() OVER (PARTITION BY w.period, w.person_id ORDER BY w.d DESC, w.way, w.id) AS rn
    FROM ways w) AS ranked
  WHERE rn = 1),
cases AS (
  SELECT p.period, p.org_unit_id,
         EXISTS (SELECT 1 FROM emergency_plans e WHERE e.person_id = p.person_id AND e.agreed_on <= p.pe) AS num
  FROM pop p)
-- Every month x org unit (a case counts in its unit and every unit above it).
SELECT 'carer-emergency-plan', m.period, o.org_unit_id, COALESCE(a.num, 0), COALESCE(a.den, 0)
FROM months m CROSS JOIN org_units o
LEFT JOIN (SELECT c.period, oc.ancestor AS org_unit_id, SUM(c.num) AS num, COUNT(*) AS den
           FROM cases c JOIN org_closure oc ON oc.unit = c.org_unit_id
           GROUP BY c.period, oc.ancestor) a
  ON a.period = m.period AND a.org_unit_id = o.org_unit_id
ORDER BY m.period, o.seq;
