-- plan-with-review-date: of people with a long-term service active at the
-- period end, those whose latest support plan agreed on or before the period
-- end has a review_due_on, copy_given = Y and contact_named = Y (of several
-- agreed that latest day, one with all three is enough).
WITH pop AS (
  SELECT period, pe, person_id, org_unit_id FROM (
    SELECT m.period, m.pe, s.person_id, s.org_unit_id,
           ROW_NUMBER() OVER (PARTITION BY m.period, s.person_id ORDER BY s.start_on DESC, s.service_id) AS rn
    FROM services s JOIN months m ON s.start_on <= m.pe AND (s.end_on IS NULL OR s.end_on >= m.pe)
    WHERE s.term = 'long') AS ranked
  WHERE rn = 1),
cases AS (
  SELECT p.period, p.org_unit_id,
         EXISTS (SELECT 1 FROM support_plans sp WHERE sp.person_id = p.person_id
                 AND sp.agreed_on = (SELECT MAX(l.agreed_on) FROM support_plans l
                                     WHERE l.person_id = p.person_id AND l.agreed_on <= p.pe)
                 AND sp.review_due_on IS NOT NULL AND sp.copy_given = 'Y' AND sp.contact_named = 'Y') AS num
  FROM pop p)
-- Every month x org unit (a case counts in its unit and every unit above it).
SELECT 'plan-with-review-date', m.period, o.org_unit_id, COALESCE(a.num, 0), COALESCE(a.den, 0)
FROM months m CROSS JOIN org_units o
LEFT JOIN (SELECT c.period, oc.ancestor AS org_unit_id, COUNT(*) FILTER (WHERE c.num) AS num, COUNT(*) AS den
           FROM cases c JOIN org_closure oc ON oc.unit = c.org_unit_id
           GROUP BY c.period, oc.ancestor) a
  ON a.period = m.period AND a.org_unit_id = o.org_unit_id
ORDER BY m.period, o.seq;
