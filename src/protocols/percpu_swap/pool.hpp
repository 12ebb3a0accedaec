// DeferredFreePool: per-CPU deferred zs_free with a lockless buffer swap (the seed's RFC v2), written once.
//
// Contract
// - `enqueue(cpu, h)` defers zs_free(h): on `cpu`'s buffer if the count is below SIZE (one slot write and a count
//   store; the drain is scheduled when the buffer becomes full), else synchronously (overflow).
// - The drain (`run_drain`, the work item) scans every CPU, swaps a full buffer for a fresh one, resets the count
//   and frees the old buffer's handles.
// - `flush()` returns once every handle enqueued before it was called has been freed, while producers go on.
// - Destruction frees whatever is still deferred. No enqueue may run concurrently with it (as zs_destroy_pool).
// - Every shared access is the recipe's: `kRecipe` names the access kind of each Site, the platform performs it.
//   Nothing else is shared between contexts, so an engine checking the pool checks the recipe.
// - Each direction of the protocol (Direction) is reported to the platform where it happens (Platform::observed);
//   what that reads (statistics counters) is host-side bookkeeping that orders nothing.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <vector>

#include "backend/zs_backend.hpp"
#include "core/pool_shape.hpp"
#include "core/recipe_access.hpp"
#include "platform/platform.hpp"
#include "protocols/percpu_swap/protocol.hpp"

namespace dfrace::percpu_swap {

template <Platform P, Recipe<Protocol> kRecipe>
class DeferredFreePool {
 public:
  using Backend = ZsBackend<BackendMutexOf<P>>;
  using Buffer = typename P::Buffer;
  template <class T>
  using Shared = typename P::template Shared<T>;

  DeferredFreePool(P& platform, Backend& backend, PoolConfig config)
      : platform_(platform), backend_(backend), config_(checked_config(config)), drain_work_(platform, [this] { run_drain(); }) {
    for (unsigned cpu = 0; cpu < config_.nr_cpus; ++cpu) {
      Buffer* buf = platform_.allocate_buffer(config_.size, /*may_fail=*/false);
      if (buf == nullptr) throw std::bad_alloc();
      stats_.buffer_allocs.add(1);
      cpus_.push_back(std::make_unique<PerCpu>(buf));
    }
  }

  DeferredFreePool(const DeferredFreePool&) = delete;
  DeferredFreePool& operator=(const DeferredFreePool&) = delete;

  // Teardown: the drain is cancelled first (it may be running), then everything still deferred is freed,
  // full buffers included: nothing can run concurrently any more.
  ~DeferredFreePool() {
    drain_work_.cancel_sync();
    for (unsigned cpu = 0; cpu < config_.nr_cpus; ++cpu) {
      free_deferred_on_cpu(*cpus_[cpu], /*include_full=*/true);
      platform_.free_buffer(recipe_load<kRecipe, Site::kFlushHandlesLoad>(cpus_[cpu]->handles));
    }
  }

  // get_cpu_ptr(pool->deferred) ... put_cpu_ptr(pool->deferred)
  void enqueue(unsigned cpu, Handle handle) {
    PerCpu& def = *cpus_.at(cpu);
    def.binding.lock();
    enqueue_on_bound_cpu(cpu, handle);
    def.binding.unlock();
  }

