#pragma once
// A team's cases needing action (issue 10, team report), read from the
// snapshot at a date: person-level tables (Table::person_level), shown only
// in the team report and to dashboard roles allowed to see persons, and
// logged when shown (render.h LogPersonLevelViews). A case belongs to the
// team when its record's org_unit_id is the team or a unit below it.
//   - reviews overdue: a long-term service active at the date and no review
//     completed in the 365 days to it (the reviews-12m criterion);
//   - assessments open (started, not completed by the date) within
//     warn_days of the deadline after the request's received_on, or past it;
//   - personal budgets active at the date missing any of the three criteria
//     (a date empty or after the date): the pb-share criteria;
//   - carers supported in the 365 days to the date (a carer or joint
//     assessment completed, or a service with a hub_intervention) without
//     an emergency plan agreed by the date (carer-emergency-plan).
// Pure functions of the analysis.

#include "report/analysis.h"
#include "report/document.h"

namespace goldthread::report {

Table ReviewsOverdue(const Analysis& a, int32_t team, Date as_at);
Table AssessmentsNearDeadline(const Analysis& a, int32_t team, Date as_at, int deadline_days = 28, int warn_days = 7);
Table BudgetsMissingCriterion(const Analysis& a, int32_t team, Date as_at);
Table CarersWithoutEmergencyPlan(const Analysis& a, int32_t team, Date as_at);

}  // namespace goldthread::report
