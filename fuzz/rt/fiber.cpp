#include "rt/fiber.hpp"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <new>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DFRACE_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define DFRACE_ASAN 1
#endif
#ifdef DFRACE_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

#if !defined(__x86_64__)
#include <ucontext.h>
#endif

namespace dfrace::rt {
namespace {

// What the sanitizer handshake needs across a switch.
thread_local Fiber* g_switch_from = nullptr;

}  // namespace

// Completes ASan's handshake on the resumed side; remembers the scheduler context's stack bounds, which only
// ASan knows, so a switch back to it can announce them.
void finish_switch([[maybe_unused]] void* fake) {
#ifdef DFRACE_ASAN
  const void* bottom = nullptr;
  std::size_t size = 0;
  __sanitizer_finish_switch_fiber(fake, &bottom, &size);
  if (g_switch_from != nullptr && g_switch_from->stack_ == nullptr) {
    g_switch_from->asan_bottom_ = bottom;
    g_switch_from->asan_size_ = size;
  }
#endif
}

#if defined(__x86_64__)
extern "C" void dfrace_fiber_switch(void** save_sp, void* load_sp);
asm(R"(
.text
.globl dfrace_fiber_switch
.type dfrace_fiber_switch,@function
dfrace_fiber_switch:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
.size dfrace_fiber_switch,.-dfrace_fiber_switch
.section .note.GNU-stack,"",@progbits
.text
)");
#endif

Fiber::Fiber(std::size_t stack_size) : stack_size_(stack_size) {
  void* p = mmap(nullptr, stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  stack_ = static_cast<char*>(p);
#if !defined(__x86_64__)
  ucontext_ = new ucontext_t;
#endif
}

Fiber::~Fiber() {
  if (stack_ != nullptr) munmap(stack_, stack_size_);
#if !defined(__x86_64__)
  delete static_cast<ucontext_t*>(ucontext_);
#endif
}

void Fiber::start(Entry entry) {
#ifdef DFRACE_ASAN
  if (dirty_) {
    constexpr std::size_t kTop = 16 * 1024;
    if (clean_ && stack_size_ > kTop) {
      __asan_unpoison_memory_region(stack_ + stack_size_ - kTop, kTop);
    } else {
      __asan_unpoison_memory_region(stack_, stack_size_);
    }
  }
#endif
  dirty_ = true;
  clean_ = false;
#if defined(__x86_64__)
  auto top = reinterpret_cast<std::uintptr_t>(stack_ + stack_size_) & ~std::uintptr_t{15};
  auto* frame = reinterpret_cast<void**>(top - 64);  // 16-aligned: r15 r14 r13 r12 rbx rbp ret pad
  for (int i = 0; i < 6; ++i) frame[i] = nullptr;
  frame[6] = reinterpret_cast<void*>(entry);  // `ret` jumps here with rsp % 16 == 8, as at any call
  frame[7] = nullptr;                         // entry never returns
  sp_ = frame;
#else
  auto* uc = static_cast<ucontext_t*>(ucontext_);
  getcontext(uc);
  uc->uc_stack.ss_sp = stack_;
  uc->uc_stack.ss_size = stack_size_;
  uc->uc_link = nullptr;
  makecontext(uc, entry, 0);
#endif
}

void Fiber::on_entry() { finish_switch(nullptr); }

void Fiber::switch_to(Fiber& from, Fiber& to, bool from_finished) {
#ifdef DFRACE_ASAN
  void* fake = nullptr;
  if (to.stack_ != nullptr) {
    __sanitizer_start_switch_fiber(from_finished ? nullptr : &fake, to.stack_, to.stack_size_);
  } else {
    __sanitizer_start_switch_fiber(from_finished ? nullptr : &fake, to.asan_bottom_, to.asan_size_);
  }
#endif
  g_switch_from = &from;
#if defined(__x86_64__)
  dfrace_fiber_switch(&from.sp_, to.sp_);
#else
  if (from.ucontext_ == nullptr) from.ucontext_ = new ucontext_t;
  swapcontext(static_cast<ucontext_t*>(from.ucontext_), static_cast<ucontext_t*>(to.ucontext_));
#endif
#ifdef DFRACE_ASAN
  finish_switch(fake);
#else
  finish_switch(nullptr);
#endif
  (void)from_finished;
}

}  // namespace dfrace::rt
