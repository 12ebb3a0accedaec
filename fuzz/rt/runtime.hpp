// Runtime: the deterministic checker's core. It knows nothing about the pool: virtual threads on fibers, one
// running at a time; a scheduling point before every shared access whose next thread comes from the input; vector
// clocks; findings; the trace; and the interleaving feedback counters for libFuzzer.
//
// Contract
// - `reset()` starts an execution; `spawn()` creates virtual threads (at most kMaxThreads); `run()` runs them until
//   all are done, one finds something, or none can run (a deadlock is a finding). Same input, same execution.
// - Inside a virtual thread: `point()` is a scheduling point (the input picks among runnable threads, byte 0 =
//   keep running the current one); `wait_until(pred)` blocks; `fail()` records a finding and never returns.
// - After a finding the runtime is "dead": blocked fibers are abandoned and every primitive becomes a no-op with
//   sequential semantics, so the caller can destroy what the execution built without running into the checker.
// - Nothing on the per-access path allocates: threads (fibers, stacks) are kept across executions, a spawned body
//   should fit std::function's inline buffer (capture a pointer), gates and wait predicates are `Predicate`s.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/verdict.hpp"
#include "rt/choices.hpp"
#include "rt/explorer.hpp"
#include "rt/footprint.hpp"
#include "rt/fiber.hpp"
#include "rt/trace.hpp"
#include "rt/vector_clock.hpp"

namespace dfrace::rt {

inline constexpr std::uint16_t kInitSite = 0xffff;  // the store a location is constructed with

#define DFRACE_HOT [[gnu::always_inline]] inline  // tiny accessors on the per-access path: never a call

// A `bool()` predicate stored inline (trivially copyable, at most 16 bytes, e.g. a lambda capturing a pointer and
// an index), or referenced (`ref`, for one whose lifetime the caller guarantees). The scheduler evaluates one per
// thread at every scheduling point, so this is one indirect call, without std::function's allocation or thunks.
class Predicate {
 public:
  Predicate() = default;
  template <class F>
    requires(std::is_trivially_copyable_v<F> && sizeof(F) <= 16 && alignof(F) <= 8 &&
             !std::is_same_v<std::remove_cvref_t<F>, Predicate>)
  Predicate(const F& f) : call_([](const void* p) { return static_cast<bool>((*static_cast<const F*>(p))()); }) {
    static_assert(std::is_invocable_r_v<bool, const F&>);
    new (buf_) F(f);
  }
  template <class F>
  static Predicate ref(const F& f) {
    Predicate p;
    const void* obj = &f;
    new (p.buf_) const void*(obj);
    p.call_ = [](const void* b) { return static_cast<bool>((**static_cast<const F* const*>(b))()); };
    return p;
  }
  explicit operator bool() const { return call_ != nullptr; }
  // UBSan's -fsanitize=function check is skipped here only: call_ is always the invoker generated for the stored
  // type, so its signature cannot mismatch, and this call runs for every thread at every scheduling point.
  [[gnu::always_inline, clang::no_sanitize("function")]] bool operator()() const { return call_(buf_); }

 private:
  alignas(8) unsigned char buf_[16] = {};
  bool (*call_)(const void*) = nullptr;
};

struct RunOptions {
  bool trace = false;
  bool feedback = true;              // bump the interleaving counters
  std::uint32_t max_steps = 200000;  // a guard: beyond it the execution is reported as not making progress
  // false ("consequence mode"): a data race is remembered, not fatal, and plain loads may read any store a relaxed
  // load could, so the execution goes on to what the race does (lost handles, use after free, NULL buffers).
  bool races_fatal = true;
};

// What bounded the model in an execution, if anything did (the proof mode refuses a proof that met a bound).
enum class ModelLimit : std::uint8_t { kNone, kStoreHistory, kAbstraction };

struct Outcome {
  VerdictKind kind = VerdictKind::kClean;
  std::string detail;
  // Consequence mode: the first data race of an execution that then ended in another finding ("A vs B").
  std::string race;
  std::uint64_t steps = 0;
  bool finding() const { return kind != VerdictKind::kClean; }
  // "data race: A vs B → use after free: enqueue.slot_store (...)" when a race led to the finding.
  std::string line() const {
    if (kind == VerdictKind::kClean) return "clean";
    const std::string own = verdict_word(kind) + ": " + detail;
    return race.empty() ? own : verdict_word(VerdictKind::kDataRace) + ": " + race + " → " + own;
  }
};

class Runtime {
 public:
  using Gate = Predicate;  // extra runnability condition (an interrupt, an interrupted producer)
  // The objects a gate reads, for the proof mode (GateObjects, footprint.hpp): a step that writes one of them can
  // open or close the gate, and so conflicts with the gated thread's next step, run or pending.

