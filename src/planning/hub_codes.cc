#include "planning/hub_codes.h"

#include <array>

namespace goldthread::planning {
namespace {

constexpr HubOutcome kOutcomes[kHubOutcomeCount] = {
    {"expert_partners",
     "Carers will be respected as expert care partners and will have access to the integrated and "
     "personalised services they need to support them in their caring role",
     "Respected as expert care partners"},
    {"life_of_their_own", "Carers will be able to have a life of their own alongside their caring role",
     "A life of their own"},
    {"no_financial_hardship",
     "Carers will be supported so that they are not forced into financial hardship by their caring role",
     "Not forced into financial hardship"},
    {"well_and_dignity", "Carers will be supported to stay mentally and physically well and treated with dignity",
     "Mentally and physically well"},
    {"young_carers_protected",
     "Children and young people will be protected from inappropriate caring and have the support they need to "
     "learn, develop and thrive",
     "Children and young people protected"},
};

// Headings from seed 001 section 5.2; outcomes from its Appendix A and the
// headings' own words (docs/hub.md quotes the sentence for each).
constexpr HubInterventionInfo kInterventions[kHubInterventionCount] = {
    {"emotional_support", "Emotional support & counselling", 3, "Emotional support"},
    {"brokerage", "Brokerage", 0, "Brokerage"},
    {"advocacy", "Advocacy", 0, "Advocacy"},
    {"health_wellbeing", "Access to health & well-being services", 3, "Health & well-being"},
    {"caring_training", "Caring support & training", 0, "Caring & training"},
    {"information", "Information", 0, "Information"},
    {"shaping_services", "Carers shaping policy & services", 0, "Shaping services"},
    {"whole_family", "Whole-family support", 4, "Whole family"},
    {"education_1to1", "Education and 1:1 support", 4, "Education & 1:1"},
    {"activities_clubs", "Activities & clubs", 4, "Activities & clubs"},
    {"transitions", "Changes & transitions", 1, "Transitions"},
    {"emergency_support", "Emergency support", 3, "Emergency support"},
    {"breaks", "Breaks", 1, "Breaks"},
    {"peer_community", "Peer and community support", 3, "Peer & community"},
    {"benefits_finance", "Access to benefits & financial support", 2, "Benefits & money"},
    {"work_training", "Access to work / training", 2, "Work & training"},
    {"housing", "Housing support", 3, "Housing"},
};

constexpr HubGroupInfo kGroups[kHubGroupCount] = {
    {"all", "All carers", "carers", HubGroupKind::kAll},
    {"bme", "BME carers", "carers from Black and minority ethnic communities", HubGroupKind::kOverlooked},
    {"refugee", "Refugee and asylum-seeker carers", "carers who are refugees or asylum seekers",
     HubGroupKind::kOverlooked},
    {"lgbt", "LGBT carers", "lesbian, gay, bisexual and trans carers", HubGroupKind::kOverlooked},
    {"traveller", "Traveller carers", "carers from traveller communities", HubGroupKind::kOverlooked},
    {"distance", "Distance carers", "carers who look after someone living in another area",
     HubGroupKind::kOverlooked},
    {"young_adult", "Young adult carers", "young adult carers", HubGroupKind::kOverlooked},
    {"age_16_24", "Carers aged 16-24", "carers aged 16 to 24", HubGroupKind::kAge},
    {"age_25_64", "Carers aged 25-64", "carers aged 25 to 64", HubGroupKind::kAge},
    {"age_65_plus", "Carers aged 65+", "carers aged 65 and over", HubGroupKind::kAge},
    {"working", "Working carers", "carers who are in work", HubGroupKind::kWorking},
    {"psr_physical", "Carers of people needing physical support", "carers of people with physical needs",
     HubGroupKind::kCondition},
    {"psr_sensory", "Carers of people needing sensory support", "carers of people with sight or hearing needs",
     HubGroupKind::kCondition},
    {"psr_memory_cognition", "Carers of people needing memory & cognition support",
     "carers of people with dementia or memory problems", HubGroupKind::kCondition},
    {"psr_learning_disability", "Carers of people with a learning disability",
     "carers of people with a learning disability", HubGroupKind::kCondition},
    {"psr_mental_health", "Carers of people with mental health needs", "carers of people with mental health needs",
     HubGroupKind::kCondition},
    {"psr_social_support", "Carers of people needing social support", "carers of people needing social support",
     HubGroupKind::kCondition},
};

constexpr std::array<int, kHubInterventionCount> MakeWheelOrder() {
  std::array<int, kHubInterventionCount> order{};
  int k = 0;
  for (int o = 0; o < kHubOutcomeCount; ++o)
    for (int i = 0; i < kHubInterventionCount; ++i)
      if (kInterventions[i].outcome == o) order[k++] = i;
  return order;
}
constexpr std::array<int, kHubInterventionCount> kWheelOrder = MakeWheelOrder();

}  // namespace

std::span<const HubOutcome> HubOutcomes() { return kOutcomes; }
std::span<const HubInterventionInfo> HubInterventions() { return kInterventions; }
std::span<const HubGroupInfo> HubGroups() { return kGroups; }
std::span<const int> HubWheelOrder() { return kWheelOrder; }

int FindHubIntervention(std::string_view code) {
  for (int i = 0; i < kHubInterventionCount; ++i)
    if (kInterventions[i].code == code) return i;
  return -1;
}

int FindHubGroup(std::string_view id) {
  for (int i = 0; i < kHubGroupCount; ++i)
    if (kGroups[i].id == id) return i;
  return -1;
}

bool IsOverlooked(int group) { return group >= 0 && group < kHubGroupCount && kGroups[group].kind == HubGroupKind::kOverlooked; }

}  // namespace goldthread::planning
