-- The canonical CSV files (shared/DESIGN.md section 3) loaded into plain
-- SQLite tables, as an analyst with the sqlite3 shell would: the file as
-- text (its header row naming the columns), then typed columns with empty
-- fields as NULL, dates as ISO text
-- (YYYY-MM-DD sorts and compares as text), a birth month YYYY-MM taken as
-- its first day, and an index on each table's person_id (the joins an
-- analyst's queries make). Run in the data folder:
--   sqlite3 council.sqlite < load.sql
-- Only the tables the built-in indicators read are loaded.
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
.mode csv

.import org_units.csv raw_org_units
.import people.csv raw_people
.import requests.csv raw_requests
.import assessments.csv raw_assessments
.import support_plans.csv raw_support_plans
.import services.csv raw_services
.import visits.csv raw_visits
.import personal_budgets.csv raw_personal_budgets
.import reviews.csv raw_reviews
.import hospital_episodes.csv raw_hospital_episodes
.import care_home_admissions.csv raw_care_home_admissions
.import emergency_plans.csv raw_emergency_plans
.import survey_responses.csv raw_survey_responses
.import outcome_measures.csv raw_outcome_measures
.import case_audits.csv raw_case_audits
.import feedback.csv raw_feedback
.import populations.csv raw_populations

-- seq keeps the file order: the first root in it is the council.
CREATE TABLE org_units (seq INTEGER PRIMARY KEY, org_unit_id TEXT UNIQUE, parent_id TEXT, name TEXT, kind TEXT);
INSERT INTO org_units (org_unit_id, parent_id, name, kind)
SELECT org_unit_id, NULLIF(parent_id, ''), name, kind FROM raw_org_units ORDER BY rowid;

CREATE TABLE people (person_id TEXT PRIMARY KEY, role TEXT, birth_date TEXT, sex TEXT, ethnicity TEXT,
                     area TEXT, primary_support_reason TEXT, employment TEXT, groups TEXT);
INSERT INTO people
SELECT person_id, role,
       CASE WHEN length(birth_date) = 7 THEN birth_date || '-01' ELSE NULLIF(birth_date, '') END,
       NULLIF(sex, ''), NULLIF(ethnicity, ''), NULLIF(area, ''), NULLIF(primary_support_reason, ''),
       NULLIF(employment, ''), NULLIF(groups, '')
FROM raw_people;

CREATE TABLE requests (request_id TEXT PRIMARY KEY, person_id TEXT, first_contact_on TEXT, received_on TEXT,
                       route TEXT, outcome TEXT, closed_on TEXT, org_unit_id TEXT);
INSERT INTO requests
SELECT request_id, person_id, NULLIF(first_contact_on, ''), received_on, NULLIF(route, ''), NULLIF(outcome, ''),
       NULLIF(closed_on, ''), org_unit_id
FROM raw_requests;

CREATE TABLE assessments (assessment_id TEXT PRIMARY KEY, person_id TEXT, request_id TEXT, kind TEXT,
                          started_on TEXT, completed_on TEXT, eligible TEXT, org_unit_id TEXT);
INSERT INTO assessments
SELECT assessment_id, person_id, NULLIF(request_id, ''), kind, NULLIF(started_on, ''), NULLIF(completed_on, ''),
       NULLIF(eligible, ''), org_unit_id
FROM raw_assessments;

CREATE TABLE support_plans (plan_id TEXT PRIMARY KEY, person_id TEXT, agreed_on TEXT, outcomes_agreed INTEGER,
                            review_due_on TEXT, copy_given TEXT, contact_named TEXT, org_unit_id TEXT);
INSERT INTO support_plans
SELECT plan_id, person_id, agreed_on, CAST(NULLIF(outcomes_agreed, '') AS INTEGER), NULLIF(review_due_on, ''),
       NULLIF(copy_given, ''), NULLIF(contact_named, ''), org_unit_id
FROM raw_support_plans;

CREATE TABLE services (service_id TEXT PRIMARY KEY, person_id TEXT, service_type TEXT, hub_intervention TEXT,
                       setting TEXT, term TEXT, delivery TEXT, start_on TEXT, end_on TEXT, org_unit_id TEXT);
INSERT INTO services
SELECT service_id, person_id, service_type, NULLIF(hub_intervention, ''), NULLIF(setting, ''), term,
       NULLIF(delivery, ''), start_on, NULLIF(end_on, ''), org_unit_id
FROM raw_services;

CREATE TABLE visits (visit_id TEXT PRIMARY KEY, person_id TEXT, service_id TEXT, visit_on TEXT, minutes INTEGER,
                     org_unit_id TEXT);
INSERT INTO visits
SELECT visit_id, person_id, NULLIF(service_id, ''), visit_on, CAST(minutes AS INTEGER), org_unit_id FROM raw_visits;

CREATE TABLE personal_budgets (budget_id TEXT PRIMARY KEY, person_id TEXT, allocation_informed_on TEXT,
                               plan_agreed_on TEXT, choice_confirmed_on TEXT, start_on TEXT, end_on TEXT,
                               recorded_as_budget TEXT, org_unit_id TEXT);
INSERT INTO personal_budgets
SELECT budget_id, person_id, NULLIF(allocation_informed_on, ''), NULLIF(plan_agreed_on, ''),
       NULLIF(choice_confirmed_on, ''), start_on, NULLIF(end_on, ''), recorded_as_budget, org_unit_id
FROM raw_personal_budgets;

CREATE TABLE reviews (review_id TEXT PRIMARY KEY, person_id TEXT, kind TEXT, due_on TEXT, completed_on TEXT,
                      outcomes_achieved TEXT, org_unit_id TEXT);
