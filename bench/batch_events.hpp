// BatchEvents: what happened inside one timed batch of free calls, counted on the calling thread outside the timed
// instructions (host-side bookkeeping), so a slow batch can be explained by its events rather than guessed at.
//
// Contract
// - A rig's `event_probe()` returns a callable giving the calling thread's running totals; time_batches reads it
//   before and after each batch and keeps the difference (`after - before`) next to the batch's sample.
// - Every field is a count or a tick sum of this thread's own calls. Rigs that cannot see an event leave it 0
//   (a plain pool rig knows only its fallbacks; AttributedPlatform sees them all).
#pragma once

#include <cstdint>

namespace dfrace::bench {

struct BatchEvents {
  std::uint64_t fallbacks = 0;          // calls that freed synchronously (zs_free by this thread)
  std::uint64_t drain_queued = 0;       // queue() calls that queued the drain (schedule_work returned true)
  std::uint64_t drain_already_pending = 0;  // queue() calls that found it pending (returned false)
  std::uint64_t lock_waits = 0;         // lock() calls that found the lock held and waited for it
  std::uint64_t trylock_failures = 0;   // try_lock() calls that found the lock held (spin_trylock failing)
  std::uint64_t buffer_switches = 0;    // slot accesses into another buffer than this thread's previous one
  std::uint64_t queue_ticks = 0;        // TSC ticks spent inside queue() calls that queued the drain
  std::uint64_t lock_wait_ticks = 0;    // TSC ticks spent waiting in lock() for a held lock

  BatchEvents& operator+=(const BatchEvents& o) {
    fallbacks += o.fallbacks;
    drain_queued += o.drain_queued;
    drain_already_pending += o.drain_already_pending;
    lock_waits += o.lock_waits;
    trylock_failures += o.trylock_failures;
    buffer_switches += o.buffer_switches;
    queue_ticks += o.queue_ticks;
    lock_wait_ticks += o.lock_wait_ticks;
    return *this;
  }

  BatchEvents operator-(const BatchEvents& o) const {
    return {fallbacks - o.fallbacks,
            drain_queued - o.drain_queued,
            drain_already_pending - o.drain_already_pending,
            lock_waits - o.lock_waits,
            trylock_failures - o.trylock_failures,
            buffer_switches - o.buffer_switches,
            queue_ticks - o.queue_ticks,
            lock_wait_ticks - o.lock_wait_ticks};
  }
};

// The probe of rigs that see nothing (the floor, the synchronous free).
inline BatchEvents no_events() { return {}; }

}  // namespace dfrace::bench
