-- outcome-improved: of follow_up measures (person, instrument, day) in the
-- period with an earlier baseline of the same instrument, those whose total
-- (the sum of its domain scores) exceeds the total of the latest earlier
-- baseline. In the unit of the measure's lowest measure id.
WITH follow_ups AS (
  SELECT m.period, o.person_id, o.instrument, o.measured_on, SUM(o.score) AS total,
         (SELECT f.org_unit_id FROM outcome_measures f
          WHERE f.person_id = o.person_id AND f.instrument = o.instrument AND f.stage = 'follow_up'
            AND f.measured_on = o.measured_on
          ORDER BY f.measure_id, f.domain LIMIT 1) AS org_unit_id
  FROM outcome_measures o JOIN months m ON o.measured_on BETWEEN m.ps AND m.pe
  WHERE o.stage = 'follow_up'
  GROUP BY m.period, o.person_id, o.instrument, o.measured_on),
with_baseline AS (
  SELECT f.*,
         (SELECT MAX(b.measured_on) FROM outcome_measures b
          WHERE b.person_id = f.person_id AND b.instrument = f.instrument AND b.stage = 'baseline'
            AND b.measured_on < f.measured_on) AS baseline_on
  FROM follow_ups f),
cases AS (
  SELECT w.period, w.org_unit_id,
         w.total > (SELECT SUM(b.score) FROM outcome_measures b
                    WHERE b.person_id = w.person_id AND b.instrument = w.instrument AND b.stage = 'baseline'
                      AND b.measured_on = w.baseline_on) AS num
  FROM with_baseline w WHERE w.baseline_on IS NOT NULL)
-- Every month x org unit (a case counts in its unit and every unit above it).
SELECT 'outcome-improved', m.period, o.org_unit_id, COALESCE(a.num, 0), COALESCE(a.den, 0)
FROM months m CROSS JOIN org_units o
LEFT JOIN (SELECT c.period, oc.ancestor AS org_unit_id, SUM(c.num) AS num, COUNT(*) AS den
           FROM cases c JOIN org_closure oc ON oc.unit = c.org_unit_id
           GROUP BY c.period, oc.ancestor) a
  ON a.period = m.period AND a.org_unit_id = o.org_unit_id
ORDER BY m.period, o.seq;
