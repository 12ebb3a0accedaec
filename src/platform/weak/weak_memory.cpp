// Compiled without ThreadSanitizer instrumentation (see CMakeLists.txt): nothing here is an access or a
// synchronization TSan should see. The few edges TSan must see are passed to it explicitly (tsan_* below).
#include "platform/weak/weak_memory.hpp"

#include <sched.h>

#include <cstdio>
#include <cstdlib>

#ifdef DFRACE_WEAK_TSAN_ANNOTATIONS
#include <sanitizer/tsan_interface.h>
#endif

namespace dfrace::weak {
namespace {

// Under TSan, a store that carries a clock also releases on its own record, and a load that synchronizes with
// it acquires that record: TSan then orders exactly the store that was read, not the location's newest release
// (which a stale read did not read). A record is reused after kHistory stores; TSan's release joins clocks, so
// reuse can only add ordering (hide a race), never invent one.
void tsan_release(const void* record) {
#ifdef DFRACE_WEAK_TSAN_ANNOTATIONS
  __tsan_release(const_cast<void*>(record));
#else
  (void)record;
#endif
}
void tsan_acquire(const void* record) {
#ifdef DFRACE_WEAK_TSAN_ANNOTATIONS
  __tsan_acquire(const_cast<void*>(record));
#else
  (void)record;
#endif
}

constexpr int kPendingRecords = 16;  // TSan sync objects of stores read by relaxed loads, for an acquire fence

struct ThreadState {
  Clock clock;
  Clock pending;           // clocks of release stores read by relaxed loads: an acquire fence joins them
  bool fence_released = false;  // a release fence ran: later relaxed stores carry the clock
  std::uint64_t rng = 1;
  const void* tsan_pending[kPendingRecords];  // the sync objects behind `pending`, for TSan at the acquire fence
  int tsan_pending_count = 0;
};

Config g_config;
std::atomic<std::uint32_t> g_domain{1};
SpinLock g_registry;
int g_registered = 0;
ThreadState g_threads[kMaxThreads];
Clock g_base;      // what a thread registered from now on starts from (everything joined so far)
SpinLock g_sc_lock;
Clock g_sc;        // the hand-over clock of smp_mb
std::atomic<std::uint64_t> g_stale{0};

struct Registration {
  std::uint32_t domain = 0;
  int index = -1;
};
thread_local Registration t_reg;

std::uint64_t next_random(std::uint64_t& s) {  // xorshift64*
  s ^= s >> 12;
  s ^= s << 25;
  s ^= s >> 27;
  return s * 0x2545F4914F6CDD1Dull;
}

int self_index() {
  const std::uint32_t domain = g_domain.load(std::memory_order_acquire);
  if (t_reg.domain == domain) return t_reg.index;
  g_registry.lock();
  const int index = g_registered++;
  if (index >= kMaxThreads) {
    std::fprintf(stderr, "dfrace: weak-memory emulation supports at most %d threads per pool round\n", kMaxThreads);
    std::abort();
  }
  ThreadState& t = g_threads[index];
  t = ThreadState{};
  t.clock = g_base;
  t.clock.c[index] += 1;  // epochs start above anything a zero clock covers
  t.rng = (g_config.seed * 0x9E3779B97F4A7C15ull) ^ (std::uint64_t{domain} << 8) ^ static_cast<std::uint64_t>(index + 1);
  if (t.rng == 0) t.rng = 1;
  g_registry.unlock();
  t_reg = {domain, index};
  return index;
}

ThreadState& me(int index) { return g_threads[index]; }

// A release by thread `index`: later stores belong to a new epoch, which no earlier copy of its clock covers.
void new_epoch(ThreadState& t, int index) { t.clock.c[index] += 1; }

// A load or read-modify-write by thread `t` read store `s`: an acquire synchronizes with it (the clock, and TSan's
// sync objects of the store); a relaxed access keeps it for a later acquire fence.
template <class StoreRec>
void observe(ThreadState& t, const StoreRec& s, bool acquire) {
  if (!s.has_clock) return;
  if (acquire) {
    t.clock.join(s.clock);
    for (int i = 0; i < s.tsan_sync_count; ++i) tsan_acquire(s.tsan_syncs[i]);
    return;
  }
  t.pending.join(s.clock);  // an acquire fence later in this thread synchronizes with it
  for (int i = 0; i < s.tsan_sync_count; ++i) {
    if (t.tsan_pending_count == kPendingRecords) {
      // Too many to remember: give TSan the ordering now. More ordering can only hide a race, never invent one.
      for (auto* rec : t.tsan_pending) tsan_acquire(rec);
      t.tsan_pending_count = 0;
    }
    t.tsan_pending[t.tsan_pending_count++] = s.tsan_syncs[i];
  }
}

}  // namespace

void SpinLock::lock() {
  for (int spins = 0; held_.exchange(true, std::memory_order_acquire); ++spins) {
    if (spins > 64) sched_yield();  // the holder was preempted: 2 cores are easily oversubscribed
  }
}

void SpinLock::unlock() { held_.store(false, std::memory_order_release); }

void WeakMemory::configure(const Config& config) { g_config = config; }

void WeakMemory::begin_domain() {
  g_registry.lock();
  g_registered = 0;
  g_base = Clock{};
  g_registry.unlock();
  g_sc_lock.lock();
  g_sc = Clock{};
  g_sc_lock.unlock();
  g_domain.fetch_add(1, std::memory_order_acq_rel);
}

void WeakMemory::join_all() {
  const int self = self_index();
  g_registry.lock();
  for (int i = 0; i < g_registered; ++i) {
    if (i != self) g_threads[self].clock.join(g_threads[i].clock);
  }
  g_base.join(g_threads[self].clock);
  g_registry.unlock();
}

void WeakMemory::fence(bool acquire, bool release, bool seq_cst) {
  const int self = self_index();
  ThreadState& t = me(self);
  if (acquire) {
    t.clock.join(t.pending);
    for (int i = 0; i < t.tsan_pending_count; ++i) tsan_acquire(t.tsan_pending[i]);
    t.tsan_pending_count = 0;
  }
  if (seq_cst) {
    // smp_mb fences are totally ordered by execution; modelled as a hand-over (stronger than C++), as the
    // fuzz executor does.
    g_sc_lock.lock();
    t.clock.join(g_sc);
    g_sc.join(t.clock);
    g_sc_lock.unlock();
  }
  if (release) {
    t.fence_released = true;
    new_epoch(t, self);
  }
}

std::uint64_t WeakMemory::stale_loads() { return g_stale.load(std::memory_order_relaxed); }

int WeakMemory::thread_index() { return self_index(); }

void Sync::release() {
  const int self = self_index();
  ThreadState& t = me(self);
  lock_.lock();
  clock_.join(t.clock);
  lock_.unlock();
  new_epoch(t, self);
}

void Sync::acquire() {
  ThreadState& t = me(self_index());
  lock_.lock();
  t.clock.join(clock_);
  lock_.unlock();
}

Cell::Cell(std::uint64_t initial) : domain_(g_domain.load(std::memory_order_acquire)) {
  stores_[0] = StoreRec{initial, 0, -1, false, {}, 0, {}};
}

// A cell that outlived its domain: for a load or an RMW its newest value becomes the initial one; a store starts the
// history afresh. Called with the cell's lock held.
void Cell::reset_if_stale_domain(bool for_store) {
  const std::uint32_t domain = g_domain.load(std::memory_order_relaxed);
  if (domain_ == domain) return;
  if (for_store) {
    count_ = 0;
  } else {
    stores_[0] = StoreRec{stores_[(count_ - 1) % kHistory].value, 0, -1, false, {}, 0, {}};
    count_ = 1;
  }
  for (auto& s : seen_) s = 0;
  domain_ = domain;
}

std::uint64_t Cell::load(Order order) {
  const int self = self_index();
  ThreadState& t = me(self);
  lock_.lock();
  reset_if_stale_domain(/*for_store=*/false);
  const std::uint32_t newest = count_ - 1;
  const std::uint32_t oldest_kept = count_ > kHistory ? count_ - kHistory : 0;
  // Lower bound: coherence (what this thread saw) and the newest store that happens-before this load.
  std::uint32_t lo = seen_[self] > oldest_kept ? seen_[self] : oldest_kept;
  std::uint32_t i = newest;
  for (; i > lo; --i) {
    const StoreRec& s = stores_[i % kHistory];
    if (s.tid < 0 || s.tid == self || t.clock.covers(s.tid, s.epoch)) break;
  }
  lo = i;
  std::uint32_t pick = newest;
  if (lo < newest) {
    const std::uint64_t r = next_random(t.rng);
    if (static_cast<double>(r >> 11) * 0x1.0p-53 < g_config.stale_probability) {
      pick = lo + static_cast<std::uint32_t>(next_random(t.rng) % (newest - lo));
      g_stale.fetch_add(1, std::memory_order_relaxed);
    }
  }
  const StoreRec& s = stores_[pick % kHistory];
  if (pick > seen_[self]) seen_[self] = pick;
  const std::uint64_t value = s.value;
  observe(t, s, order == Order::kAcquire);
  lock_.unlock();
  return value;
}

void Cell::store(std::uint64_t value, Order order) {
  const int self = self_index();
  ThreadState& t = me(self);
  lock_.lock();
  reset_if_stale_domain(/*for_store=*/true);
  StoreRec& s = stores_[count_ % kHistory];
  s.value = value;
  s.tid = static_cast<std::int8_t>(self);
  s.epoch = t.clock.c[self];
  s.has_clock = order == Order::kRelease || t.fence_released;
  s.tsan_sync_count = 0;
  if (s.has_clock) {
    s.clock = t.clock;
    s.tsan_syncs[s.tsan_sync_count++] = &s;
    tsan_release(&s);
  }
  seen_[self] = count_;
  ++count_;
  lock_.unlock();
  if (order == Order::kRelease) new_epoch(t, self);
}

// TSan learns a release sequence through the sync objects a store carries: the new store keeps those of the store
// it read and adds its own when it releases. Past kTsanSyncs, its own release joins the last one it kept instead
// (TSan's release joins clocks): a stale reader of that older store then sees more ordering than it should, which
// can only hide a race, never invent one (as record reuse, above).
bool Cell::read_modify_write(bool cas, std::uint64_t expected, std::uint64_t desired, Order order,
                             std::uint64_t& read) {
  const int self = self_index();
  ThreadState& t = me(self);
  lock_.lock();
  reset_if_stale_domain(/*for_store=*/false);
  const std::uint32_t newest = count_ - 1;
  const StoreRec& from = stores_[newest % kHistory];  // never the slot a store below reuses (kHistory > 1)
  read = from.value;
  const bool stores = !cas || read == expected;
  const bool full = stores && order == Order::kSeqCst;
  if (full) WeakMemory::fence(true, true, true);  // smp_mb() before (it takes no cell lock)
  observe(t, from, stores && (order == Order::kAcquire || full));
  if (newest > seen_[self]) seen_[self] = newest;
  if (stores) {
    StoreRec& s = stores_[count_ % kHistory];
    s.value = desired;
    s.tid = static_cast<std::int8_t>(self);
    s.epoch = t.clock.c[self];
    s.has_clock = from.has_clock;
    s.tsan_sync_count = from.has_clock ? from.tsan_sync_count : 0;
    if (from.has_clock) {
      s.clock = from.clock;
      for (int i = 0; i < s.tsan_sync_count; ++i) s.tsan_syncs[i] = from.tsan_syncs[i];
    }
    if (order == Order::kRelease || full || t.fence_released) {
      if (s.has_clock) {
        s.clock.join(t.clock);
      } else {
        s.clock = t.clock;
        s.has_clock = true;
      }
      if (s.tsan_sync_count < kTsanSyncs) s.tsan_syncs[s.tsan_sync_count++] = &s;
      tsan_release(s.tsan_syncs[s.tsan_sync_count - 1]);
    }
    seen_[self] = count_;
    ++count_;
  }
  lock_.unlock();
  if (stores && (order == Order::kRelease || full)) new_epoch(t, self);
  if (full) WeakMemory::fence(true, true, true);  // smp_mb() after
  return stores;
}

}  // namespace dfrace::weak
