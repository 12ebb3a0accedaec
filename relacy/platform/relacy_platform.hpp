// RelacyPlatform: the pool's Platform (src/platform/platform.hpp) as Relacy events, so Relacy explores every
// interleaving and every weak-memory outcome of the REAL DeferredFreePool source.
//
// Contract (how kernel accesses map onto Relacy; docs/semantics.md §1)
// - Shared<T>: the value lives in an rl::atomic<T>. Marked accesses (READ_ONCE/WRITE_ONCE/acquire/release) use it
//   with the recipe's order; plain accesses use it relaxed (so coherence holds), and Relacy's data-race detector is
//   fed through rl::var shadows so plain accesses race exactly as C++ says:
//     plain store  : writes `plain`, reads every `marked_store[t]`
//     plain load   : reads `plain`, reads every `marked_store[t]`
//     marked store : reads `plain`, writes `marked_store[self]`   (shadows touched BEFORE the release store, so a
//                                                                  release covers them)
//     marked load  : reads `plain`                                 (shadows touched AFTER the acquire load)
//     rmw          : writes `marked_store[self]` BEFORE the rmw (its release covers it), reads `plain` AFTER it
//                    (its acquire covers that): a marked store and a marked load at once. A compare-exchange
//                    writes the shadow whether or not it will succeed (Relacy decides at the access itself), so a
//                    plain load concurrent with a failing one is reported too: more than C++, never less.
//   => plain/plain, plain/marked-store and plain-store/marked-load conflicts not ordered by happens-before are data
//   races; marked/marked never is. Each access records itself (host memory) so a race names both sites.
// - exchange / compare_exchange_strong: rl::atomic's, with the recipe's order on success and mo_relaxed on failure
//   (a failed cmpxchg orders nothing); Relacy's RMWs read the latest value. The fully ordered form (mb) is
//   mo_seq_cst followed, when it stored, by a seq_cst fence (the kernel's smp_mb after the access; the one before
//   it is not modelled, as Relacy cannot know before the access whether a compare-exchange will store: Relacy
//   orders a little less than the kernel there, which can only report more, never hide a bug).
// - Fences: rl::atomic_thread_fence with the recipe's order (rmb = acquire, wmb = release, mb = seq_cst).
// - Buffers: allocated on Relacy's heap. kvfree poisons a buffer (any later slot access is "use after free" at the
//   accessing site, deterministically) and parks it; the memory is returned at teardown, so a buffer that was never
//   kvfree'd by the pool is still reported (the pool must free every buffer it allocated). A NULL buffer's slot
//   access is a crash (the kernel's oops). With `alloc_faults`, every refill kvmalloc_array may fail (rl::rand).
// - WorkItem: one rl::atomic<int> state {PENDING, RUNNING}. queue() = CAS setting PENDING with mo_release on
//   success (a failure writes nothing and orders nothing); the model's worker thread claims a pending run with an
//   mo_acquire CAS (PENDING -> RUNNING) and ends it with fetch_and(~RUNNING, mo_release). flush() returns when an
//   acquire read-modify-write sees the state idle (flush_work's "happens after the run" ordering), parking in
//   between. Idle worker and waiting flusher park on Relacy wait sets, which add no ordering (a spin with rl::yield
//   would make full search explore every spin count). The worker stops when every other model thread has finished
//   and nothing is pending (a host-side fact, which adds no ordering). cancel_sync() only forbids further
//   queueing: teardown runs after every thread ended.
// - CpuBinding and the backend's Mutex are rl::mutex, so their acquire/release is modelled. Counter is a plain host
//   integer (statistics add no modelled ordering). irq_disable/enable do nothing: the models inject no interrupts.
#pragma once

#include "platform/relacy_include.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "platform/model_trace.hpp"
#include "platform/platform.hpp"
#include "platform/site_locations.hpp"
#include "platform/host_counter.hpp"

