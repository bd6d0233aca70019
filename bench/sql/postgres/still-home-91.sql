-- still-home-91 (ASCOF 2B): of people aged 65+ (at the discharge) discharged
-- from hospital to reablement in the period, those with no permanent
-- care-home admission and no death (an episode discharged 'died') on the
-- discharge day up to 91 days after. One case per discharge.
WITH cases AS (
  SELECT m.period, h.org_unit_id,
         NOT EXISTS (SELECT 1 FROM care_home_admissions c WHERE c.person_id = h.person_id AND c.permanent = 'Y'
                     AND c.admitted_on BETWEEN h.discharged_on AND h.discharged_on + 91)
         AND NOT EXISTS (SELECT 1 FROM hospital_episodes d WHERE d.person_id = h.person_id
                         AND d.discharge_destination = 'died'
                         AND d.discharged_on BETWEEN h.discharged_on AND h.discharged_on + 91) AS num
  FROM hospital_episodes h
  JOIN months m ON h.discharged_on BETWEEN m.ps AND m.pe
  JOIN people p ON p.person_id = h.person_id
  WHERE h.discharge_destination = 'reablement'
    AND date_part('year', age(h.discharged_on, p.birth_date)) >= 65)
-- Every month x org unit (a case counts in its unit and every unit above it).
SELECT 'still-home-91', m.period, o.org_unit_id, COALESCE(a.num, 0), COALESCE(a.den, 0)
FROM months m CROSS JOIN org_units o
LEFT JOIN (SELECT c.period, oc.ancestor AS org_unit_id, COUNT(*) FILTER (WHERE c.num) AS num, COUNT(*) AS den
           FROM cases c JOIN org_closure oc ON oc.unit = c.org_unit_id
           GROUP BY c.period, oc.ancestor) a
  ON a.period = m.period AND a.org_unit_id = o.org_unit_id
ORDER BY m.period, o.seq;
