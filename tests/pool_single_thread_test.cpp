// Every path of the per-CPU swap pool, one thread at a time, for every built-in recipe of its protocol.
#include <gtest/gtest.h>

#include <vector>

#include "test_platforms.hpp"

namespace dfrace::testing {
namespace {

using percpu_swap::DeferredFreePool;
constexpr auto kPostedV2 = percpu_swap::kRecipes[index_of_recipe(percpu_swap::kRecipes, "posted_v2")].recipe;
constexpr auto kMutantBase = percpu_swap::kRecipes[Catalogue<percpu_swap::Plugin>::kMutantBaseIndex].recipe;

template <class R>
class PoolSingleThreadTest : public ManualPoolTest<DeferredFreePool<ManualWorkPlatform, R::kRecipe>> {};

TYPED_TEST_SUITE(PoolSingleThreadTest, BuiltinRecipes<percpu_swap::Plugin>, RecipeTypeNames);

TYPED_TEST(PoolSingleThreadTest, BelowSizeDefersWithoutScheduling) {
  typename TestFixture::Pool pool(this->platform, this->backend, PoolConfig{.nr_cpus = 2, .size = 4});
  this->enqueue_n(pool, 0, 3);
  EXPECT_FALSE(pool.drain_work().pending());
  EXPECT_EQ(pool.stats().deferred, 3u);
  EXPECT_EQ(pool.stats().overflowed, 0u);
  EXPECT_EQ(this->backend.frees(), 0u);  // nothing freed yet: deferred
}

TYPED_TEST(PoolSingleThreadTest, ReachingSizeSchedulesTheDrainWhichSwapsAndFrees) {
  typename TestFixture::Pool pool(this->platform, this->backend, PoolConfig{.nr_cpus = 2, .size = 4});
  this->enqueue_n(pool, 1, 4);
  EXPECT_TRUE(pool.drain_work().pending());
  EXPECT_EQ(this->backend.frees(), 0u);
  ASSERT_TRUE(pool.drain_work().run_pending());
  EXPECT_EQ(this->backend.frees(), 4u);
  EXPECT_EQ(pool.stats().drained, 4u);
  EXPECT_EQ(pool.stats().drain_runs, 1u);
  EXPECT_EQ(pool.stats().buffer_allocs, 3u);  // two at creation, one replacement
  // The fresh buffer takes new handles from slot 0 again.
  this->enqueue_n(pool, 1, 2);
  EXPECT_EQ(pool.stats().deferred, 6u);
  EXPECT_FALSE(pool.drain_work().pending());
}

TYPED_TEST(PoolSingleThreadTest, FullBufferOverflowsToSynchronousFree) {
  typename TestFixture::Pool pool(this->platform, this->backend, PoolConfig{.nr_cpus = 1, .size = 2});
  this->enqueue_n(pool, 0, 2);
  auto extra = this->enqueue_n(pool, 0, 3);  // the drain has not run yet
  EXPECT_EQ(pool.stats().overflowed, 3u);
  EXPECT_EQ(this->backend.frees(), 3u);
  EXPECT_EQ(pool.drain_work().queued(), 1);  // queueing pending work does nothing
  pool.drain_work().run_pending();
  EXPECT_EQ(this->backend.frees(), 5u);
}

TYPED_TEST(PoolSingleThreadTest, FlushFreesPartialAndFullBuffers) {
  typename TestFixture::Pool pool(this->platform, this->backend, PoolConfig{.nr_cpus = 3, .size = 4});
  this->enqueue_n(pool, 0, 1);
  this->enqueue_n(pool, 1, 4);  // full, drain pending
  this->enqueue_n(pool, 2, 3);
  pool.flush();
  const BackendAudit audit = this->backend.audit();
  EXPECT_TRUE(audit.each_freed_exactly_once()) << audit.summary();
  EXPECT_EQ(pool.stats().flushed, 4u);
  EXPECT_EQ(pool.stats().drained, 4u);
  // Afterwards the pool keeps working.
  this->enqueue_n(pool, 0, 4);
  pool.drain_work().run_pending();
  EXPECT_TRUE(this->backend.audit().each_freed_exactly_once());
}

TYPED_TEST(PoolSingleThreadTest, DestructionFreesEverythingDeferred) {
  {
    typename TestFixture::Pool pool(this->platform, this->backend, PoolConfig{.nr_cpus = 2, .size = 4});
    this->enqueue_n(pool, 0, 4);  // full, drain pending but never run
    this->enqueue_n(pool, 1, 2);
    EXPECT_EQ(this->backend.frees(), 0u);
  }
  const BackendAudit audit = this->backend.audit();
  EXPECT_EQ(audit.allocated, 6u);
  EXPECT_TRUE(audit.each_freed_exactly_once()) << audit.summary();
}

TYPED_TEST(PoolSingleThreadTest, SizeOneAlternatesDeferAndDrain) {
  typename TestFixture::Pool pool(this->platform, this->backend, PoolConfig{.nr_cpus = 1, .size = 1});
  for (int round = 0; round < 5; ++round) {
    this->enqueue_n(pool, 0, 1);
    ASSERT_TRUE(pool.drain_work().run_pending());
  }
  EXPECT_EQ(pool.stats().drained, 5u);
  EXPECT_TRUE(this->backend.audit().each_freed_exactly_once());
}

TEST(PoolConfigTest, RejectsUnusableConfigurations) {
  EXPECT_NE(validate({.nr_cpus = 0, .size = 8}), "");
  EXPECT_NE(validate({.nr_cpus = 2, .size = 0}), "");
  EXPECT_NE(validate({.nr_cpus = 2, .size = kMaxBufferSize + 1}), "");
  EXPECT_NE(validate({.nr_cpus = kMaxCpus + 1, .size = 8}), "");
  EXPECT_EQ(validate({.nr_cpus = 2, .size = 2048}), "");
  ManualWorkPlatform platform;
  ZsBackend<> backend;
  using Pool = DeferredFreePool<ManualWorkPlatform, kPostedV2>;
  EXPECT_THROW(Pool(platform, backend, PoolConfig{.nr_cpus = 1, .size = 0}), std::invalid_argument);
}

// kvmalloc_array fails for the drain's replacement buffer.
TEST(PoolAllocFailureTest, CorrectRecipeDrainsInPlaceAndLosesNothing) {
  using Pool = DeferredFreePool<ManualWorkPlatform, kMutantBase>;
  ZsBackend<> backend;
  ManualWorkPlatform platform(AllocFaults{.fail_every = 2});  // the drain's 2nd, 4th, ... refill fails
  Pool pool(platform, backend, PoolConfig{.nr_cpus = 2, .size = 2});
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 2; ++i) pool.enqueue(0, backend.zs_malloc());
    pool.drain_work().run_pending();  // refills 1 (swap), 2 (fails: in place), 3 (swap)
  }
  EXPECT_EQ(pool.stats().buffer_alloc_failures, 1u);
  EXPECT_EQ(pool.stats().drained, 6u);
  EXPECT_EQ(pool.stats().buffer_allocs, 4u);  // 2 at creation + 2 refills
  EXPECT_TRUE(backend.audit().each_freed_exactly_once()) << backend.audit().summary();
}

TEST(PoolAllocFailureDeathTest, PostedV2InstallsTheNullBufferAndTheNextEnqueueCrashes) {
  using Pool = DeferredFreePool<ManualWorkPlatform, kPostedV2>;
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        ManualWorkPlatform platform(AllocFaults{.fail_every = 1});
        ZsBackend<> backend;
        Pool pool(platform, backend, PoolConfig{.nr_cpus = 1, .size = 2});
        pool.enqueue(0, backend.zs_malloc());
        pool.enqueue(0, backend.zs_malloc());
        pool.drain_work().run_pending();  // installs NULL, frees the old handles
        pool.enqueue(0, backend.zs_malloc());
      },
      "NULL buffer");
}

}  // namespace
}  // namespace dfrace::testing
