#pragma once
// goldthread simulate --format cld: a simulated council written as a CLD
// return (cmd_simulate_cld.cc).

#include <string>

#include "sim/simulator.h"

namespace goldthread::cli {

/// Simulates into a temporary canonical folder inside out, imports it into a
/// temporary store there, exports that store as out/cld.csv (and copies
/// populations.csv beside it, for rates per 100,000), and removes the
/// temporary folder. Returns the exit status, having printed what it wrote.
int SimulateCld(const sim::SimOptions& options, const std::string& out);

}  // namespace goldthread::cli
