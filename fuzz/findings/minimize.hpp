// Shortest form of a finding: the cheapest schedule (fewest CPUs, pushes, threads, steps, bytes; see Cost) that
// still ends in the same bug (same signature_of).
//
// Contract: greedy and deterministic. It tries, until nothing helps or the deadline passes: a smaller pool
// configuration (byte 0), fewer enqueues per CPU (bytes 1..3), dropping the flush thread, the interrupt or a
// refill failure (byte 4), then deleting runs of decision bytes (halves down to single bytes) and zeroing them
// (0 = "let the current thread keep running", the least interleaved choice). A candidate is kept only when it
// reproduces the signature and is strictly cheaper, so the result is never worse than the input.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "exec/execution.hpp"
#include "findings/signature.hpp"

namespace dfrace::fuzz {

struct Minimized {
  std::vector<std::uint8_t> input;
  Cost before, after;
  unsigned executions = 0;
  bool timed_out = false;
};

Minimized minimize(ExecFn exec, const std::vector<std::uint8_t>& input, const std::string& signature,
                   std::chrono::steady_clock::duration budget);

// The execution mode findings are collected and replayed in: races are reported, the execution goes on.
inline constexpr ExecRequest kCollectMode{.trace = false, .feedback = false, .races_fatal = false};

}  // namespace dfrace::fuzz
