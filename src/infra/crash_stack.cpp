#include "infra/crash_stack.hpp"

#include <execinfo.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <initializer_list>

namespace dfrace {

namespace {

std::atomic<bool> g_printing{false};
static_assert(std::atomic<bool>::is_always_lock_free, "used in a signal handler");

extern "C" void print_stack_and_die(int sig) {
  // Only async-signal-safe calls here (backtrace is, once primed: see below). When several threads crash at once,
  // the first prints its stack and ends the process; the others wait for that rather than cut it short.
  if (g_printing.exchange(true)) {
    for (;;) pause();
  }
  // The header is one write(): another thread's message (a crashing thread's own last words, written before it
  // raised) must not land inside it, as it did when the header took three.
  const char* name = sigabbrev_np(sig);
  char head[64] = "*** dfrace: fatal signal SIG";
  std::size_t len = strlen(head);
  for (const char* p = name != nullptr ? name : "?"; *p != '\0' && len < sizeof head - 16; ++p) head[len++] = *p;
  for (const char* p = "; stack:\n"; *p != '\0'; ++p) head[len++] = *p;
  (void)!write(STDERR_FILENO, head, len);
  void* frames[64];
  const int n = backtrace(frames, 64);
  backtrace_symbols_fd(frames, n, STDERR_FILENO);
  signal(sig, SIG_DFL);
  raise(sig);
}

}  // namespace

void install_crash_stack_printer() {
  void* prime[1];
  backtrace(prime, 1);  // loads the unwinder now: its first call allocates, which a signal handler must not do
  struct sigaction sa {};
  sa.sa_handler = print_stack_and_die;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) sigaction(sig, &sa, nullptr);
}

}  // namespace dfrace
