#pragma once
// Helpers for the statistics tests: loading the golden files in
// tests/data/stats (written by tests/data/stats/generate.py) and comparing
// numbers at the tolerances of shared/STATISTICS.md.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>

namespace goldthread::stats::testing {

inline std::string DataPath(const std::string& name) {
  return std::string(GOLDTHREAD_SOURCE_DIR) + "/tests/data/stats/" + name;
}

inline nlohmann::json LoadJson(const std::string& name) {
  std::ifstream in(DataPath(name));
  EXPECT_TRUE(in.good()) << "cannot open " << DataPath(name);
  std::stringstream buf;
  buf << in.rdbuf();
  return nlohmann::json::parse(buf.str());
}

/// Agreement to `rel` relative (1e-6 by default), with an absolute floor for
/// values at or near zero.
inline ::testing::AssertionResult Near(double actual, double expected, double rel = 1e-6) {
  const double tol = rel * std::max(std::fabs(actual), std::fabs(expected)) + 1e-12;
  if (std::fabs(actual - expected) <= tol) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << std::setprecision(17) << "actual " << actual << " expected "
                                       << expected << " (diff " << actual - expected << ")";
}

/// Compares an optional value with a JSON number or null.
inline ::testing::AssertionResult NearOrNull(const std::optional<double>& actual, const nlohmann::json& expected,
                                             double rel = 1e-6) {
  if (expected.is_null()) {
    if (!actual) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "expected null, got " << *actual;
  }
  if (!actual) return ::testing::AssertionFailure() << "expected " << expected << ", got null";
  return Near(*actual, expected.get<double>(), rel);
}

/// A JSON number, or NaN for null (a missing input value).
inline double NumberOrNaN(const nlohmann::json& j) {
  return j.is_null() ? std::numeric_limits<double>::quiet_NaN() : j.get<double>();
}

}  // namespace goldthread::stats::testing