INSERT INTO reviews
SELECT review_id, person_id, kind, NULLIF(due_on, ''), NULLIF(completed_on, ''), NULLIF(outcomes_achieved, ''),
       org_unit_id
FROM raw_reviews;

CREATE TABLE hospital_episodes (episode_id TEXT PRIMARY KEY, person_id TEXT, admitted_on TEXT, discharged_on TEXT,
                                emergency TEXT, discharge_destination TEXT, org_unit_id TEXT);
INSERT INTO hospital_episodes
SELECT episode_id, person_id, admitted_on, NULLIF(discharged_on, ''), NULLIF(emergency, ''),
       NULLIF(discharge_destination, ''), org_unit_id
FROM raw_hospital_episodes;

CREATE TABLE care_home_admissions (admission_id TEXT PRIMARY KEY, person_id TEXT, admitted_on TEXT,
                                   permanent TEXT, reason TEXT, org_unit_id TEXT);
INSERT INTO care_home_admissions
SELECT admission_id, person_id, admitted_on, NULLIF(permanent, ''), NULLIF(reason, ''), org_unit_id
FROM raw_care_home_admissions;

CREATE TABLE emergency_plans (plan_id TEXT PRIMARY KEY, person_id TEXT, agreed_on TEXT, reviewed_on TEXT,
                              org_unit_id TEXT);
INSERT INTO emergency_plans
SELECT plan_id, person_id, agreed_on, NULLIF(reviewed_on, ''), org_unit_id FROM raw_emergency_plans;

CREATE TABLE survey_responses (response_id TEXT, person_id TEXT, instrument TEXT, collected_on TEXT, item TEXT,
                               answer REAL, org_unit_id TEXT, PRIMARY KEY (response_id, item));
INSERT INTO survey_responses
SELECT response_id, person_id, instrument, collected_on, item, CAST(NULLIF(answer, '') AS REAL), org_unit_id
FROM raw_survey_responses;

CREATE TABLE outcome_measures (measure_id TEXT, person_id TEXT, instrument TEXT, measured_on TEXT, stage TEXT,
                               domain TEXT, score REAL, org_unit_id TEXT, PRIMARY KEY (measure_id, domain));
INSERT INTO outcome_measures
SELECT measure_id, person_id, instrument, measured_on, stage, domain, CAST(NULLIF(score, '') AS REAL), org_unit_id
FROM raw_outcome_measures;

CREATE TABLE case_audits (audit_id TEXT, person_id TEXT, audited_on TEXT, item TEXT, result TEXT,
                          org_unit_id TEXT, PRIMARY KEY (audit_id, item));
INSERT INTO case_audits
SELECT audit_id, person_id, audited_on, item, NULLIF(result, ''), org_unit_id FROM raw_case_audits;

CREATE TABLE feedback (feedback_id TEXT PRIMARY KEY, person_id TEXT, kind TEXT, received_on TEXT,
                       resolved_on TEXT, org_unit_id TEXT);
INSERT INTO feedback
SELECT feedback_id, NULLIF(person_id, ''), kind, received_on, NULLIF(resolved_on, ''), org_unit_id FROM raw_feedback;

CREATE TABLE populations (area TEXT, year INTEGER, age_band TEXT, sex TEXT, count INTEGER);
INSERT INTO populations SELECT area, CAST(year AS INTEGER), age_band, sex, CAST(count AS INTEGER) FROM raw_populations;

DROP TABLE raw_org_units; DROP TABLE raw_people; DROP TABLE raw_requests; DROP TABLE raw_assessments;
DROP TABLE raw_support_plans; DROP TABLE raw_services; DROP TABLE raw_visits; DROP TABLE raw_personal_budgets;
DROP TABLE raw_reviews; DROP TABLE raw_hospital_episodes; DROP TABLE raw_care_home_admissions;
DROP TABLE raw_emergency_plans; DROP TABLE raw_survey_responses; DROP TABLE raw_outcome_measures;
DROP TABLE raw_case_audits; DROP TABLE raw_feedback; DROP TABLE raw_populations;

CREATE INDEX requests_person ON requests (person_id);
CREATE INDEX assessments_person ON assessments (person_id);
CREATE INDEX support_plans_person ON support_plans (person_id, agreed_on);
CREATE INDEX services_person ON services (person_id);
CREATE INDEX visits_person ON visits (person_id, visit_on);
CREATE INDEX personal_budgets_person ON personal_budgets (person_id);
CREATE INDEX reviews_person ON reviews (person_id, completed_on);
CREATE INDEX hospital_episodes_person ON hospital_episodes (person_id);
CREATE INDEX care_home_admissions_person ON care_home_admissions (person_id);
CREATE INDEX emergency_plans_person ON emergency_plans (person_id);
CREATE INDEX survey_responses_person ON survey_responses (person_id, instrument, collected_on);
CREATE INDEX outcome_measures_person ON outcome_measures (person_id, instrument, stage, measured_on);

-- Every unit and each unit above it (a case counts in its team and every
-- unit above it: docs/indicators.md, Output).
CREATE TABLE org_closure (unit TEXT, ancestor TEXT, PRIMARY KEY (unit, ancestor));
INSERT INTO org_closure
WITH RECURSIVE up (unit, ancestor) AS (
  SELECT org_unit_id, org_unit_id FROM org_units
  UNION
  SELECT up.unit, o.parent_id FROM up JOIN org_units o ON o.org_unit_id = up.ancestor WHERE o.parent_id IS NOT NULL)
SELECT unit, ancestor FROM up;
ANALYZE;
