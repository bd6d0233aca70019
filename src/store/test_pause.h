#pragma once
// Pause points for tests that need another process to act at an exact
// moment of a store operation (a reader during an import, a kill inside a
// batch's transaction), without sleeps that race.
//
// With GOLDTHREAD_TEST_PAUSE=POINT[,POINT...] and GOLDTHREAD_TEST_PAUSE_DIR=DIR
// in the environment, reaching POINT creates DIR/paused-POINT and waits
// until DIR/resume-POINT exists (at most two minutes, then goes on). The
// points a batch passes: batch-begun (its transaction open, nothing added),
// rows-N (N rows added, e.g. rows-1000), before-commit, committed (before a
// store built by its first import is given its name). Unset, a point costs
// one check of a flag.

#include <string_view>

namespace goldthread {

/// Waits at `point` when the environment names it (see above).
void TestPausePoint(std::string_view point);
/// Whether any pause point is set (so a per-row caller can skip formatting
/// the name of a rows-N point).
bool TestPauseEnabled();

}  // namespace goldthread
