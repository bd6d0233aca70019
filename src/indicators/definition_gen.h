#pragma once
// Random well-typed indicator definitions over the canonical schema, for
// differential tests (differential_test.cc): each is computed with every
// engine shortcut on and off, over different windows, with its [let]
// bindings and with them written out where they are used, and the figures
// must agree.
//
// Determinism: the same seed gives the same definitions, on every platform
// (a SplitMix64 stream, no std distributions).
//
// What is generated: a population of one or two ways in (unit person or
// record, sometimes distinct), a timeline window and other conditions
// (codes, Y/N, null tests, numbers and dates, exists/count/sum/max/min over
// other tables, latest/first (by the timeline date or another), median and
// percentile, week_count/week_sum, answer(), active_at/active_in, age_at,
// add_months, months_before/months_after, has_group, references followed,
// outer fields), up to three lets (numbers and dates,
// later ones using earlier ones, aggregates among them), a numerator on the
// case record or on another table (with claimed and criteria), or a mean
// (sometimes a median or 90th percentile figure). Lets are used where they
// test most: inside another table's exists(), inside aggregates over the
// case's own table, and in the population's where.
//
// Test support only: compiled into the test binary.

#include <cstdint>
#include <string>
#include <vector>

namespace goldthread::indicators::testing {

struct GeneratedDefinition {
  std::string id;
  std::string toml;          // with its [let] bindings
  std::string toml_inlined;  // every let written out where it is used; no [let]
  bool has_lets = false;
};

/// count definitions from seed; ids "gen-<seed>-<i>".
std::vector<GeneratedDefinition> GenerateDefinitions(uint64_t seed, int count);

}  // namespace goldthread::indicators::testing
