// ChaosPlatform: NativePlatform with a timing perturbation (Chaos) before every shared access and barrier.
//
// Contract: exactly NativePlatform's accesses, orders and fault schedule (each access still goes through
// NativePlatform::Shared, so ThreadSanitizer reports name the same frames and site indices); the only addition
// is Chaos::before_access(kSite) in front of each one. Buffers hold ChaosPlatform::Shared slots, so the drain's
// and producers' slot accesses are perturbed too.
#pragma once

#include <cstddef>
#include <memory>

#include "chaos.hpp"
#include "platform/native/native_platform.hpp"
#include "platform/native/slot_buffer.hpp"

namespace dfrace::stress {

class ChaosPlatform : public NativePlatform {
 public:
  using NativePlatform::NativePlatform;

  template <class T>
  class Shared : public NativePlatform::Shared<T> {
    using Base = NativePlatform::Shared<T>;

   public:
    Shared() : Base(T{}) {}
    explicit Shared(T initial) : Base(initial) {}

    template <Access kAccess, std::size_t kSite>
    T load() {
      Chaos::before_access(kSite);
      return Base::template load<kAccess, kSite>();
    }
    template <Access kAccess, std::size_t kSite>
    void store(T v) {
      Chaos::before_access(kSite);
      Base::template store<kAccess, kSite>(v);
    }
    template <Access kAccess, std::size_t kSite>
    T exchange(T v) {
      Chaos::before_access(kSite);
      return Base::template exchange<kAccess, kSite>(v);
    }
    template <Access kAccess, std::size_t kSite>
    bool compare_exchange(T& expected, T desired) {
      Chaos::before_access(kSite);
      return Base::template compare_exchange<kAccess, kSite>(expected, desired);
    }
  };

  using Buffer = SlotBuffer<Shared<Handle>>;

  Buffer* allocate_buffer(std::size_t n, bool may_fail) {
    // The native fault schedule decides whether this allocation fails (one tiny probe allocation); only the
    // slot type differs from NativePlatform's buffer.
    NativePlatform::Buffer* probe = NativePlatform::allocate_buffer(1, may_fail);
    if (probe == nullptr) return nullptr;
    NativePlatform::free_buffer(probe);
    return Buffer::make(n);
  }
  void free_buffer(Buffer* b) { delete b; }
  static Shared<Handle>& slot(Buffer* b, std::size_t i) { return Buffer::at(b, i); }

  template <Access kAccess, std::size_t kSite>
  void fence(const void* paired) {
    Chaos::before_access(kSite);
    NativePlatform::fence<kAccess, kSite>(paired);
  }
};

static_assert(Platform<ChaosPlatform>);

// Chaos as a WeakPlatform hook: `--chaos --weak` perturbs timing and values at once.
struct ChaosHook {
  static void before_access(std::size_t site) { Chaos::before_access(site); }
};

}  // namespace dfrace::stress