  // The body of enqueue for a context that already holds `cpu`: the producer itself, or an interrupt that
  // arrives on that CPU while the producer is inside enqueue (an engine's fault).
  void enqueue_on_bound_cpu(unsigned cpu, Handle handle) {
    PerCpu& def = *cpus_[cpu];
    constexpr bool kIrqsOff = kRecipe.options.irqs_off_in_enqueue;
    if constexpr (kIrqsOff) platform_.irq_disable(cpu);
    def.stats.enqueued.add(1);
    const std::size_t count = recipe_load<kRecipe, Site::kEnqueueCountCheck>(def.count);
    recipe_fence<kRecipe, Site::kEnqueueRmbAfterCheck>(platform_, &def.count);
    if (count < config_.size) {
      Buffer* handles = recipe_load<kRecipe, Site::kEnqueueHandlesLoad>(def.handles);
      const std::size_t index = recipe_reload<kRecipe, Site::kEnqueueCountIndex>(def.count, count);
      recipe_store<kRecipe, Site::kEnqueueSlotStore>(P::slot(handles, index), handle);
      const std::size_t before = recipe_reload<kRecipe, Site::kEnqueueCountIncrement>(def.count, count);
      recipe_fence<kRecipe, Site::kEnqueueWmbBeforePublish>(platform_, &def.count);
      recipe_store<kRecipe, Site::kEnqueueCountPublish>(def.count, before + 1);
      def.stats.deferred.add(1);
      if (index == 0 && def.drain_side.resets.value() != 0) observe(Direction::kDrainToProducer);
      if (recipe_reload<kRecipe, Site::kEnqueueFullCheck>(def.count, before + 1) == config_.size) {
        if (!drain_work_.queue()) def.stats.fills_found_drain_pending.add(1);
      }
    } else {
      def.stats.overflowed.add(1);
      backend_.zs_free(handle);  // fallback
    }
    if constexpr (kIrqsOff) platform_.irq_enable(cpu);
  }

  // The work item: for_each_possible_cpu, swap out a full buffer and free its handles.
  void run_drain() {
    stats_.drain_runs.add(1);
    for (unsigned cpu = 0; cpu < config_.nr_cpus; ++cpu) {
      PerCpu& def = *cpus_[cpu];
      const std::size_t count = recipe_load<kRecipe, Site::kDrainCountCheck>(def.count);
      recipe_fence<kRecipe, Site::kDrainRmbAfterCheck>(platform_, &def.count);
      if (count < config_.size) continue;
      Buffer* new_buf = platform_.allocate_buffer(config_.size, /*may_fail=*/true);  // kvmalloc_array
      if (new_buf == nullptr) {
        stats_.buffer_alloc_failures.add(1);
        if constexpr (kRecipe.options.checks_alloc_failure) {
          drain_in_place(def, count);
          continue;
        }
        // The seed does not check: a NULL buffer is installed below, as posted.
      } else {
        stats_.buffer_allocs.add(1);
      }
      Buffer* old_buf = recipe_load<kRecipe, Site::kDrainHandlesLoad>(def.handles);
      const std::size_t old_count = recipe_reload<kRecipe, Site::kDrainCountReload>(def.count, count);
      recipe_store<kRecipe, Site::kDrainHandlesStore>(def.handles, new_buf);
      recipe_fence<kRecipe, Site::kDrainWmbBeforeReset>(platform_, &def.count);
      recipe_store<kRecipe, Site::kDrainCountReset>(def.count, std::size_t{0});
      for (std::size_t i = 0; i < old_count; ++i) {
        backend_.zs_free(recipe_load<kRecipe, Site::kDrainSlotLoad>(P::slot(old_buf, i)));
        stats_.drained.add(1);
      }
      platform_.free_buffer(old_buf);  // kvfree
      observe_take(def, old_count);
    }
  }

  // flush(): every handle enqueued before the call is freed when it returns, while producers keep enqueueing.
  //
  // The seed has no flush; this is the protocol, and the engines check it like the rest:
  // 1. For each CPU, run *on that CPU* (hold its binding, as the kernel would with work_on_cpu or an IPI): no
  //    enqueue can be half-way there. A partially filled buffer (0 < count < SIZE) is freed in place and its
  //    count reset. The drain ignores such a buffer (it only takes count == SIZE), so the two never share one.
  //    A full buffer is left alone: it already belongs to the drain.
  // 2. Then make the drain run once more *after* step 1 and wait for it. Only a queue_work that returns true
  //    orders our view of the full buffers before the drain's, so retry until our own queueing succeeds and
  //    has completed (a false return means a run we cannot rely on is pending: wait for it and try again).
  void flush() {
    for (unsigned cpu = 0; cpu < config_.nr_cpus; ++cpu) {
      PerCpu& def = *cpus_[cpu];
      def.binding.lock();
      free_deferred_on_cpu(def, /*include_full=*/false);
      def.binding.unlock();
    }
    while (!drain_work_.queue()) drain_work_.flush();
    drain_work_.flush();
  }

