// One measurement of one free path: its latency distribution with one producer (paced at the offered rate, the
// drain worker running), and its throughput with 1 and 2 producer threads (back to back, drain running).
//
// Contract
// - A *rig* owns what the path frees into (backend, platform, pool) for one run and is built fresh for each run:
//     Rig rig(settings);  auto path = rig.path(t);  // the callable for producer t (t < settings.nr_cpus)
//     rig.backend();      // where the producers' handles come from
//     rig.finish(out);    // after the producers stopped: pool statistics and the backend's audit into `out`
// - Every run (run_producers) starts fresh producer threads together on a fresh rig, created (and so its drain
//   worker thread) while pinned to settings.pins.drain; producer 0 is pinned to settings.pins.producer, the
//   others to settings.pins.drain (no pinning unless --pin).
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

// One run of `producers` threads on a fresh rig, each timing its own batches under `plan` (producer t on CPU slot
// t, started together). The rig (and so its drain worker) is created while pinned to settings.pins.drain;
// producer 0 runs pinned to settings.pins.producer, the others to settings.pins.drain.
struct ProducersRun {
  std::vector<BatchResult> per_producer;
  RunOutcome outcome;
};

template <class Rig>
ProducersRun run_producers(const Settings& settings, const BatchPlan& plan, unsigned producers) {
  ProducersRun run;
  std::optional<Rig> made;
  {
    PinScope on_drain_cpu(settings.pins.drain);
    made.emplace(settings);  // the drain worker inherits this affinity
  }
  Rig& rig = *made;
  run.per_producer.resize(producers);
  std::latch go(producers);
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < producers; ++t) {
    threads.emplace_back([&, t] {
      PinScope on_own_cpu(t == 0 ? settings.pins.producer : settings.pins.drain);
      HandleSupply supply(rig.backend());
      auto path = rig.path(t);
      go.arrive_and_wait();
      run.per_producer[t] = time_batches(path, supply, plan, settings.cal, rig.event_probe());
    });
  }
  for (auto& t : threads) t.join();
  rig.finish(run.outcome);
  return run;
}

// The latency figures of a paced run, over the batches of every producer.
inline void summarize_latency(ProducersRun& run, PathMeasurement& m) {
  std::vector<float> clean, preempted, no_fallback;
  for (BatchResult& r : run.per_producer) {
    clean.insert(clean.end(), r.ns_per_call.begin(), r.ns_per_call.end());
    preempted.insert(preempted.end(), r.preempted_ns_per_call.begin(), r.preempted_ns_per_call.end());
    no_fallback.insert(no_fallback.end(), r.no_fallback_ns_per_call.begin(), r.no_fallback_ns_per_call.end());
  }
  const std::size_t total = clean.size() + preempted.size();
  m.preempted_fraction = total > 0 ? static_cast<double>(preempted.size()) / static_cast<double>(total) : 0.0;
  m.fallback_batch_fraction =
      clean.empty() ? 0.0 : 1.0 - static_cast<double>(no_fallback.size()) / static_cast<double>(clean.size());
  std::vector<float> all = clean;
  all.insert(all.end(), preempted.begin(), preempted.end());
  m.latency_no_fallback = summarize(no_fallback);
  m.latency = summarize(clean);
  m.latency_all = summarize(all);
  m.latency_overflow_fraction = overflow_fraction(run.outcome);
  if (!run.outcome.stats) m.fallback_batch_fraction = -1;
}

// Back-to-back throughput of `threads` producers: calls / timed time, summed over the threads.
inline ThroughputPoint throughput_of(const ProducersRun& run) {
  double total = 0;
  for (const BatchResult& r : run.per_producer) total += r.mops();
  return {static_cast<unsigned>(run.per_producer.size()), total, overflow_fraction(run.outcome)};
}

template <class Rig>
ThroughputPoint measure_throughput(const Settings& settings, unsigned threads, std::vector<RunOutcome>& outcomes) {
  ProducersRun run = run_producers<Rig>(settings, settings.throughput, threads);
  outcomes.push_back(run.outcome);
  return throughput_of(run);
}

template <class Rig>
PathMeasurement measure_path(const Settings& settings) {
  PathMeasurement m;
  ProducersRun run = run_producers<Rig>(settings, settings.latency, 1);
  summarize_latency(run, m);
  m.outcomes.push_back(run.outcome);
  for (const unsigned threads : settings.thread_counts) {
    m.throughput.push_back(measure_throughput<Rig>(settings, threads, m.outcomes));
  }
  return m;
}

}  // namespace dfrace::bench
