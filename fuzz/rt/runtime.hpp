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
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/verdict.hpp"
#include "rt/choices.hpp"
#include "rt/fiber.hpp"
#include "rt/trace.hpp"
#include "rt/vector_clock.hpp"

namespace dfrace::rt {

inline constexpr std::uint16_t kInitSite = 0xffff;  // the store a location is constructed with

struct RunOptions {
  bool trace = false;
  bool feedback = true;              // bump the interleaving counters
  std::uint32_t max_steps = 200000;  // a guard: beyond it the execution is reported as not making progress
  // false ("consequence mode"): a data race is remembered, not fatal, and plain loads may read any store a relaxed
  // load could, so the execution goes on to what the race does (lost handles, use after free, NULL buffers).
  bool races_fatal = true;
};

struct Outcome {
  VerdictKind kind = VerdictKind::kClean;
  std::string detail;
  std::uint64_t steps = 0;
  bool finding() const { return kind != VerdictKind::kClean; }
  std::string line() const { return kind == VerdictKind::kClean ? "clean" : verdict_word(kind) + ": " + detail; }
};

class Runtime {
 public:
  using Gate = std::function<bool()>;  // extra runnability condition (an interrupt, an interrupted producer)

  static Runtime& get();

  void reset(const ChoiceSource& choices, RunOptions options, const std::vector<std::string_view>* site_names);
  int spawn(std::string name, std::function<void()> body, Gate gate = {});
  Outcome run();

  // --- inside a virtual thread ---
  int current() const { return current_; }
  bool dead() const { return dead_; }
  void point();
  void wait_until(const std::function<bool()>& pred);
  [[noreturn]] void fail(VerdictKind kind, std::string detail);
  // A data race: fatal, or remembered in consequence mode (RunOptions::races_fatal).
  void race(std::string pair);
  bool races_fatal() const { return options_.races_fatal; }
  unsigned choose(unsigned n) { return choices_.choose(n); }
  std::uint8_t byte() { return choices_.byte(); }
  bool done(int tid) const { return threads_[tid]->state == State::kDone; }
  void join(int tid);  // wait for tid to finish and acquire its clock

  // Vector clocks of the running thread.
  VectorClock& clock() { return threads_[current_]->clock; }
  VectorClock& clock_of(int tid) { return threads_[tid]->clock; }
  void tick() { ++threads_[current_]->clock.c[current_]; }
  std::uint32_t epoch() const { return threads_[current_]->clock.c[current_]; }
  void release_into(VectorClock& sync) { sync.join(clock()); tick(); }
  void acquire_from(const VectorClock& sync) { clock().join(sync); }
  // Fences (DESIGN-NOTES §2).
  VectorClock& acquire_pending() { return threads_[current_]->acquire_pending; }
  const VectorClock* fence_release_clock() const {
    const auto& t = *threads_[current_];
    return t.has_fence_release ? &t.fence_release : nullptr;
  }
  void fence(std::uint16_t site, bool acquire, bool release, bool seq_cst);

  // Naming.
  std::string site_name(std::uint16_t site) const;
  const std::string& thread_name(int tid) const { return threads_[tid]->name; }
  std::uint32_t next_store_number() { return ++stores_; }
  std::uint32_t next_location_id() { return ++locations_; }

  // Trace (only when RunOptions::trace).
  bool tracing() const { return options_.trace; }
  void record(Event e);
  void note(std::string text);  // an operation of the running thread
  Trace take_trace();

  // Interleaving feedback: a pair of consecutive accesses to one location.
  void feedback(std::uint16_t prev_site, std::uint16_t site, bool thread_changed, bool stale);
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
    const std::function<bool()>* waiting = nullptr;
    State state = State::kRunnable;
    VectorClock clock, acquire_pending, fence_release;
    bool has_fence_release = false;
  };

  bool runnable(int tid) const;
  int pick_next();
  void switch_from_current(int next, bool finished);
  static void entry();

  std::vector<std::unique_ptr<Thread>> threads_;  // fibers kept across executions
  std::size_t nthreads_ = 0;
  int current_ = -1;
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
};

}  // namespace dfrace::rt
