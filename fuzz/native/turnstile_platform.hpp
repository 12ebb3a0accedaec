// TurnstilePlatform: NativePlatform whose every shared access and barrier waits for its turn in a recorded order
// (Turnstile) and passes the turn on once done; refill allocations fail as the recording's fault mask says.
//
// Contract: the accesses themselves are NativePlatform's (plain C++ for plain, std::atomic_ref otherwise; barriers
// as NativePlatform expresses them for TSan), so ThreadSanitizer judges exactly what it judges in stress.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "platform/native/native_platform.hpp"
#include "platform/native/slot_buffer.hpp"
#include "turnstile.hpp"

namespace dfrace::native_replay {

class TurnstilePlatform : public NativePlatform {
 public:
  explicit TurnstilePlatform(std::uint32_t fail_mask) : fail_mask_(fail_mask) {}

  template <class T>
  class Shared : public NativePlatform::Shared<T> {
    using Base = NativePlatform::Shared<T>;

   public:
    Shared() : Base(T{}) {}
    explicit Shared(T initial) : Base(initial) {}

    template <Access kAccess, std::size_t kSite>
    T load() {
      Turnstile::before(kSite);
      const T v = Base::template load<kAccess, kSite>();
      Turnstile::after();
      return v;
    }
    template <Access kAccess, std::size_t kSite>
    void store(T v) {
      Turnstile::before(kSite);
      Base::template store<kAccess, kSite>(v);
      Turnstile::after();
    }
    // A read-modify-write is one turn, as it is one scheduling point in the fuzz executor.
    template <Access kAccess, std::size_t kSite>
    T exchange(T v) {
      Turnstile::before(kSite);
      const T old = Base::template exchange<kAccess, kSite>(v);
      Turnstile::after();
      return old;
    }
    template <Access kAccess, std::size_t kSite>
    bool compare_exchange(T& expected, T desired) {
      Turnstile::before(kSite);
      const bool stored = Base::template compare_exchange<kAccess, kSite>(expected, desired);
      Turnstile::after();
      return stored;
    }
  };

  // get_cpu_ptr takes its turn too (see tools/access_order.hpp); CPUs are numbered in construction order, as the
  // pool builds them and as the fuzz platform numbers them.
  class CpuBinding {
   public:
    CpuBinding() : name_("get_cpu_ptr(cpu" + std::to_string(next_cpu_++) + ")") {}
    void lock() {
      Turnstile::before(std::string_view(name_));
      m_.lock();
      Turnstile::after();
    }
    void unlock() { m_.unlock(); }

   private:
    std::string name_;
    std::mutex m_;
    static inline unsigned next_cpu_ = 0;  // one pool per process
  };

  // cancel_work_sync takes its turn: a real teardown must not cancel a drain run the recording made first.
  class WorkItem : public NativePlatform::WorkItem {
   public:
    using NativePlatform::WorkItem::WorkItem;
    void cancel_sync() {
      Turnstile::before(std::string_view("cancel_work_sync"));
      Turnstile::after();  // the turn passes before waiting: the drain may still be finishing its own steps
      NativePlatform::WorkItem::cancel_sync();
    }
  };

  using Buffer = SlotBuffer<Shared<Handle>>;

  // The k-th refill (may_fail) fails when bit k of the mask is set, as in the fuzz executor.
  Buffer* allocate_buffer(std::size_t n, bool may_fail) {
    if (may_fail) {
      const unsigned k = refills_++;
      if (k < 32 && (fail_mask_ >> k & 1u)) return nullptr;
    }
    return Buffer::make(n);
  }
  void free_buffer(Buffer* b) { delete b; }
  static Shared<Handle>& slot(Buffer* b, std::size_t i) { return Buffer::at(b, i); }

  template <Access kAccess, std::size_t kSite>
  void fence(const void* paired) {
    Turnstile::before(kSite);
    NativePlatform::fence<kAccess, kSite>(paired);
    Turnstile::after();
  }

 private:
  std::uint32_t fail_mask_;
  unsigned refills_ = 0;  // only the drain refills
};

static_assert(Platform<TurnstilePlatform>);

}  // namespace dfrace::native_replay
