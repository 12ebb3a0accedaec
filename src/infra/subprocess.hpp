// The one way a dfrace binary runs another program: `dfrace check` runs the engines, dfrace-stress runs its worker.
//
// Contract
// - By default the child runs in a process group of its own (Boost.Process `group`), so ending it ends whatever it started
//   too (dfrace-fuzz's libFuzzer and libFuzzer's -fork workers, the stress worker).
// - Its stdout and stderr are close-on-exec pipes (pipe2(O_CLOEXEC)): a child another thread starts at the same
//   moment never inherits them, so end of file means this child is done. The argument vector is built before
//   fork; the child only calls dup2/close/setpgid/execve (Boost.Process's posix executor) and allocates nothing.
//   Spawns are serialised, which also closes the window in which Boost's own error pipe is not yet close-on-exec.
// - Ends, in order of precedence: the caller's deadline (the group is killed, `timed_out`); no stdout line for
//   `silence_limit` (killed, `hung`); the process got SIGINT/SIGTERM (see interrupt.hpp): the group gets
//   `stop_signal`, then SIGKILL after `grace` (`interrupted`). When the child itself exits, anything left in its
//   group is killed before the runner returns: nothing it started outlives it.
// - Output is delivered line by line as it arrives (progress) and kept (at most `max_kept` bytes per stream).
#pragma once

#include <absl/time/time.h>

#include <csignal>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace dfrace {

struct SubprocessOptions {
  absl::Duration deadline = absl::InfiniteDuration();
  absl::Duration silence_limit = absl::InfiniteDuration();  // on stdout lines
  absl::Duration grace = absl::Seconds(5);
  int stop_signal = SIGTERM;
  // false: the child stays in this process's group (the stress worker: whoever ends the supervisor's group ends
  // the worker with it); the runner then signals the child alone.
  bool own_process_group = true;
  std::function<void(std::string_view line)> on_stdout_line;
  std::function<void(std::string_view line)> on_stderr_line;
  std::size_t max_kept = std::size_t{8} << 20;
};

struct SubprocessResult {
  int exit_code = -1;        // its exit status, or -1 when it died of a signal or could not start
  int signal = 0;            // the signal that ended it, if any
  bool timed_out = false;    // killed at the deadline
  bool hung = false;         // killed after silence_limit without a stdout line
  bool interrupted = false;  // this process was interrupted and stopped the child
  std::string out;           // its stdout (up to max_kept)
  std::string err;           // its stderr (up to max_kept)
  std::string start_error;   // why it could not be started; empty when it ran
  absl::Duration wall;                                        // start to end
  absl::Duration first_stderr = absl::InfiniteDuration();     // start to its first byte on stderr
};

SubprocessResult run_subprocess(const std::vector<std::string>& argv, const SubprocessOptions& options);

}  // namespace dfrace
