// The whole benchmark run, in one process: the designs side by side (each registered protocol's first
// claimed-correct recipe, 1 and 2 producers, next to the floor and the synchronous free, with its tail attributed;
// designs.hpp), then the floor, the synchronous free, both enqueue kinds of every recipe of the catalogue
// (built-in ones, and the mutants when asked), and the SIZE sweep.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "designs.hpp"
#include "measure.hpp"
#include "core/catalogue.hpp"
#include "size_sweep.hpp"

namespace dfrace::bench {

struct SuiteOptions {
  bool quick = false;
  bool include_mutants = false;
  std::size_t size = 2048;
  unsigned batch = 64;
  double rate_mops = 4.0;          // offered rate of the latency runs
  double latency_seconds = 1.5;    // per path
  double throughput_seconds = 0.5; // per path and thread count
  std::string sweep_recipe = "complete_fix";
  std::vector<std::size_t> sweep_sizes{64, 128, 256, 512, 1024, 2048, 4096};
  std::vector<double> sweep_rates{1, 2, 4, 8, 16, 32, 0};
  double sweep_seconds = 0.25;
  double model_zs_free_ns = 0;     // > 0: also measure sync free with this much modelled work under the lock
  bool pin = false;  // latency and sweep: producer and drain on different CPUs (default: the scheduler decides)
  bool progress = true;
  std::vector<unsigned> design_producers{1, 2};  // producer counts of the side-by-side runs
};

struct RecipeMeasurement {
  RecipeMeta meta;
  PathMeasurement enqueue;  // with the user-space CPU binding
  PathMeasurement bound;    // enqueue_on_bound_cpu: the kernel-equivalent hot path
  PathMeasurement bound_no_stats;  // the same on NoStatsPlatform: the seed's enqueue, which keeps no statistics
  bool audit_clean = true;
  std::string audit_detail;
};

struct SuiteResult {
  SuiteOptions options;
  Settings settings;
  std::string load_before, load_after;  // /proc/loadavg
  // Side by side: the floor, the synchronous free and each protocol's design, each at design_producers.
  DesignMeasurement side_floor;
  DesignMeasurement side_sync;
  std::vector<DesignMeasurement> designs;
  PathMeasurement floor;
  PathMeasurement sync_free;
  std::optional<PathMeasurement> sync_free_modelled;
  std::vector<RecipeMeasurement> recipes;
  std::vector<SweepPoint> sweep;
  double seconds = 0;
};

// Throws std::invalid_argument for an unknown sweep recipe.
SuiteResult run_suite(const SuiteOptions& options);

}  // namespace dfrace::bench
