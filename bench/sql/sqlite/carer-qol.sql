-- carer-qol (ASCOF 1D): mean quality-of-life score (0-12) of sace
-- respondents in the period who answered all six items 1-3: the sum of 3
-- minus each answer. Numerator: the sum of scores; denominator: respondents.
WITH answers AS (
  SELECT person_id, instrument, collected_on, item,
         CASE WHEN MIN(answer) = MAX(answer) AND COUNT(answer) = COUNT(*) THEN MIN(answer) END AS a
  FROM survey_responses s JOIN months m ON s.collected_on BETWEEN m.ps AND m.pe
  WHERE instrument = 'sace'
  GROUP BY person_id, instrument, collected_on, item),
respondents AS (
  SELECT r.person_id, r.collected_on,
         (SELECT s.org_unit_id FROM survey_responses s
          WHERE s.person_id = r.person_id AND s.instrument = r.instrument AND s.collected_on = r.collected_on
          ORDER BY s.response_id, s.item LIMIT 1) AS org_unit_id,
         MAX(CASE WHEN item = 'q_occupation' THEN a END) AS q1,
         MAX(CASE WHEN item = 'q_control' THEN a END) AS q2,
         MAX(CASE WHEN item = 'q_self_care' THEN a END) AS q3,
         MAX(CASE WHEN item = 'q_safety' THEN a END) AS q4,
         MAX(CASE WHEN item = 'q_social' THEN a END) AS q5,
         MAX(CASE WHEN item = 'q_support' THEN a END) AS q6
  FROM answers r GROUP BY r.person_id, r.instrument, r.collected_on),
cases AS (
  SELECT m.period, r.org_unit_id, (3 - q1) + (3 - q2) + (3 - q3) + (3 - q4) + (3 - q5) + (3 - q6) AS score
  FROM respondents r JOIN months m ON r.collected_on BETWEEN m.ps AND m.pe
  WHERE q1 BETWEEN 1 AND 3 AND q2 BETWEEN 1 AND 3 AND q3 BETWEEN 1 AND 3
    AND q4 BETWEEN 1 AND 3 AND q5 BETWEEN 1 AND 3 AND q6 BETWEEN 1 AND 3)
SELECT 'carer-qol', m.period, o.org_unit_id, COALESCE(a.total, 0), COALESCE(a.n, 0)
FROM months m CROSS JOIN org_units o
LEFT JOIN (SELECT c.period, oc.ancestor AS org_unit_id, SUM(c.score) AS total, COUNT(*) AS n
           FROM cases c JOIN org_closure oc ON oc.unit = c.org_unit_id
           GROUP BY c.period, oc.ancestor) a
  ON a.period = m.period AND a.org_unit_id = o.org_unit_id
ORDER BY m.period, o.seq;