  DFRACE_HOT static Runtime& get() { return instance_; }

  void reset(const ChoiceSource& choices, RunOptions options, const std::vector<std::string_view>* site_names);
  // The proof mode: decisions come from `explorer` instead of the input bytes, and every step's footprint is
  // reported to it. nullptr (the default) is the fuzzing mode. Kept across reset().
  void set_explorer(Explorer* explorer) { explorer_ = explorer; }
  bool exploring() const { return explorer_ != nullptr; }
  int spawn(std::string name, std::function<void()> body, Gate gate = {}, GateObjects gate_objects = {});
  Outcome run();

  // --- inside a virtual thread ---
  DFRACE_HOT int current() const { return current_; }
  DFRACE_HOT bool dead() const { return dead_; }
  void point();
  template <class Pred>
  void wait_until(const Pred& pred) {
    if (dead_) return;
    Thread& self = *cur_;
    while (!pred()) {
      self.waiting = Predicate::ref(pred);
      point();
      self.waiting = {};
    }
  }
  [[noreturn]] void fail(VerdictKind kind, std::string detail);
  // A data race: fatal, or remembered in consequence mode (RunOptions::races_fatal).
  void race(std::string pair);
  bool races_fatal() const { return options_.races_fatal; }
  DFRACE_HOT unsigned choose(unsigned n) {
    if (explorer_ != nullptr) [[unlikely]] return n <= 1 || abandoned_ ? 0 : explorer_->read(n);
    return choices_.choose(n);
  }
  // A load of Location `object` choosing among its n newest stores (0 = the newest, whose index is `newest`).
  DFRACE_HOT unsigned choose_store(unsigned n, ObjectId object, std::uint32_t newest) {
    if (explorer_ != nullptr) [[unlikely]] {
      return n <= 1 || abandoned_ ? 0 : explorer_->read_store(n, current_, object, newest);
    }
    return choices_.choose(n);
  }
  std::uint8_t byte() { return choices_.byte(); }
  bool done(int tid) const { return th_[tid]->state == State::kDone; }
  void join(int tid);  // wait for tid to finish and acquire its clock

  // Vector clocks of the running thread.
  DFRACE_HOT VectorClock& clock() { return cur_->clock; }
  VectorClock& clock_of(int tid) { return th_[tid]->clock; }
  DFRACE_HOT void tick() { ++cur_->clock.c[current_]; }
  DFRACE_HOT std::uint32_t epoch() const { return cur_->clock.c[current_]; }
  void release_into(VectorClock& sync) { sync.join(clock()); tick(); }
  void acquire_from(const VectorClock& sync) { clock().join(sync); }
  // Fences (docs/semantics.md §2).
  DFRACE_HOT VectorClock& acquire_pending() { return cur_->acquire_pending; }
  DFRACE_HOT const VectorClock* fence_release_clock() const {
    return cur_->has_fence_release ? &cur_->fence_release : nullptr;
  }
  void fence(std::uint16_t site, bool acquire, bool release, bool seq_cst);
  // A fence's effect on the running thread's clocks, without the scheduling point, trace event or tick of fence():
  // a fully ordered read-modify-write (the kernel's xchg/cmpxchg) is one on each side of its access.
  void fence_effect(bool acquire, bool release, bool seq_cst);

