#include "supervisor.hpp"

#include <csignal>
#include <string>
#include <vector>

#include "infra/interrupt.hpp"
#include "infra/subprocess.hpp"

namespace dfrace::stress {

WorkerOutcome run_worker_process(const StressOptions& options,
                                 const std::function<void(const StressTotals&)>& on_progress, double hang_seconds,
                                 double grace_seconds) {
  WorkerOutcome out;
  install_interrupt_handlers();
  SubprocessOptions run;
  run.silence_limit = absl::Seconds(hang_seconds);
  run.grace = absl::Seconds(grace_seconds);
  run.stop_signal = SIGINT;         // the worker stops, audits and prints its result line
  run.own_process_group = false;    // whoever ends this supervisor's process group ends the worker with it
  run.on_stdout_line = [&](std::string_view line) {
    const auto space = line.find(' ');
    if (space == std::string_view::npos) return;
    const auto j = nlohmann::json::parse(line.substr(space + 1), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return;
    out.last_progress = totals_from_json(j);
    if (line.substr(0, space) == "result") out.result = out.last_progress;
    else if (on_progress) on_progress(out.last_progress);
  };
  const SubprocessResult r =
      run_subprocess({"/proc/self/exe", "--worker", to_json(options).dump()}, run);
  out.failure = r.start_error;
  out.stderr_text = r.err;
  out.exit_code = r.exit_code;
  out.signal = r.signal;
  out.hung = r.hung;
  out.interrupted = r.interrupted;
  out.wall_seconds = absl::ToDoubleSeconds(r.wall);
  out.first_stderr_seconds = r.first_stderr == absl::InfiniteDuration() ? -1 : absl::ToDoubleSeconds(r.first_stderr);
  return out;
}

}  // namespace dfrace::stress
