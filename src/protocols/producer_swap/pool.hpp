// ProducerSwapPool: per-CPU pages of deferred handles that each producer swaps itself (the thread's RFC v3), over
// two llists — the full pages' drain list and the free pool — written once.
//
// Contract
// - Pages: at creation the pool takes 2 * nr_cpus + 1 pages of SIZE handles from the platform (allocate_buffer(SIZE,
//   false)): one installed on each CPU, and nr_cpus + 1 in the free pool. The kernel's pool is a fixed 256 KiB (64
//   pages) whatever the CPUs; here it scales with them so a small configuration reaches both an empty free pool (one
//   CPU, SIZE 1: its fourth enqueue falls back if the drain has not run) and the free pool's ABA (two CPUs, SIZE 1:
//   one CPU takes two pages and the drain returns the first while the other CPU is inside llist_del_first). Every
//   page stays the pool's until destruction; only its ownership moves (a CPU, the drain list, the drain, the free
//   pool). A page's llist node (its `next`) is a Shared cell the pool keeps beside the page.
// - `enqueue(cpu, h)` defers zs_free(h): on `cpu`'s page, at its count (a slot store and a count store, no lock and
//   no atomic: only the CPU's holder, or an interrupt on it, touches them). The enqueue that fills the page swaps it:
//   llist_del_first from the free pool, llist_add of the full page to the drain list, the free page and a zero count
//   installed, the drain queued. A swap that finds the free pool empty leaves the full page installed; the next
//   enqueue on that CPU retries the swap and, if the pool is still empty, frees its handle synchronously (fallback).
// - The drain (`run_drain`, the work item) takes the whole drain list (llist_del_all), frees every page's SIZE
//   handles and returns the chain to the free pool in one llist_add_batch.
// - `flush()` returns once every handle enqueued before it was called has been freed: on each CPU in turn (holding
//   its binding) the installed page's handles are freed in place and its count reset; then the drain is queued until
//   its own queue_work succeeds, and waited for (only a successful queue_work orders the caller before the run).
// - Destruction cancels the drain, frees what every CPU's page and the drain list still hold, and every page.
// - Every shared access is the recipe's (kRecipe names its access kind per Site); Options choose the free pool's
//   locking and where interrupts are off. Directions are reported to the platform where they happen.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <vector>

#include "backend/zs_backend.hpp"
#include "core/pool_shape.hpp"
#include "core/recipe_access.hpp"
#include "platform/platform.hpp"
#include "protocols/producer_swap/protocol.hpp"

namespace dfrace::producer_swap {

template <Platform P, Recipe<Protocol> kRecipe>
class ProducerSwapPool {
 public:
  using Backend = ZsBackend<BackendMutexOf<P>>;
  using Buffer = typename P::Buffer;
  template <class T>
  using Shared = typename P::template Shared<T>;

  // The free pool's pages at creation (see the contract).
  static constexpr unsigned free_pages(const PoolConfig& config) { return config.nr_cpus + 1; }

  ProducerSwapPool(P& platform, Backend& backend, PoolConfig config)
      : platform_(platform),
        backend_(backend),
        config_(checked_config(config)),
        pages_(allocate_pages()),
        free_(pages_[config_.nr_cpus]->handles),
        drain_(nullptr),
        drain_work_(platform, [this] { run_drain(); }) {
    for (unsigned cpu = 0; cpu < config_.nr_cpus; ++cpu) cpus_.push_back(std::make_unique<PerCpu>(pages_[cpu]->handles));
  }

  ProducerSwapPool(const ProducerSwapPool&) = delete;
  ProducerSwapPool& operator=(const ProducerSwapPool&) = delete;

  // zs_destroy_pool: the drain is cancelled first (it may be running); nothing else runs any more.
  ~ProducerSwapPool() {
    drain_work_.cancel_sync();
    for (unsigned cpu = 0; cpu < config_.nr_cpus; ++cpu) free_installed_page(cpu);
    take_and_free();
    for (auto& page : pages_) platform_.free_buffer(page->handles);
  }

  // get_cpu_ptr(pool->deferred) ... put_cpu_ptr(pool->deferred)
  void enqueue(unsigned cpu, Handle handle) {
    PerCpu& d = *cpus_.at(cpu);
    d.binding.lock();
    enqueue_on_bound_cpu(cpu, handle);
    d.binding.unlock();
  }

