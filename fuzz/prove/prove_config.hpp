// ProveConfig: the program a proof explores — CPUs, SIZE, pushes per CPU, drain runs, flush, interrupt, failing
// refills — named as `2cpu-s1-p2-d2[-flush][-irq][-allocfail]`.
//
// Contract
// - `parse_prove_config` reads a name; `validate` says why a configuration cannot be proved ("" when it can): the
//   limits are those of the executor's program format (schedule/program.hpp), stated in kProveLimits.
// - `programs()` is what the executor runs: one program, or sixteen with -allocfail (the first four refills of the
//   drain each fail or not: every combination is a program of its own).
// - Drain runs `dN` bound how many runs the drain work starts by itself (see SimPlatform's work-run limit); d0 is
//   no bound (runs are still finite: each needs a queue_work that returned true).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schedule/program.hpp"

namespace dfrace::fuzz {

struct ProveConfig {
  unsigned cpus = 2;
  unsigned size = 1;
  unsigned pushes = 2;
  unsigned drains = 2;
  bool flush = false;
  bool irq = false;
  bool alloc_fail = false;

  std::string name() const;
  std::vector<Program> programs() const;
};

inline constexpr std::string_view kProveLimits =
    "1-4 CPUs, SIZE 1-4, 0-7 pushes per CPU, 0-7 drain runs (0: unbounded)";

std::optional<ProveConfig> parse_prove_config(std::string_view name, std::string& why);
std::string validate(const ProveConfig& c);

}  // namespace dfrace::fuzz