namespace dfrace::relacy {

// The largest SIZE a model may use (a buffer's slots are a fixed array of rl cells).
inline constexpr std::size_t kMaxSlots = 4;

// Raises a platform-detected failure: the run stops here and the verdict quotes `text`.
void fail_run(PlatformFailure kind, std::string text, rl::test_result_e result, std::size_t site);

inline rl::debug_info site_info(std::size_t site) {
  const auto& sites = current_protocol().sites;
  if (site >= sites.size()) return rl::debug_info("(platform)", "relacy_platform.hpp", 0);
  return rl::debug_info(sites[site].name.data(), "pool.hpp", site_line(site));
}

constexpr rl::memory_order rl_order(Access a) {
  switch (a) {
    case Access::kAcquire: case Access::kRmb: return rl::mo_acquire;
    case Access::kRelease: case Access::kWmb: return rl::mo_release;
    case Access::kMb: return rl::mo_seq_cst;
    default: return rl::mo_relaxed;
  }
}

// What a slot knows about the buffer it is in (for use-after-free and coverage).
struct SlotHook {
  bool freed = false;
  bool null_buffer = false;   // the sentinel standing in for slot(NULL, i)
  bool refill = false;        // allocated by the drain (a buffer a producer only sees after a reset)
  int filled_by_cpu = -1;     // the CPU whose producer last wrote a slot
};

class RelacyPlatform {
 public:
  template <class T>
  class Shared {
   public:
    explicit Shared(T initial = T{}) : value_(initial), plain_(0), marked_{} {}
    Shared(const Shared&) = delete;
    Shared& operator=(const Shared&) = delete;

    template <Access kAccess, std::size_t kSite>
    T load() {
      static_assert(kAccess == Access::kPlain || kAccess == Access::kOnce || kAccess == Access::kAcquire);
      const rl::debug_info info = site_info(kSite);
      const T v = value_.load(rl_order(kAccess), info);  // a scheduling point; the shadows below are not
      check_hook(kSite, /*store=*/false);                // after it: a kvfree may have run at that point
      constexpr bool kMarked = kAccess != Access::kPlain;
      begin(kSite, false, kMarked);
      (void)plain_(info).load();
      if constexpr (!kMarked) {
        for (unsigned t = 0; t < kMaxModelThreads; ++t) (void)marked_.by_thread[t](info).load();
      }
      end(kSite, false, kMarked);
      return v;
    }

    template <Access kAccess, std::size_t kSite>
    void store(T v) {
      static_assert(kAccess == Access::kPlain || kAccess == Access::kOnce || kAccess == Access::kRelease);
      check_hook(kSite, /*store=*/true);
      const rl::debug_info info = site_info(kSite);
      constexpr bool kMarked = kAccess != Access::kPlain;
      begin(kSite, true, kMarked);
      if constexpr (kMarked) {
        (void)plain_(info).load();
        marked_.by_thread[rl::thread_index() % kMaxModelThreads](info).store(1);
      } else {
        plain_(info).store(1);
        for (unsigned t = 0; t < kMaxModelThreads; ++t) (void)marked_.by_thread[t](info).load();
      }
      end(kSite, true, kMarked);
      value_.store(v, rl_order(kAccess), info);
      check_hook(kSite, /*store=*/true);  // again: a kvfree may have run at the store's scheduling point
      note_slot_store();
    }

    template <Access kAccess, std::size_t kSite>
    T exchange(T v) {
      static_assert(access_allowed(SiteKind::kRmw, kAccess));
      check_hook(kSite, /*store=*/true);
      const rl::debug_info info = site_info(kSite);
      rmw_shadows_before(kSite, info);
      const T old = value_.exchange(v, rl_order(kAccess), info);
      rmw_shadows_after(kSite, info, /*stored=*/true, kAccess == Access::kMb);
      return old;
    }
    template <Access kAccess, std::size_t kSite>
    bool compare_exchange(T& expected, T desired) {
      static_assert(access_allowed(SiteKind::kRmw, kAccess));
      check_hook(kSite, /*store=*/true);
      const rl::debug_info info = site_info(kSite);
      rmw_shadows_before(kSite, info);
      const bool stored = value_.compare_exchange_strong(expected, desired, rl_order(kAccess), info, rl::mo_relaxed,
                                                         info);
      rmw_shadows_after(kSite, info, stored, kAccess == Access::kMb);
      return stored;
    }

