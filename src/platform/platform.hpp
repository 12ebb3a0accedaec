// The contract between the pool and the engines that run it.
//
// The pool (and any later protocol) is written once against a *platform*, in the style of folly's
// `template <typename> class Atom`: the same source runs on native threads, under Relacy and in the fuzz
// executor. A platform decides what a shared access *is* (an instruction, a Relacy event, a scheduling point with
// a weak-memory choice); the recipe decides which access it is. Each access carries its site index so an engine
// can name it (docs/semantics.md §4) and a native build pays nothing for it.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "core/access.hpp"

namespace dfrace {

// A zsmalloc handle (`unsigned long` in the kernel). 0 is never handed out: a slot still holding 0 was never
// written.
using Handle = std::uint64_t;
inline constexpr Handle kNeverWritten = 0;

// What a platform provides. Read as documentation; the concept checks the spelling.
//
//  P::Shared<T>      a shared location in plain storage, constructible from T.
//                    `load<Access, kSite>()` / `store<Access, kSite>(v)` with a load or store Access of the recipe
//                    (never kReuse: the pool resolves reuse itself).
//                    `exchange<Access, kSite>(v)` -> old value, and `compare_exchange<Access, kSite>(T& expected,
//                    T desired)` -> bool (strong), with an RMW Access (SiteKind::kRmw: once = *_relaxed, acquire,
//                    release, mb = fully ordered as the kernel's xchg/cmpxchg, i.e. seq_cst). An RMW reads the
//                    latest value in the location's modification order and continues release sequences (C++20);
//                    a failed compare-exchange is a relaxed load that orders nothing (the kernel's failed cmpxchg).
//  p.fence<Access, kSite>(const void* paired)
//                    a barrier site (kNone does nothing); `paired` is the location the barrier protects, so a
//                    platform that cannot model fences (ThreadSanitizer) can annotate that location instead.
//  P::Buffer         SIZE handle slots; `p.allocate_buffer(n, may_fail)`: the drain's refill passes true and may
//                    get nullptr (kvmalloc_array failing; the engines inject it); pool creation passes false;
//                    `p.free_buffer(b)` (kvfree); `P::slot(b, i)` is slot i as a Shared<Handle>&. What a NULL or
//                    out-of-range slot does is the platform's (a crash natively, a finding in a checker).
//  P::CpuBinding     lock()/unlock(): get_cpu_ptr/put_cpu_ptr. At most one context holds a CPU at a time.
//  P::Mutex          lock()/unlock(): a spinlock as zs_free takes it; try_lock(): spin_trylock (true when taken;
//                    a failed attempt orders nothing).
//  P::BackendMutex   optional, P::Mutex when absent (BackendMutexOf<P>): zs_free's own lock, whose critical
//                    section touches only the backend's host state. A checker may drop its ordering in a model that
//                    over-approximates the exact one (SimPlatform's, for the proof's first pass).
//  P::WorkItem       constructed from (P&, std::function<void()> work). `queue()` is schedule_work: false when
//                    already pending, and only a true return orders the caller's earlier stores before the work.
//                    Its result may only decide whether to wait for the work (flush) or feed statistics: the
//                    proof's abstract model answers true (docs/prove.md).
//                    `flush()` waits until the work is neither pending nor running (flush_work);
//                    `cancel_sync()` stops it for good (cancel_work_sync, then no more queueing).
//  P::Counter        add(n), value(): statistics that must never add ordering the engines could see. Each
//                    counter has one writer at a time (the CPU's holder, or the drain), so add() need not be a
//                    read-modify-write; value() may be read concurrently.
//  p.irq_disable(cpu) / p.irq_enable(cpu)
//                    local_irq_save / restore on that CPU; only an engine that injects interrupts cares.
//  p.observed(direction)
//                    the execution in progress just exercised direction `direction` (an index into the
//                    protocol's kDirections): the protocol's code says so at the point where the hand-off happens,
//                    and the engine reports what it collected with its verdict. Host-side bookkeeping: it must add
//                    no ordering and no scheduling point an engine could see. A platform that reports nothing
//                    ignores it.
template <class P>
concept Platform = requires(P& p, typename P::Buffer* b, std::size_t n, unsigned cpu, typename P::Mutex& m,
                            typename P::template Shared<std::size_t>& word,
                            typename P::template Shared<Handle*>& pointer, Handle* ptr) {
  typename P::template Shared<std::size_t>;
  { word.template exchange<Access::kMb, 0>(n) } -> std::same_as<std::size_t>;
  { word.template compare_exchange<Access::kOnce, 0>(n, n) } -> std::same_as<bool>;
  { pointer.template exchange<Access::kAcquire, 0>(ptr) } -> std::same_as<Handle*>;
  { pointer.template compare_exchange<Access::kRelease, 0>(ptr, ptr) } -> std::same_as<bool>;
  typename P::CpuBinding;
  typename P::Mutex;
  { m.try_lock() } -> std::same_as<bool>;
  typename P::WorkItem;
  typename P::Counter;
  { p.allocate_buffer(n, true) } -> std::same_as<typename P::Buffer*>;
  { p.free_buffer(b) };
  { P::slot(b, n) } -> std::same_as<typename P::template Shared<Handle>&>;
  { p.irq_disable(cpu) };
  { p.irq_enable(cpu) };
  { p.observed(n) };
};

// The lock type zs_free's stand-in takes on platform P (see P::BackendMutex above).
template <class P>
struct BackendMutexSelector {
  using type = typename P::Mutex;
};
template <class P>
  requires requires { typename P::BackendMutex; }
struct BackendMutexSelector<P> {
  using type = typename P::BackendMutex;
};
template <class P>
using BackendMutexOf = typename BackendMutexSelector<P>::type;

}  // namespace dfrace
