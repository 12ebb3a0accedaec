#include "cpu_pinning.hpp"

#include <pthread.h>

namespace dfrace::bench {

PinPlan pin_plan() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (pthread_getaffinity_np(pthread_self(), sizeof set, &set) != 0) return {};
  PinPlan plan;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (!CPU_ISSET(cpu, &set)) continue;
    if (plan.producer < 0) {
      plan.producer = cpu;
    } else {
      plan.drain = cpu;
      return plan;
    }
  }
  return {};
}

PinScope::PinScope(int cpu) {
  if (cpu < 0) return;
  if (pthread_getaffinity_np(pthread_self(), sizeof previous_, &previous_) != 0) return;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpu, &one);
  pinned_ = pthread_setaffinity_np(pthread_self(), sizeof one, &one) == 0;
}

PinScope::~PinScope() {
  if (pinned_) pthread_setaffinity_np(pthread_self(), sizeof previous_, &previous_);
}

}  // namespace dfrace::bench
