#pragma once
// What the store keeps of a council's plans (issue 11, shared/DESIGN.md
// section 7) and of the stories behind their curves, as plain rows: the
// store knows nothing of SMART checks or statuses (src/planning does), so a
// PostgreSQL store can keep the same rows in the same tables.
//
// Plans are versioned as a whole document: loading a changed plan file
// stores the next version (1, 2, ...) with every objective, plan and target
// it holds; older versions stay as they were and can be read back. Stories
// are append-only history: a new story for the same curve is a new row, the
// old one is kept with its author and date.

#include <cstdint>
#include <string>
#include <vector>

#include "core/date.h"

namespace goldthread {

/// One version of the council's plan document.
struct PlanVersionInfo {
  int64_t version = 0;  // assigned by the store: 1 for the first plan loaded
  Timestamp loaded_at = kNullTimestamp;
  std::string loaded_by;  // the OS user who ran `plan load`
  std::string source;     // the file loaded, as given
  std::string sha256;     // of the file's bytes: an unchanged file is not stored again
  std::string title;      // the plan's title ("" if it has none)
  std::vector<std::string> years;  // financial years, "2024-25", in order
};

struct PlanObjectiveRow {
  std::string id, title, owner, perspective, description;
  std::vector<std::string> indicators;  // population indicators (OBA)
  int64_t line = 0;                     // in the source file
};

/// An indicator of a [[plan]] and the person answerable for it.
struct PlanIndicatorOwnerRow {
  std::string indicator, owner;
};

struct PlanPlanRow {
  std::string id, title, org_unit, owner;
  std::vector<std::string> objectives, prime, indicators;
  std::vector<PlanIndicatorOwnerRow> owners;
  int64_t line = 0;
};

struct PlanTargetRow {
  std::string plan, indicator, org_unit, owner, note;
  std::string objective;  // the objective it serves; "" for every one its plan serves
  double value = 0.0;  // in the indicator's unit (percent: 0-100)
  std::string by;      // "YYYY-MM-DD"
  std::string per;     // "month" | "quarter" | "year": the figure the target is judged on
  int64_t line = 0;
};

/// A whole plan document as stored: its version, the file's text exactly as
/// loaded, and its rows in file order.
struct PlanRecord {
  PlanVersionInfo info;
  std::string text;
  std::vector<PlanObjectiveRow> objectives;
  std::vector<PlanPlanRow> plans;
  std::vector<PlanTargetRow> targets;
};

/// A "story behind the curve" entry (Outcomes Based Accountability): free
/// text about one indicator at one org unit, in one section.
struct StoryRecord {
  int64_t id = 0;  // assigned by the store, in order of writing
  std::string indicator, org_unit;
  std::string section;  // "story" | "partners" | "what_works" | "action_plan"
  std::string text;
  std::string author;
  Timestamp written_at = kNullTimestamp;
  int64_t plan_version = 0;  // the plan version current when it was written (0: none)
};

}  // namespace goldthread
