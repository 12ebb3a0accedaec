// SimPlatform: the Platform contract (src/platform/platform.hpp) on the deterministic runtime (fuzz/rt/).
//
// Contract
// - Shared<T> is an rt::Location: every load/store is a scheduling point with the recipe's memory order
//   (plain -> plain, once -> relaxed, acquire, release); fences are rt fences. An exchange or compare-exchange
//   is one scheduling point and one rt::Location read-modify-write (mb -> seq_cst: the kernel's fully ordered form).
//   T is an integer or a pointer (a Buffer* prints as buf#N in traces, any other pointer as its address).
// - Buffers come from a per-execution arena and are never reused within an execution (their storage is reused by
//   the next execution, so the fuzzing loop does not call malloc for them under ASan). A kvfree'd buffer stays
//   poisoned: a later slot access is `use after free: <site>`. A slot of the NULL buffer is
//   `crash: SIGSEGV (NULL buffer at <site>)`; an index >= SIZE is `invariant: slot index out of range at <site>`.
// - CpuBinding, Mutex hand clocks over on unlock/lock; WorkItem is a virtual worker thread "drain": queue() that
//   returns true releases into the item, the worker acquires when a run starts; flush/cancel_sync acquire the
//   runs' completion.
// - Refill allocations (may_fail) fail as the schedule's fault mask says; irq_disable/enable keep a per-CPU depth
//   the interrupt thread's gate reads.
// - A work-run limit (0: none) makes the worker start at most that many runs by itself; a run queued beyond it waits
//   until someone flushes or cancels the work. Those are legal executions (a worker may be that slow), so the limit
//   narrows what is explored without adding any.
// - For the proof mode every object here names itself in the footprint of the steps that use it (rt::Runtime::touch):
//   a lock, a work item, a buffer (freed or not, read by every slot access), the allocator, a CPU's interrupt state.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "core/access.hpp"
#include "platform/platform.hpp"
#include "rt/location.hpp"
#include "rt/runtime.hpp"
#include "platform/host_counter.hpp"

namespace dfrace::fuzz {

// The proof's abstract model (ExecRequest::abstract_model), part by part: each only adds executions.
struct SimAbstraction {
  bool backend_lock = false;  // SimPlatform::BackendMutex orders nothing
  bool work = false;          // WorkItem's abstract form: a program without a flusher (WorkItem adds: a run limit)
};

class SimPlatform {
 public:
  struct Buffer;

  // Why a slot reference is special: it is how the static slot() reports a bad access at the access's site.
  enum class SlotProblem : std::uint8_t { kNone, kNullBuffer, kOutOfRange };

  template <class T>
  class Shared {
   public:
    explicit Shared(T initial = T{}) : loc_(encode(initial), &format) {}
    Shared(const Shared&) = delete;
    Shared& operator=(const Shared&) = delete;

    template <Access kAccess, std::size_t kSite>
    T load() {
      before_access(kSite);
      return decode(loc_.load(kSite, order_of(kAccess)));
    }
    template <Access kAccess, std::size_t kSite>
    void store(T v) {
      before_access(kSite);
      loc_.store(kSite, encode(v), order_of(kAccess));
    }

    template <Access kAccess, std::size_t kSite>
    T exchange(T v) {
      static_assert(access_allowed(SiteKind::kRmw, kAccess));
      before_access(kSite);
      return decode(loc_.exchange(kSite, encode(v), order_of(kAccess)));
    }
    template <Access kAccess, std::size_t kSite>
    bool compare_exchange(T& expected, T desired) {
      static_assert(access_allowed(SiteKind::kRmw, kAccess));
      before_access(kSite);
      std::uint64_t seen = encode(expected);
      const bool stored = loc_.compare_exchange(kSite, seen, encode(desired), order_of(kAccess));
      expected = decode(seen);
      return stored;
    }

    void set_label(std::string label) { loc_.set_label(std::move(label)); }

    // Platform use: which buffer this slot belongs to (nullptr: not a slot), and a special slot's problem.
    const Buffer* owner = nullptr;
    SlotProblem problem = SlotProblem::kNone;