  // The body of zs_free's deferral for a context that already holds `cpu`: the producer, or an interrupt that
  // arrived on that CPU in the middle of the producer's enqueue.
  void enqueue_on_bound_cpu(unsigned cpu, Handle handle) {
    PerCpu& d = *cpus_[cpu];
    if (d.depth++ > 0) observe(Direction::kInterruptToProducer);
    if constexpr (kRecipe.options.irqs_off_in_enqueue) platform_.irq_disable(cpu);
    d.stats.enqueued.add(1);
    std::size_t n = recipe_load<kRecipe, Site::kEnqueueCountLoad>(d.count);
    Buffer* page = recipe_load<kRecipe, Site::kEnqueuePageLoad>(d.page);
    if (n == config_.size) {  // an earlier swap found the free pool empty: the page is still full
      page = swap(cpu, page);
      n = 0;
    }
    if (page != nullptr) {
      recipe_store<kRecipe, Site::kEnqueueSlotStore>(P::slot(page, n), handle);
      recipe_store<kRecipe, Site::kEnqueueCountStore>(d.count, n + 1);
      d.stats.deferred.add(1);
      if (n + 1 == config_.size) swap(cpu, page);  // "when the page is full, the producer itself swaps"
    } else {
      observe(Direction::kEmptyPoolFallback);
      d.stats.overflowed.add(1);
      backend_.zs_free(handle);  // fallback
    }
    if constexpr (kRecipe.options.irqs_off_in_enqueue) platform_.irq_enable(cpu);
    --d.depth;
  }

  // The work item.
  void run_drain() {
    drain_stats_.runs.add(1);
    take_and_free();
  }

  void flush() {
    for (unsigned cpu = 0; cpu < config_.nr_cpus; ++cpu) {
      cpus_[cpu]->binding.lock();
      free_installed_page(cpu);
      cpus_[cpu]->binding.unlock();
    }
    while (!drain_work_.queue()) drain_work_.flush();
    drain_work_.flush();
  }

  PoolStats stats() const {
    PoolStats s;
    for (const auto& d : cpus_) {
      s.enqueued += d->stats.enqueued.value();
      s.deferred += d->stats.deferred.value();
      s.overflowed += d->stats.overflowed.value();
      s.flushed += d->stats.flushed.value();
    }
    s.drained = drain_stats_.drained.value();
    s.drain_runs = drain_stats_.runs.value();
    s.buffer_allocs = pages_.size();
    return s;
  }

  const PoolConfig& config() const { return config_; }
  typename P::WorkItem& drain_work() { return drain_work_; }

 private:
  // A page of handles and its llist node.
  struct Page {
    explicit Page(Buffer* b, Buffer* next_page) : handles(b), next(next_page) {}
    Buffer* handles;      // fixed for the pool's life
    Shared<Buffer*> next; // page->node.next
    typename P::Counter returned;  // times the drain returned it to the free pool (written by the drain only)
  };

  struct PerCpu {
    explicit PerCpu(Buffer* page_at_start) : page(page_at_start), count(0) {}
    Shared<Buffer*> page;       // d->page
    Shared<std::size_t> count;  // d->count
    typename P::CpuBinding binding;
    // Host bookkeeping (orders nothing): enqueues in progress on this CPU; more than one is an interrupt's.
    unsigned depth = 0;
    // Added to only by the context holding this CPU (or an interrupt nested in it): single-writer counters.
    struct {
      typename P::Counter enqueued, deferred, overflowed, flushed;
    } stats;
  };

  // Pages [0, nr_cpus) are the CPUs' first pages; the rest, linked in order, the free pool.
  std::vector<std::unique_ptr<Page>> allocate_pages() {
    const std::size_t total = config_.nr_cpus + std::size_t{free_pages(config_)};
    std::vector<Buffer*> buffers;
    for (std::size_t i = 0; i < total; ++i) {
      Buffer* b = platform_.allocate_buffer(config_.size, /*may_fail=*/false);
      if (b == nullptr) throw std::bad_alloc();
      buffers.push_back(b);
    }
    std::vector<std::unique_ptr<Page>> pages;
    for (std::size_t i = 0; i < total; ++i) {
      const bool links = i >= config_.nr_cpus && i + 1 < total;
      pages.push_back(std::make_unique<Page>(buffers[i], links ? buffers[i + 1] : nullptr));
    }
    return pages;
  }

  // The node of a page (the kernel's container_of; here a lookup among the pool's few pages).
  Page& page_of(Buffer* b) {
    for (auto& page : pages_) {
      if (page->handles == b) return *page;
    }
    throw std::logic_error("producer_swap: a list holds a buffer that is not one of the pool's pages");
  }

  // The producer's swap of its full page `full` on `cpu`: the installed free page, or nullptr (the pool is empty
  // and `full` stays installed).
  Buffer* swap(unsigned cpu, Buffer* full) {
    PerCpu& d = *cpus_[cpu];
    if constexpr (kRecipe.options.irqs_off_in_swap) platform_.irq_disable(cpu);
    Buffer* fresh = take_free_page();
    if (fresh != nullptr) {
      add_to_drain_list(full);
      recipe_store<kRecipe, Site::kSwapPageStore>(d.page, fresh);
      recipe_store<kRecipe, Site::kSwapCountReset>(d.count, std::size_t{0});
      if (page_of(fresh).returned.value() != 0) observe(Direction::kDrainToProducer);
      drain_work_.queue();
    }
    if constexpr (kRecipe.options.irqs_off_in_swap) platform_.irq_enable(cpu);
    return fresh;
  }

