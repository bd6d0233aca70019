-- care-home-admissions-65 (ASCOF 2A(2)): permanent care-home admissions of
-- people aged 65+ (at the admission) in the period, per 100,000 residents
-- aged 65+ (populations.csv, the latest year on or before the year the
-- period ends in). For the council (the root) only: residents are counted by
-- area, not by team. Numerator: admissions; denominator: residents.
WITH cases AS (
  SELECT m.period, c.org_unit_id
  FROM care_home_admissions c
  JOIN months m ON c.admitted_on BETWEEN m.ps AND m.pe
  JOIN people p ON p.person_id = c.person_id
  WHERE c.permanent = 'Y'
    AND date_part('year', age(c.admitted_on, p.birth_date)) >= 65),
residents AS (
  SELECT m.period, SUM(p.count) AS n
  FROM months m JOIN populations p
    ON substring(p.age_band from '^[0-9]+')::integer >= 65
   AND p.year = (SELECT MAX(year) FROM populations q
                 WHERE substring(q.age_band from '^[0-9]+')::integer >= 65 AND q.year <= date_part('year', m.pe))
  GROUP BY m.period)
SELECT 'care-home-admissions-65', m.period, o.org_unit_id, COALESCE(a.n, 0), COALESCE(r.n, 0)
FROM months m CROSS JOIN org_units o
LEFT JOIN (SELECT c.period, oc.ancestor AS org_unit_id, COUNT(*) AS n
           FROM cases c JOIN org_closure oc ON oc.unit = c.org_unit_id
           GROUP BY c.period, oc.ancestor) a
  ON a.period = m.period AND a.org_unit_id = o.org_unit_id
LEFT JOIN residents r ON r.period = m.period
WHERE o.parent_id IS NULL
ORDER BY m.period, o.seq;
