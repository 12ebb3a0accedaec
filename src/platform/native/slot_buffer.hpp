// SlotBuffer: the buffer of a platform derived from NativePlatform whose slots are its own Shared type (a wrapper
// that adds a hook at each access: chaos, a turnstile). Exactly `size` slots, as natively, so ASan sees an
// overrun; a slot of the NULL buffer is NativePlatform's oops (SIGSEGV), like the kernel's.
#pragma once

#include <cstddef>
#include <memory>

#include "platform/native/native_platform.hpp"

namespace dfrace {

template <class Slot>
struct SlotBuffer {
  std::size_t size;
  std::unique_ptr<Slot[]> slots;

  static SlotBuffer* make(std::size_t n) { return new SlotBuffer{n, std::unique_ptr<Slot[]>(new Slot[n])}; }
  static Slot& at(SlotBuffer* b, std::size_t i) {
    if (b == nullptr) [[unlikely]] NativePlatform::slot(nullptr, 0);  // the native NULL-buffer oops (SIGSEGV)
    return b->slots[i];
  }
};

}  // namespace dfrace