  // llist_del_first(&pool->free), under pool->free_lock when the recipe serialises the consumers.
  Buffer* take_free_page() {
    if constexpr (kRecipe.options.free_pool_consumers_locked) free_lock_.lock();
    Buffer* entry = recipe_load<kRecipe, Site::kSwapFreeFirstLoad>(free_);
    while (entry != nullptr) {
      Buffer* next = recipe_load<kRecipe, Site::kSwapNextLoad>(page_of(entry).next);
      if (recipe_compare_exchange<kRecipe, Site::kSwapFreeCmpxchg>(free_, entry, next)) break;
      if constexpr (kRecipe.options.del_first_reloads_head) entry = recipe_load<kRecipe, Site::kSwapFreeFirstLoad>(free_);
    }
    if constexpr (kRecipe.options.free_pool_consumers_locked) free_lock_.unlock();
    return entry;
  }

  // llist_add(&page->node, &pool->drain)
  void add_to_drain_list(Buffer* full) {
    Page& page = page_of(full);
    Buffer* first = recipe_load<kRecipe, Site::kSwapDrainFirstLoad>(drain_);
    do {
      recipe_store<kRecipe, Site::kSwapNextStore>(page.next, first);
    } while (!recipe_compare_exchange<kRecipe, Site::kSwapDrainCmpxchg>(drain_, first, full));
  }

  // The drain's body (and teardown's): take the drain list, free each page's handles, return the chain.
  void take_and_free() {
    Buffer* list = recipe_exchange<kRecipe, Site::kDrainDrainXchg>(drain_, static_cast<Buffer*>(nullptr));
    if (list == nullptr) return;
    Buffer* last = nullptr;
    // A chain longer than the pool's pages is a cycle (a page added twice): the kernel would loop for ever; its
    // handles' second zs_free has already been reported by then, so stop.
    std::size_t walked = 0;
    for (Buffer* page = list; page != nullptr && walked < pages_.size(); ++walked) {
      Page& node = page_of(page);
      Buffer* next = recipe_load<kRecipe, Site::kDrainNextLoad>(node.next);
      for (std::size_t i = 0; i < config_.size; ++i) {
        backend_.zs_free(recipe_load<kRecipe, Site::kDrainSlotLoad>(P::slot(page, i)));
        drain_stats_.drained.add(1);
      }
      node.returned.add(1);
      observe(Direction::kProducerToDrain);
      last = page;
      page = next;
    }
    // llist_add_batch(list, last, &pool->free)
    Page& tail = page_of(last);
    Buffer* first = recipe_load<kRecipe, Site::kDrainFreeFirstLoad>(free_);
    do {
      recipe_store<kRecipe, Site::kDrainNextStore>(tail.next, first);
    } while (!recipe_compare_exchange<kRecipe, Site::kDrainFreeCmpxchg>(free_, first, list));
  }

  // Flush and teardown, on a CPU nobody else holds: the installed page's handles, freed in place.
  void free_installed_page(unsigned cpu) {
    PerCpu& d = *cpus_[cpu];
    if constexpr (kRecipe.options.irqs_off_in_enqueue) platform_.irq_disable(cpu);
    const std::size_t n = recipe_load<kRecipe, Site::kFlushCountLoad>(d.count);
    if (n != 0) {
      Buffer* page = recipe_load<kRecipe, Site::kFlushPageLoad>(d.page);
      for (std::size_t i = 0; i < n; ++i) {
        backend_.zs_free(recipe_load<kRecipe, Site::kFlushSlotLoad>(P::slot(page, i)));
        d.stats.flushed.add(1);
      }
      recipe_store<kRecipe, Site::kFlushCountReset>(d.count, std::size_t{0});
    }
    if constexpr (kRecipe.options.irqs_off_in_enqueue) platform_.irq_enable(cpu);
  }

  void observe(Direction dir) { platform_.observed(static_cast<std::size_t>(dir)); }

  P& platform_;
  Backend& backend_;
  const PoolConfig config_;
  std::vector<std::unique_ptr<Page>> pages_;
  Shared<Buffer*> free_;   // pool->free.first
  Shared<Buffer*> drain_;  // pool->drain.first
  typename P::Mutex free_lock_;  // pool->free_lock (recipes with free_pool_consumers_locked)
  std::vector<std::unique_ptr<PerCpu>> cpus_;
  // Added to only by the drain (one run at a time) and teardown, which nothing overlaps.
  struct alignas(64) {
    typename P::Counter drained, runs;
  } drain_stats_;
  typename P::WorkItem drain_work_;  // last: destroyed (and so stopped) before the pages it reads
};

}  // namespace dfrace::producer_swap
