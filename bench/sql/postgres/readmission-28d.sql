-- readmission-28d: of hospital discharges in the period (not those whose
-- destination is 'died'; an unknown destination counts), those followed by
-- another episode with an emergency admission on the discharge day up to 28
-- days after. One case per discharge.
WITH cases AS (
  SELECT m.period, h.org_unit_id,
         EXISTS (SELECT 1 FROM hospital_episodes r WHERE r.person_id = h.person_id
                 AND r.episode_id <> h.episode_id AND r.emergency = 'Y'
                 AND r.admitted_on BETWEEN h.discharged_on AND h.discharged_on + 28) AS num
  FROM hospital_episodes h JOIN months m ON h.discharged_on BETWEEN m.ps AND m.pe
  WHERE h.discharge_destination IS NULL OR h.discharge_destination <> 'died')
-- Every month x org unit (a case counts in its unit and every unit above it).
SELECT 'readmission-28d', m.period, o.org_unit_id, COALESCE(a.num, 0), COALESCE(a.den, 0)
FROM months m CROSS JOIN org_units o
LEFT JOIN (SELECT c.period, oc.ancestor AS org_unit_id, COUNT(*) FILTER (WHERE c.num) AS num, COUNT(*) AS den
           FROM cases c JOIN org_closure oc ON oc.unit = c.org_unit_id
           GROUP BY c.period, oc.ancestor) a
  ON a.period = m.period AND a.org_unit_id = o.org_unit_id
ORDER BY m.period, o.seq;
