// DrainTimedPlatform: the native platform whose work item also adds up the time the drain spends running and how
// long it waited to start, so the SIZE sweep can say *why* the drain falls behind: too slow (handles freed per
// second of drain time) or started too late (wake-up delay from a successful queue() to the run).
//
// Contract: identical to NativePlatform (same Shared, Buffer, binding, workqueue semantics); the additions are
// TSC reads around each run and at each successful queue(), outside the pool's code. Statistics only: a wake-up
// sample is skipped when the run starts before queue() has recorded its time.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <utility>

#include "platform/native/native_platform.hpp"
#include "tsc_clock.hpp"

namespace dfrace::bench {

class DrainTimedPlatform : public NativePlatform {
 public:
  class WorkItem : public NativePlatform::WorkItem {
   public:
    WorkItem(DrainTimedPlatform& p, std::function<void()> work)
        : NativePlatform::WorkItem(p, [&p, work = std::move(work)] {
            const std::uint64_t t0 = tsc_start();
            const std::uint64_t queued = p.queued_at_.exchange(0, std::memory_order_relaxed);
            if (queued != 0 && queued < t0) {
              const std::uint64_t wait = t0 - queued;
              p.wakeup_ticks_.fetch_add(wait, std::memory_order_relaxed);
              p.wakeups_.fetch_add(1, std::memory_order_relaxed);
              if (wait > p.max_wakeup_ticks_.load(std::memory_order_relaxed)) {
                p.max_wakeup_ticks_.store(wait, std::memory_order_relaxed);  // only this worker writes it
              }
            }
            work();
            p.drain_ticks_.fetch_add(tsc_stop() - t0, std::memory_order_relaxed);
          }),
          platform_(p) {}

    // schedule_work, plus the time of a successful one.
    bool queue() {
      const std::uint64_t t = tsc_start();
      if (!NativePlatform::WorkItem::queue()) return false;
      platform_.queued_at_.store(t, std::memory_order_relaxed);
      return true;
    }

   private:
    DrainTimedPlatform& platform_;
  };

  std::uint64_t drain_ticks() const { return drain_ticks_.load(std::memory_order_relaxed); }
  double mean_wakeup_ticks() const {
    const std::uint64_t n = wakeups_.load(std::memory_order_relaxed);
    return n ? static_cast<double>(wakeup_ticks_.load(std::memory_order_relaxed)) / static_cast<double>(n) : 0.0;
  }
  std::uint64_t max_wakeup_ticks() const { return max_wakeup_ticks_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> drain_ticks_{0};
  std::atomic<std::uint64_t> queued_at_{0};
  std::atomic<std::uint64_t> wakeup_ticks_{0};
  std::atomic<std::uint64_t> wakeups_{0};
  std::atomic<std::uint64_t> max_wakeup_ticks_{0};
};

static_assert(Platform<DrainTimedPlatform>);

}  // namespace dfrace::bench
