// Runs an engine binary as a child process with a deadline, capturing stdout (its --json result) and passing its
// stderr lines to a callback (its progress), so `dfrace check` can show progress and never hangs on an engine.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace dfrace::check {

struct ProcessResult {
  int exit_code = -1;      // the child's exit status, or -1 when it died of a signal or could not start
  int signal = 0;          // the signal that ended it, if any
  bool timed_out = false;  // killed at the deadline
  std::string out;         // everything it wrote to stdout
  std::string error;       // why it could not be started
};

ProcessResult run_process(const std::vector<std::string>& argv, std::chrono::seconds deadline,
                          const std::function<void(const std::string& line)>& on_stderr_line);

}  // namespace dfrace::check