   private:
    static constexpr rt::Order order_of(Access a) {
      switch (a) {
        case Access::kOnce: return rt::Order::kRelaxed;
        case Access::kAcquire: return rt::Order::kAcquire;
        case Access::kRelease: return rt::Order::kRelease;
        case Access::kMb: return rt::Order::kSeqCst;  // read-modify-writes only
        default: return rt::Order::kPlain;
      }
    }
    static std::uint64_t encode(T v) {
      if constexpr (std::is_pointer_v<T>) {
        return reinterpret_cast<std::uintptr_t>(v);
      } else {
        return static_cast<std::uint64_t>(v);
      }
    }
    static T decode(std::uint64_t v) {
      if constexpr (std::is_pointer_v<T>) {
        return reinterpret_cast<T>(static_cast<std::uintptr_t>(v));
      } else {
        return static_cast<T>(v);
      }
    }
    static std::string format(std::uint64_t v);
    void before_access(std::size_t site);

    rt::Location loc_;
  };

  struct Buffer {
    std::uint32_t id = 0;
    rt::ObjectId object = 0;  // this allocation, in footprints
    std::size_t size = 0;  // slots constructed in `slots` for this execution
    bool freed = false;
    Shared<Handle>* slots = nullptr;  // raw storage for `capacity` slots, kept across executions
    std::size_t capacity = 0;
  };

  class Mutex {
   public:
    Mutex();
    void lock();
    bool try_lock();  // spin_trylock: a scheduling point; takes the lock if it is free, else orders nothing
    void unlock();
    int holder() const { return holder_; }
    rt::ObjectId object() const { return object_; }

   private:
    rt::ObjectId object_;
    int holder_ = -1;
    rt::VectorClock clock_;
  };

  // zs_free's lock. A Mutex, unless this execution runs the abstract model (Abstraction::backend_lock): then it is
  // no scheduling point and orders nothing. Why that only adds executions: the critical section touches only the
  // backend's host state (no scheduling point inside, so it stays atomic), its updates commute (a double free is
  // found in either order), and what is dropped is happens-before edges, which only widen what loads may read and
  // what counts as a data race. Every execution of the exact model is one of the abstract model.
  class BackendMutex {
   public:
    BackendMutex() : orders_(!current().abstraction_.backend_lock) {}
    void lock() {
      if (orders_) lock_.lock();
    }
    void unlock() {
      if (orders_) lock_.unlock();
    }

   private:
    bool orders_;
    Mutex lock_;
  };

  // get_cpu_ptr/put_cpu_ptr: a Mutex per CPU, named in the timeline.
  class CpuBinding {
   public:
    CpuBinding();
    void lock();
    void unlock();
    int holder() const { return lock_.holder(); }
    rt::ObjectId object() const { return lock_.object(); }

   private:
    unsigned cpu_;
    Mutex lock_;
  };

  using Counter = HostCounter;

  // schedule_work & co. on a virtual worker thread "drain" (the file comment has the exact form).
  //
  // The abstract form (Abstraction::work; a program with no flusher and a work-run limit D): queue() returns true
  // and does nothing, and the worker starts up to D runs whenever the schedule says, until cancel_sync. Why that
  // only adds executions: without flushers, the exact worker also makes at most D runs, one at a time, each at a
  // scheduling point the abstract worker has too; what is dropped is the hand-over from a queue() to the run
  // (happens-before edges) and the condition that a run was queued (a run the exact model would not start is
  // simply another execution). Each exact execution is then an abstract one, provided the pool uses queue()'s
  // result only to wait for the work (flush) or to count (the platform contract says so).
  class WorkItem {
   public:
    WorkItem(SimPlatform&, std::function<void()> work);
    WorkItem(const WorkItem&) = delete;
    WorkItem& operator=(const WorkItem&) = delete;
    bool queue();
    void flush();
    void cancel_sync();
    int worker() const { return worker_; }

   private:
    void worker_loop();
    void abstract_worker_loop();
    void run(const char* start_note);
    bool may_start() const;
    std::function<void()> work_;
    // Two objects for a proof's footprints, so that steps on different fields commute: the queue side (pending_,
    // cancelled_, flushers_, queued_clock_: queue, start, flush, cancel) and the run side (running_, done_clock_:
    // start, end, and the waits of flush and cancel). A run's end and a queue() are then independent.
    rt::ObjectId object_ = 0;
    rt::ObjectId run_object_ = 0;
    std::uint32_t run_limit_ = 0;
    bool abstract_ = false;
    std::uint32_t runs_ = 0;
    std::uint32_t flushers_ = 0;  // threads waiting in flush() or cancel_sync()
    bool pending_ = false;
    bool running_ = false;
    bool cancelled_ = false;
    int worker_ = -1;
    rt::VectorClock queued_clock_;  // released by successful queue() calls
    rt::VectorClock done_clock_;    // released by each completed run
  };

  using Abstraction = SimAbstraction;

