// dfrace-gbench: the same free paths as dfrace-bench, as Google Benchmark throughput benchmarks with 1 and 2
// producer threads (the drain worker running), an independent cross-check of dfrace-bench's Mops/s columns.
//
// Each iteration frees a batch of 64 pre-allocated handles (refills are outside the timing), items/s = calls/s.
// Producer t uses CPU slot t of the pool; the rig (backend, pool, drain worker) is made by Setup before the
// threads start and destroyed by Teardown after they stop. Every recipe of the catalogue is registered.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "free_paths.hpp"
#include "platform/native/native_platform.hpp"
#include "protocols/registry.hpp"
#include "rigs.hpp"
#include "tsc_clock.hpp"

namespace {

using namespace dfrace;
using namespace dfrace::bench;

constexpr unsigned kBatch = 64;
constexpr std::size_t kStock = 8192;

const Settings& settings() {
  static const Settings s = [] {
    Settings x;
    x.size = 2048;
    x.nr_cpus = 2;
    return x;
  }();
  return s;
}

template <class Rig>
std::unique_ptr<Rig>& rig_slot() {
  static std::unique_ptr<Rig> rig;
  return rig;
}

template <class Rig>
void run_path(benchmark::State& state) {
  Rig& rig = *rig_slot<Rig>();
  auto path = rig.path(static_cast<unsigned>(state.thread_index()));
  std::vector<Handle> stock(kStock);
  std::size_t next = kStock;
  for (auto _ : state) {
    if (next + kBatch > stock.size()) {
      state.PauseTiming();
      for (Handle& h : stock) h = rig.backend().zs_malloc();
      next = 0;
      state.ResumeTiming();
    }
    for (unsigned i = 0; i < kBatch; ++i) {
      path(stock[next + i]);
      clobber_memory();
    }
    next += kBatch;
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  for (; next < stock.size(); ++next) rig.backend().zs_free(stock[next]);  // give the unused handles back
}

template <class Rig>
void add(const std::string& name) {
  benchmark::RegisterBenchmark(name.c_str(), run_path<Rig>)
      ->Setup([](const benchmark::State&) { rig_slot<Rig>() = std::make_unique<Rig>(settings()); })
      ->Teardown([](const benchmark::State&) { rig_slot<Rig>().reset(); })
      ->Threads(1)
      ->Threads(2)
      ->UseRealTime();
}

}  // namespace

int main(int argc, char** argv) {
  add<FloorRig>("floor_array_append");
  add<SyncFreeRig<std::mutex>>("sync_zs_free");
  protocols::for_each_recipe(false, [&]<class Plugin, Recipe<typename Plugin::Protocol> kRecipe>(const RecipeMeta& m) {
    add<PoolRig<NativePlatform, Plugin, kRecipe, true>>(m.name + "/enqueue_on_bound_cpu");
    add<PoolRig<NativePlatform, Plugin, kRecipe, false>>(m.name + "/enqueue");
  });
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
