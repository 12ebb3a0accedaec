// One measurement of one free path: its latency distribution with one producer (paced at the offered rate, the
// drain worker running), and its throughput with 1 and 2 producer threads (back to back, drain running).
//
// Contract
// - A *rig* owns what the path frees into (backend, platform, pool) for one run and is built fresh for each run:
//     Rig rig(settings);  auto path = rig.path(t);  // the callable for producer t (t < settings.nr_cpus)
//     rig.backend();      // where the producers' handles come from
//     rig.finish(out);    // after the producers stopped: pool statistics and the backend's audit into `out`
// - Latency: the calling thread is the producer, pinned to settings.pins.producer; the rig (and so the drain
//   worker thread) is created while pinned to settings.pins.drain. Throughput: fresh producer threads released
//   together, producer t pinned to CPU t of the plan when there is one, the drain left to the scheduler.
#pragma once

#include <cstdint>
#include <latch>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "batch_timer.hpp"
#include "core/verdict.hpp"
#include "cpu_pinning.hpp"
#include "handle_supply.hpp"
#include "latency_summary.hpp"
#include "core/pool_shape.hpp"

namespace dfrace::bench {

struct Settings {
  std::size_t size = 2048;  // SIZE of the pool's buffers (and of the floor's array)
  unsigned nr_cpus = 2;     // CPU slots of the pool; also the most producer threads
  BatchPlan latency;        // paced, samples kept
  BatchPlan throughput;     // back to back, counts only
  std::vector<unsigned> thread_counts{1, 2};
  TscCalibration cal;
  PinPlan pins;  // latency runs: producer and drain on different CPUs (see cpu_pinning.hpp)
};

// What a rig reports after a run.
struct RunOutcome {
  std::optional<PoolStats> stats;  // pool paths only
  std::optional<BackendAudit> audit;            // paths that free into the backend for real
  DirectionSet observed = 0;                    // directions the pool reported (pool paths with statistics)
};

struct ThroughputPoint {
  unsigned threads = 0;
  double mops = 0;               // sum over threads of calls / timed time
  double overflow_fraction = 0;  // pool paths: share of enqueues that fell back to the synchronous free
};

struct PathMeasurement {
  LatencySummary latency;       // batches not preempted
  LatencySummary latency_all;   // every batch, preempted ones included
  double preempted_fraction = 0;  // share of batches set apart as preempted
  LatencySummary latency_no_fallback;   // the batches of `latency` in which no call fell back to zs_free
  double fallback_batch_fraction = -1;  // share of `latency`'s batches with a fallback; -1: not counted
  double latency_overflow_fraction = 0;
  std::vector<ThroughputPoint> throughput;
  std::vector<RunOutcome> outcomes;  // one per run, for the audit
};

// -1 when the run kept no statistics (not a pool, or NoStatsPlatform).
inline double overflow_fraction(const RunOutcome& o) {
  if (!o.stats) return -1.0;
  if (o.stats->enqueued == 0) return 0.0;
  return static_cast<double>(o.stats->overflowed) / static_cast<double>(o.stats->enqueued);
}

template <class Rig>
PathMeasurement measure_path(const Settings& settings) {
  PathMeasurement m;
  {
    std::optional<Rig> made;
    {
      PinScope on_drain_cpu(settings.pins.drain);
      made.emplace(settings);  // the drain worker inherits this affinity
    }
    Rig& rig = *made;
    {
      PinScope on_producer_cpu(settings.pins.producer);
      HandleSupply supply(rig.backend());
      auto path = rig.path(0);
      BatchResult r = time_batches(path, supply, settings.latency, settings.cal, rig.fallback_probe());
      const std::size_t clean = r.ns_per_call.size();
      const std::size_t preempted = r.preempted_ns_per_call.size();
      m.preempted_fraction = clean + preempted > 0 ? static_cast<double>(preempted) / (clean + preempted) : 0.0;
      std::vector<float> all = r.ns_per_call;
      all.insert(all.end(), r.preempted_ns_per_call.begin(), r.preempted_ns_per_call.end());
      m.fallback_batch_fraction =
          clean > 0 ? 1.0 - static_cast<double>(r.no_fallback_ns_per_call.size()) / static_cast<double>(clean) : 0.0;
      m.latency_no_fallback = summarize(r.no_fallback_ns_per_call);
      m.latency = summarize(r.ns_per_call);
      m.latency_all = summarize(all);
    }
    RunOutcome& o = m.outcomes.emplace_back();
    rig.finish(o);
    m.latency_overflow_fraction = overflow_fraction(o);
    if (!o.stats) m.fallback_batch_fraction = -1;
  }
  for (const unsigned threads : settings.thread_counts) {
    Rig rig(settings);
    std::vector<double> mops(threads, 0.0);
    std::latch go(threads);
    std::vector<std::thread> producers;
    for (unsigned t = 0; t < threads; ++t) {
      producers.emplace_back([&, t] {
        PinScope on_own_cpu(t == 0 ? settings.pins.producer : settings.pins.drain);
        HandleSupply supply(rig.backend());
        auto path = rig.path(t);
        go.arrive_and_wait();
        mops[t] = time_batches(path, supply, settings.throughput, settings.cal).mops();
      });
    }
    for (auto& p : producers) p.join();
    RunOutcome& o = m.outcomes.emplace_back();
    rig.finish(o);
    double total = 0;
    for (double v : mops) total += v;
    m.throughput.push_back({threads, total, overflow_fraction(o)});
  }
  return m;
}

}  // namespace dfrace::bench
