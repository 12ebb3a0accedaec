#include "rt/runtime.hpp"

#include <cstdlib>

namespace dfrace::rt {
namespace {

constexpr std::size_t kStackSize = 128 * 1024;
constexpr std::size_t kCounters = 1 << 14;
bool g_feedback_off = false;

}  // namespace

// libFuzzer's extra counters: one per (site pair, thread change, staleness) hash bucket.
__attribute__((section("__libfuzzer_extra_counters"), used)) std::uint8_t g_interleaving_counters[kCounters];

Runtime& Runtime::get() {
  static Runtime rt;
  return rt;
}

void Runtime::disable_feedback_globally(bool off) { g_feedback_off = off; }

void Runtime::reset(const ChoiceSource& choices, RunOptions options,
                    const std::vector<std::string_view>* site_names) {
  choices_ = choices;
  options_ = options;
  site_names_ = site_names;
  nthreads_ = 0;
  current_ = -1;
  outcome_ = {};
  first_race_.clear();
  dead_ = false;
  finished_ = false;
  steps_ = 0;
  stores_ = 0;
  locations_ = 0;
  seq_cst_ = {};
  trace_ = {};
}

int Runtime::spawn(std::string name, std::function<void()> body, Gate gate) {
  if (nthreads_ >= static_cast<std::size_t>(kMaxThreads)) std::abort();  // the decoder never asks for more
  if (threads_.size() <= nthreads_) threads_.push_back(std::make_unique<Thread>(kStackSize));
  const int tid = static_cast<int>(nthreads_++);
  Thread& t = *threads_[tid];
  t.name = std::move(name);
  t.body = std::move(body);
  t.gate = std::move(gate);
  t.waiting = nullptr;
  t.state = State::kRunnable;
  t.clock = current_ >= 0 ? threads_[current_]->clock : VectorClock{};
  t.clock.c[tid] = 1;
  t.acquire_pending = {};
  t.fence_release = {};
  t.has_fence_release = false;
  t.fiber.start(&Runtime::entry);
  if (options_.trace) trace_.thread_names.push_back(t.name);
  if (current_ >= 0) {
    if (options_.trace) note("spawn " + t.name);
    tick();
  }
  return tid;
}

void Runtime::entry() {
  Fiber::on_entry();
  Runtime& rt = get();
  {
    Thread& self = *rt.threads_[rt.current_];
    self.body();
    self.body = nullptr;
    self.state = State::kDone;
    self.fiber.finished_cleanly();
  }
  rt.switch_from_current(rt.pick_next(), /*finished=*/true);
  std::abort();  // a finished fiber is never resumed
}

Outcome Runtime::run() {
  if (nthreads_ == 0) return outcome_;
  current_ = 0;
  Fiber::switch_to(scheduler_, threads_[0]->fiber);
  // Back here when every thread is done, on a finding, or when nothing can run.
  dead_ = true;
  outcome_.steps = steps_;
  if (!first_race_.empty()) {
    if (!outcome_.finding()) {
      outcome_.kind = VerdictKind::kDataRace;
      outcome_.detail = first_race_;
    } else {
      outcome_.detail += " (after data race: " + first_race_ + ")";
    }
  }
  if (options_.trace && outcome_.finding()) {
    Event e;
    e.kind = EventKind::kVerdict;
    e.note = outcome_.line();
    trace_.events.push_back(std::move(e));
  }
  return outcome_;
}

bool Runtime::runnable(int tid) const {
  const Thread& t = *threads_[tid];
  if (t.state != State::kRunnable) return false;
  if (t.gate && !t.gate()) return false;
  if (t.waiting != nullptr && !(*t.waiting)()) return false;
  return true;
}

// The current thread first, so byte 0 (and an exhausted input) means "keep going".
int Runtime::pick_next() {
  int candidates[kMaxThreads];
  unsigned n = 0;
  if (current_ >= 0 && runnable(current_)) candidates[n++] = current_;
  for (int t = 0; t < static_cast<int>(nthreads_); ++t) {
    if (t != current_ && runnable(t)) candidates[n++] = t;
  }
  if (n == 0) return -1;
  return candidates[choices_.choose(n)];
}

void Runtime::switch_from_current(int next, bool finished) {
  Thread& self = *threads_[current_];
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
  Fiber::switch_to(self.fiber, threads_[next]->fiber, finished);
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

void Runtime::wait_until(const std::function<bool()>& pred) {
  if (dead_) return;
  Thread& self = *threads_[current_];
  while (!pred()) {
    self.waiting = &pred;
    point();
    self.waiting = nullptr;
  }
}

void Runtime::join(int tid) {
  wait_until([this, tid] { return threads_[tid]->state == State::kDone; });
  if (!dead_) clock().join(threads_[tid]->clock);
}

void Runtime::fail(VerdictKind kind, std::string detail) {
  if (!outcome_.finding()) {
    outcome_.kind = kind;
    outcome_.detail = std::move(detail);
  }
  dead_ = true;
  Fiber::switch_to(threads_[current_]->fiber, scheduler_, /*from_finished=*/true);
  std::abort();  // never resumed
}

void Runtime::race(std::string pair) {
  if (options_.races_fatal) fail(VerdictKind::kDataRace, std::move(pair));
  if (first_race_.empty()) first_race_ = std::move(pair);
}

void Runtime::fence(std::uint16_t site, bool acquire, bool release, bool seq_cst) {
  if (dead_) return;
  point();
  Thread& t = *threads_[current_];
  if (acquire) t.clock.join(t.acquire_pending);
  if (seq_cst) {
    // seq_cst fences are totally ordered by execution order; modelled as a hand-over (stronger than C++).
    t.clock.join(seq_cst_);
    seq_cst_.join(t.clock);
  }
  if (release) {
    t.fence_release = t.clock;
    t.has_fence_release = true;
  }
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

void Runtime::feedback(std::uint16_t prev_site, std::uint16_t site, bool thread_changed, bool stale) {
  if (!options_.feedback || g_feedback_off) return;
  std::uint32_t h = (static_cast<std::uint32_t>(prev_site) * 0x9E3779B1u) ^ (static_cast<std::uint32_t>(site) * 0x85EBCA6Bu);
  h ^= (thread_changed ? 0x27d4eb2fu : 0u) ^ (stale ? 0x165667b1u : 0u);
  h ^= h >> 15;
  std::uint8_t& c = g_interleaving_counters[h % kCounters];
  if (c != 0xff) ++c;
}

}  // namespace dfrace::rt
