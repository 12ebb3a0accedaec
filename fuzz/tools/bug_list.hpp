// The distinct bugs one fuzzing run saved (targets/fuzz_target.cpp, DFRACE_FINDINGS_DIR), each minimized and
// written as its own finding file, in the order a reviewer should read them (findings/signature.hpp: rank).
//
// Contract: collect_bugs() reads every <hash>.input / <hash>.sig pair of `dir`, minimizes each, worst first (sharing
// `minimize_budget` between them, what one leaves over going to the next, at least a fraction of a second each), writes <out>/<recipe>-<hash>.dfrace and
// returns them sorted worst first. A race that led to nothing on its own is dropped when a listed bug names the same
// race as its cause (it is shown there, with what it leads to).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "findings/signature.hpp"
#include "rt/runtime.hpp"

namespace dfrace::fuzz {

struct Bug {
  std::string signature;
  rt::Outcome outcome;   // of the minimized schedule
  double found_after = 0;  // seconds into the run
  Cost found_cost, cost;   // as found, and minimized
  std::string finding;     // the minimized finding file
  int rank = 0;
  // The behaviours the minimized counterexample contains (infra/behaviours.hpp): an interrupt, a failed refill,
  // a flush thread, a load that read an older store. `check` explains an engine missing this bug by them.
  std::vector<std::string> uses;
  // The size of the program it runs: an engine bounded to smaller programs (a proof, Relacy's models) cannot
  // have seen it, and `check` says so.
  ProgramShape program;
};

std::vector<Bug> collect_bugs(const std::string& recipe, const std::string& dir, const std::string& out,
                              std::chrono::steady_clock::duration minimize_budget);

}  // namespace dfrace::fuzz
