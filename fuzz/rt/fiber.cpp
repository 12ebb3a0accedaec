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

#include <boost/context/detail/fcontext.hpp>

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

namespace fctx = boost::context::detail;

// What jump_fcontext hands the resumed side: the context of the fiber that jumped, to be stored in that fiber
// (fcontext gives a suspended context to whoever it resumes, not back to its owner).
struct FiberJump {
  static void save_jumper(fctx::transfer_t t) { static_cast<Fiber*>(t.data)->context_ = t.fctx; }
  static void entry(fctx::transfer_t t) {
    save_jumper(t);
    g_switch_to->entry_();  // never returns: a finished body switches away for good
    std::abort();
  }
  static thread_local Fiber* g_switch_to;
};
thread_local Fiber* FiberJump::g_switch_to = nullptr;

Fiber::Fiber(std::size_t stack_size) : stack_size_(stack_size) {
  void* p = mmap(nullptr, stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  stack_ = static_cast<char*>(p);
}

Fiber::~Fiber() {
  if (stack_ != nullptr) munmap(stack_, stack_size_);
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
  entry_ = entry;
  context_ = fctx::make_fcontext(stack_ + stack_size_, stack_size_, &FiberJump::entry);
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
  FiberJump::g_switch_to = &to;
  FiberJump::save_jumper(fctx::jump_fcontext(to.context_, &from));
#ifdef DFRACE_ASAN
  finish_switch(fake);
#else
  finish_switch(nullptr);
#endif
  (void)from_finished;
}

}  // namespace dfrace::rt
