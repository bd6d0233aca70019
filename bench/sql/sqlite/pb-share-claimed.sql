-- pb-share-claimed: the same population; those with a personal budget
-- active at the period end recorded_as_budget = Y (what the case system claims).
WITH pop AS (
  SELECT period, pe, person_id, org_unit_id FROM (
    SELECT m.period, m.pe, s.person_id, s.org_unit_id,
           ROW_NUMBER() OVER (PARTITION BY m.period, s.person_id ORDER BY s.start_on DESC, s.service_id) AS rn
    FROM services s JOIN months m ON s.start_on <= m.pe AND (s.end_on IS NULL OR s.end_on >= m.pe)
    WHERE s.term = 'long' AND s.setting = 'community') AS ranked
  WHERE rn = 1),
cases AS (
  SELECT p.period, p.org_unit_id,
         EXISTS (SELECT 1 FROM personal_budgets b WHERE b.person_id = p.person_id
                 AND b.start_on <= p.pe AND (b.end_on IS NULL OR b.end_on >= p.pe)
                 AND b.recorded_as_budget = 'Y') AS num
  FROM pop p)
-- Every month x org unit (a case counts in its unit and every unit above it).
SELECT 'pb-share-claimed', m.period, o.org_unit_id, COALESCE(a.num, 0), COALESCE(a.den, 0)
FROM months m CROSS JOIN org_units o
LEFT JOIN (SELECT c.period, oc.ancestor AS org_unit_id, SUM(c.num) AS num, COUNT(*) AS den
           FROM cases c JOIN org_closure oc ON oc.unit = c.org_unit_id
           GROUP BY c.period, oc.ancestor) a
  ON a.period = m.period AND a.org_unit_id = o.org_unit_id
ORDER BY m.period, o.seq;
