// TscClock: the time stamp counter as the benchmark's stopwatch, calibrated to nanoseconds.
//
// Contract
// - `start()` / `stop()` bracket a timed region: start is lfence;rdtsc;lfence (no earlier instruction leaks in,
//   no later one starts before the stamp), stop is rdtscp;lfence (every timed instruction has retired).
// - `calibrate()` measures ticks per nanosecond against steady_clock over ~`ms` milliseconds and the median cost
//   of an empty start/stop pair (`overhead_ticks`), which every batch subtracts.
// - Needs an invariant TSC (constant_tsc, nonstop_tsc); `invariant_tsc()` says whether the CPU claims one.
#pragma once

#include <cstdint>
#include <x86intrin.h>

namespace dfrace::bench {

struct TscCalibration {
  double ticks_per_ns = 1.0;
  double overhead_ticks = 0.0;  // median of an empty start()/stop() pair
  double ticks_to_ns(double ticks) const { return ticks / ticks_per_ns; }
};

inline std::uint64_t tsc_start() {
  _mm_lfence();
  const std::uint64_t t = __rdtsc();
  _mm_lfence();
  return t;
}

inline std::uint64_t tsc_stop() {
  unsigned aux = 0;
  const std::uint64_t t = __rdtscp(&aux);
  _mm_lfence();
  return t;
}

// Keeps the compiler from merging, reordering or eliding the memory accesses of consecutive timed calls (what
// benchmark::ClobberMemory does): each call is a separate call, as it would be in the kernel.
inline void clobber_memory() { asm volatile("" : : : "memory"); }

TscCalibration calibrate_tsc(unsigned ms);
bool invariant_tsc();

}  // namespace dfrace::bench
