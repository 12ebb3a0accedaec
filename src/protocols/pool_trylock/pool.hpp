// TrylockPool: one array of deferred handles per pool under a spinlock (RFC v2 patch 2/4, as posted), written once.
//
// Contract
// - `enqueue(cpu, h)` defers zs_free(h): if spin_trylock gets the pool's lock and the array is not full, h is
//   appended (a slot store and a count store); the append that makes the array half full schedules the drain.
//   A failed trylock or a full array frees h synchronously (fallback). The caller holds `cpu` meanwhile (spin_lock
//   disables preemption), so an interrupt on that CPU finds the lock held and falls back instead of deadlocking.
// - The drain (`run_drain`, the work item) takes the lock, swaps the array for the spare, resets the count,
//   unlocks, and frees the old array's handles outside the lock; the old array is the next spare.
// - `flush()` returns once every handle enqueued before it was called has been freed: it queues the drain until
//   its own queue_work succeeds and waits for that run (only a successful queue_work orders the caller before it).
// - Destruction cancels the drain and frees what is still deferred. No enqueue may run concurrently with it.
// - Every shared access is the recipe's (kRecipe names its access kind per Site); Options select the tempting
//   variants' structure. Directions are reported to the platform where they happen (Platform::observed).
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <vector>

#include "backend/zs_backend.hpp"
#include "core/pool_shape.hpp"
#include "core/recipe_access.hpp"
#include "platform/platform.hpp"
#include "protocols/pool_trylock/protocol.hpp"

namespace dfrace::pool_trylock {

template <Platform P, Recipe<Protocol> kRecipe>
class TrylockPool {
 public:
  using Backend = ZsBackend<BackendMutexOf<P>>;
  using Buffer = typename P::Buffer;
  template <class T>
  using Shared = typename P::template Shared<T>;

  TrylockPool(P& platform, Backend& backend, PoolConfig config)
      : platform_(platform),
        backend_(backend),
        config_(checked_config(config)),
        handles_(allocate()),
        count_(0),
        spare_(allocate()),
        drain_work_(platform, [this] { run_drain(); }) {
    for (unsigned cpu = 0; cpu < config_.nr_cpus; ++cpu) cpus_.push_back(std::make_unique<PerCpu>());
  }

  TrylockPool(const TrylockPool&) = delete;
  TrylockPool& operator=(const TrylockPool&) = delete;

  // zs_destroy_pool: the drain is cancelled first (it may be running), then what is still deferred is freed.
  ~TrylockPool() {
    drain_work_.cancel_sync();
    take_and_free();
    platform_.free_buffer(recipe_load<kRecipe, Site::kDrainHandlesLoad>(handles_));
    platform_.free_buffer(spare_);
  }

  void enqueue(unsigned cpu, Handle handle) {
    PerCpu& c = *cpus_.at(cpu);
    c.binding.lock();
    enqueue_on_bound_cpu(cpu, handle);
    c.binding.unlock();
  }

  // The body of zs_free's deferral for a context that already holds `cpu` (the producer, or an interrupt on it).
  void enqueue_on_bound_cpu(unsigned cpu, Handle handle) {
    PerCpu& c = *cpus_[cpu];
    c.stats.enqueued.add(1);
    if (lock_.try_lock()) {
      const std::size_t count = recipe_load<kRecipe, Site::kEnqueueCountLoad>(count_);
      if (count < config_.size) {
        Buffer* handles = recipe_load<kRecipe, Site::kEnqueueHandlesLoad>(handles_);
        recipe_store<kRecipe, Site::kEnqueueSlotStore>(P::slot(handles, count), handle);
        recipe_store<kRecipe, Site::kEnqueueCountStore>(count_, count + 1);
        c.stats.deferred.add(1);
        if (count == 0 && drain_stats_.takes.value() != 0) observe(Direction::kDrainToProducer);
        if constexpr (kRecipe.options.half_check_after_unlock) {
          lock_.unlock();
          if (recipe_reload<kRecipe, Site::kEnqueueHalfCheck>(count_, count + 1) == half()) drain_work_.queue();
        } else {
          if (recipe_reload<kRecipe, Site::kEnqueueHalfCheck>(count_, count + 1) == half()) drain_work_.queue();
          lock_.unlock();
        }
        return;
      }
      lock_.unlock();
    } else {
      observe(Direction::kContendedFallback);
    }
    c.stats.overflowed.add(1);
    backend_.zs_free(handle);  // fallback
  }

