-- intensive-home-care (PAF C28): people with at least one Monday-Sunday week
-- whose Monday falls in the period with more than 600 minutes of home-care
-- visits and 6 or more of them; each person once, in the unit of their
-- latest visit in such a week (on the same day, the lowest visit id).
WITH hc AS (
  SELECT v.person_id, v.visit_id, v.visit_on, v.org_unit_id, date_trunc('week', v.visit_on)::date AS monday,
         SUM(v.minutes) OVER week AS week_minutes, COUNT(*) OVER week AS week_visits
  FROM visits v JOIN services s ON s.service_id = v.service_id
  WHERE s.service_type = 'home_care'
  WINDOW week AS (PARTITION BY v.person_id, date_trunc('week', v.visit_on)::date)),
cases AS (
  SELECT period, org_unit_id FROM (
    SELECT m.period, hc.org_unit_id,
           ROW_NUMBER() OVER (PARTITION BY m.period, hc.person_id ORDER BY hc.visit_on DESC, hc.visit_id) AS rn
    FROM hc JOIN months m ON hc.monday BETWEEN m.ps AND m.pe
    WHERE hc.week_minutes > 600 AND hc.week_visits >= 6) AS ranked
  WHERE rn = 1)
-- Every month x org unit (a case counts in its unit and every unit above it).
SELECT 'intensive-home-care', m.period, o.org_unit_id, COALESCE(a.n, 0), NULL
FROM months m CROSS JOIN org_units o
LEFT JOIN (SELECT c.period, oc.ancestor AS org_unit_id, COUNT(*) AS n
           FROM cases c JOIN org_closure oc ON oc.unit = c.org_unit_id
           GROUP BY c.period, oc.ancestor) a
  ON a.period = m.period AND a.org_unit_id = o.org_unit_id
ORDER BY m.period, o.seq;
