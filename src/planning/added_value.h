#pragma once
// Carers' added value (issue 12; seed 001 section 8.1: "Areas should
// consider the impact of carer support upon the success of hospital
// discharge ... the proportion of discharges to home rather than to
// residential care ..."): for the people who are cared for, the outcomes of
// those whose carer was supported against those whose carer was not, for
//   - readmission-28d: discharges followed by an emergency admission within
//     28 days (lower is better);
//   - still-home-91: people 65+ discharged to reablement still at home 91
//     days later (higher is better);
//   - care-home-admission: people cared for on the year's first day who were
//     permanently admitted to a care home during the year (lower is better).
// "Supported": one of the person's carers (a care link active on the day of
// the event) had a carer assessment completed, or a Hub service active, in
// the 365 days up to the event (for care-home admissions, the year's first
// day). Comparisons are made within strata of the cared-for person's age
// band and primary support reason and pooled by Mantel-Haenszel: the risk
// ratio (Greenland & Robins 1985 variance) is the headline, the odds ratio
// (Robins, Breslow & Greenland 1986) is given beside it (docs/added_value.md
// says why). An association, not proof of effect: the words say so.
//
// Thread-safety: RunAddedValue reads the snapshot only.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/period.h"
#include "core/status.h"
#include "model/snapshot.h"
#include "stats/comparison.h"

namespace goldthread::planning {

struct AddedValueOptions {
  int year = 0;                  // financial year by its first calendar year
  Date data_end = kNullDate;     // events whose follow-up ends after it are left out
  int lookback_days = 365;       // carer support this far before the event counts
};

struct AddedValueStratum {
  std::string age_band;  // "18-64", "65-74", "75-84", "85+"
  std::string reason;    // primary support reason
  stats::Stratum2x2 table;
};

struct AddedValueOutcome {
  std::string id;     // "readmission-28d", "still-home-91", "care-home-admission"
  std::string title;
  bool lower_is_better = true;
  stats::Stratum2x2 crude;  // all strata together
  std::optional<double> crude_risk_ratio;
  std::optional<stats::PooledRatio> risk_ratio, odds_ratio;  // Mantel-Haenszel
  std::vector<AddedValueStratum> strata;  // with anyone in them, in age then reason order
  int64_t left_out_follow_up = 0;  // events whose follow-up reaches past the data
  std::string words;  // in plain English, with the caveat
};

struct AddedValue {
  Period year;
  std::vector<AddedValueOutcome> outcomes;
  std::string caveat;  // the plain-words caveat every output carries
};

/// Fails only on a bad year (0).
Result<AddedValue> RunAddedValue(const Snapshot& snap, const AddedValueOptions& options);

/// The caveat, in plain words.
std::string_view AddedValueCaveat();

}  // namespace goldthread::planning
