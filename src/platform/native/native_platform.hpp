// NativePlatform: the pool on real threads and real atomics, as it would be benchmarked and shipped.
//
// Contract
// - Shared<T> is plain storage. A plain access is a plain C++ access (so ThreadSanitizer sees it as one); a marked
//   access goes through std::atomic_ref with the recipe's order. exchange/compare_exchange are atomic_ref's, the
//   compare-exchange strong and relaxed on failure; the fully ordered form (mb) is seq_cst, which on x86-64 (a
//   locked instruction) and arm64 (an _AL atomic) is also the kernel's full barrier on both sides.
// - Barriers are std::atomic_thread_fence. ThreadSanitizer does not model standalone fences, so under TSan a
//   barrier is expressed on the location it protects (`paired`): smp_wmb releases it, smp_rmb acquires it,
//   smp_mb does both. That can only add ordering TSan would otherwise miss, never invent a race.
// - A slot access through a NULL buffer (the seed's unchecked kvmalloc_array) raises SIGSEGV on purpose, like the
//   kernel's oops, instead of relying on undefined behaviour.
// - The work item is a real worker thread with the kernel's workqueue semantics (see NativeWorkItem).
// - Buffer allocation can be made to fail (AllocFaults) to exercise the drain's kvmalloc_array failure.
#pragma once

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <thread>

#include "core/access.hpp"
#include "platform/platform.hpp"

#if defined(__SANITIZE_THREAD__)
#define DFRACE_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define DFRACE_TSAN 1
#endif
#endif
#ifdef DFRACE_TSAN
#include <sanitizer/tsan_interface.h>
#endif

namespace dfrace {

// Which of the drain's refill allocations (allocate_buffer(n, may_fail=true)) fail: none, every Nth, or with a probability (deterministic per seed).
struct AllocFaults {
  std::uint64_t fail_every = 0;   // 0: never; N: allocations N, 2N, ... fail
  double fail_probability = 0.0;  // in [0, 1]
  std::uint64_t seed = 1;
};

class NativePlatform {
 public:
  template <class T>
  class Shared {
   public:
    explicit Shared(T initial = T{}) : value_(initial) {}
    Shared(const Shared&) = delete;
    Shared& operator=(const Shared&) = delete;

    template <Access kAccess, std::size_t kSite>
    T load() {
      if constexpr (kAccess == Access::kPlain) {
        return value_;
      } else {
        return std::atomic_ref<T>(value_).load(memory_order_of(kAccess));
      }
    }
    template <Access kAccess, std::size_t kSite>
    void store(T v) {
      if constexpr (kAccess == Access::kPlain) {
        value_ = v;
      } else {
        std::atomic_ref<T>(value_).store(v, memory_order_of(kAccess));
      }
    }
    template <Access kAccess, std::size_t kSite>
    T exchange(T v) {
      static_assert(access_allowed(SiteKind::kRmw, kAccess));
      return std::atomic_ref<T>(value_).exchange(v, memory_order_of(kAccess));
    }
    template <Access kAccess, std::size_t kSite>
    bool compare_exchange(T& expected, T desired) {
      static_assert(access_allowed(SiteKind::kRmw, kAccess));
      return std::atomic_ref<T>(value_).compare_exchange_strong(expected, desired, memory_order_of(kAccess),
                                                                std::memory_order_relaxed);
    }

   private:
    alignas(std::atomic_ref<T>::required_alignment) T value_;
  };

  struct Buffer {
    std::size_t size;
    std::unique_ptr<Shared<Handle>[]> slots;  // exactly `size` slots, so ASan sees an overrun
  };

  class CpuBinding {
   public:
    void lock() { m_.lock(); }
    void unlock() { m_.unlock(); }

   private:
    std::mutex m_;
  };

  using Mutex = std::mutex;

