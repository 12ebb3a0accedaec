// The designs side by side: each registered protocol's claimed-correct design, with one producer and with two
// contending producers, next to the floor and the synchronous free measured the same way in the same run, and
// each design's tail attributed to what happened in its slow batches.
//
// Contract
// - `measure_design<Rig, AttributedRig>(settings, producer_counts, label)`: for each producer count n, a
//   back-to-back throughput run of n producers on Rig, then a paced latency run of n producers (each at the
//   offered rate, CPU slot t for producer t, drain worker running; percentiles over every producer's batches).
//   With an AttributedRig (the same pool on AttributedPlatform) the latency run is made on it, so the tail the
//   table reports is the very tail its per-batch events explain; without one (floor, sync) on Rig. Every run uses
//   a fresh rig; every run's backend audit is collected.
// - Which recipe is a protocol's design is the suite's choice (suite.cpp: its first claimed-correct recipe); this
//   header names no protocol.
#pragma once

#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "core/catalogue.hpp"
#include "measure.hpp"
#include "tail_attribution.hpp"

namespace dfrace::bench {

struct DesignRun {
  unsigned producers = 1;
  PathMeasurement latency;  // the paced run: percentiles, preempted share, fallback share of its calls (pools:
                           // on AttributedPlatform, the run `tail` explains)
  ThroughputPoint throughput;        // back to back: M frees/s summed over the producers, fallback share
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

template <class Rig, class AttributedRig = void>
DesignMeasurement measure_design(const Settings& settings, const std::vector<unsigned>& producer_counts,
                                 std::string label) {
  DesignMeasurement d;
  d.label = std::move(label);
  for (const unsigned n : producer_counts) {
    DesignRun& run = d.runs.emplace_back();
    run.producers = n;
    std::vector<RunOutcome> outcomes;
    run.throughput = measure_throughput<Rig>(settings, n, outcomes);
    if constexpr (std::is_void_v<AttributedRig>) {
      ProducersRun paced = run_producers<Rig>(settings, settings.latency, n);
      summarize_latency(paced, run.latency);
      outcomes.push_back(paced.outcome);
    } else {
      ProducersRun paced = run_producers<AttributedRig>(settings, settings.latency, n);
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
