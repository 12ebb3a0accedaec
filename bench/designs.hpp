// The designs side by side: each registered protocol's claimed-correct design, with one producer and with two
// contending producers, next to the floor and the synchronous free measured the same way in the same run, and
// each design's tail attributed to what happened in its slow batches.
//
// Contract
// - `measure_design<Rig>(settings, producer_counts, label)`: for each producer count n, a
//   back-to-back throughput run of n producers, then a paced latency run of n producers (each at the offered
//   rate, CPU slot t for producer t, drain worker running; percentiles over every producer's batches).
//   When the rig attributes (Rig::kAttributes: a pool on AttributedPlatform), the tail the table reports is the
//   very tail its per-batch events explain, and the throughput run says where its time went; the floor and the
//   synchronous free are measured alike, without attribution. Every run uses a fresh rig; every run's backend audit is collected.
// - Which recipe is a protocol's design is the suite's choice (suite.cpp: its first claimed-correct recipe); this
//   header names no protocol.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/catalogue.hpp"
#include "measure.hpp"
#include "tail_attribution.hpp"

namespace dfrace::bench {

// Where a back-to-back run's timed time went, over all producers (AttributedPlatform's totals).
struct ThroughputSplit {
  double lock_wait_percent = 0;  // waiting for held locks (a fallback's zs_free behind the drain's, say)
  double queue_percent = 0;      // inside queue() calls that queued the drain
  double fallback_percent = 0;   // calls that freed synchronously (this run's own count)
  double trylock_failed_percent = 0;  // calls whose try_lock failed
};

inline ThroughputSplit split_time(const ProducersRun& run, const TscCalibration& cal) {
  BatchEvents total;
  double timed_ns = 0, calls = 0;
  for (const BatchResult& r : run.per_producer) {
    total += r.totals;
    timed_ns += r.timed_ns;
    calls += static_cast<double>(r.calls);
  }
  auto pct = [](double part, double whole) { return whole > 0 ? 100.0 * part / whole : 0.0; };
  return {pct(cal.ticks_to_ns(static_cast<double>(total.lock_wait_ticks)), timed_ns),
          pct(cal.ticks_to_ns(static_cast<double>(total.queue_ticks)), timed_ns),
          pct(static_cast<double>(total.fallbacks), calls), pct(static_cast<double>(total.trylock_failures), calls)};
}

struct DesignRun {
  unsigned producers = 1;
  PathMeasurement latency;  // the paced run: percentiles, preempted share, fallback share of its calls (pools:
                           // on AttributedPlatform, the run `tail` explains)
  ThroughputPoint throughput;        // back to back: M frees/s summed over the producers, fallback share
  std::optional<ThroughputSplit> throughput_split;  // pool designs: where that run's time went
  std::optional<TailAttribution> tail;  // what the paced run's slow batches contained (pool designs only)
};

struct DesignMeasurement {
  std::string label;               // "floor", "sync" or protocol/recipe
  std::optional<RecipeMeta> meta;  // pool designs only
  std::vector<DesignRun> runs;     // one per producer count
  bool audit_clean = true;
  std::string audit_detail;
};

namespace detail {
inline void audit_outcome(DesignMeasurement& d, const RunOutcome& o) {
  if (o.audit && !o.audit->each_freed_exactly_once()) {
    d.audit_clean = false;
    d.audit_detail = o.audit->summary();
  }
}
}  // namespace detail

template <class Rig>
DesignMeasurement measure_design(const Settings& settings, const std::vector<unsigned>& producer_counts,
                                 std::string label) {
  constexpr bool kAttributed = requires { requires Rig::kAttributes; };
  DesignMeasurement d;
  d.label = std::move(label);
  for (const unsigned n : producer_counts) {
    DesignRun& run = d.runs.emplace_back();
    run.producers = n;
    std::vector<RunOutcome> outcomes;
    if constexpr (!kAttributed) {
      run.throughput = measure_throughput<Rig>(settings, n, outcomes);
      ProducersRun paced = run_producers<Rig>(settings, settings.latency, n);
      summarize_latency(paced, run.latency);
      outcomes.push_back(paced.outcome);
    } else {
      BatchPlan counted = settings.throughput;
      counted.count_events = true;
      ProducersRun back_to_back = run_producers<Rig>(settings, counted, n);
      run.throughput = throughput_of(back_to_back);
      run.throughput_split = split_time(back_to_back, settings.cal);
      outcomes.push_back(back_to_back.outcome);
      ProducersRun paced = run_producers<Rig>(settings, settings.latency, n);
      AttributedBatches kept, preempted;
      for (const BatchResult& r : paced.per_producer) {
        kept.samples.insert(kept.samples.end(), r.ns_per_call.begin(), r.ns_per_call.end());
        kept.events.insert(kept.events.end(), r.events.begin(), r.events.end());
        preempted.samples.insert(preempted.samples.end(), r.preempted_ns_per_call.begin(),
                                 r.preempted_ns_per_call.end());
        preempted.events.insert(preempted.events.end(), r.preempted_events.begin(), r.preempted_events.end());
      }
      summarize_latency(paced, run.latency);
      run.tail = attribute_tail(kept, std::move(preempted), settings.latency.batch, settings.cal);
      outcomes.push_back(paced.outcome);
    }
    for (const RunOutcome& o : outcomes) detail::audit_outcome(d, o);
  }
  return d;
}

}  // namespace dfrace::bench
