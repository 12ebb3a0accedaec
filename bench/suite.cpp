#include "suite.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <stdexcept>

#include "attributed_platform.hpp"
#include "platform/native/native_platform.hpp"
#include "modelled_zs_free.hpp"
#include "no_stats_platform.hpp"
#include "protocols/registry.hpp"
#include "rigs.hpp"

namespace dfrace::bench {

namespace {

std::string read_loadavg() {
  std::ifstream f("/proc/loadavg");
  std::string line;
  std::getline(f, line);
  return line;
}

// Every handle the producers took went through the pool (or was given back) and must be freed exactly once.
void audit_into(RecipeMeasurement& r, const PathMeasurement& m) {
  for (const RunOutcome& o : m.outcomes) {
    if (o.audit && !o.audit->each_freed_exactly_once()) {
      r.audit_clean = false;
      r.audit_detail = o.audit->summary();
    }
  }
}

void say(const SuiteOptions& o, const std::string& what) {
  if (o.progress) std::fprintf(stderr, "dfrace-bench: %s\n", what.c_str());
}

}  // namespace

SuiteResult run_suite(const SuiteOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  SuiteResult out;
  out.options = options;
  out.load_before = read_loadavg();

  Settings& s = out.settings;
  s.size = options.size;
  s.nr_cpus = 2;
  s.cal = calibrate_tsc(options.quick ? 50 : 200);
  s.latency = {options.batch, options.rate_mops, options.latency_seconds, options.latency_seconds / 10, true, true};
  s.throughput = {options.batch, 0.0, options.throughput_seconds, options.throughput_seconds / 10, false, false};
  s.thread_counts = {1, 2};
  if (options.pin) s.pins = pin_plan();
  say(options, "TSC " + std::to_string(s.cal.ticks_per_ns) + " ticks/ns, bracket overhead " +
                   std::to_string(s.cal.overhead_ticks) + " ticks");

  // The designs side by side, with their references measured the same way (1 and 2 producers).
  say(options, "side by side: floor");
  out.side_floor = measure_design<FloorRig>(s, options.design_producers, "floor");
  say(options, "side by side: synchronous zs_free");
  out.side_sync = measure_design<SyncFreeRig<std::mutex>>(s, options.design_producers, "sync");
  std::set<const ProtocolInfo*> has_design;
  protocols::for_each_recipe(false, [&]<class Plugin, Recipe<typename Plugin::Protocol> kRecipe>(
                                        const RecipeMeta& meta) {
    if (!meta.claimed_correct || !has_design.insert(meta.protocol).second) return;  // the first claimed correct
    const std::string label = std::string(meta.protocol->name) + "/" + meta.name;
    say(options, "side by side: " + label + " (on AttributedPlatform)");
    DesignMeasurement& d = out.designs.emplace_back(
        measure_design<PoolRig<AttributedPlatform, Plugin, kRecipe, true>>(s, options.design_producers, label));
    d.meta = meta;
  });

  // The denominators of every ratio first, in the same process and run as the recipes.
  say(options, "floor (per-thread array append)");
  out.floor = measure_path<FloorRig>(s);
  say(options, "synchronous zs_free under the backend lock");
  out.sync_free = measure_path<SyncFreeRig<std::mutex>>(s);
  if (options.model_zs_free_ns > 0) {
    say(options, "synchronous zs_free with a MODELLED " + std::to_string(options.model_zs_free_ns) +
                     " ns of work under the lock");
    g_modelled_ticks = static_cast<std::uint64_t>(options.model_zs_free_ns * s.cal.ticks_per_ns);
    out.sync_free_modelled = measure_path<SyncFreeRig<ModelledCostMutex>>(s);
  }

  protocols::for_each_recipe(options.include_mutants,
                               [&]<class Plugin, Recipe<typename Plugin::Protocol> kRecipe>(const RecipeMeta& meta) {
                                 say(options, "recipe " + meta.name);
                                 RecipeMeasurement& r = out.recipes.emplace_back();
                                 r.meta = meta;
                                 r.enqueue = measure_path<PoolRig<NativePlatform, Plugin, kRecipe, false>>(s);
                                 r.bound = measure_path<PoolRig<NativePlatform, Plugin, kRecipe, true>>(s);
                                 r.bound_no_stats = measure_path<PoolRig<NoStatsPlatform, Plugin, kRecipe, true>>(s);
                                 for (const PathMeasurement* m : {&r.enqueue, &r.bound, &r.bound_no_stats}) {
                                   audit_into(r, *m);
                                 }
                               });

  SweepPlan plan;
  plan.sizes = options.sweep_sizes;
  plan.rates_mops = options.sweep_rates;
  plan.seconds_per_point = options.sweep_seconds;
  plan.batch = options.batch;
  plan.nr_cpus = s.nr_cpus;
  plan.cal = s.cal;
  plan.pins = s.pins;
  say(options, "SIZE sweep of " + options.sweep_recipe);
  const bool found = protocols::with_recipe(
      options.sweep_recipe, [&]<class Plugin, Recipe<typename Plugin::Protocol> kRecipe>(const RecipeMeta&) {
        out.sweep = sweep_sizes<Plugin, kRecipe>(plan);
      });
  if (!found) throw std::invalid_argument("unknown recipe: " + options.sweep_recipe);

  out.load_after = read_loadavg();
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

}  // namespace dfrace::bench
