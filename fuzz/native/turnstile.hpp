// Turnstile: makes real threads take their shared accesses in a recorded order, without adding any
// happens-before edge ThreadSanitizer could see (the turn is a relaxed atomic; waiting is a yield loop).
//
// Contract
// - arm() loads the order (thread name and site name per step). Each thread names itself with set_thread();
//   a thread that never did is "drain" (the workqueue's worker, which the pool creates).
// - before(site): blocks until the next step is this thread's, then checks the site. after(): passes the turn on.
//   A thread with no step left in the order does not wait (its accesses are not in the recording), except
//   `hold_back`, which waits for the end of the order.
// - It lets go (every thread runs freely from then on) when the order is used up, when a thread's access is not
//   the one recorded (`diverged`), or when no step was taken for `stuck_after` (`stuck`); what happened is in
//   status(), to be read after the threads are joined.
// - The one ordering it does add is the one the recording had: an interrupt and the producer it preempts run on
//   the same CPU, so each turn of "cpuN" or "irq@cpuN" acquires, and each releases, that CPU's sync word.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dfrace::native_replay {

struct Step {
  std::string thread;
  std::string site;
  bool stale = false;  // the recorded load read an older store than the newest
};

struct TurnstileStatus {
  std::size_t steps = 0;      // recorded
  std::size_t enforced = 0;   // taken in the recorded order
  std::string let_go;         // why it stopped enforcing early; empty when the whole order was followed
};

class Turnstile {
 public:
  // `hold_back`: a thread that, its steps done, waits for the whole order (the recording ended at its next
  // access); every other thread with no step left runs freely.
  static void arm(std::vector<Step> steps, std::vector<std::string_view> site_names,
                  std::chrono::milliseconds stuck_after, std::string hold_back);
  static void set_thread(std::string name);
  static void before(std::size_t site);
  static void before(std::string_view step);  // a named operation: "get_cpu_ptr(cpu0)"
  static void after();
  static TurnstileStatus status();
};

}  // namespace dfrace::native_replay
