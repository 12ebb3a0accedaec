// The native work item keeps the kernel workqueue's contract.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "platform/native/native_platform.hpp"

namespace dfrace {
namespace {

TEST(NativeWorkItemTest, QueueRunsTheWorkAndFlushWaitsForIt) {
  NativePlatform p;
  std::atomic<int> runs{0};
  NativePlatform::WorkItem w(p, [&] { runs.fetch_add(1); });
  EXPECT_TRUE(w.queue());
  w.flush();
  EXPECT_EQ(runs.load(), 1);
}

TEST(NativeWorkItemTest, QueueingPendingWorkReturnsFalse) {
  NativePlatform p;
  std::atomic<bool> release{false};
  std::atomic<int> runs{0};
  NativePlatform::WorkItem w(p, [&] {
    runs.fetch_add(1);
    while (!release.load()) std::this_thread::yield();
  });
  ASSERT_TRUE(w.queue());
  while (runs.load() == 0) std::this_thread::yield();  // running, so no longer pending
  EXPECT_TRUE(w.queue());   // queued again while running
  EXPECT_FALSE(w.queue());  // already pending
  release.store(true);
  w.flush();
  EXPECT_EQ(runs.load(), 2);
}

TEST(NativeWorkItemTest, CancelSyncStopsTheWorker) {
  NativePlatform p;
  std::atomic<int> runs{0};
  NativePlatform::WorkItem w(p, [&] { runs.fetch_add(1); });
  w.cancel_sync();
  w.queue();
  w.flush();  // returns: the item is cancelled
  EXPECT_EQ(runs.load(), 0);
}

TEST(NativeAllocFaultsTest, FailEveryNth) {
  NativePlatform p(AllocFaults{.fail_every = 2});
  auto* spared = p.allocate_buffer(4, /*may_fail=*/false);  // not counted
  auto* a = p.allocate_buffer(4, true);
  auto* b = p.allocate_buffer(4, true);
  auto* c = p.allocate_buffer(4, true);
  EXPECT_NE(a, nullptr);
  EXPECT_EQ(b, nullptr);
  EXPECT_NE(c, nullptr);
  EXPECT_EQ(p.allocations_failed(), 1u);
  EXPECT_NE(spared, nullptr);
  p.free_buffer(spared);
  p.free_buffer(a);
  p.free_buffer(c);
}

}  // namespace
}  // namespace dfrace