    void attach(SlotHook* hook) { hook_ = hook; }

   private:
    struct MarkedShadows {
      rl::var<int> by_thread[kMaxModelThreads] = {rl::var<int>(0), rl::var<int>(0), rl::var<int>(0), rl::var<int>(0)};
    };
    static_assert(kMaxModelThreads == 4, "MarkedShadows initialises exactly kMaxModelThreads shadows");

    // Record what is about to be checked, and the access of another thread it would conflict with, so a race
    // report (which stops the fiber inside the shadow access) can be mapped back to two site names.
    void begin(std::size_t site, bool store, bool marked) {
      ModelTrace& tr = trace();
      const unsigned self = rl::thread_index() % kMaxModelThreads;
      tr.current = {site, store, marked, self, ++tr.seq};
      AccessRecord best;
      for (unsigned t = 0; t < kMaxModelThreads; ++t) {
        if (t == self) continue;
        for (const AccessRecord& r : {last_[t][0], last_[t][1]}) {
          if (r.site == kNoSite) continue;
          const bool conflicts = store ? (marked ? !r.marked : true) : (marked ? (r.store && !r.marked) : r.store);
          if (conflicts && r.seq > best.seq) best = r;
        }
      }
      tr.partner = best;
    }
    void end(std::size_t site, bool store, bool marked) {
      ModelTrace& tr = trace();
      last_[tr.current.thread][store ? 1 : 0] = tr.current;
      tr.last_site = site;
      tr.current = {};
    }
    // A read-modify-write's shadows (see the contract): the marked store's before the access, the marked load's
    // after it; then the fully ordered form's fence, and the use-after-free check of the access's scheduling point.
    void rmw_shadows_before(std::size_t site, const rl::debug_info& info) {
      begin(site, true, true);
      marked_.by_thread[rl::thread_index() % kMaxModelThreads](info).store(1);
      end(site, true, true);
    }
    void rmw_shadows_after(std::size_t site, const rl::debug_info& info, bool stored, bool full) {
      check_hook(site, /*store=*/true);
      begin(site, false, true);
      (void)plain_(info).load();
      end(site, false, true);
      if (stored && full) rl::atomic_thread_fence(rl::mo_seq_cst, info);
      if (stored) note_slot_store();
    }
    void check_hook(std::size_t site, bool store) {
      if (hook_ == nullptr) return;
      if (hook_->null_buffer) {
        fail_run(PlatformFailure::kCrash,
                 "SIGSEGV: " + site_location(site) + " through a NULL buffer (the drain installed a failed "
                 "kvmalloc_array)", rl::test_result_user_assert_failed, site);
      } else if (hook_->freed) {
        fail_run(PlatformFailure::kUseAfterFree, site_location(site) + (store ? " writes" : " reads") +
                 " a slot of a buffer the drain already kvfree'd", rl::test_result_access_to_freed_memory, site);
      }
    }
    void note_slot_store();

    rl::atomic<T> value_;
    rl::var<int> plain_;
    MarkedShadows marked_;
    AccessRecord last_[kMaxModelThreads][2] = {};  // [thread][load, store]
    SlotHook* hook_ = nullptr;
  };

  struct Buffer : SlotHook {
    Buffer(std::size_t n, bool is_refill) : size(n) {
      refill = is_refill;
      for (auto& c : slots.cell) c.attach(this);
    }
    std::size_t size;
    struct Slots {
      Shared<Handle> cell[kMaxSlots];  // start at kNeverWritten
    } slots;
  };

  class RlMutex {
   public:
    void lock() { m_.lock(rl::debug_info("mutex.lock", "relacy_platform.hpp", 0)); }
    void unlock() { m_.unlock(rl::debug_info("mutex.unlock", "relacy_platform.hpp", 0)); }
    // spin_trylock: Relacy explores both outcomes where the lock is free too (a failed try_lock orders nothing).
    bool try_lock() { return m_.try_lock(rl::debug_info("mutex.try_lock", "relacy_platform.hpp", 0)); }