  // The work item.
  void run_drain() {
    drain_stats_.runs.add(1);
    take_and_free();
  }

  void flush() {
    while (!drain_work_.queue()) drain_work_.flush();
    drain_work_.flush();
  }

  PoolStats stats() const {
    PoolStats s;
    for (const auto& c : cpus_) {
      s.enqueued += c->stats.enqueued.value();
      s.deferred += c->stats.deferred.value();
      s.overflowed += c->stats.overflowed.value();
    }
    s.drained = drain_stats_.drained.value();
    s.drain_runs = drain_stats_.runs.value();
    s.buffer_allocs = 2;
    return s;
  }

  const PoolConfig& config() const { return config_; }
  typename P::WorkItem& drain_work() { return drain_work_; }

 private:
  struct PerCpu {
    typename P::CpuBinding binding;
    // Added to only by the context holding this CPU: single-writer counters.
    struct {
      typename P::Counter enqueued, deferred, overflowed;
    } stats;
  };

  Buffer* allocate() {
    Buffer* b = platform_.allocate_buffer(config_.size, /*may_fail=*/false);
    if (b == nullptr) throw std::bad_alloc();
    return b;
  }

  // "Half full": the append that brings the count to ceil(SIZE / 2) schedules the drain.
  std::size_t half() const { return (config_.size + 1) / 2; }

  // The drain's body (and teardown's): take the array under the lock, free its handles outside it.
  void take_and_free() {
    if constexpr (kRecipe.options.drain_checks_empty_unlocked) {
      if (recipe_load<kRecipe, Site::kDrainEmptyCheck>(count_) == 0) return;
    }
    lock_.lock();
    Buffer* old = recipe_load<kRecipe, Site::kDrainHandlesLoad>(handles_);
    const std::size_t n = recipe_load<kRecipe, Site::kDrainCountLoad>(count_);
    if constexpr (!kRecipe.options.swaps_outside_lock) {
      recipe_store<kRecipe, Site::kDrainHandlesStore>(handles_, spare_);
    }
    recipe_store<kRecipe, Site::kDrainCountReset>(count_, std::size_t{0});
    lock_.unlock();
    if constexpr (kRecipe.options.swaps_outside_lock) {
      recipe_store<kRecipe, Site::kDrainHandlesStore>(handles_, spare_);
    }
    spare_ = old;  // the drain's own: nothing else reads it
    for (std::size_t i = 0; i < n; ++i) {
      backend_.zs_free(recipe_load<kRecipe, Site::kDrainSlotLoad>(P::slot(old, i)));
      drain_stats_.drained.add(1);
    }
    if (n > 0) {
      drain_stats_.takes.add(1);
      observe(Direction::kProducerToDrain);
      if (drain_stats_.takes.value() >= 2) observe(Direction::kRepeatedDrains);
    }
  }

  void observe(Direction d) { platform_.observed(static_cast<std::size_t>(d)); }

  P& platform_;
  Backend& backend_;
  const PoolConfig config_;
  typename P::Mutex lock_;    // pool->lock
  Shared<Buffer*> handles_;   // pool->handles
  Shared<std::size_t> count_; // pool->count
  Buffer* spare_;             // the drain's spare array
  std::vector<std::unique_ptr<PerCpu>> cpus_;
  // Added to only by the drain (one run at a time) and teardown, which nothing overlaps.
  struct alignas(64) {
    typename P::Counter drained, runs, takes;
  } drain_stats_;
  typename P::WorkItem drain_work_;  // last: destroyed (and so stopped) before the arrays it reads
};

}  // namespace dfrace::pool_trylock
