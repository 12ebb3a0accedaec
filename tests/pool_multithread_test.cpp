// The native pool on real threads: several producers, the drain worker and concurrent flushes. Afterwards every
// handle was freed exactly once, for every recipe claimed correct. (Recipes known to be buggy are the engines'
// business: a plain run proves nothing about them either way.)
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "test_platforms.hpp"

namespace dfrace::testing {
namespace {

using percpu_swap::DeferredFreePool;
using percpu_swap::PoolConfig;

template <class R>
class PoolMultithreadTest : public ::testing::Test {};


TYPED_TEST_SUITE(PoolMultithreadTest, AllBuiltinRecipes, RecipeTypeNames);

TYPED_TEST(PoolMultithreadTest, ProducersDrainAndFlushesFreeEachHandleExactlyOnce) {
  if (!TypeParam::kClaimedCorrect) GTEST_SKIP() << TypeParam::kName << " is not claimed correct: see the engines";
  constexpr unsigned kCpus = 3;
  constexpr int kProducers = 4;  // more producers than CPUs: they contend for the binding
  constexpr int kHandlesPerProducer = 5000;
  NativePlatform platform(AllocFaults{.fail_probability = 0.1, .seed = 7});
  ZsBackend<> backend;
  std::atomic<Handle> enqueued{0};
  {
    DeferredFreePool<NativePlatform, TypeParam::kRecipe> pool(platform, backend, PoolConfig{.nr_cpus = kCpus, .size = 16});
    std::vector<std::thread> producers;
    std::atomic<bool> done{false};
    for (int p = 0; p < kProducers; ++p) {
      producers.emplace_back([&, p] {
        for (int i = 0; i < kHandlesPerProducer; ++i) {
          pool.enqueue((p + i) % kCpus, backend.zs_malloc());
          enqueued.fetch_add(1, std::memory_order_relaxed);
        }
      });
    }
    std::thread flusher([&] {
      while (!done.load()) pool.flush();
    });
    for (auto& t : producers) t.join();
    done.store(true);
    flusher.join();
    pool.flush();
    // Everything enqueued before the last flush is freed by it, with the pool still alive.
    const BackendAudit after_flush = backend.audit();
    EXPECT_TRUE(after_flush.each_freed_exactly_once()) << after_flush.summary();
    const auto stats = pool.stats();
    EXPECT_EQ(stats.enqueued, static_cast<std::uint64_t>(kProducers) * kHandlesPerProducer);
    EXPECT_EQ(stats.deferred + stats.overflowed, stats.enqueued);
    EXPECT_EQ(stats.drained + stats.flushed, stats.deferred);
    EXPECT_GT(stats.drain_runs, 0u);
  }
  const BackendAudit audit = backend.audit();
  EXPECT_EQ(audit.allocated, enqueued.load());
  EXPECT_TRUE(audit.each_freed_exactly_once()) << audit.summary();
}

}  // namespace
}  // namespace dfrace::testing