   private:
    rl::mutex m_;
  };
  using CpuBinding = RlMutex;  // get_cpu_ptr/put_cpu_ptr: one context on a CPU at a time
  using Mutex = RlMutex;       // zs_free's class lock

  using Counter = HostCounter;

  class WorkItem {
   public:
    WorkItem(RelacyPlatform& p, std::function<void()> work) : platform_(p), work_(std::move(work)), state_(0) {}
    WorkItem(const WorkItem&) = delete;
    WorkItem& operator=(const WorkItem&) = delete;

    bool queue();        // schedule_work
    void flush();        // flush_work: spins until idle (see the contract above)
    void cancel_sync() { cancelled_ = true; }
    bool try_run();      // the worker: claim a pending run (acquire) and run it; false when nothing was pending
    void wait_for_work();  // the worker parks until a queue_work succeeds or wake_worker() (no ordering added)
    void wake_worker();    // the model's last finishing thread: the worker may stop now
    std::uint64_t runs() const { return runs_; }

   private:
    static constexpr int kPending = 1;
    static constexpr int kRunning = 2;
    RelacyPlatform& platform_;
    std::function<void()> work_;
    rl::atomic<int> state_;
    // Relacy's bare wait sets: parking and unparking add no happens-before edge (unlike rl::semaphore, whose
    // acq_rel would let a queue_work acquire the drain's history). They only keep the search finite: a spinning
    // worker or flusher would make the full search explore every number of spins.
    rl::waitset<kMaxModelThreads> worker_waiters_;
    rl::waitset<kMaxModelThreads> flush_waiters_;
    bool cancelled_ = false;
    unsigned last_queuer_ = 0;      // host: which model thread queued the pending run (coverage only)
    unsigned running_for_ = 0;
    std::uint64_t runs_ = 0;
  };

  struct Options {
    bool alloc_faults = false;  // every refill kvmalloc_array may fail (both outcomes explored)
  };

  explicit RelacyPlatform(Options o);
  ~RelacyPlatform();  // returns every parked (kvfree'd) buffer to Relacy's heap
  RelacyPlatform(const RelacyPlatform&) = delete;
  RelacyPlatform& operator=(const RelacyPlatform&) = delete;

  Buffer* allocate_buffer(std::size_t n, bool may_fail);
  void free_buffer(Buffer* b);
  static Shared<Handle>& slot(Buffer* b, std::size_t i);

  template <Access kAccess, std::size_t kSite>
  void fence(const void*) {
    rl::atomic_thread_fence(rl_order(kAccess), site_info(kSite));
  }

  void irq_disable(unsigned) {}
  void irq_enable(unsigned) {}
  // The pool reports the directions it exercised; they are ORed over the whole search (ModelTrace::observed).
  void observed(std::size_t direction) { trace().observed |= DirectionSet{1} << direction; }

  // Host-side facts the model tells the platform (never modelled ordering).
  void set_teardown(bool on) { teardown_ = on; }
  std::size_t live_buffers() const { return live_buffers_; }

 private:
  friend class WorkItem;
  Options options_;
  Buffer* null_sentinel_;
  std::vector<Buffer*> parked_;
  std::size_t live_buffers_ = 0;
  bool teardown_ = false;
  unsigned drain_run_queuer_ = 0;  // the thread that queued the run in progress (coverage)
  bool in_drain_ = false;
};

static_assert(Platform<RelacyPlatform>);

// The sentinel slot(NULL, i) returns (set by the platform in scope).
RelacyPlatform::Buffer*& null_buffer_sentinel();

template <class T>
void RelacyPlatform::Shared<T>::note_slot_store() {
  if (hook_ == nullptr) return;
  ModelTrace& tr = trace();
  const unsigned self = rl::thread_index() % kMaxModelThreads;
  if (tr.roles[self] != Role::kProducer) return;
  hook_->filled_by_cpu = static_cast<int>(tr.cpu_of_thread[self]);
}

}  // namespace dfrace::relacy
