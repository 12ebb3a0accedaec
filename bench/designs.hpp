// The designs side by side: each registered protocol's claimed-correct design, with one producer and with two
// contending producers, next to the floor and the synchronous free measured the same way in the same run, and
// each design's tail attributed to what happened in its slow batches.
//
// Contract
// - `measure_design<Rig, AttributedRig>(settings, producer_counts)`: for each producer count n, a paced latency
//   run of n producers (each at the offered rate, CPU slot t for producer t, drain worker running; percentiles
//   over every producer's batches), a back-to-back throughput run of n producers, and, unless AttributedRig is
//   void, a second paced run of n producers on AttributedPlatform whose per-batch events explain its tail.
//   Every run uses a fresh rig; every run's backend audit is collected.
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
  PathMeasurement latency;           // the paced run: percentiles, preempted share, fallback share of its calls
  ThroughputPoint throughput;        // back to back: M frees/s summed over the producers, fallback share
  std::optional<TailAttribution> tail;  // the attributed paced run (pool designs only)
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
    ProducersRun paced = run_producers<Rig>(settings, settings.latency, n);
    summarize_latency(paced, run.latency);
    detail::audit_outcome(d, paced.outcome);
    std::vector<RunOutcome> outcomes;
    run.throughput = measure_throughput<Rig>(settings, n, outcomes);
    for (const RunOutcome& o : outcomes) detail::audit_outcome(d, o);
    if constexpr (!std::is_void_v<AttributedRig>) {
      ProducersRun attributed = run_producers<AttributedRig>(settings, settings.latency, n);
      AttributedBatches kept, preempted;
      for (const BatchResult& r : attributed.per_producer) {
        kept.samples.insert(kept.samples.end(), r.ns_per_call.begin(), r.ns_per_call.end());
        kept.events.insert(kept.events.end(), r.events.begin(), r.events.end());
        preempted.samples.insert(preempted.samples.end(), r.preempted_ns_per_call.begin(),
                                 r.preempted_ns_per_call.end());
        preempted.events.insert(preempted.events.end(), r.preempted_events.begin(), r.preempted_events.end());
      }
      run.tail = attribute_tail(kept, std::move(preempted), settings.latency.batch, settings.cal);
      detail::audit_outcome(d, attributed.outcome);
    }
  }
  return d;
}

}  // namespace dfrace::bench