  // Statistics only: relaxed, so they add no happens-before edge that could hide a race from TSan; and a load
  // plus a store rather than a locked read-modify-write, since each counter has one writer at a time (the
  // platform contract): on the hot path a counter then costs what the count bump itself costs.
  class Counter {
   public:
    void add(std::uint64_t n) { v_.store(v_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
    std::uint64_t value() const { return v_.load(std::memory_order_relaxed); }

   private:
    std::atomic<std::uint64_t> v_{0};
  };

  class WorkItem;

  NativePlatform() = default;
  explicit NativePlatform(AllocFaults faults) : faults_(faults), rng_state_(faults.seed | 1) {}

  Buffer* allocate_buffer(std::size_t n, bool may_fail);
  void free_buffer(Buffer* b) {
    delete b;  // kvfree(NULL) is a no-op, and so is this
  }

  static Shared<Handle>& slot(Buffer* b, std::size_t i) {
    if (b == nullptr) [[unlikely]] null_buffer_oops();
    return b->slots[i];
  }

  template <Access kAccess, std::size_t kSite>
  void fence(const void* paired) {
#ifdef DFRACE_TSAN
    void* addr = const_cast<void*>(paired);
    if constexpr (kAccess == Access::kWmb || kAccess == Access::kMb) __tsan_release(addr);
    if constexpr (kAccess == Access::kRmb || kAccess == Access::kMb) __tsan_acquire(addr);
#else
    (void)paired;
#endif
    std::atomic_thread_fence(memory_order_of(kAccess));
  }

  // User space has no interrupts to mask: nothing can arrive in the middle of an enqueue.
  void irq_disable(unsigned) {}
  void irq_enable(unsigned) {}

  std::uint64_t allocations_failed() const { return failed_.load(std::memory_order_relaxed); }

  // After std::thread::join of the threads that used the pool: nothing to do natively (a platform that keeps its
  // own view of happens-before, like WeakPlatform, learns the joins here).
  void threads_joined() {}

  // Directions of the protocol exercised so far (bit i: direction i). Relaxed, and read before it is written, so
  // reporting a direction costs a shared-cache load once it is known and adds no happens-before edge for TSan.
  void observed(std::size_t direction) {
    const DirectionBits bit = DirectionBits{1} << direction;
    if ((observed_.load(std::memory_order_relaxed) & bit) == 0) observed_.fetch_or(bit, std::memory_order_relaxed);
  }
  std::uint32_t observed_directions() const { return observed_.load(std::memory_order_relaxed); }

 protected:
  // The fault schedule: whether this allocation is to fail (counted in allocations_failed()).
  bool allocation_fails(bool may_fail);

 private:
  using DirectionBits = std::uint32_t;

  [[noreturn]] static void null_buffer_oops();

  AllocFaults faults_{};
  std::mutex alloc_mutex_;  // the fault schedule only; the allocation itself needs no lock
  std::uint64_t allocations_ = 0;
  std::uint64_t rng_state_ = 1;
  std::atomic<std::uint64_t> failed_{0};
  std::atomic<DirectionBits> observed_{0};
};

// schedule_work/flush_work/cancel_work_sync on a dedicated worker thread.
// - queue(): a compare-exchange on `pending_`; only a successful one is a release (a failed one writes nothing,
//   so, as in the kernel's documented contract, it orders nothing). The worker clears `pending_` with an acquire
//   exchange before running the work, so a queue() during a run queues the next run.
// - The mutex/condition variable only wake the worker and flushers; the failing queue() path never touches them.
class NativePlatform::WorkItem {
 public:
  WorkItem(NativePlatform&, std::function<void()> work);
  ~WorkItem();
  WorkItem(const WorkItem&) = delete;
  WorkItem& operator=(const WorkItem&) = delete;

  bool queue();
  void flush();
  void cancel_sync();

 private:
  void worker_loop();

  std::function<void()> work_;
  std::atomic<bool> pending_{false};
  std::mutex m_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  bool running_ = false;
  bool stopping_ = false;
  std::uint64_t completed_runs_ = 0;
  std::thread worker_;
};

static_assert(Platform<NativePlatform>);

}  // namespace dfrace
