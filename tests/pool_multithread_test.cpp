// Each registered protocol's Scenario on real threads: several producers, the drain worker and concurrent flushes. Afterwards every
// handle was freed exactly once, for every recipe claimed correct. (Recipes known to be buggy are the engines'
// business: a plain run proves nothing about them either way.)
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "test_platforms.hpp"

namespace dfrace::testing {
namespace {

template <class R>
class PoolMultithreadTest : public ::testing::Test {};


TYPED_TEST_SUITE(PoolMultithreadTest, AllRegisteredRecipes, RecipeTypeNames);

TYPED_TEST(PoolMultithreadTest, ProducersDrainAndFlushesFreeEachHandleExactlyOnce) {
  if (!TypeParam::kClaimedCorrect) GTEST_SKIP() << TypeParam::kName << " is not claimed correct: see the engines";
  constexpr unsigned kProducers = 4;  // more producers than CPUs: they contend for the binding
  constexpr unsigned kHandlesPerProducer = 5000;
  using Scenario = typename TypeParam::Plugin::template Scenario<NativePlatform, TypeParam::kRecipe,
                                                                 kProducers * kHandlesPerProducer>;
  ScenarioPlan plan{.nr_cpus = 3, .size = 16, .producers = kProducers, .migrate = true};
  for (unsigned p = 0; p < kProducers; ++p) plan.pushes[p] = kHandlesPerProducer;
  NativePlatform platform(AllocFaults{.fail_probability = 0.1, .seed = 7});
  auto scenario = std::make_unique<Scenario>(platform, plan);

  std::vector<std::thread> producers;
  std::atomic<bool> done{false};
  for (unsigned p = 0; p < kProducers; ++p) producers.emplace_back([&, p] { scenario->producer(p); });
  std::thread flusher([&] {
    while (!done.load()) scenario->flusher();
  });
  for (auto& t : producers) t.join();
  done.store(true);
  flusher.join();
  // Everything enqueued before the last flush is freed by it, with the pool still alive.
  EXPECT_EQ(scenario->quiesce(), "");
  const BackendAudit after_flush = scenario->backend().audit();
  EXPECT_TRUE(after_flush.each_freed_exactly_once()) << after_flush.summary();
  const auto stats = scenario->stats();
  EXPECT_EQ(stats.enqueued, static_cast<std::uint64_t>(kProducers) * kHandlesPerProducer);
  EXPECT_GT(stats.drain_runs, 0u);

  scenario->teardown();
  EXPECT_EQ(scenario->audit(), "");
  EXPECT_EQ(scenario->backend().audit().allocated, plan.total_handles());
  // The pool reported, as it ran, its first direction at least (each protocol's producer->drain hand-off).
  EXPECT_NE(platform.observed_directions() & 1u, 0u) << TypeParam::Plugin::Protocol::kDirections[0].name;
}

}  // namespace
}  // namespace dfrace::testing
