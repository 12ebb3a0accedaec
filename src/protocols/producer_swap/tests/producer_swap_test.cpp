// Every path of the producer-swap pool (RFC v3), one thread at a time, for every built-in recipe of its protocol:
// the swap of a full page onto the drain list, the drain's return of the pages to the free pool, the empty pool's
// fallback and its retry, flush and teardown.
#include <gtest/gtest.h>

#include <vector>

#include "test_platforms.hpp"

namespace dfrace::testing {
namespace {

using producer_swap::Direction;
using producer_swap::ProducerSwapPool;

bool saw(const ManualWorkPlatform& platform, Direction d) {
  return (platform.observed_directions() >> static_cast<unsigned>(d) & 1u) != 0;
}

template <class R>
class ProducerSwapTest : public ManualPoolTest<ProducerSwapPool<ManualWorkPlatform, R::kRecipe>> {};

TYPED_TEST_SUITE(ProducerSwapTest, BuiltinRecipes<producer_swap::Plugin>, RecipeTypeNames);

TYPED_TEST(ProducerSwapTest, TakesTwicePlusOnePagesPerCpuAtCreation) {
  typename TestFixture::Pool pool(this->platform, this->backend, PoolConfig{.nr_cpus = 3, .size = 2});
  EXPECT_EQ(pool.stats().buffer_allocs, 7u);  // 3 installed, 3 + 1 free
  EXPECT_EQ(TestFixture::Pool::free_pages(pool.config()), 4u);
}

TYPED_TEST(ProducerSwapTest, FillingAPageSwapsItOntoTheDrainList) {
  typename TestFixture::Pool pool(this->platform, this->backend, PoolConfig{.nr_cpus = 2, .size = 2});
  this->enqueue_n(pool, 0, 1);
  EXPECT_FALSE(pool.drain_work().pending());
  this->enqueue_n(pool, 0, 1);  // fills the page: the producer swaps and queues the drain
  EXPECT_TRUE(pool.drain_work().pending());
  EXPECT_EQ(this->backend.frees(), 0u);
  ASSERT_TRUE(pool.drain_work().run_pending());
  EXPECT_EQ(this->backend.frees(), 2u);
  EXPECT_EQ(pool.stats().drained, 2u);
  EXPECT_TRUE(saw(this->platform, Direction::kProducerToDrain));
  // The installed free page takes new handles from slot 0; nothing is queued until it is full.
  this->enqueue_n(pool, 0, 1);
  EXPECT_EQ(pool.stats().deferred, 3u);
  EXPECT_FALSE(pool.drain_work().pending());
}

TYPED_TEST(ProducerSwapTest, EmptyFreePoolKeepsTheFullPageAndTheNextEnqueueFallsBack) {
  // One CPU, SIZE 1: every enqueue fills its page. Two free pages: the third swap finds the pool empty.
  typename TestFixture::Pool pool(this->platform, this->backend, PoolConfig{.nr_cpus = 1, .size = 1});
  this->enqueue_n(pool, 0, 3);
  EXPECT_EQ(pool.stats().deferred, 3u);
  EXPECT_FALSE(saw(this->platform, Direction::kEmptyPoolFallback));
  this->enqueue_n(pool, 0, 1);  // the page is still full and the pool still empty: freed synchronously
  EXPECT_EQ(pool.stats().overflowed, 1u);
  EXPECT_EQ(this->backend.frees(), 1u);
  EXPECT_TRUE(saw(this->platform, Direction::kEmptyPoolFallback));
  ASSERT_TRUE(pool.drain_work().run_pending());  // the two swapped pages, returned to the free pool
  EXPECT_EQ(this->backend.frees(), 3u);
  EXPECT_FALSE(saw(this->platform, Direction::kDrainToProducer));
  this->enqueue_n(pool, 0, 1);  // the retried swap takes a returned page
  EXPECT_EQ(pool.stats().deferred, 4u);
  EXPECT_EQ(pool.stats().overflowed, 1u);
  EXPECT_TRUE(saw(this->platform, Direction::kDrainToProducer));
}

TYPED_TEST(ProducerSwapTest, FlushFreesInstalledPagesAndWhatTheDrainListHolds) {
  typename TestFixture::Pool pool(this->platform, this->backend, PoolConfig{.nr_cpus = 2, .size = 4});
  this->enqueue_n(pool, 0, 3);  // partial
  this->enqueue_n(pool, 1, 5);  // one page on the drain list, one handle on the new page
  pool.flush();
  EXPECT_EQ(this->backend.frees(), 8u);
  EXPECT_EQ(pool.stats().flushed, 4u);
  EXPECT_EQ(pool.stats().drained, 4u);
  EXPECT_TRUE(this->backend.audit().each_freed_exactly_once());
}

TYPED_TEST(ProducerSwapTest, DestructionFreesEverythingDeferred) {
  {
    typename TestFixture::Pool pool(this->platform, this->backend, PoolConfig{.nr_cpus = 2, .size = 2});
    this->enqueue_n(pool, 0, 5);  // two pages on the drain list, never drained
    this->enqueue_n(pool, 1, 1);
  }
  EXPECT_EQ(this->backend.frees(), 6u);
  EXPECT_TRUE(this->backend.audit().each_freed_exactly_once()) << this->backend.audit().summary();
}

TYPED_TEST(ProducerSwapTest, PagesRecycledManyTimesLoseNothing) {
  {
    typename TestFixture::Pool pool(this->platform, this->backend, PoolConfig{.nr_cpus = 2, .size = 1});
    for (int round = 0; round < 20; ++round) {
      this->enqueue_n(pool, round % 2, 2);
      if (round % 3 == 0) pool.drain_work().run_pending();
    }
    EXPECT_EQ(pool.stats().enqueued, 40u);
    EXPECT_EQ(pool.stats().deferred + pool.stats().overflowed, 40u);
    EXPECT_GT(pool.stats().overflowed, 0u);  // the drain ran only every third round: the pool ran dry
  }
  EXPECT_TRUE(this->backend.audit().each_freed_exactly_once()) << this->backend.audit().summary();
  EXPECT_TRUE(saw(this->platform, Direction::kDrainToProducer));
}

}  // namespace
}  // namespace dfrace::testing
