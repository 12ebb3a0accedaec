// AttributedPlatform: the native platform that also tells, per thread, what each free call did on its way, so
// the bench can say where a design's tail comes from (tail_attribution.hpp) instead of guessing.
//
// Contract
// - Identical to NativePlatform (same Shared, Buffer, binding, workqueue and lock semantics; the pool's code is
//   untouched). The additions are host-side counts of the calling thread, read with `calling_thread_events()`:
//   * WorkItem::queue(): whether it queued the drain (and the ticks it took: the wake-up of the worker) or found
//     it pending;
//   * Mutex::lock(): whether it found the lock held (and the ticks it waited); try_lock(): whether it failed;
//     a lock of the backend's lock (the one inside the object given to `watch_backend`) is one synchronous
//     zs_free by this thread: a fallback, whatever the protocol calls it;
//   * slot(b, i): an access into another buffer than this thread's previous one (the first store to a buffer
//     swapped in since), the moment a producer starts writing memory the drain last touched.
// - Costs: a thread-local compare per slot access (the only per-call addition; the bench reports this platform's
//   own p50/p99 next to the attribution, so its cost is visible), a try_lock before each lock, TSC reads only on
//   the rare paths (a successful queue(), a contended lock).
// - One watched backend per process at a time (the bench runs one rig at a time).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <utility>

#include "batch_events.hpp"
#include "platform/native/native_platform.hpp"
#include "tsc_clock.hpp"

namespace dfrace::bench {

class AttributedPlatform : public NativePlatform {
 public:
  class Mutex {
   public:
    void lock() {
      if (!m_.try_lock()) {
        const std::uint64_t t0 = tsc_start();
        m_.lock();
        events_.lock_waits += 1;
        events_.lock_wait_ticks += tsc_stop() - t0;
      }
      count_if_backend();
    }
    bool try_lock() {
      if (!m_.try_lock()) {
        events_.trylock_failures += 1;
        return false;
      }
      count_if_backend();
      return true;
    }
    void unlock() { m_.unlock(); }

   private:
    void count_if_backend() const {
      const auto* self = reinterpret_cast<const char*>(this);
      if (self >= backend_begin_.load(std::memory_order_relaxed) &&
          self < backend_end_.load(std::memory_order_relaxed)) {
        events_.fallbacks += 1;
      }
    }
    std::mutex m_;
  };

  class WorkItem : public NativePlatform::WorkItem {
   public:
    WorkItem(AttributedPlatform& p, std::function<void()> work) : NativePlatform::WorkItem(p, std::move(work)) {}
    bool queue() {
      const std::uint64_t t0 = tsc_start();
      const bool queued = NativePlatform::WorkItem::queue();
      if (queued) {
        events_.drain_queued += 1;
        events_.queue_ticks += tsc_stop() - t0;
      } else {
        events_.drain_already_pending += 1;
      }
      return queued;
    }
  };

  static Shared<Handle>& slot(Buffer* b, std::size_t i) {
    if (b != last_buffer_) [[unlikely]] {
      last_buffer_ = b;
      events_.buffer_switches += 1;
    }
    return NativePlatform::slot(b, i);
  }

  // The backend whose lock counts as a synchronous free (the rig's ZsBackend, which holds its lock inside).
  static void watch_backend(const void* object, std::size_t bytes) {
    const auto* begin = static_cast<const char*>(object);
    backend_begin_.store(begin, std::memory_order_relaxed);
    backend_end_.store(begin + bytes, std::memory_order_relaxed);
  }

  static BatchEvents calling_thread_events() { return events_; }

 private:
  static inline thread_local BatchEvents events_{};
  static inline thread_local const Buffer* last_buffer_ = nullptr;
  static inline std::atomic<const char*> backend_begin_{nullptr};
  static inline std::atomic<const char*> backend_end_{nullptr};
};

static_assert(Platform<AttributedPlatform>);

}  // namespace dfrace::bench
