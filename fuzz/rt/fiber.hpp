// Fiber: a stackful coroutine with a stack that is allocated once and reused by every execution.
//
// Contract
// - `Fiber::start(entry)` (re)arms the fiber to run `entry()` from the top of its stack at the next switch.
// - `switch_to(from, to)` saves the running context in `from` and resumes `to`. One fiber runs at a time; the
//   scheduler's own context is a Fiber without a stack (`Fiber::main_context()`).
// - The switch is Boost.Context's `fcontext` (jump_fcontext: callee-saved registers only, no signal-mask syscall
//   as with swapcontext; the executor switches hundreds of times per execution), on every architecture Boost
//   supports. Boost's own sanitizer support lives in its ucontext back end, which is slow, so the AddressSanitizer
//   handshake is done here around each jump.
// - Every switch is announced to AddressSanitizer (__sanitizer_start/finish_switch_fiber), and a stack that was
//   abandoned mid-run (a finding ended the execution) is unpoisoned before it is reused.
#pragma once

#include <cstddef>

namespace dfrace::rt {

class Fiber {
 public:
  using Entry = void (*)();

  Fiber() = default;  // the scheduler's context: no stack of its own
  explicit Fiber(std::size_t stack_size);
  ~Fiber();
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;

  // Arm the fiber to run `entry` from the top of its stack at the next switch to it.
  void start(Entry entry);
  // The body ran to its end: only the entry's own frames (near the top) are left, so reuse unpoisons just those.
  void finished_cleanly() { clean_ = true; }
  // Called by a fiber's entry as the first thing it does (completes the sanitizer handshake).
  static void on_entry();
  // Save the current context in `from`, resume `to`. `from_finished`: `from` will never run again.
  static void switch_to(Fiber& from, Fiber& to, bool from_finished = false);

 private:
  void* context_ = nullptr;  // the fcontext to resume this fiber at (saved by whoever it jumped to)
  Entry entry_ = nullptr;
  char* stack_ = nullptr;
  std::size_t stack_size_ = 0;
  bool dirty_ = false;       // ran since the last start(): its stack may hold ASan redzones
  bool clean_ = false;       // ... but only in the top frames (see finished_cleanly)
  const void* asan_bottom_ = nullptr;  // the scheduler context's stack, as ASan reported it
  std::size_t asan_size_ = 0;
  friend void finish_switch(void* fake);
  friend struct FiberJump;
};

}  // namespace dfrace::rt
