// attribute_tail on batches whose events are known: the tail is what it says, each tail batch is charged to the
// first event it contains, the shares sum to 100 % and the base rates count every batch.
#include "tail_attribution.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace dfrace::bench {
namespace {

constexpr std::size_t kIndex(TailCause c) { return static_cast<std::size_t>(c); }

TscCalibration one_tick_per_ns() {
  TscCalibration cal;
  cal.ticks_per_ns = 1.0;
  cal.overhead_ticks = 0;
  return cal;
}

// 200 batches at 2 ns per call; the last four are slow, each with a different mix of events.
AttributedBatches two_hundred_batches() {
  AttributedBatches b;
  b.samples.assign(200, 2.0f);
  b.events.assign(200, BatchEvents{});
  for (std::size_t i = 0; i < 10; ++i) b.events[i].fallbacks = 3;  // fast fallbacks: base rate only
  b.samples[196] = 100;
  b.events[196].drain_queued = 1;
  b.events[196].queue_ticks = 64 * 50;
  b.events[196].fallbacks = 1;  // the wake-up is charged first
  b.samples[197] = 90;
  b.events[197].lock_waits = 1;
  b.events[197].lock_wait_ticks = 64 * 40;
  b.events[197].drain_queued = 1;  // the lock wait is charged first
  b.samples[198] = 80;
  b.events[198].buffer_switches = 1;
  b.samples[199] = 80;  // nothing counted
  return b;
}

TEST(TailAttribution, ChargesEachTailBatchToItsFirstEventAndSharesSumToHundred) {
  const TailAttribution t = attribute_tail(two_hundred_batches(), {}, 64, one_tick_per_ns());
  EXPECT_EQ(t.batches, 200u);
  ASSERT_EQ(t.tail_batches, 4u);  // p99 of 200 is the 198th value, 80 ns: both 80s, 90 and 100 are the tail
  EXPECT_FLOAT_EQ(t.threshold_ns, 80.0);
  EXPECT_EQ(t.causes[kIndex(TailCause::kLockWait)].tail_batches, 1u);
  EXPECT_EQ(t.causes[kIndex(TailCause::kDrainQueued)].tail_batches, 1u);
  EXPECT_EQ(t.causes[kIndex(TailCause::kFallback)].tail_batches, 0u);
  EXPECT_EQ(t.causes[kIndex(TailCause::kBufferSwitch)].tail_batches, 1u);
  EXPECT_EQ(t.causes[kIndex(TailCause::kNone)].tail_batches, 1u);
  double sum = 0;
  for (const CauseShare& c : t.causes) sum += c.tail_percent;
  EXPECT_NEAR(sum, 100.0, 1e-9);
  // Presence is counted whatever the charge: two tail batches queued the drain, one fell back.
  EXPECT_DOUBLE_EQ(t.causes[kIndex(TailCause::kDrainQueued)].tail_with_event_percent, 50.0);
  EXPECT_DOUBLE_EQ(t.causes[kIndex(TailCause::kFallback)].tail_with_event_percent, 25.0);
  // Base rates over all 200 batches: 11 with a fallback, 2 with a wake-up, 200 - 13 with nothing.
  EXPECT_DOUBLE_EQ(t.causes[kIndex(TailCause::kFallback)].all_with_event_percent, 5.5);
  EXPECT_DOUBLE_EQ(t.causes[kIndex(TailCause::kDrainQueued)].all_with_event_percent, 1.0);
  EXPECT_DOUBLE_EQ(t.causes[kIndex(TailCause::kNone)].all_with_event_percent, 93.5);
  // Excess time above the p50 (2 ns): (98 + 88 + 78 + 78) * 64 ns; inside queue() 50 * 64, lock waits 40 * 64.
  EXPECT_NEAR(t.queue_time_percent, 100.0 * 50 / 342, 1e-9);
  EXPECT_NEAR(t.lock_wait_time_percent, 100.0 * 40 / 342, 1e-9);
  EXPECT_DOUBLE_EQ(t.mean_queue_ns, 64.0 * 50 / 2);
}

TEST(TailAttribution, PreemptedBatchesAreSummarizedApart) {
  AttributedBatches preempted;
  preempted.samples = {500, 700, 900};
  preempted.events.assign(3, BatchEvents{});
  preempted.events[0].drain_queued = 1;
  preempted.events[2].drain_queued = 1;
  const TailAttribution t = attribute_tail(two_hundred_batches(), preempted, 64, one_tick_per_ns());
  EXPECT_EQ(t.tail_batches, 4u);  // preempted batches are not in the tail
  EXPECT_EQ(t.preempted_batches, 3u);
  EXPECT_NEAR(t.preempted_percent, 100.0 * 3 / 203, 1e-9);
  EXPECT_NEAR(t.preempted_with_drain_queued_percent, 100.0 * 2 / 3, 1e-9);
  EXPECT_DOUBLE_EQ(t.preempted_median_ns, 700.0);
}

TEST(TailAttribution, MismatchedEventsAreRejected) {
  AttributedBatches b = two_hundred_batches();
  b.events.pop_back();
  EXPECT_THROW(attribute_tail(b, {}, 64, one_tick_per_ns()), std::logic_error);
}

}  // namespace
}  // namespace dfrace::bench
