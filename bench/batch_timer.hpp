// The latency harness: time batches of consecutive free calls with the TSC and keep each batch's cost per call.
//
// Contract
// - `time_batches(free_one, supply, plan, cal)` runs `free_one(h)` on handles from `supply` in batches of
//   `plan.batch` calls. Only the calls are timed (the handle refill is not); the median empty-bracket overhead is
//   subtracted and the rest divided by the batch length, giving one per-call sample (ns) per batch.
// - Pacing: with `plan.rate_mops > 0` each batch starts on a schedule of that many calls per second (spinning
//   in between, untimed); a batch that starts late resets the schedule rather than bursting to catch up. With 0
//   the batches run back to back (throughput).
// - Runs for `plan.seconds` after `plan.warmup_seconds` of the same loop whose samples are dropped.
// - Preemption: with `plan.drop_preempted`, the thread's involuntary context-switch count (getrusage, outside the
//   timed region) is read around each batch; a batch during which the thread was preempted goes to
//   `preempted_ns_per_call` instead of `ns_per_call`. On a shared 2-core machine a preempted batch charges another
//   process's (or the drain worker's) time slice to 64 calls; in the kernel the enqueue runs with preemption off.
//   Blocking (a voluntary switch, e.g. the fallback zs_free sleeping on the backend's lock) is NOT dropped: that
//   is the free's own cost.
// - Event probe: `events()` (untimed, read around each batch) gives the thread's running BatchEvents
//   (batch_events.hpp); each kept batch's difference goes to `events`, parallel to `ns_per_call`, so a slow batch
//   can be explained by what happened in it. A batch without a fallback also goes to `no_fallback_ns_per_call`, so
//   the tail of the deferred path can be told from the tail the overflow path adds (rigs without a pool count
//   none).
// Why batches: a single call costs a few ns, less than the TSC read itself; timing N calls and dividing keeps
// the bracket's cost and jitter at 1/N per call. The price is that one slow call in a batch shows as 1/N of its
// cost: the tail is the tail of N-call averages (see README).
#pragma once

#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <vector>

#include "batch_events.hpp"
#include "handle_supply.hpp"
#include "tsc_clock.hpp"

namespace dfrace::bench {

struct BatchPlan {
  unsigned batch = 64;
  double rate_mops = 0.0;  // offered rate, million calls per second; 0 = back to back
  double seconds = 1.0;
  double warmup_seconds = 0.1;
  bool keep_samples = true;  // false: only count calls and timed ticks (throughput)
  bool drop_preempted = true;  // with keep_samples: set preempted batches apart
  bool count_events = false;   // without keep_samples: still read the event probe around each batch (totals)
};

inline long involuntary_switches() {
  rusage u{};
  getrusage(RUSAGE_THREAD, &u);
  return u.ru_nivcsw;
}

struct BatchResult {
  std::vector<float> ns_per_call;  // one sample per batch (not preempted)
  std::vector<float> preempted_ns_per_call;  // batches during which the thread was preempted
  std::vector<float> no_fallback_ns_per_call;  // not preempted, and no call fell back to zs_free
  std::vector<BatchEvents> events;  // parallel to ns_per_call: what happened in each of those batches
  std::vector<BatchEvents> preempted_events;  // parallel to preempted_ns_per_call
  BatchEvents totals;  // the sum over every measured batch, preempted ones included
  std::uint64_t calls = 0;
  double timed_ns = 0.0;  // sum of the timed regions, overhead subtracted
  double wall_ns = 0.0;   // the whole measured phase, pauses and refills included
  double mops() const { return timed_ns > 0 ? static_cast<double>(calls) / timed_ns * 1e3 : 0.0; }
};

template <class FreeOne, class Supply, class Events = decltype(&no_events)>
BatchResult time_batches(FreeOne& free_one, Supply& supply, const BatchPlan& plan, const TscCalibration& cal,
                         Events events = &no_events) {
  BatchResult result;
  const double period_ticks = plan.rate_mops > 0 ? plan.batch * 1e3 / plan.rate_mops * cal.ticks_per_ns : 0.0;
  auto phase = [&](double seconds, bool record) {
    const std::uint64_t begin = tsc_start();
    const std::uint64_t end = begin + static_cast<std::uint64_t>(seconds * 1e9 * cal.ticks_per_ns);
    std::uint64_t next_start = begin;
    std::uint64_t now = begin;
    while (now < end) {
      const auto handles = supply.take(plan.batch);
      if (period_ticks > 0) {
        while ((now = tsc_start()) < next_start) _mm_pause();
        next_start = (now > next_start + static_cast<std::uint64_t>(period_ticks) ? now : next_start) +
                     static_cast<std::uint64_t>(period_ticks);
      }
      const bool watch = record && plan.keep_samples && plan.drop_preempted;
      const long switches_before = watch ? involuntary_switches() : 0;
      const bool probe = record && (plan.keep_samples || plan.count_events);
      const BatchEvents events_before = probe ? events() : BatchEvents{};
      const std::uint64_t t0 = tsc_start();
      for (const Handle h : handles) {
        free_one(h);
        clobber_memory();
      }
      const std::uint64_t t1 = tsc_stop();
      now = t1;
      if (!record) continue;
      double ticks = static_cast<double>(t1 - t0) - cal.overhead_ticks;
      if (ticks < 0) ticks = 0;
      const double ns = cal.ticks_to_ns(ticks);
      const BatchEvents happened = probe ? events() - events_before : BatchEvents{};
      result.calls += plan.batch;
      result.timed_ns += ns;
      result.totals += happened;
      if (!plan.keep_samples) continue;
      const float sample = static_cast<float>(ns / plan.batch);
      if (watch && involuntary_switches() != switches_before) {
        result.preempted_ns_per_call.push_back(sample);
        result.preempted_events.push_back(happened);
        continue;
      }
      result.ns_per_call.push_back(sample);
      result.events.push_back(happened);
      if (happened.fallbacks == 0) result.no_fallback_ns_per_call.push_back(sample);
    }
    if (record) result.wall_ns = cal.ticks_to_ns(static_cast<double>(now - begin));
  };
  phase(plan.warmup_seconds, false);
  phase(plan.seconds, true);
  return result;
}

}  // namespace dfrace::bench
