#include "model/schema.h"

namespace goldthread {
namespace {

using SV = std::string_view;
using FT = FieldType;

// Closed code lists, exactly as shared/DESIGN.md section 3, which they may
// only extend (codes are appended, so stored codes keep their numbers):
// org-unit kinds gain `region` and `nation`, the levels above councils in a
// national data set (docs/import.md, "The org-unit tree").
constexpr SV kOrgKinds[] = {"council", "service", "team", "region", "nation"};
constexpr SV kRoles[] = {"service_user", "carer"};
constexpr SV kSexes[] = {"F", "M", "X", "U"};
constexpr SV kEthnicities[] = {"white", "mixed", "asian", "black", "other", "unknown"};
constexpr SV kSupportReasons[] = {"physical", "sensory", "memory_cognition", "learning_disability",
                                  "mental_health", "social_support", "unknown"};
constexpr SV kEmployment[] = {"full_time", "part_time", "not_working", "retired", "unknown"};
constexpr SV kGroups[] = {"bme", "refugee", "lgbt", "traveller", "distance", "young_adult"};
constexpr SV kRoutes[] = {"community", "hospital", "self", "gp", "other"};
constexpr SV kRequestOutcomes[] = {"assessment", "universal", "signposted", "no_further_action",
                                   "short_term", "long_term"};
constexpr SV kAssessmentKinds[] = {"needs", "carer", "joint"};
constexpr SV kServiceTypesArr[] = {"home_care", "day_care", "residential", "nursing",
                                   "reablement", "equipment", "carer_support", "other"};
constexpr SV kHub[] = {"emotional_support", "brokerage", "advocacy", "health_wellbeing",
                       "caring_training", "information", "shaping_services", "whole_family",
                       "education_1to1", "activities_clubs", "transitions", "emergency_support",
                       "breaks", "peer_community", "benefits_finance", "work_training", "housing"};
constexpr SV kSettings[] = {"community", "residential", "nursing"};
constexpr SV kTerms[] = {"long", "short"};
constexpr SV kDelivery[] = {"direct_payment", "managed_budget", "commissioned"};
constexpr SV kReviewKinds[] = {"planned", "unplanned"};
constexpr SV kOutcomesAchieved[] = {"Y", "N", "partly"};
constexpr SV kDestinations[] = {"home", "reablement", "care_home", "died", "other"};
constexpr SV kAdmissionReasons[] = {"needs", "carer_breakdown", "carer_emergency", "from_hospital",
                                    "other"};
constexpr SV kStages[] = {"baseline", "follow_up"};
constexpr SV kAuditResults[] = {"met", "not_met", "na"};
constexpr SV kFeedbackKinds[] = {"complaint", "compliment"};

#define LINEAGE                                                            \
  FieldSpec{"org_unit_id", FT::kRef, true, {}, TableId::kOrgUnits},        \
      FieldSpec{"worker_id", FT::kText, false}, FieldSpec{"recorded_at", FT::kTimestamp, false}, \
      FieldSpec{"recorded_by", FT::kText, false}

constexpr FieldSpec kOrgUnitFields[] = {
    {"org_unit_id", FT::kId, true},
    {"parent_id", FT::kRef, false, {}, TableId::kOrgUnits},
    {"name", FT::kText, true},
    {"kind", FT::kCode, true, kOrgKinds},
};
constexpr FieldSpec kPeopleFields[] = {
    {"person_id", FT::kId, true},
    {"role", FT::kCode, true, kRoles},
    {"birth_date", FT::kBirthDate, false},
    {"sex", FT::kCode, false, kSexes},
    {"ethnicity", FT::kCode, false, kEthnicities},
    {"area", FT::kText, false},
    {"primary_support_reason", FT::kCode, false, kSupportReasons},
    {"employment", FT::kCode, false, kEmployment},
    {"groups", FT::kCodeSet, false, kGroups},
};
constexpr FieldSpec kCareLinkFields[] = {
    {"carer_id", FT::kRef, true, {}, TableId::kPeople},
    {"cared_for_id", FT::kRef, true, {}, TableId::kPeople},
    {"start_date", FT::kDate, true},
    {"end_date", FT::kDate, false},
    {"hours_per_week", FT::kAmount, false},
};
constexpr FieldSpec kRequestFields[] = {
    {"request_id", FT::kId, true},
    {"person_id", FT::kRef, true, {}, TableId::kPeople},
    {"first_contact_on", FT::kDate, false},
    {"received_on", FT::kDate, true},
    {"route", FT::kCode, false, kRoutes},
    {"outcome", FT::kCode, false, kRequestOutcomes},
    {"closed_on", FT::kDate, false},
    LINEAGE,
};
constexpr FieldSpec kAssessmentFields[] = {
    {"assessment_id", FT::kId, true},
    {"person_id", FT::kRef, true, {}, TableId::kPeople},
    {"request_id", FT::kRef, false, {}, TableId::kRequests},
    {"kind", FT::kCode, true, kAssessmentKinds},
    {"started_on", FT::kDate, false},
    {"completed_on", FT::kDate, false},
    {"eligible", FT::kYesNo, false},
    LINEAGE,
};
constexpr FieldSpec kSupportPlanFields[] = {
    {"plan_id", FT::kId, true},
    {"person_id", FT::kRef, true, {}, TableId::kPeople},
    {"agreed_on", FT::kDate, true},
    {"outcomes_agreed", FT::kCount, false},
    {"review_due_on", FT::kDate, false},
    {"copy_given", FT::kYesNo, false},
    {"contact_named", FT::kYesNo, false},
    LINEAGE,
};
constexpr FieldSpec kServiceFields[] = {
    {"service_id", FT::kId, true},
    {"person_id", FT::kRef, true, {}, TableId::kPeople},
    {"service_type", FT::kCode, true, kServiceTypesArr},
    {"hub_intervention", FT::kCode, false, kHub},
    {"setting", FT::kCode, false, kSettings},
    {"term", FT::kCode, true, kTerms},
    {"delivery", FT::kCode, false, kDelivery},
    {"start_on", FT::kDate, true},
    {"end_on", FT::kDate, false},
    {"planned_hours_week", FT::kAmount, false},
    {"weekly_cost", FT::kAmount, false},
    {"provider_id", FT::kText, false},
    LINEAGE,
};
constexpr FieldSpec kVisitFields[] = {
    {"visit_id", FT::kId, true},
    {"person_id", FT::kRef, true, {}, TableId::kPeople},
    {"service_id", FT::kRef, false, {}, TableId::kServices},
    {"visit_on", FT::kDate, true},
    {"minutes", FT::kCount, true},
    LINEAGE,
};
constexpr FieldSpec kBudgetFields[] = {
    {"budget_id", FT::kId, true},
    {"person_id", FT::kRef, true, {}, TableId::kPeople},
    {"annual_amount", FT::kAmount, false},
    {"allocation_informed_on", FT::kDate, false},
    {"plan_agreed_on", FT::kDate, false},
    {"choice_confirmed_on", FT::kDate, false},
    {"start_on", FT::kDate, true},
    {"end_on", FT::kDate, false},
    {"recorded_as_budget", FT::kYesNo, true},
    LINEAGE,
};
constexpr FieldSpec kReviewFields[] = {
    {"review_id", FT::kId, true},
    {"person_id", FT::kRef, true, {}, TableId::kPeople},
    {"kind", FT::kCode, true, kReviewKinds},
    {"due_on", FT::kDate, false},
    {"completed_on", FT::kDate, false},
    {"outcomes_achieved", FT::kCode, false, kOutcomesAchieved},
    LINEAGE,
};
constexpr FieldSpec kEpisodeFields[] = {
    {"episode_id", FT::kId, true},
    {"person_id", FT::kRef, true, {}, TableId::kPeople},
    {"admitted_on", FT::kDate, true},
    {"discharged_on", FT::kDate, false},
    {"emergency", FT::kYesNo, false},
    {"discharge_destination", FT::kCode, false, kDestinations},
    LINEAGE,
};
constexpr FieldSpec kAdmissionFields[] = {
    {"admission_id", FT::kId, true},
    {"person_id", FT::kRef, true, {}, TableId::kPeople},
    {"admitted_on", FT::kDate, true},
    {"permanent", FT::kYesNo, true},
    {"reason", FT::kCode, false, kAdmissionReasons},
    LINEAGE,
};
constexpr FieldSpec kEmergencyPlanFields[] = {
    {"plan_id", FT::kId, true},
    {"person_id", FT::kRef, true, {}, TableId::kPeople},
    {"agreed_on", FT::kDate, true},
    {"reviewed_on", FT::kDate, false},
    LINEAGE,
};
// Long format: one row per answered item, so a response id repeats and the
// record key is (response_id, item).
constexpr FieldSpec kSurveyFields[] = {
    {"response_id", FT::kId, true},
    {"person_id", FT::kRef, true, {}, TableId::kPeople},
    {"instrument", FT::kText, true},
    {"collected_on", FT::kDate, true},
    {"item", FT::kText, true},
    {"answer", FT::kInt, true},
    LINEAGE,
};
constexpr FieldSpec kOutcomeFields[] = {
    {"measure_id", FT::kId, true},
    {"person_id", FT::kRef, true, {}, TableId::kPeople},
    {"instrument", FT::kText, true},
    {"measured_on", FT::kDate, true},
    {"stage", FT::kCode, true, kStages},
    {"domain", FT::kText, true},
    {"score", FT::kScore, true},
    LINEAGE,
};
constexpr FieldSpec kCaseAuditFields[] = {
    {"audit_id", FT::kId, true},
    {"person_id", FT::kRef, true, {}, TableId::kPeople},
    {"audited_on", FT::kDate, true},
    {"item", FT::kText, true},
    {"result", FT::kCode, true, kAuditResults},
    LINEAGE,
};
constexpr FieldSpec kFeedbackFields[] = {
    {"feedback_id", FT::kId, true},
    {"person_id", FT::kRef, false, {}, TableId::kPeople},
    {"kind", FT::kCode, true, kFeedbackKinds},
    {"received_on", FT::kDate, true},
    {"resolved_on", FT::kDate, false},
    LINEAGE,
};
constexpr FieldSpec kFinanceFields[] = {
    {"period", FT::kMonth, true},
    {"org_unit_id", FT::kRef, true, {}, TableId::kOrgUnits},
    {"service_type", FT::kCode, true, kServiceTypesArr},
    {"budget", FT::kAmount, false},
    {"spend", FT::kAmount, false},
    {"activity_units", FT::kAmount, false},
    {"unit", FT::kText, false},
};
constexpr FieldSpec kPopulationFields[] = {
    {"area", FT::kText, true},
    {"year", FT::kInt, true},
    {"age_band", FT::kText, true},
    {"sex", FT::kCode, true, kSexes},
    {"count", FT::kCount, true},
};
constexpr FieldSpec kCarerPopulationFields[] = {
    {"area", FT::kText, true},
    {"group", FT::kText, true},
    {"estimated_count", FT::kCount, true},
};

constexpr int kKey0[] = {0};
constexpr int kKey01[] = {0, 1};
constexpr int kKeyCareLink[] = {0, 1, 2};
constexpr int kKeyItem4[] = {0, 4};    // (response_id, item)
constexpr int kKeyDomain5[] = {0, 5};  // (measure_id, domain)
constexpr int kKeyItem3[] = {0, 3};    // (audit_id, item)
constexpr int kKeyFinance[] = {0, 1, 2};
constexpr int kKeyPopulation[] = {0, 1, 2, 3};

constexpr DateOrder kCareLinkOrder[] = {{2, 3}};
constexpr DateOrder kRequestOrder[] = {{2, 3}, {3, 6}};
constexpr DateOrder kAssessmentOrder[] = {{4, 5}};
constexpr DateOrder kServiceOrder[] = {{7, 8}};
constexpr DateOrder kBudgetOrder[] = {{6, 7}};
constexpr DateOrder kEpisodeOrder[] = {{2, 3}};
constexpr DateOrder kEmergencyOrder[] = {{2, 3}};
constexpr DateOrder kFeedbackOrder[] = {{3, 4}};

const TableSpec kTables[] = {
    {TableId::kOrgUnits, "org_units", kOrgUnitFields, kKey0, 0, -1, -1, false, true, {},
     "the council's hierarchy: council, services, teams (nation and regions above councils)"},
    {TableId::kPeople, "people", kPeopleFields, kKey0, 0, 0, -1, false, true, {},
     "service users and carers"},
    {TableId::kCareLinks, "care_links", kCareLinkFields, kKeyCareLink, -1, 0, 2, false, false,
     kCareLinkOrder, "who cares for whom"},
    {TableId::kRequests, "requests", kRequestFields, kKey0, 0, 1, 3, true, false, kRequestOrder,
     "requests for support (the clock starts at received_on)"},
    {TableId::kAssessments, "assessments", kAssessmentFields, kKey0, 0, 1, 5, true, false,
     kAssessmentOrder, "needs, carer and joint assessments"},
    {TableId::kSupportPlans, "support_plans", kSupportPlanFields, kKey0, 0, 1, 2, true, false, {},
     "agreed support plans"},
    {TableId::kServices, "services", kServiceFields, kKey0, 0, 1, 7, true, false, kServiceOrder,
     "services provided"},
    {TableId::kVisits, "visits", kVisitFields, kKey0, 0, 1, 3, true, false, {},
     "home-care visits"},
    {TableId::kPersonalBudgets, "personal_budgets", kBudgetFields, kKey0, 0, 1, 6, true, false,
     kBudgetOrder, "personal budgets with the evidence of their three criteria"},
    {TableId::kReviews, "reviews", kReviewFields, kKey0, 0, 1, 4, true, false, {},
     "reviews of support"},
    {TableId::kHospitalEpisodes, "hospital_episodes", kEpisodeFields, kKey0, 0, 1, 2, true, false,
     kEpisodeOrder, "hospital admissions and discharges"},
    {TableId::kCareHomeAdmissions, "care_home_admissions", kAdmissionFields, kKey0, 0, 1, 2, true,
     false, {}, "care-home admissions"},
    {TableId::kEmergencyPlans, "emergency_plans", kEmergencyPlanFields, kKey0, 0, 1, 2, true, false,
     kEmergencyOrder, "carers' emergency plans"},
    {TableId::kSurveyResponses, "survey_responses", kSurveyFields, kKeyItem4, 0, 1, 3, true, false,
     {}, "survey answers, one row per item"},
    {TableId::kOutcomeMeasures, "outcome_measures", kOutcomeFields, kKeyDomain5, 0, 1, 3, true,
     false, {}, "outcome measures, baseline and follow-up, one row per domain"},
    {TableId::kCaseAudits, "case_audits", kCaseAuditFields, kKeyItem3, 0, 1, 2, true, false, {},
     "case-file audit items"},
    {TableId::kFeedback, "feedback", kFeedbackFields, kKey0, 0, 1, 3, true, false, kFeedbackOrder,
     "complaints and compliments"},
    {TableId::kFinance, "finance", kFinanceFields, kKeyFinance, -1, -1, 0, false, false, {},
     "monthly budget, spend and activity"},
    {TableId::kPopulations, "populations", kPopulationFields, kKeyPopulation, -1, -1, -1, false,
     false, {}, "resident population estimates"},
    {TableId::kCarerPopulations, "carer_populations", kCarerPopulationFields, kKey01, -1, -1, -1,
     false, false, {}, "estimated carers by group"},
};

static_assert(sizeof(kTables) / sizeof(kTables[0]) == kTableCount);

}  // namespace

int TableSpec::FieldIndex(std::string_view field_name) const {
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == field_name) return static_cast<int>(i);
  return -1;
}

std::span<const TableSpec> AllTables() { return kTables; }

const TableSpec& Table(TableId id) { return kTables[static_cast<int>(id)]; }

const TableSpec* FindTable(std::string_view name) {
  for (const TableSpec& t : kTables)
    if (t.name == name) return &t;
  return nullptr;
}

std::string_view FieldTypeName(FieldType t) {
  switch (t) {
    case FT::kId: return "id";
    case FT::kRef: return "reference";
    case FT::kDate: return "date";
    case FT::kBirthDate: return "birth date";
    case FT::kMonth: return "month";
    case FT::kTimestamp: return "timestamp";
    case FT::kCount: return "count";
    case FT::kInt: return "integer";
    case FT::kAmount: return "amount";
    case FT::kScore: return "score";
    case FT::kYesNo: return "Y/N";
    case FT::kCode: return "code";
    case FT::kCodeSet: return "code list";
    case FT::kText: return "text";
  }
  return "?";
}

namespace codes {
const std::span<const std::string_view> kHubInterventions = kHub;
const std::span<const std::string_view> kServiceTypes = kServiceTypesArr;
const std::span<const std::string_view> kCarerGroups = kGroups;
}  // namespace codes

}  // namespace goldthread