  // fail_mask: bit i set -> the i-th refill allocation (may_fail) returns NULL.
  explicit SimPlatform(std::uint32_t fail_mask = 0, std::uint32_t work_run_limit = 0, Abstraction abstraction = {});
  ~SimPlatform();
  SimPlatform(const SimPlatform&) = delete;
  SimPlatform& operator=(const SimPlatform&) = delete;

  static SimPlatform& current() { return *current_; }

  Buffer* allocate_buffer(std::size_t n, bool may_fail);
  void free_buffer(Buffer* b);
  static Shared<Handle>& slot(Buffer* b, std::size_t i);

  template <Access kAccess, std::size_t kSite>
  void fence(const void*) {
    constexpr bool kAcq = kAccess == Access::kRmb || kAccess == Access::kMb;
    constexpr bool kRel = kAccess == Access::kWmb || kAccess == Access::kMb;
    rt::Runtime::get().fence(kSite, kAcq, kRel, kAccess == Access::kMb);
  }

  void irq_disable(unsigned cpu);
  void irq_enable(unsigned cpu);
  // Directions of the protocol this execution exercised (host memory: no scheduling point, no ordering).
  void observed(std::size_t direction) { observed_ |= std::uint32_t{1} << direction; }
  std::uint32_t observed_directions() const { return observed_; }
  int irq_depth(unsigned cpu) const { return cpu < kMaxSimCpus ? irq_depth_[cpu] : 0; }
  // The object irq_disable/irq_enable on `cpu` write (for a proof's footprints).
  static constexpr rt::ObjectId irq_state_object(unsigned cpu) { return rt::fixed_object(16 + cpu); }
  const CpuBinding* binding(unsigned cpu) const { return cpu < nbindings_ ? bindings_[cpu] : nullptr; }
  std::uint32_t buffers_allocated() const { return used_; }
  std::uint32_t buffers_freed() const { return freed_; }
  std::uint32_t refills() const { return refills_; }
  std::uint32_t failed_refills() const { return failed_refills_; }

 private:
  // Buffer storage shared by successive executions (one SimPlatform lives at a time): the first `used_` are this
  // execution's, their slots constructed; the rest wait, slots destroyed, for the next allocate_buffer.
  static std::vector<std::unique_ptr<Buffer>>& arena();

  static inline SimPlatform* current_ = nullptr;
  std::uint32_t fail_mask_;
  std::uint32_t work_run_limit_;
  Abstraction abstraction_;
  std::uint32_t refills_ = 0;
  std::uint32_t failed_refills_ = 0;
  std::uint32_t freed_ = 0;
  std::uint32_t used_ = 0;
  // Fixed arrays, not vectors: no allocation per execution (the schedule decoder asks for at most 3 CPUs).
  static constexpr unsigned kMaxSimCpus = 8;
  const CpuBinding* bindings_[kMaxSimCpus] = {};
  unsigned nbindings_ = 0;
  int irq_depth_[kMaxSimCpus] = {};
  std::uint32_t observed_ = 0;
};

// --- Shared<T> out of line ---

template <class T>
std::string SimPlatform::Shared<T>::format(std::uint64_t v) {
  if constexpr (std::is_pointer_v<T>) {
    if (v == 0) return "NULL";
    if constexpr (std::is_same_v<std::remove_cv_t<std::remove_pointer_t<T>>, Buffer>) {
      return "buf#" + std::to_string(reinterpret_cast<const Buffer*>(static_cast<std::uintptr_t>(v))->id);
    } else {
      char text[2 + 16 + 1];
      std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(v));
      return text;
    }
  } else {
    return std::to_string(v);
  }
}

// The checks a real machine would make at this access: the buffer behind a slot must exist and be live.
template <class T>
void SimPlatform::Shared<T>::before_access(std::size_t site) {
  rt::Runtime& rt = rt::Runtime::get();
  if (rt.dead()) return;
  rt.point();
  if (owner != nullptr) rt.touch(owner->object, false);
  if (problem == SlotProblem::kNone && (owner == nullptr || !owner->freed)) [[likely]] return;
  const std::string name = rt.site_name(static_cast<std::uint16_t>(site));
  if (problem == SlotProblem::kNullBuffer) rt.fail(VerdictKind::kCrash, "SIGSEGV (NULL buffer at " + name + ")");
  if (problem == SlotProblem::kOutOfRange) rt.fail(VerdictKind::kInvariant, "slot index out of range at " + name);
  rt.fail(VerdictKind::kUseAfterFree, name + " (buf#" + std::to_string(owner->id) + " was kvfree'd)");
}

static_assert(Platform<SimPlatform>);

}  // namespace dfrace::fuzz
