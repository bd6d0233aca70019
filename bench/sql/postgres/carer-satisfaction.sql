-- carer-satisfaction: of sace respondents in the period answering q_satisfaction 1-7, those answering 1 or 2.
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
         MAX(CASE WHEN item = 'q_satisfaction' THEN a END) AS q
  FROM answers r GROUP BY r.person_id, r.instrument, r.collected_on),
cases AS (
  SELECT m.period, r.org_unit_id, r.q IN (1, 2) AS num
  FROM respondents r JOIN months m ON r.collected_on BETWEEN m.ps AND m.pe
  WHERE r.q BETWEEN 1 AND 7)
-- Every month x org unit (a case counts in its unit and every unit above it).
SELECT 'carer-satisfaction', m.period, o.org_unit_id, COALESCE(a.num, 0), COALESCE(a.den, 0)
FROM months m CROSS JOIN org_units o
LEFT JOIN (SELECT c.period, oc.ancestor AS org_unit_id, COUNT(*) FILTER (WHERE c.num) AS num, COUNT(*) AS den
           FROM cases c JOIN org_closure oc ON oc.unit = c.org_unit_id
           GROUP BY c.period, oc.ancestor) a
  ON a.period = m.period AND a.org_unit_id = o.org_unit_id
ORDER BY m.period, o.seq;
