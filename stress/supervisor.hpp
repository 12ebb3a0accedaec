// The supervisor: runs the stress worker as a child process of this same binary and watches it.
//
// Contract
// - Starts `<this executable> --worker '<options as JSON>'` with stdout and stderr on pipes, so a sanitizer
//   report (stderr) and a crash cannot take the supervisor down with it.
// - Forwards the worker's progress lines to `on_progress` as they arrive and keeps the last counters, so the
//   summary has "the counts so far" even when the worker dies.
// - SIGINT/SIGTERM to the supervisor: the worker is asked to stop (SIGINT), gets `grace_seconds` to print its
//   result, then is killed. A worker silent for `hang_seconds` is killed and reported as hung.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "stress_run.hpp"

namespace dfrace::stress {

struct WorkerOutcome {
  std::optional<StressTotals> result;  // the worker's final line, when it got that far
  StressTotals last_progress;          // the newest counters seen (the result, if any)
  std::string stderr_text;             // everything the worker wrote on stderr (sanitizer reports)
  int exit_code = -1;                  // when it exited
  int signal = 0;                      // when a signal ended it
  bool hung = false;                   // killed after hang_seconds without a line
  bool interrupted = false;            // the supervisor got SIGINT/SIGTERM
  std::string failure;                 // the supervisor could not run the worker at all
  double wall_seconds = 0;             // from starting the worker to its end (time to a report, for a finding)
  double first_stderr_seconds = -1;    // from starting the worker to its first byte on stderr (a report's start)
};

WorkerOutcome run_worker_process(const StressOptions& options, const std::function<void(const StressTotals&)>& on_progress,
                                 double hang_seconds = 60, double grace_seconds = 10);

}  // namespace dfrace::stress
