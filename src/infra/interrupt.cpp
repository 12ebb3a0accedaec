#include "infra/interrupt.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>

namespace dfrace {

namespace {

std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free, "the flag is written from a signal handler");

extern "C" void on_interrupt(int sig) { g_signal.store(sig, std::memory_order_relaxed); }

}  // namespace

void install_interrupt_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

int interrupt_signal() { return g_signal.load(std::memory_order_relaxed); }

void exit_as_interrupted() {
  const int sig = interrupt_signal() != 0 ? interrupt_signal() : SIGTERM;
  signal(sig, SIG_DFL);
  raise(sig);
  _exit(128 + sig);  // not reached unless the signal is blocked
}

}  // namespace dfrace