  // Footprints of steps, for the proof mode's reduction (footprint.hpp): what the running step reads or writes.
  DFRACE_HOT void touch(ObjectId object, bool write) {
    if (explorer_ != nullptr && !dead_) [[unlikely]] step_.add(object, write);
  }
  // The running step stores to Location `object`, as its store number `index` (Touch::store_index).
  DFRACE_HOT void touch_store(ObjectId object, std::uint32_t index) {
    if (explorer_ != nullptr && !dead_) [[unlikely]] step_.add(object, true, kUnknownStore, index);
  }
  // A load names the store it read (the reads-from refinement of the reduction, explorer.hpp) in two parts: the
  // access first (so a race found before the store is chosen still counts it), then the store's age (0 = the
  // newest). begin returns a handle for the age, or -1 when the step already touched the object (age unknown).
  DFRACE_HOT int touch_read_begin(ObjectId object) {
    if (explorer_ == nullptr || dead_) [[likely]] return -1;
    const int before = step_.size;
    step_.add(object, false);
    return step_.size > before && !step_.global ? before : -1;
  }
  DFRACE_HOT void touch_read_age(int handle, unsigned age) {
    if (handle >= 0 && explorer_ != nullptr && !dead_ && age < 127) {
      step_.touches[handle].read_age = static_cast<std::int8_t>(age);
    }
  }
  // The running step acquires the lock `object` (a write that also races with the lock's previous acquisition).
  void touch_acquire(ObjectId object) {
    if (explorer_ != nullptr && !dead_) [[unlikely]] {
      const int before = step_.size;
      step_.add(object, true);
      if (step_.size > before && !step_.global) step_.touches[before].acquire = true;
    }
  }
  // The running step did something no object names (it then conflicts with every other step).
  void touch_global() {
    if (explorer_ != nullptr) step_.global = true;
  }
  ObjectId next_object_id() { return kFirstPlatformObject + objects_++; }
  // A load could not see every store the model allows (the store history was too short).
  void hit_model_limit(ModelLimit limit) { model_limit_ = limit; }
  ModelLimit model_limit() const { return model_limit_; }
  // The explorer gave the execution up (every thread that could run sleeps): it ran on to its end unobserved and
  // proves and refutes nothing.
  bool abandoned() const { return abandoned_; }

  // Naming.
  std::string site_name(std::uint16_t site) const;
  const std::string& thread_name(int tid) const { return threads_[tid]->name; }
  std::uint32_t next_store_number() { return ++stores_; }
  std::uint32_t next_location_id() { return ++locations_; }

  // Trace (only when RunOptions::trace).
  DFRACE_HOT bool tracing() const { return options_.trace; }
  void record(Event e);
  void note(std::string text);  // an operation of the running thread
  Trace take_trace();

  // Interleaving feedback: a pair of consecutive accesses to one location.
  DFRACE_HOT void feedback(std::uint16_t prev_site, std::uint16_t site, bool thread_changed, bool stale) {
    if (options_.feedback && !feedback_off_) count_pair(prev_site, site, thread_changed, stale);
  }
  void count_pair(std::uint16_t prev_site, std::uint16_t site, bool thread_changed, bool stale);
  static void disable_feedback_globally(bool off);

  std::size_t thread_count() const { return nthreads_; }
  std::size_t bytes_used() const { return choices_.used(); }

 private:
  enum class State : std::uint8_t { kRunnable, kDone };
  struct Thread {
    explicit Thread(std::size_t stack) : fiber(stack) {}
    Fiber fiber;
    std::string name;
    std::function<void()> body;
    Gate gate;
    GateObjects gate_objects;
    Predicate waiting;  // set while blocked in wait_until
    State state = State::kRunnable;
    VectorClock clock, acquire_pending, fence_release;
    bool has_fence_release = false;
  };

  DFRACE_HOT bool runnable(int tid) const {
    const Thread& t = *th_[tid];
    if (t.state != State::kRunnable) return false;
    if (t.gate && !t.gate()) return false;
    if (t.waiting && !t.waiting()) return false;
    return true;
  }
  int pick_next();
  int pick_explored();
  unsigned runnable_candidates(int* out) const;
  void abandon();
  std::uint32_t unfinished_threads() const;
  void switch_from_current(int next, bool finished);
  static void entry();

  static Runtime instance_;
  static inline bool feedback_off_ = false;

  std::vector<std::unique_ptr<Thread>> threads_;  // fibers kept across executions
  Thread* th_[kMaxThreads] = {};                  // threads_[i].get(), for the scheduler's hot loop
  std::size_t nthreads_ = 0;
  int current_ = -1;
  Thread* cur_ = nullptr;  // threads_[current_], kept in step with it
  Fiber scheduler_;
  ChoiceSource choices_;
  RunOptions options_;
  const std::vector<std::string_view>* site_names_ = nullptr;
  Outcome outcome_;
  std::string first_race_;
  bool dead_ = false;
  bool finished_ = false;
  std::uint64_t steps_ = 0;
  std::uint32_t stores_ = 0;
  std::uint32_t locations_ = 0;
  VectorClock seq_cst_;
  Trace trace_;
  Explorer* explorer_ = nullptr;
  Footprint step_;
  std::uint32_t objects_ = 0;
  ModelLimit model_limit_ = ModelLimit::kNone;
  bool abandoned_ = false;
};

}  // namespace dfrace::rt
