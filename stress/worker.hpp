// The stress worker: the child process that runs StressDriver for one recipe and reports on stdout.
//
// Protocol (one JSON object per line, so a crash can only lose the line being written):
//   progress {StressTotals}   every progress_seconds
//   result {StressTotals}     once, at the end (budget spent, invariant violation, or SIGINT/SIGTERM)
// A sanitizer report or a crash ends the process before the result line; the supervisor reads stderr then.
#pragma once

#include "stress_run.hpp"

namespace dfrace::stress {

// Returns the process exit code (0 done, 2 unknown recipe, 3 internal failure).
int run_worker(const StressOptions& options);

}  // namespace dfrace::stress
