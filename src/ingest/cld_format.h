#pragma once
// The columns of the Adult Social Care Client Level Data (CLD) return,
// Release 1 (in force since 1 April 2023), in the specification's order: one
// row per event (Request, Assessment, Service, Review), with the person's,
// the carer's and the cost fields on every row. Sources (docs/cld.md): the
// R1 column list as NHS England's CLD code and the councils' LA-dashboard
// code name them (NHSDigital/ASC-Client-Level-Data-SALT-ASCOF-transformations).
//
// A header names a column either way the returns write it ("Event_Start_Date"
// or "Event Start Date", "Cost_Frequency_(Unit_Type)" or "Cost Frequency (Unit
// Type)"): headers are matched on their letters and digits, ignoring case.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace goldthread {

enum class CldCol : uint8_t {
  kLaCode, kReportingPeriodStart, kReportingPeriodEnd, kNhsNumber, kPersonId, kFirstName, kLastName,
  kGpPracticeName, kGpPracticeCode, kGender, kEthnicity, kDateOfBirth, kDateOfDeath, kClientType,
  kPrimarySupportReason, kPostcode, kAccommodationStatus, kEmploymentStatus, kHasUnpaidCarer, kAutism,
  kVisualImpairment, kHearingImpairment, kDementia, kClientFundingStatus, kEventType, kEventReference,
  kEventStartDate, kEventEndDate, kEventDescription, kEventOutcome, kRouteOfAccess, kAssessmentType,
  kEligibleNeeds, kMethodOfAssessment, kHoursCaring, kAdultsCaredFor, kLinkedPerson1, kLinkedPerson2,
  kLinkedPerson3, kServiceType, kServiceComponent, kDeliveryMechanism, kProviderName, kProviderId,
  kReviewReason, kReviewOutcomes, kMethodOfReview, kUnitCost, kCostFrequency, kPlannedUnits,
};
inline constexpr int kCldColumnCount = 50;

/// The column's name as the specification writes it ("Event_Start_Date").
std::string_view CldColumnName(CldCol c);
/// The column a header cell names, or nullopt.
std::optional<CldCol> FindCldColumn(std::string_view header);
/// Columns a return must have: without them no row can be mapped.
bool CldColumnRequired(CldCol c);

}  // namespace goldthread
