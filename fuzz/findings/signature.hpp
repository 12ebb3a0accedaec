// What makes two findings "the same bug", how bad a bug is, and how big its counterexample is.
//
// Contract
// - signature_of(): the verdict kind and the sites involved, with every number (buffer ids, handles, counts)
//   replaced by N, the way ClusterFuzz keys a crash by its state: "use after free: enqueue.slot_store (buf#N was
//   kvfree'd)". A finding a data race led to is keyed by what it led to, not by the race (the race is how it got
//   there; another race that ends the same way is the same bug). A race that led to nothing is keyed by its pair.
// - rank(): the order a reviewer reads bugs in. Memory-ordering bugs with a consequence first (use after free,
//   then a freed handle that was never written or freed twice, then a lost handle, then a crash), then the same
//   consequences without a race, then bare races. Lower is worse.
// - Cost: the size of a counterexample, compared CPUs first, then pushes (enqueues, the interrupt's included),
//   threads, scheduling steps, input bytes. The minimizer only ever accepts a cheaper schedule with the same
//   signature.
#pragma once

#include <cstddef>
#include <string>
#include <tuple>

#include "exec/execution.hpp"

namespace dfrace::fuzz {

std::string signature_of(const rt::Outcome& outcome);
int rank(const rt::Outcome& outcome);

struct Cost {
  unsigned cpus = 0;
  unsigned pushes = 0;
  unsigned threads = 0;
  std::uint64_t steps = 0;
  std::size_t bytes = 0;

  auto key() const { return std::tie(cpus, pushes, threads, steps, bytes); }
  bool operator<(const Cost& o) const { return key() < o.key(); }
  std::string describe() const;  // "1 CPU, 2 pushes, 17 steps"
};

Cost cost_of(const ExecResult& r, std::size_t input_bytes);

}  // namespace dfrace::fuzz