  PoolStats stats() const {
    PoolStats s{0, 0, 0, stats_.drained.value(), 0, stats_.drain_runs.value(), stats_.buffer_allocs.value(),
                stats_.buffer_alloc_failures.value()};
    for (const auto& def : cpus_) {
      s.enqueued += def->stats.enqueued.value();
      s.deferred += def->stats.deferred.value();
      s.overflowed += def->stats.overflowed.value();
      s.flushed += def->stats.flushed.value();
    }
    return s;
  }

  const PoolConfig& config() const { return config_; }
  typename P::WorkItem& drain_work() { return drain_work_; }

 private:
  struct PerCpu {
    explicit PerCpu(Buffer* buf) : handles(buf), count(0) {}
    Shared<Buffer*> handles;  // def->handles
    Shared<std::size_t> count;  // def->count
    typename P::CpuBinding binding;
    // Added to only by the context holding this CPU (enqueue, flush, teardown): single-writer counters.
    struct {
      typename P::Counter enqueued, deferred, overflowed, flushed;
      typename P::Counter fills_found_drain_pending;  // a fill whose schedule_work returned false
    } stats;
    // Written only by the drain (one run at a time): what it did to this CPU, for Direction reporting.
    struct {
      typename P::Counter resets;           // full buffers taken (swapped, or drained in place)
      std::uint64_t pending_fills_seen = 0;  // fills_found_drain_pending at the last take
    } drain_side;
  };

  // Added to only by the drain (one run at a time), and by construction and teardown, which nothing overlaps.
  struct alignas(64) DrainCounters {
    typename P::Counter drained, drain_runs, buffer_allocs, buffer_alloc_failures, buffers_taken;
  };

  // The drain's answer to a failed kvmalloc_array (recipes with checks_alloc_failure): the buffer is full, so no
  // producer writes it; free its handles where they are, then hand it back empty.
  void drain_in_place(PerCpu& def, std::size_t count) {
    Buffer* buf = recipe_load<kRecipe, Site::kDrainHandlesLoad>(def.handles);
    const std::size_t old_count = recipe_reload<kRecipe, Site::kDrainCountReload>(def.count, count);
    for (std::size_t i = 0; i < old_count; ++i) {
      backend_.zs_free(recipe_load<kRecipe, Site::kDrainSlotLoad>(P::slot(buf, i)));
      stats_.drained.add(1);
    }
    recipe_fence<kRecipe, Site::kDrainWmbBeforeReset>(platform_, &def.count);
    recipe_store<kRecipe, Site::kDrainCountReset>(def.count, std::size_t{0});
    observe_take(def, old_count);
  }

  // The drain took `def`'s full buffer and freed `freed` handles of it: which directions that exercised.
  void observe_take(PerCpu& def, std::size_t freed) {
    def.drain_side.resets.add(1);
    stats_.buffers_taken.add(1);
    if (freed > 0) observe(Direction::kProducerToDrain);
    const std::uint64_t pending_fills = def.stats.fills_found_drain_pending.value();
    if (pending_fills != def.drain_side.pending_fills_seen) {
      def.drain_side.pending_fills_seen = pending_fills;
      observe(Direction::kCrossCpuDrain);
    }
    if (stats_.buffers_taken.value() >= 2) observe(Direction::kRepeatedDrains);
  }

  void observe(Direction d) { platform_.observed(static_cast<std::size_t>(d)); }

  // Flush and teardown, on a CPU nobody else holds.
  void free_deferred_on_cpu(PerCpu& def, bool include_full) {
    const std::size_t count = recipe_load<kRecipe, Site::kFlushCountLoad>(def.count);
    if (count == 0 || (count >= config_.size && !include_full)) return;
    Buffer* buf = recipe_load<kRecipe, Site::kFlushHandlesLoad>(def.handles);
    for (std::size_t i = 0; i < count; ++i) {
      backend_.zs_free(recipe_load<kRecipe, Site::kFlushSlotLoad>(P::slot(buf, i)));
      def.stats.flushed.add(1);
    }
    recipe_store<kRecipe, Site::kFlushCountReset>(def.count, std::size_t{0});
  }

  P& platform_;
  Backend& backend_;
  const PoolConfig config_;
  std::vector<std::unique_ptr<PerCpu>> cpus_;
  DrainCounters stats_;
  typename P::WorkItem drain_work_;  // last: destroyed (and so stopped) before the buffers it reads
};

}  // namespace dfrace::percpu_swap
