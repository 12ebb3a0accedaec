#include "turnstile.hpp"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>

namespace dfrace::native_replay {
namespace {

std::vector<Step> g_steps;
std::vector<std::pair<std::string, std::size_t>> g_last_step;  // per thread: its last step in the order
std::vector<std::string_view> g_sites;
std::chrono::milliseconds g_stuck_after{2000};
std::string g_hold_back;
std::atomic<std::size_t> g_pos{0};        // relaxed only: the turn must not order anything for TSan
std::atomic<bool> g_free{false};          // relaxed: every thread runs freely from now on
std::atomic<bool> g_let_go_claimed{false};
std::string g_let_go;                     // written once, by the thread that claimed it; read after joins
std::atomic<unsigned> g_same_cpu_sync[8];  // release/acquire between cpuN and irq@cpuN

thread_local std::string t_name;
thread_local bool t_has_turn = false;

void let_go(std::string why) {
  if (!g_let_go_claimed.exchange(true, std::memory_order_relaxed)) g_let_go = std::move(why);
  g_free.store(true, std::memory_order_relaxed);
}

const std::string& me() {
  static const std::string drain = "drain";
  return t_name.empty() ? drain : t_name;
}

// The CPU a producer ("cpu1") or an interrupt ("irq@cpu1") runs on: 1; -1 for other threads.
int cpu_of(const std::string& n) {
  const std::string cpu = n.rfind("irq@", 0) == 0 ? n.substr(4) : n;
  if (cpu.rfind("cpu", 0) != 0 || cpu.size() < 4) return -1;
  return std::atoi(cpu.c_str() + 3) & 7;
}

}  // namespace

void Turnstile::arm(std::vector<Step> steps, std::vector<std::string_view> site_names,
                    std::chrono::milliseconds stuck_after, std::string hold_back) {
  g_steps = std::move(steps);
  g_hold_back = std::move(hold_back);
  g_last_step.clear();
  for (std::size_t i = 0; i < g_steps.size(); ++i) {
    auto it = std::find_if(g_last_step.begin(), g_last_step.end(), [&](const auto& e) { return e.first == g_steps[i].thread; });
    if (it == g_last_step.end()) g_last_step.emplace_back(g_steps[i].thread, i);
    else it->second = i;
  }
  g_sites = std::move(site_names);
  g_stuck_after = stuck_after;
  g_pos.store(0, std::memory_order_relaxed);
  g_free.store(g_steps.empty(), std::memory_order_relaxed);
}

void Turnstile::set_thread(std::string name) { t_name = std::move(name); }

void Turnstile::before(std::size_t site) {
  before(site < g_sites.size() ? g_sites[site] : std::string_view("?"));
}

void Turnstile::before(std::string_view what) {
  const std::string& name = me();
  auto last_progress = std::chrono::steady_clock::now();
  std::size_t seen = g_pos.load(std::memory_order_relaxed);
  while (!g_free.load(std::memory_order_relaxed)) {
    const std::size_t p = g_pos.load(std::memory_order_relaxed);
    if (p >= g_steps.size()) {
      g_free.store(true, std::memory_order_relaxed);
      return;
    }
    // A thread with no step left in the order makes accesses the recording does not have (e.g. a drain the
    // recording cancelled before it ran, which a real worker runs at once): they need no turn.
    auto last = std::find_if(g_last_step.begin(), g_last_step.end(), [&](const auto& e) { return e.first == name; });
    if ((last == g_last_step.end() || p > last->second) && name != g_hold_back) return;
    if (g_steps[p].thread == name) {
      const std::string_view got = what;
      if (g_steps[p].site != got) {
        let_go("diverged at step " + std::to_string(p + 1) + ": " + name + " made " + std::string(got) +
               ", the recording has " + g_steps[p].site);
        return;
      }
      // Same CPU: the interrupt starts after what its producer did, and the producer resumes after the handler.
      if (const int cpu = cpu_of(name); cpu >= 0) (void)g_same_cpu_sync[cpu].load(std::memory_order_acquire);
      t_has_turn = true;
      return;
    }
    if (p != seen) {
      seen = p;
      last_progress = std::chrono::steady_clock::now();
    } else if (std::chrono::steady_clock::now() - last_progress > g_stuck_after) {
      let_go("stuck at step " + std::to_string(p + 1) + " (" + g_steps[p].thread + " " + g_steps[p].site +
             " never came)");
      return;
    }
    sched_yield();
  }
}

void Turnstile::after() {
  if (!t_has_turn) return;
  t_has_turn = false;
  const std::size_t p = g_pos.load(std::memory_order_relaxed);
  if (const int cpu = cpu_of(me()); cpu >= 0) g_same_cpu_sync[cpu].store(static_cast<unsigned>(p), std::memory_order_release);
  g_pos.store(p + 1, std::memory_order_relaxed);
}

TurnstileStatus Turnstile::status() {
  TurnstileStatus s;
  s.steps = g_steps.size();
  s.enforced = std::min(g_pos.load(std::memory_order_relaxed), g_steps.size());
  if (g_let_go_claimed.load(std::memory_order_relaxed)) s.let_go = g_let_go;
  return s;
}

}  // namespace dfrace::native_replay
