-- reviews-12m: of people with a long-term service active at the period end,
-- those with a review completed in the 365 days ending on the period end.
WITH pop AS (
  SELECT period, pe, person_id, org_unit_id FROM (
    SELECT m.period, m.pe, s.person_id, s.org_unit_id,
           ROW_NUMBER() OVER (PARTITION BY m.period, s.person_id ORDER BY s.start_on DESC, s.service_id) AS rn
    FROM services s JOIN months m ON s.start_on <= m.pe AND (s.end_on IS NULL OR s.end_on >= m.pe)
    WHERE s.term = 'long') AS ranked
  WHERE rn = 1),
cases AS (
  SELECT p.period, p.org_unit_id,
         EXISTS (SELECT 1 FROM reviews v WHERE v.person_id = p.person_id
                 AND v.completed_on BETWEEN p.pe - 364 AND p.pe) AS num
  FROM pop p)
-- Every month x org unit (a case counts in its unit and every unit above it).
SELECT 'reviews-12m', m.period, o.org_unit_id, COALESCE(a.num, 0), COALESCE(a.den, 0)
FROM months m CROSS JOIN org_units o
LEFT JOIN (SELECT c.period, oc.ancestor AS org_unit_id, COUNT(*) FILTER (WHERE c.num) AS num, COUNT(*) AS den
           FROM cases c JOIN org_closure oc ON oc.unit = c.org_unit_id
           GROUP BY c.period, oc.ancestor) a
  ON a.period = m.period AND a.org_unit_id = o.org_unit_id
ORDER BY m.period, o.seq;
