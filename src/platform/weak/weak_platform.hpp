// WeakPlatform: the native platform on real threads, with emulated weak memory (see weak_memory.hpp).
//
// Contract
// - The same pool source runs on it unchanged; it is NativePlatform (buffers, fault schedule, counters, interrupts,
//   the workqueue's worker thread) except for what makes a value visible:
//   * every Shared<T> has a weak::Cell next to its real storage. A load may return an older value the location
//     held, within coherence and happens-before (weak::Cell::load); a store is recorded in the cell; an exchange
//     or compare-exchange is one atomic step of the cell that reads the newest value (Cell::read_modify_write).
//   * Locks (CpuBinding, Mutex) and the workqueue carry clocks (weak::Sync), so the emulation knows every
//     happens-before edge the program has: an unlock releases, a lock acquires; a successful queue() releases
//     and the run it queued acquires; the end of a run releases, flush(), cancel_sync() and a successful
//     queue() acquire it (the native worker's mutex orders them after it, and the cells must know every edge
//     the program has: one they missed could make them return a value the program cannot read).
//   * Fences are weak::WeakMemory::fence (smp_rmb acquires what earlier relaxed loads read, smp_wmb makes later
//     stores carry the clock, smp_mb both and a hand-over with every earlier smp_mb).
// - What the sanitizers see: each access still happens at its program point on the real storage, with the same
//   kind as natively (plain stays plain, so ThreadSanitizer reports a racing plain access exactly where it does
//   natively; ASan checks the address is still allocated). Marked accesses are performed relaxed there, and
//   ThreadSanitizer learns the synchronization from the cell instead: a release store releases on its own store
//   record, an acquire (or relaxed + acquire fence) that READ that store acquires it. So TSan orders a stale read
//   with the store it returned, as the memory model does, not with the location's newest release, which would hide
//   races; and it never orders less than the model, which would invent them. Locks and the workqueue stay real
//   (TSan intercepts them as natively).
// - `Hook::before_access(site)` runs before every access and fence (stress's chaos; NoHook does nothing).
// - After std::thread::join of the other threads, call `threads_joined()` (the joins are invisible to the cells).
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <type_traits>

#include "core/access.hpp"
#include "platform/native/native_platform.hpp"
#include "platform/platform.hpp"
#include "platform/weak/weak_memory.hpp"

namespace dfrace {

struct NoAccessHook {
  static void before_access(std::size_t) {}
};

template <class Hook = NoAccessHook>
class WeakPlatform : public NativePlatform {
 public:
  explicit WeakPlatform(AllocFaults faults = {}) : NativePlatform(faults) { weak::WeakMemory::begin_domain(); }

  template <class T>
  class Shared {
    static_assert(std::is_trivially_copyable_v<T> && sizeof(T) <= sizeof(std::uint64_t));

   public:
    Shared() : Shared(T{}) {}
    explicit Shared(T initial) : value_(initial), cell_(to_word(initial)) {}
    Shared(const Shared&) = delete;
    Shared& operator=(const Shared&) = delete;

    template <Access kAccess, std::size_t kSite>
    T load() {
      Hook::before_access(kSite);
      // The access the sanitizers judge, at its program point; the value comes from the cell.
      if constexpr (kAccess == Access::kPlain) {
        const T seen = value_;
        asm volatile("" : : "r"(seen));  // keep the plain load: it is what TSan checks for races
      } else {
        (void)std::atomic_ref<T>(value_).load(std::memory_order_relaxed);
      }
      return from_word(cell_.load(order_of(kAccess)));
    }
    template <Access kAccess, std::size_t kSite>
    void store(T v) {
      Hook::before_access(kSite);
      if constexpr (kAccess == Access::kPlain) {
        value_ = v;
      } else {
        std::atomic_ref<T>(value_).store(v, std::memory_order_relaxed);
      }
      cell_.store(to_word(v), order_of(kAccess));
    }
    // The value and the ordering come from the cell (atomic there, under its lock); the real storage sees a relaxed
    // atomic access of the same kind, for the sanitizers only.
    template <Access kAccess, std::size_t kSite>
    T exchange(T v) {
      static_assert(access_allowed(SiteKind::kRmw, kAccess));
      Hook::before_access(kSite);
      std::uint64_t read = 0;
      cell_.read_modify_write(/*cas=*/false, 0, to_word(v), order_of(kAccess), read);
      (void)std::atomic_ref<T>(value_).exchange(v, std::memory_order_relaxed);
      return from_word(read);
    }
    template <Access kAccess, std::size_t kSite>
    bool compare_exchange(T& expected, T desired) {
      static_assert(access_allowed(SiteKind::kRmw, kAccess));
      Hook::before_access(kSite);
      std::uint64_t read = 0;
      const bool stored =
          cell_.read_modify_write(/*cas=*/true, to_word(expected), to_word(desired), order_of(kAccess), read);
      if (stored) {
        (void)std::atomic_ref<T>(value_).exchange(desired, std::memory_order_relaxed);
      } else {
        (void)std::atomic_ref<T>(value_).load(std::memory_order_relaxed);
      }
      expected = from_word(read);
      return stored;
    }

