// WeakMemory: emulated weak memory for real threads (the KCSAN_WEAK_MEMORY / Ozz idea, with the legality rules of
// the fuzz executor's Location).
//
// Contract
// - A `Cell` shadows one shared location: it keeps the location's newest kHistory stores in modification order
//   (= the order the stores took the cell), each with its writer, the writer's epoch and, for a release store (or
//   any store after a release fence in that thread), the writer's vector clock.
// - `Cell::read_modify_write` (exchange, compare-exchange) always reads the newest store, under the cell's lock, so
//   it is atomic; a store it makes carries the clock of the store it read (the release sequence goes on, C++20)
//   joined with the writer's when it releases; an acquiring one acquires what it read; kSeqCst is also a full
//   fence (WeakMemory::fence) on each side of the access. A failed compare-exchange is a relaxed load of the
//   newest store.
// - `Cell::load` may return an older value than the newest, at random (WeakMemory::configure's probability), but
//   never one older than (a) the newest store this thread already read or wrote there (coherence) and (b) the
//   newest store that happens-before the load by the clocks kept here. Seen from another thread, a store that
//   no synchronization has made visible yet is exactly a store still held in its writer's store buffer; the
//   writer's release (a release store or fence, an unlock, a successful queue_work, the end of a work run)
//   is what "drains" it. The writer itself always sees its own store at once.
// - Happens-before is tracked with one vector clock per thread, over-approximated where the model is subtle
//   (an smp_mb is a hand-over with every earlier smp_mb, a relaxed store after any release fence carries the
//   writer's current clock, a new thread starts after everything joined so far): more happens-before only means
//   fewer stale choices, never an illegal one.
// - Every synchronization between the contexts of the program must go through this runtime (`Sync` for locks
//   and the workqueue, `fence`, `join_all` after std::thread::join), or a stale value could be returned where the
//   real program forbids it.
// - Under ThreadSanitizer this file is compiled without instrumentation: its own locks and bookkeeping add no
//   happens-before edge and no access TSan could see. What TSan needs (which store a stale acquire read) is handed
//   to it explicitly with __tsan_release/__tsan_acquire on the store's record, never on a shared address.
// - One domain at a time: `begin_domain` (a new pool round) forgets every thread and clock. Threads register on
//   first use; at most kMaxThreads per domain.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace dfrace::weak {

inline constexpr int kMaxThreads = 8;
inline constexpr int kHistory = 8;

// kSeqCst: read-modify-writes only (the kernel's fully ordered xchg/cmpxchg).
enum class Order : std::uint8_t { kPlain, kRelaxed, kAcquire, kRelease, kSeqCst };

// A vector clock over the threads of one domain.
struct Clock {
  std::uint32_t c[kMaxThreads] = {};
  void join(const Clock& o) {
    for (int i = 0; i < kMaxThreads; ++i) c[i] = c[i] > o.c[i] ? c[i] : o.c[i];
  }
  bool covers(int tid, std::uint32_t epoch) const { return c[tid] >= epoch; }
};

// A tiny test-and-set lock. Invisible to ThreadSanitizer (this file is not instrumented), so holding it orders
// nothing a race detector could see.
class SpinLock {
 public:
  void lock();
  void unlock();

 private:
  std::atomic<bool> held_{false};
};

struct Config {
  double stale_probability = 0.25;  // chance that a load with older legal candidates returns one of them
  std::uint64_t seed = 1;
};

// Process-wide switches and counters.
class WeakMemory {
 public:
  static void configure(const Config& config);
  // A fresh set of threads and clocks (one pool round). No thread of the previous domain may still access it.
  static void begin_domain();
  // After std::thread::join of every other thread of the domain: the caller happens-after all of them.
  static void join_all();
  // An acquire, release or seq_cst fence (smp_rmb / smp_wmb / smp_mb) by the calling thread.
  static void fence(bool acquire, bool release, bool seq_cst);
  // Loads that returned an older value than the newest (the emulated reorderings), over the whole process.
  static std::uint64_t stale_loads();
  // "tests only": the calling thread's index in the current domain (registers it).
  static int thread_index();
};

// A synchronization object's clock: a lock (released at unlock, acquired at lock) or the workqueue.
class Sync {
 public:
  void release();  // the calling thread's clock joins this one, then the thread starts a new epoch
  void acquire();  // the calling thread's clock joins this one

 private:
  SpinLock lock_;
  Clock clock_;
};

// The shadow of one shared location. Values are carried as 64-bit words (a count, a handle, a pointer).
class Cell {
 public:
  explicit Cell(std::uint64_t initial);
  Cell(const Cell&) = delete;
  Cell& operator=(const Cell&) = delete;

  std::uint64_t load(Order order);
  void store(std::uint64_t value, Order order);
  // Reads the newest value into `read`; stores `desired` unless `cas` and that value is not `expected`. Returns
  // whether it stored.
  bool read_modify_write(bool cas, std::uint64_t expected, std::uint64_t desired, Order order, std::uint64_t& read);

  // The ThreadSanitizer sync objects a store that carries a clock releases on (see weak_memory.cpp).
  static constexpr int kTsanSyncs = 4;

 private:
  struct StoreRec {
    std::uint64_t value;
    std::uint32_t epoch;
    std::int8_t tid;  // -1: the initial value, which happens-before every access of the domain
    bool has_clock;
    Clock clock;
    std::uint8_t tsan_sync_count;
    const void* tsan_syncs[kTsanSyncs];
  };

  void reset_if_stale_domain(bool for_store);

  SpinLock lock_;
  std::uint32_t count_ = 1;  // stores ever made; store k lives at k % kHistory
  std::uint32_t seen_[kMaxThreads] = {};
  std::uint32_t domain_ = 0;  // the domain whose threads `seen_` counts for
  StoreRec stores_[kHistory];
};

}  // namespace dfrace::weak
