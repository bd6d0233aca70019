#pragma once
// Test data for the indicator engine's cross-checks (differential_test.cc,
// outcome_improved_test.cc): a small simulated council and hand-made edge
// data, as rows of text that can be loaded into a snapshot in file order or
// reversed (rows that tie on a timeline date then load in the other order).
//
// Test support only: compiled into the test binary.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "model/schema.h"
#include "model/snapshot.h"

namespace goldthread::indicators::testing {

/// The rows of every table, as text in file order, in the order loaded.
using Rows = std::vector<std::pair<TableId, std::vector<std::string>>>;

/// The simulator's council of 400 people (seed 5), April 2023 to March 2025
/// and its year of history before; made once per test run.
const Rows& SimulatedCouncil();

/// Eight people in two teams (T1, T2 under C) with records of every table
/// on a few days around the end of April 2024: records tie on their dates,
/// a measure has several domain rows, a survey response several items, and
/// fields are often empty. From a fixed stream: the same rows every time.
Rows EdgeCouncil();

/// rows loaded as one batch, in order or reversed.
std::unique_ptr<Snapshot> BuildSnapshot(const Rows& rows, bool reversed = false);

/// The value of field `name` in a row of table t.
const std::string& FieldOf(const std::vector<std::string>& row, TableId t, std::string_view name);

}  // namespace goldthread::indicators::testing