   private:
    static std::uint64_t to_word(T v) {
      if constexpr (std::is_pointer_v<T>) {
        return reinterpret_cast<std::uintptr_t>(v);
      } else {
        return static_cast<std::uint64_t>(v);
      }
    }
    static T from_word(std::uint64_t w) {
      if constexpr (std::is_pointer_v<T>) {
        return reinterpret_cast<T>(static_cast<std::uintptr_t>(w));
      } else {
        return static_cast<T>(w);
      }
    }
    static constexpr weak::Order order_of(Access a) {
      switch (a) {
        case Access::kAcquire: return weak::Order::kAcquire;
        case Access::kRelease: return weak::Order::kRelease;
        case Access::kOnce: return weak::Order::kRelaxed;
        case Access::kMb: return weak::Order::kSeqCst;  // read-modify-writes only
        default: return weak::Order::kPlain;
      }
    }

    alignas(std::atomic_ref<T>::required_alignment) T value_;
    weak::Cell cell_;
  };

  struct Buffer {
    std::size_t size;
    std::unique_ptr<Shared<Handle>[]> slots;  // exactly `size` slots, so ASan sees an overrun
  };

  Buffer* allocate_buffer(std::size_t n, bool may_fail) {
    if (allocation_fails(may_fail)) return nullptr;
    return new Buffer{n, std::unique_ptr<Shared<Handle>[]>(new Shared<Handle>[n])};
  }
  void free_buffer(Buffer* b) { delete b; }

  static Shared<Handle>& slot(Buffer* b, std::size_t i) {
    if (b == nullptr) [[unlikely]] NativePlatform::slot(nullptr, 0);  // the native NULL-buffer oops (SIGSEGV)
    return b->slots[i];
  }

  // A lock whose hand-over the cells know about (the real mutex gives the sanitizers theirs).
  class Mutex {
   public:
    void lock() {
      m_.lock();
      sync_.acquire();
    }
    bool try_lock() {
      if (!m_.try_lock()) return false;
      sync_.acquire();
      return true;
    }
    void unlock() {
      sync_.release();
      m_.unlock();
    }

   private:
    std::mutex m_;
    weak::Sync sync_;
  };
  using CpuBinding = Mutex;

  // The native workqueue, with its orderings told to the cells. `queue_lock_` (invisible to TSan) makes the
  // release of a successful queue() land before the run it queued acquires it.
  class WorkItem {
   public:
    WorkItem(WeakPlatform& p, std::function<void()> work)
        : work_(std::move(work)), inner_(p, [this] { run(); }) {}
    bool queue() {
      queue_lock_.lock();
      const bool queued = inner_.queue();
      if (queued) {
        queued_.release();
        // The native queue() then takes the worker's mutex, which orders it after every completed run: TSan
        // sees that edge, so the cells must know it too.
        done_.acquire();
      }
      queue_lock_.unlock();
      return queued;
    }
    void flush() {
      inner_.flush();
      done_.acquire();
    }
    void cancel_sync() {
      inner_.cancel_sync();
      done_.acquire();
    }

   private:
    void run() {
      queue_lock_.lock();
      queued_.acquire();
      queue_lock_.unlock();
      work_();
      done_.release();
    }

    std::function<void()> work_;
    weak::SpinLock queue_lock_;
    weak::Sync queued_, done_;
    NativePlatform::WorkItem inner_;  // last: its worker thread stops before the clocks it uses go away
  };

  template <Access kAccess, std::size_t kSite>
  void fence(const void*) {
    Hook::before_access(kSite);
    std::atomic_thread_fence(memory_order_of(kAccess));
    weak::WeakMemory::fence(kAccess == Access::kRmb || kAccess == Access::kMb,
                            kAccess == Access::kWmb || kAccess == Access::kMb, kAccess == Access::kMb);
  }

  void threads_joined() { weak::WeakMemory::join_all(); }
};

static_assert(Platform<WeakPlatform<>>);

}  // namespace dfrace
