-- carers-supported: carers with a carer (or joint) assessment completed in
-- the period, or a service with a hub_intervention active in the period.
-- Each person once, in the unit of their latest such record (by completed_on
-- or start_on; on the same day the assessment, then the lowest id).
WITH ways AS (
  SELECT m.period, a.person_id, a.completed_on AS d, 0 AS way, a.assessment_id AS id, a.org_unit_id
  FROM assessments a JOIN months m ON a.completed_on BETWEEN m.ps AND m.pe
  WHERE a.kind IN ('carer', 'joint')
  UNION ALL
  SELECT m.period, s.person_id, s.start_on, 1, s.service_id, s.org_unit_id
  FROM services s JOIN months m ON s.start_on <= m.pe AND (s.end_on IS NULL OR s.end_on >= m.ps)
  WHERE s.hub_intervention IS NOT NULL),
cases AS (
  SELECT period, org_unit_id FROM (
    SELECT period, org_unit_id,
           ROW_NUMBER() OVER (PARTITION BY period, person_id ORDER BY d DESC, way, id) AS rn
    FROM ways) AS ranked
  WHERE rn = 1)
-- Every month x org unit (a case counts in its unit and every unit above it).
SELECT 'carers-supported', m.period, o.org_unit_id, COALESCE(a.n, 0), NULL
FROM months m CROSS JOIN org_units o
LEFT JOIN (SELECT c.period, oc.ancestor AS org_unit_id, COUNT(*) AS n
           FROM cases c JOIN org_closure oc ON oc.unit = c.org_unit_id
           GROUP BY c.period, oc.ancestor) a
  ON a.period = m.period AND a.org_unit_id = o.org_unit_id
ORDER BY m.period, o.seq;
