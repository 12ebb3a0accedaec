// Chaos: timing perturbation at the pool's shared accesses, so rare interleavings come sooner on 2 cores.
//
// Contract
// - `before_access(site)` is called by ChaosPlatform right before every shared access and barrier of the pool.
//   It may yield, spin for a short while, or (PCT-style) make the calling thread "low priority" until its next
//   change point: a low-priority thread yields at every access, so the others overtake it at that point.
// - Each round focuses on one random "hot" site where delays are long, which widens the window right before
//   that access (e.g. between the drain's count reset and its first slot load).
// - It adds NO synchronization a sanitizer could see: only thread-local state, relaxed atomics and sched_yield,
//   so it can reveal races but never hide one.
// - Deterministic per seed in its decisions (not in the OS schedule, which no native run controls).
#pragma once

#include <cstddef>
#include <cstdint>

namespace dfrace::stress {

class Chaos {
 public:
  // Turn perturbation on for this process (ChaosPlatform is only instantiated when --chaos is given).
  static void configure(std::uint64_t seed, std::size_t site_count);
  // A new round: a new hot site; threads begun after this seed their priorities from `round`.
  static void begin_round(std::uint64_t round);
  // Called by the threads the driver starts, with a distinct index, before their first access.
  static void begin_thread(std::uint64_t thread_index);
  static void before_access(std::size_t site);
};

}  // namespace dfrace::stress
