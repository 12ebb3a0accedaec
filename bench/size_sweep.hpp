// The drain side: for each SIZE and each offered producer rate, one producer enqueues on its bound CPU slot of the
// real pool while the drain worker runs; the pool's own statistics say how many handles the drain freed and how
// many enqueues fell back to the synchronous free because the buffer was still full.
//
// Contract: `sweep_sizes<Plugin, kRecipe>(plan)` runs every (size, rate) point with a fresh pool (2 CPU slots, as the
// latency runs) on DrainTimedPlatform, so the drain's busy time is known too. Rate 0 means back to back. Producer
// and drain are pinned to different CPUs as in the latency runs.
#pragma once

#include <string>
#include <vector>

#include <optional>

#include "batch_timer.hpp"
#include "cpu_pinning.hpp"
#include "drain_timed_platform.hpp"
#include "latency_summary.hpp"
#include "rigs.hpp"

namespace dfrace::bench {

struct SweepPlan {
  std::vector<std::size_t> sizes;
  std::vector<double> rates_mops;  // 0: back to back
  double seconds_per_point = 0.2;
  unsigned batch = 64;
  unsigned nr_cpus = 2;
  TscCalibration cal;
  PinPlan pins;
};

struct SweepPoint {
  std::size_t size = 0;
  double offered_mops = 0;      // 0: back to back
  double achieved_mops = 0;     // enqueues per wall-clock second
  double drained_per_s = 0;     // handles freed by the drain per wall-clock second
  double drain_capacity_per_s = 0;  // handles freed per second the drain was running
  double overflow_fraction = 0; // enqueues that fell back to zs_free
  double p99_ns = 0;            // enqueue_on_bound_cpu p99 (per-call, batch averages) at this point
  std::uint64_t drain_runs = 0;
  double mean_wakeup_us = 0;    // successful queue() to the drain's start
  double max_wakeup_us = 0;
  bool audit_clean = true;
};

template <class Plugin, Recipe<typename Plugin::Protocol> kRecipe>
std::vector<SweepPoint> sweep_sizes(const SweepPlan& plan) {
  std::vector<SweepPoint> points;
  for (const std::size_t size : plan.sizes) {
    for (const double rate : plan.rates_mops) {
      Settings s;
      s.size = size;
      s.nr_cpus = plan.nr_cpus;
      std::optional<PoolRig<DrainTimedPlatform, Plugin, kRecipe, /*kBound=*/true>> made;
      {
        PinScope on_drain_cpu(plan.pins.drain);
        made.emplace(s);
      }
      auto& rig = *made;
      BatchPlan bp;
      bp.batch = plan.batch;
      bp.rate_mops = rate;
      bp.seconds = plan.seconds_per_point;
      bp.warmup_seconds = 0;
      SweepPoint p;
      p.size = size;
      p.offered_mops = rate;
      {
        PinScope on_producer_cpu(plan.pins.producer);
        HandleSupply supply(rig.backend());
        auto path = rig.path(0);
        BatchResult r = time_batches(path, supply, bp, plan.cal);
        p.achieved_mops = r.wall_ns > 0 ? static_cast<double>(r.calls) / r.wall_ns * 1e3 : 0;
        p.p99_ns = summarize(r.ns_per_call, 2).p99;
        const PoolStats st = rig.pool().stats();
        const double wall_s = r.wall_ns * 1e-9;
        p.drained_per_s = wall_s > 0 ? static_cast<double>(st.drained) / wall_s : 0;
        const double busy_s = plan.cal.ticks_to_ns(static_cast<double>(rig.platform().drain_ticks())) * 1e-9;
        p.drain_capacity_per_s = busy_s > 0 ? static_cast<double>(st.drained) / busy_s : 0;
        p.drain_runs = st.drain_runs;
        p.mean_wakeup_us = plan.cal.ticks_to_ns(rig.platform().mean_wakeup_ticks()) * 1e-3;
        p.max_wakeup_us = plan.cal.ticks_to_ns(static_cast<double>(rig.platform().max_wakeup_ticks())) * 1e-3;
      }
      RunOutcome o;
      rig.finish(o);
      p.overflow_fraction = overflow_fraction(o);
      p.audit_clean = o.audit && o.audit->each_freed_exactly_once();
      points.push_back(p);
    }
  }
  return points;
}

}  // namespace dfrace::bench
