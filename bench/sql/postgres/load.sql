-- The canonical CSV files (shared/DESIGN.md section 3) loaded into plain
-- PostgreSQL tables, as an analyst with psql would: typed columns (dates as
-- date, Y/N and codes as text), \copy ... csv header (an empty field is
-- NULL), a birth month YYYY-MM taken as its first day, and an index on each
-- table's person_id (the joins an analyst's queries make). The database is
-- created with the C collation, so ids sort as in goldthread (byte order).
-- Run in the data folder: psql -f load.sql. Only the tables the built-in
-- indicators read are loaded.
\set ON_ERROR_STOP on
CREATE TABLE org_units (seq serial, org_unit_id text PRIMARY KEY, parent_id text, name text, kind text);
\copy org_units (org_unit_id, parent_id, name, kind) from 'org_units.csv' with (format csv, header true)

CREATE TABLE people (person_id text PRIMARY KEY, role text, birth_text text, sex text, ethnicity text, area text,
                     primary_support_reason text, employment text, groups text);
\copy people from 'people.csv' with (format csv, header true)
ALTER TABLE people ADD COLUMN birth_date date;
UPDATE people SET birth_date = CASE WHEN length(birth_text) = 7 THEN to_date(birth_text, 'YYYY-MM')
                                    ELSE birth_text::date END;

CREATE TABLE requests (request_id text PRIMARY KEY, person_id text, first_contact_on date, received_on date,
                       route text, outcome text, closed_on date,
                       org_unit_id text, worker_id text, recorded_at text, recorded_by text);
\copy requests from 'requests.csv' with (format csv, header true)

CREATE TABLE assessments (assessment_id text PRIMARY KEY, person_id text, request_id text, kind text,
                          started_on date, completed_on date, eligible text,
                          org_unit_id text, worker_id text, recorded_at text, recorded_by text);
\copy assessments from 'assessments.csv' with (format csv, header true)

CREATE TABLE support_plans (plan_id text PRIMARY KEY, person_id text, agreed_on date, outcomes_agreed integer,
                            review_due_on date, copy_given text, contact_named text,
                            org_unit_id text, worker_id text, recorded_at text, recorded_by text);
\copy support_plans from 'support_plans.csv' with (format csv, header true)

CREATE TABLE services (service_id text PRIMARY KEY, person_id text, service_type text, hub_intervention text,
                       setting text, term text, delivery text, start_on date, end_on date,
                       planned_hours_week numeric, weekly_cost numeric, provider_id text,
                       org_unit_id text, worker_id text, recorded_at text, recorded_by text);
\copy services from 'services.csv' with (format csv, header true)

CREATE TABLE visits (visit_id text PRIMARY KEY, person_id text, service_id text, visit_on date, minutes integer,
                     org_unit_id text, worker_id text, recorded_at text, recorded_by text);
\copy visits from 'visits.csv' with (format csv, header true)

CREATE TABLE personal_budgets (budget_id text PRIMARY KEY, person_id text, annual_amount numeric,
                               allocation_informed_on date, plan_agreed_on date, choice_confirmed_on date,
                               start_on date, end_on date, recorded_as_budget text,
                               org_unit_id text, worker_id text, recorded_at text, recorded_by text);
\copy personal_budgets from 'personal_budgets.csv' with (format csv, header true)

CREATE TABLE reviews (review_id text PRIMARY KEY, person_id text, kind text, due_on date, completed_on date,
                      outcomes_achieved text, org_unit_id text, worker_id text, recorded_at text, recorded_by text);
\copy reviews from 'reviews.csv' with (format csv, header true)

CREATE TABLE hospital_episodes (episode_id text PRIMARY KEY, person_id text, admitted_on date, discharged_on date,
                                emergency text, discharge_destination text,
                                org_unit_id text, worker_id text, recorded_at text, recorded_by text);
\copy hospital_episodes from 'hospital_episodes.csv' with (format csv, header true)

CREATE TABLE care_home_admissions (admission_id text PRIMARY KEY, person_id text, admitted_on date, permanent text,
                                   reason text, org_unit_id text, worker_id text, recorded_at text, recorded_by text);
\copy care_home_admissions from 'care_home_admissions.csv' with (format csv, header true)

CREATE TABLE emergency_plans (plan_id text PRIMARY KEY, person_id text, agreed_on date, reviewed_on date,
                              org_unit_id text, worker_id text, recorded_at text, recorded_by text);
\copy emergency_plans from 'emergency_plans.csv' with (format csv, header true)

CREATE TABLE survey_responses (response_id text, person_id text, instrument text, collected_on date, item text,
                               answer numeric, org_unit_id text, worker_id text, recorded_at text, recorded_by text,
                               PRIMARY KEY (response_id, item));
\copy survey_responses from 'survey_responses.csv' with (format csv, header true)

CREATE TABLE outcome_measures (measure_id text, person_id text, instrument text, measured_on date, stage text,
                               domain text, score numeric, org_unit_id text, worker_id text, recorded_at text,
                               recorded_by text, PRIMARY KEY (measure_id, domain));
\copy outcome_measures from 'outcome_measures.csv' with (format csv, header true)

CREATE TABLE case_audits (audit_id text, person_id text, audited_on date, item text, result text,
                          org_unit_id text, worker_id text, recorded_at text, recorded_by text,
                          PRIMARY KEY (audit_id, item));
\copy case_audits from 'case_audits.csv' with (format csv, header true)

CREATE TABLE feedback (feedback_id text PRIMARY KEY, person_id text, kind text, received_on date, resolved_on date,
                       org_unit_id text, worker_id text, recorded_at text, recorded_by text);
\copy feedback from 'feedback.csv' with (format csv, header true)

CREATE TABLE populations (area text, year integer, age_band text, sex text, count integer);
\copy populations from 'populations.csv' with (format csv, header true)

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
CREATE TABLE org_closure (unit text, ancestor text, PRIMARY KEY (unit, ancestor));
INSERT INTO org_closure
WITH RECURSIVE up (unit, ancestor) AS (
  SELECT org_unit_id, org_unit_id FROM org_units
  UNION
  SELECT up.unit, o.parent_id FROM up JOIN org_units o ON o.org_unit_id = up.ancestor WHERE o.parent_id IS NOT NULL)
SELECT unit, ancestor FROM up;
VACUUM ANALYZE;
