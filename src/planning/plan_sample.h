#pragma once
// The sample plan `goldthread demo` writes for its simulated council: five
// objectives across the balanced scorecard's four perspectives, the
// council's plan, a plan for each service and each team (seven prime
// indicators each, two of them better_off measures), and targets over
// three financial years ending with the year after the data's last.
//
// The draft has two targets a plan check must catch: one that is not SMART
// (a rate per 100,000 residents set for the team whose id sorts third,
// which has no resident population: not Measurable, refused) and one that
// is unrealistic (95% of assessments within 28 days for the team whose id
// sorts first, far beyond its process limits: "needs a change of
// practice, not more effort"). The final plan
// drops the refused target and keeps the unrealistic one, with its warning.

#include <string>

#include "core/date.h"
#include "planning/plan_thread.h"

namespace goldthread::planning {

struct SamplePlan {
  std::string draft;  // with the refused target
  std::string final;  // without it
};

/// A plan for org (teams, services and the council of a simulated store)
/// whose data end on data_end. Teams are named as the simulator names them
/// ("Carrow Locality Team"); any other name is used as it is.
SamplePlan MakeSamplePlan(const OrgTree& org, Date data_end);

}  // namespace goldthread::planning
