#include "ingest/cld_format.h"

#include "ingest/cld_mapping.h"

namespace goldthread {
namespace {

constexpr std::array<std::string_view, kCldColumnCount> kNames = {
    "LA_Code", "Reporting_Period_Start_Date", "Reporting_Period_End_Date", "NHS_Number",
    "LA_Person_Unique_Identifier", "First_Name", "Last_Name", "GP_Practice_Name", "GP_Practice_Code", "Gender",
    "Ethnicity", "Date_of_Birth", "Date_of_Death", "Client_Type", "Primary_Support_Reason", "Postcode",
    "Accommodation_Status", "Employment_Status", "Has_Unpaid_Carer", "Autism_Spectrum_Disorder_ASD",
    "Visual_Impairment", "Hearing_Impairment", "Dementia", "Client_Funding_Status", "Event_Type", "Event_Reference",
    "Event_Start_Date", "Event_End_Date", "Event_Description", "Event_Outcome", "Request_Route_of_Access",
    "Assessment_Type", "Eligible_Needs_Identified", "Method_of_Assessment", "Total_Hrs_Caring_per_week",
    "No_of_adults_being_cared_for", "Adult_1_Linked_Person_ID", "Adult_2_Linked_Person_ID",
    "Adult_3_Linked_Person_ID", "Service_Type", "Service_Component", "Delivery_Mechanism",
    "Provider_CQC_Location_Name", "Provider_CQC_Location_ID", "Review_Reason", "Review_Outcomes_Achieved",
    "Method_of_Review", "Unit_Cost", "Cost_Frequency_(Unit_Type)", "Planned_units_per_week",
};

}  // namespace

std::string_view CldColumnName(CldCol c) { return kNames[static_cast<size_t>(c)]; }

std::optional<CldCol> FindCldColumn(std::string_view header) {
  const std::string key = CldKey(header);
  if (key.empty()) return std::nullopt;
  for (size_t i = 0; i < kNames.size(); ++i)
    if (CldKey(kNames[i]) == key) return static_cast<CldCol>(i);
  return std::nullopt;
}

bool CldColumnRequired(CldCol c) {
  switch (c) {
    case CldCol::kLaCode:
    case CldCol::kPersonId:
    case CldCol::kClientType:
    case CldCol::kEventType:
    case CldCol::kEventStartDate:
      return true;
    default:
      return false;
  }
}

}  // namespace goldthread
