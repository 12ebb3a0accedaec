#include "rt/runtime.hpp"

#include <cstdlib>

namespace dfrace::rt {
namespace {

constexpr std::size_t kStackSize = 128 * 1024;
// 4 KiB: libFuzzer scans (and clears) the whole array after every execution, so it must stay small. A protocol of
// 21 sites needs (21 + 1) * 21 * 4 = 1,848 counters, one each (see feedback()).
constexpr std::size_t kCounters = 1 << 12;
}  // namespace

// libFuzzer's extra counters: one per (site pair, thread change, staleness) hash bucket.
__attribute__((section("__libfuzzer_extra_counters"), used)) std::uint8_t g_interleaving_counters[kCounters];

Runtime Runtime::instance_;

void Runtime::disable_feedback_globally(bool off) { feedback_off_ = off; }

void Runtime::reset(const ChoiceSource& choices, RunOptions options,
                    const std::vector<std::string_view>* site_names) {
  choices_ = choices;
  options_ = options;
  site_names_ = site_names;
  nthreads_ = 0;
  current_ = -1;
  cur_ = nullptr;
  outcome_ = {};
  first_race_.clear();
  dead_ = false;
  finished_ = false;
  steps_ = 0;
  stores_ = 0;
  locations_ = 0;
  seq_cst_ = {};
  trace_ = {};
  step_.clear();
  objects_ = 0;
  model_limit_ = ModelLimit::kNone;
  abandoned_ = false;
  if (explorer_ != nullptr) explorer_->begin_execution();
}

int Runtime::spawn(std::string name, std::function<void()> body, Gate gate, GateObjects gate_objects) {
  if (nthreads_ >= static_cast<std::size_t>(kMaxThreads)) std::abort();  // the decoder never asks for more
  if (threads_.size() <= nthreads_) {
    threads_.push_back(std::make_unique<Thread>(kStackSize));
    th_[nthreads_] = threads_.back().get();
  }
  const int tid = static_cast<int>(nthreads_++);
  Thread& t = *threads_[tid];
  t.name = std::move(name);
  t.body = std::move(body);
  t.gate = std::move(gate);
  t.gate_objects = gate_objects;
  if (explorer_ != nullptr) explorer_->set_gate(tid, gate_objects);
  t.waiting = {};
  t.state = State::kRunnable;
  t.clock = current_ >= 0 ? cur_->clock : VectorClock{};
  t.clock.c[tid] = 1;
  t.acquire_pending = {};
  t.fence_release = {};
  t.has_fence_release = false;
  t.fiber.start(&Runtime::entry);
  if (options_.trace) trace_.thread_names.push_back(t.name);
  if (current_ >= 0) {
    if (options_.trace) note("spawn " + t.name);
    touch(thread_object(tid), true);
    tick();
  }
  return tid;
}

void Runtime::entry() {
  Fiber::on_entry();
  Runtime& rt = get();
  {
    Thread& self = *rt.cur_;
    rt.touch(thread_object(rt.current_), true);  // its first step follows the spawn
    self.body();
    self.body = nullptr;
    rt.touch(thread_object(rt.current_), true);  // a join, or a wait for it, reads this
    self.state = State::kDone;
    self.fiber.finished_cleanly();
  }
  rt.switch_from_current(rt.pick_next(), /*finished=*/true);
  std::abort();  // a finished fiber is never resumed
}

Outcome Runtime::run() {
  if (nthreads_ == 0) return outcome_;
  current_ = 0;
  cur_ = th_[0];
  Fiber::switch_to(scheduler_, threads_[0]->fiber);
  // Back here when every thread is done, on a finding, or when nothing can run.
  if (explorer_ != nullptr && !abandoned_) {
    // A thread that failed has no next step; a blocked or preempted one has.
    explorer_->execution_done(unfinished_threads() & ~(dead_ && current_ >= 0 ? 1u << current_ : 0u));
  }
  dead_ = true;
  outcome_.steps = steps_;
  if (!first_race_.empty()) {
    if (!outcome_.finding()) {
      outcome_.kind = VerdictKind::kDataRace;
      outcome_.detail = first_race_;
    } else {
      outcome_.race = first_race_;
    }
  }
  if (options_.trace && outcome_.finding()) {
    Event e;
    e.kind = EventKind::kVerdict;
    e.tid = current_;  // the thread that made the violating access (teardown's audit: main)
    e.note = outcome_.line();
    trace_.events.push_back(std::move(e));
  }
  return outcome_;
}

std::uint32_t Runtime::unfinished_threads() const {
  std::uint32_t mask = 0;
  for (std::size_t t = 0; t < nthreads_; ++t) {
    if (threads_[t]->state != State::kDone) mask |= 1u << t;
  }
  return mask;
}

// The threads that can run, the current one first (byte 0, the default decision, means "keep going").
unsigned Runtime::runnable_candidates(int* out) const {
  unsigned n = 0;
  if (current_ >= 0 && runnable(current_)) out[n++] = current_;
  for (int t = 0; t < static_cast<int>(nthreads_); ++t) {
    if (t != current_ && runnable(t)) out[n++] = t;
  }
  return n;
}

// The proof mode's scheduling point: the step that ends here is reported, then the explorer picks among the same
// candidates, in the same order, as the input bytes would (so its decisions replay as bytes).
int Runtime::pick_explored() {
  if (current_ >= 0 && !abandoned_) explorer_->step_done(current_, step_, unfinished_threads());
  step_.clear();
  int candidates[kMaxThreads];
  const unsigned n = runnable_candidates(candidates);
  if (n == 0) return -1;
  if (abandoned_) return candidates[0];
  unsigned index = n == 1 ? explorer_->forced(candidates[0]) : explorer_->pick(candidates, n);
  if (index == Explorer::kAbandon) {
    abandon();
    index = 0;
  }
  const int next = candidates[index];
  for (int i = 0; i < th_[next]->gate_objects.size; ++i) step_.add(th_[next]->gate_objects.ids[i], /*write=*/false);
  return next;
}

// Only sleeping threads could run: every continuation was explored already (explorer.hpp), so the execution is
// not judged. It still runs to its end, quietly (default decisions, nothing reported to the explorer): a fiber
// dropped halfway would never release what its frames own (a pool half torn down), and the proof mode abandons
// about as many executions as it finishes.
void Runtime::abandon() { abandoned_ = true; }

// The current thread first, so byte 0 (and an exhausted input) means "keep going".
int Runtime::pick_next() {
  if (explorer_ != nullptr) [[unlikely]] return pick_explored();
  // Once the input is exhausted every choice is 0 (and consumes nothing): the current thread keeps running if it
  // can, whoever else could, so the others' runnability need not be evaluated. Same result, a fraction of the work.
  if (current_ >= 0 && choices_.exhausted() && runnable(current_)) return current_;
  int candidates[kMaxThreads];
  const unsigned n = runnable_candidates(candidates);
  if (n == 0) return -1;
  return candidates[choices_.choose(n)];
}

void Runtime::switch_from_current(int next, bool finished) {
  Thread& self = *cur_;
  if (next == current_) return;
  if (next < 0) {
    bool all_done = true;
    for (std::size_t t = 0; t < nthreads_; ++t) all_done &= threads_[t]->state == State::kDone;
    if (!all_done && !dead_) {
      std::string blocked;
      for (std::size_t t = 0; t < nthreads_; ++t) {
        if (threads_[t]->state != State::kDone) blocked += (blocked.empty() ? "" : ", ") + threads_[t]->name;
      }
      outcome_.kind = VerdictKind::kInvariant;
      outcome_.detail = "deadlock: no thread can run (blocked: " + blocked + ")";
    }
    Fiber::switch_to(self.fiber, scheduler_, finished);
    return;
  }
  current_ = next;
  cur_ = th_[next];
  Fiber::switch_to(self.fiber, cur_->fiber, finished);
}

void Runtime::point() {
  if (dead_) return;
  if (++steps_ > options_.max_steps) {
    fail(VerdictKind::kInvariant, "no progress after " + std::to_string(options_.max_steps) + " scheduling points");
  }
  const int self = current_;
  const int next = pick_next();
  if (next == self) return;
  switch_from_current(next, false);
  // Resumed: `current_` is this thread again.
  (void)self;
}

void Runtime::join(int tid) {
  // Unlike a lock (Mutex::lock), a blocked join records no read: a finished thread never runs again, so no step
  // can close this wait, and there is no order with another step that blocking hides. Recording one made each
  // blocked join race with the end it waits for, which re-explored the same executions: the same reads-from and
  // modification orders, 20 times the executions at three CPUs (fuzz/tests/prove_test.cpp holds it to the
  // unreduced search).
  wait_until([this, tid] { return th_[tid]->state == State::kDone; });
  touch(thread_object(tid), false);
  if (!dead_) clock().join(th_[tid]->clock);
}

void Runtime::fail(VerdictKind kind, std::string detail) {
  if (!outcome_.finding()) {
    outcome_.kind = kind;
    outcome_.detail = std::move(detail);
  }
  // The step that failed is part of the execution: what it touched decides which other orders are explored.
  if (explorer_ != nullptr && !dead_ && !abandoned_) {
    explorer_->step_done(current_, step_, unfinished_threads());
    step_.clear();
  }
  dead_ = true;
  Fiber::switch_to(cur_->fiber, scheduler_, /*from_finished=*/true);
  std::abort();  // never resumed
}

void Runtime::race(std::string pair) {
  if (abandoned_) return;  // not judged: run on, so the fibers end and release what they own
  if (options_.races_fatal) fail(VerdictKind::kDataRace, std::move(pair));
  if (first_race_.empty()) first_race_ = std::move(pair);
}

void Runtime::fence(std::uint16_t site, bool acquire, bool release, bool seq_cst) {
  if (dead_) return;
  point();
  fence_effect(acquire, release, seq_cst);
  if (options_.trace) {
    Event e;
    e.tid = current_;
    e.kind = EventKind::kFence;
    e.site = site_name(site);
    e.note = seq_cst ? "smp_mb (seq_cst fence)" : release ? "smp_wmb (release fence)" : "smp_rmb (acquire fence)";
    record(std::move(e));
  }
  tick();
}

void Runtime::fence_effect(bool acquire, bool release, bool seq_cst) {
  if (dead_) return;
  Thread& t = *cur_;
  if (acquire) t.clock.join(t.acquire_pending);
  if (seq_cst) {
    touch(fixed_object(0), true);  // the total order of seq_cst fences
    // seq_cst fences are totally ordered by execution order; modelled as a hand-over (stronger than C++).
    t.clock.join(seq_cst_);
    seq_cst_.join(t.clock);
  }
  if (release) {
    t.fence_release = t.clock;
    t.has_fence_release = true;
  }
}

std::string Runtime::site_name(std::uint16_t site) const {
  if (site == kInitSite) return "(initial value)";
  if (site_names_ != nullptr && site < site_names_->size()) return std::string((*site_names_)[site]);
  return "site#" + std::to_string(site);
}

void Runtime::record(Event e) {
  if (!options_.trace || dead_) return;
  trace_.events.push_back(std::move(e));
}

void Runtime::note(std::string text) {
  if (!options_.trace || current_ < 0 || dead_) return;
  Event e;
  e.tid = current_;
  e.kind = EventKind::kOp;
  e.note = std::move(text);
  trace_.events.push_back(std::move(e));
}

Trace Runtime::take_trace() { return std::move(trace_); }

void Runtime::count_pair(std::uint16_t prev_site, std::uint16_t site, bool thread_changed, bool stale) {
  const std::uint32_t flags = (thread_changed ? 1u : 0u) | (stale ? 2u : 0u);
  const std::uint32_t n = site_names_ != nullptr ? static_cast<std::uint32_t>(site_names_->size()) : 0u;
  std::uint32_t index;
  if (n != 0 && (n + 1) * n * 4 <= kCounters && prev_site <= n && site < n) {
    index = (static_cast<std::uint32_t>(prev_site) * n + site) * 4 + flags;  // one counter per pair: no collisions
  } else {  // a protocol with more sites: hash into the array
    std::uint32_t h = (static_cast<std::uint32_t>(prev_site) * 0x9E3779B1u) ^ (static_cast<std::uint32_t>(site) * 0x85EBCA6Bu);
    h ^= flags * 0x27d4eb2fu;
    h ^= h >> 15;
    index = h % kCounters;
  }
  std::uint8_t& c = g_interleaving_counters[index];
  if (c != 0xff) ++c;
}

}  // namespace dfrace::rt
