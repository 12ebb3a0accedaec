// PinScope: run the calling thread on one CPU for a scope, then restore its previous affinity.
//
// Why (opt-in, --pin): on a 2-core machine a drain worker that wakes up on the producer's core preempts it. With
// --pin the latency runs pin the producer to one CPU and create the pool (hence its drain worker thread, which
// inherits the creating thread's affinity) while pinned to the other. Not the default: on a loaded machine a
// pinned drain waits behind other processes on its one CPU and the pool overflows far more; and the kernel's
// schedule_work runs the drain on the producer's own CPU anyway. Preempted batches are set apart instead
// (batch_timer.hpp).
// Contract: a no-op when `cpu` is negative or the machine has fewer than two usable CPUs.
#pragma once

#include <sched.h>

namespace dfrace::bench {

// The CPUs the latency runs use: {producer, drain}, or {-1, -1} when there are not two usable CPUs.
struct PinPlan {
  int producer = -1;
  int drain = -1;
};
PinPlan pin_plan();

class PinScope {
 public:
  explicit PinScope(int cpu);
  ~PinScope();
  PinScope(const PinScope&) = delete;
  PinScope& operator=(const PinScope&) = delete;

 private:
  bool pinned_ = false;
  cpu_set_t previous_{};
};

}  // namespace dfrace::bench
