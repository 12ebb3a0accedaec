#include "chaos.hpp"

#include <sched.h>

#include <atomic>

namespace dfrace::stress {

namespace {

// Relaxed only: the sanitizers must not see an ordering edge that the pool itself does not create.
std::atomic<std::uint64_t> g_seed{1};
std::atomic<std::size_t> g_site_count{1};
std::atomic<std::size_t> g_hot_site{0};
std::atomic<std::uint64_t> g_round{0};

struct ThreadState {
  std::uint64_t rng = 0;          // 0: not started (begin_thread not called yet)
  std::uint64_t steps = 0;        // accesses so far
  std::uint64_t next_change = 0;  // PCT change point: priority is redrawn here
  bool low_priority = false;
};
thread_local ThreadState t_state;

std::uint64_t next(std::uint64_t& s) {  // xorshift64*: cheap, and good enough to pick delays
  s ^= s >> 12;
  s ^= s << 25;
  s ^= s >> 27;
  return s * 0x2545F4914F6CDD1Dull;
}

// A short busy wait that touches no memory, so the sanitizers neither slow it down nor see anything. (No
// `pause` instruction: under a hypervisor with pause-loop exiting, pause loops become VM exits.)
void spin(std::uint64_t iterations) {
  for (std::uint64_t i = 0; i < iterations; ++i) asm volatile("" : "+r"(i));
}

void redraw(ThreadState& t) {
  // PCT: a thread is low priority with probability 1/3; change points come at random distances, so a
  // priority inversion lands at a different access each time.
  t.low_priority = next(t.rng) % 3 == 0;
  t.next_change = t.steps + 1 + next(t.rng) % 2048;
}

}  // namespace

void Chaos::configure(std::uint64_t seed, std::size_t site_count) {
  g_seed.store(seed | 1, std::memory_order_relaxed);
  g_site_count.store(site_count == 0 ? 1 : site_count, std::memory_order_relaxed);
}

void Chaos::begin_round(std::uint64_t round) {
  std::uint64_t s = g_seed.load(std::memory_order_relaxed) ^ (round * 0x9E3779B97F4A7C15ull);
  s = s == 0 ? 1 : s;
  g_hot_site.store(next(s) % g_site_count.load(std::memory_order_relaxed), std::memory_order_relaxed);
  g_round.store(round, std::memory_order_relaxed);
}

void Chaos::begin_thread(std::uint64_t thread_index) {
  ThreadState& t = t_state;
  const std::uint64_t round = g_round.load(std::memory_order_relaxed);
  t.rng = g_seed.load(std::memory_order_relaxed) ^ ((thread_index + 1) * 0xD1B54A32D192ED03ull) ^
          (round * 0x9E3779B97F4A7C15ull);
  if (t.rng == 0) t.rng = 1;
  t.steps = 0;
  redraw(t);
}

void Chaos::before_access(std::size_t site) {
  ThreadState& t = t_state;
  if (t.rng == 0) begin_thread(0x51ed270b27d1f3ull);  // a thread the driver did not start: the drain worker
  if (++t.steps >= t.next_change) redraw(t);
  const std::uint64_t r = next(t.rng);
  // Mostly spins: a sched_yield on a loaded machine hands the core to another process for a whole time slice,
  // which slows the run down without reordering anything inside it.
  if (site == g_hot_site.load(std::memory_order_relaxed) && r % 4 == 0) {
    spin(r % 4096);  // a long delay right before the hot access: widens its window
    if (r % 16 == 0) sched_yield();
    return;
  }
  if (t.low_priority) {  // PCT: the low-priority thread lets the others overtake it at every access
    spin(r % 512);
    if (r % 8 == 0) sched_yield();
    return;
  }
  switch (r % 64) {
    case 0: sched_yield(); break;
    case 1: case 2: case 3: spin(r % 256); break;
    default: break;
  }
}

}  // namespace dfrace::stress
