// The thread's RFC v3: each CPU owns one page of handles and a count, touched only by that CPU (no lock, no atomic,
// preemption off); when its page is full the producer itself swaps it for a page of a free pool preallocated at
// pool creation, puts the full page on a drain list and schedules the drain, which frees the page's handles and
// returns the page to the free pool. The two lists are the only hand-offs; the cover letter does not say how they
// are protected, so the recipes model what a kernel developer would write: lib/llist.c's lists (llist_add is a
// cmpxchg loop, llist_del_all an xchg, llist_del_first a load-acquire and a cmpxchg loop), with or without a lock
// among the free pool's consumers. The pool (pool.hpp) performs exactly these accesses; a recipe (recipes.hpp) gives
// each its kernel access kind; plugin.hpp registers the protocol with the engines.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/recipe.hpp"

namespace dfrace::producer_swap {

// Sites in the order the code runs them. `d` is this CPU's deferred state, `page` a page of handles, `free` and
// `drain` the pool's two llist heads; a page's llist node (its `next`) is pool-owned metadata.
enum class Site : std::uint8_t {
  // zs_free's deferral, on the caller's CPU with preemption off
  kEnqueueCountLoad,     // n = d->count;
  kEnqueuePageLoad,      // page = d->page;
  kEnqueueSlotStore,     // page->handles[n] = handle;
  kEnqueueCountStore,    // d->count = n + 1;
  // the producer's swap, when its page is full: llist_del_first(&pool->free) ...
  kSwapFreeFirstLoad,    // entry = smp_load_acquire(&free->first);
  kSwapNextLoad,         // next = READ_ONCE(entry->next);
  kSwapFreeCmpxchg,      // } while (!try_cmpxchg(&free->first, &entry, next));
  // ... llist_add(&page->node, &pool->drain) ...
  kSwapDrainFirstLoad,   // first = READ_ONCE(drain->first);
  kSwapNextStore,        // do { page->next = first;
  kSwapDrainCmpxchg,     // } while (!try_cmpxchg(&drain->first, &first, page));
  // ... then installs the free page and schedules the drain
  kSwapPageStore,        // d->page = entry;
  kSwapCountReset,       // d->count = 0;
  // the drain work: llist_del_all, free each page's handles, llist_add_batch of the chain back to the free pool
  kDrainDrainXchg,       // list = llist_del_all(&pool->drain);   (xchg)
  kDrainNextLoad,        // llist_for_each_safe(page, next, list): next = page->next;
  kDrainSlotLoad,        // zs_free(pool, page->handles[i]);
  kDrainFreeFirstLoad,   // first = READ_ONCE(free->first);
  kDrainNextStore,       // do { last->next = first;
  kDrainFreeCmpxchg,     // } while (!try_cmpxchg(&free->first, &first, list));
  // flush and teardown (not in the cover letter): on each CPU in turn, free its page's handles in place
  kFlushCountLoad,
  kFlushPageLoad,
  kFlushSlotLoad,
  kFlushCountReset,
  kCount
};

// The directions (hand-offs), in the order of Protocol::kDirections; the pool reports each where it happens.
enum class Direction : std::uint8_t {
  kProducerToDrain,       // the drain freed the handles of a page a producer had put on the drain list
  kDrainToProducer,       // a producer installed a page the drain had returned to the free pool
  kInterruptToProducer,   // an interrupt enqueued on a CPU in the middle of its producer's enqueue
  kEmptyPoolFallback,     // a full page's swap found the free pool empty (the handle was freed synchronously)
  kCount
};

struct Protocol {
  using Site = producer_swap::Site;
  using Direction = producer_swap::Direction;
  static constexpr std::size_t kSiteCount = static_cast<std::size_t>(Site::kCount);
  static constexpr std::string_view kName = "producer_swap";
  static constexpr bool kReadsVersion1Findings = false;  // its findings were always written with its name
  // The configurations `./dfrace check` proves each recipe at, smallest first (prove stops at the first
  // counterexample), each under a second for v3_locked_free_pool: pages recycled by the drain
  // (1cpu-s1-p3-d2: 213 executions), two CPUs (2cpu-s1-p1-d2: 893), an interrupt (248), a flush (612), and
  // two CPUs taking pages twice each (2cpu-s1-p2-d1: 10,620), where v3_llist_irqs_off's ABA race shows.
  // 2cpu-s1-p2-d2 takes 358,160 (12 s), and v3_aba_once_next does not finish it in a minute. That recipe's double
  // free needs more than these (it is proved at 2cpu-s1-p2-d1), so check's proof column passes it: the proof is
  // only as wide as its configs.
  static constexpr std::array<std::string_view, 5> kCheckProveConfigs = {
      "1cpu-s1-p3-d2", "2cpu-s1-p1-d2", "1cpu-s1-p2-d2-irq", "1cpu-s2-p3-d2-flush", "2cpu-s1-p2-d1"};

  static constexpr std::array<SiteInfo, kSiteCount> kSites = {{
      {"enqueue.count_load", SiteKind::kLoad, "n = d->count;"},
      {"enqueue.page_load", SiteKind::kLoad, "page = d->page;"},
      {"enqueue.slot_store", SiteKind::kStore, "page->handles[n] = handle;"},
      {"enqueue.count_store", SiteKind::kStore, "d->count = n + 1;"},
      {"swap.free_first_load", SiteKind::kLoad, "llist_del_first: entry = smp_load_acquire(&free->first);"},
      {"swap.next_load", SiteKind::kLoad, "llist_del_first: next = READ_ONCE(entry->next);"},
      {"swap.free_cmpxchg", SiteKind::kRmw, "llist_del_first: while (!try_cmpxchg(&free->first, &entry, next))"},
      {"swap.drain_first_load", SiteKind::kLoad, "llist_add: first = READ_ONCE(drain->first);"},
      {"swap.next_store", SiteKind::kStore, "llist_add: page->next = first;"},
      {"swap.drain_cmpxchg", SiteKind::kRmw, "llist_add: while (!try_cmpxchg(&drain->first, &first, page))"},
      {"swap.page_store", SiteKind::kStore, "d->page = entry;"},
      {"swap.count_reset", SiteKind::kStore, "d->count = 0;"},
      {"drain.drain_xchg", SiteKind::kRmw, "list = llist_del_all(&pool->drain);  (xchg)"},
      {"drain.next_load", SiteKind::kLoad, "llist_for_each_safe: next = page->next;"},
      {"drain.slot_load", SiteKind::kLoad, "zs_free(pool, page->handles[i]);"},
      {"drain.free_first_load", SiteKind::kLoad, "llist_add_batch: first = READ_ONCE(free->first);"},
      {"drain.next_store", SiteKind::kStore, "llist_add_batch: last->next = first;"},
      {"drain.free_cmpxchg", SiteKind::kRmw, "llist_add_batch: while (!try_cmpxchg(&free->first, &first, list))"},
      {"flush.count_load", SiteKind::kLoad, "(not in the cover letter: flush on each CPU)"},
      {"flush.page_load", SiteKind::kLoad, "(not in the cover letter: flush on each CPU)"},
      {"flush.slot_load", SiteKind::kLoad, "(not in the cover letter: flush on each CPU)"},
      {"flush.count_reset", SiteKind::kStore, "(not in the cover letter: flush on each CPU)"},
  }};

  static constexpr std::array<DirectionInfo, static_cast<std::size_t>(Direction::kCount)> kDirections = {{
      {"producer->drain",
       "the drain took a page a producer had put on the drain list and freed the handles written into it"},
      {"drain->producer", "a producer installed a page the drain had emptied and returned to the free pool"},
      {"interrupt->producer",
       "an interrupt enqueued on a CPU in the middle of its producer's enqueue (the producer resumed on the state "
       "the interrupt left)"},
      {"empty-pool fallback", "a full page's swap found the free pool empty, so a handle was freed synchronously"},
  }};

  // Where the code's structure differs, as data like the accesses.
  struct Options {
    // true: the producers' llist_del_first runs under pool->free_lock (spin_lock), as include/linux/llist.h requires
    // when several consumers delete; false: each CPU calls it unlocked (the drain's llist_add_batch is never locked).
    bool free_pool_consumers_locked = false;
    // true: the whole enqueue, the swap included, runs with local interrupts off (local_irq_save). The cover letter
    // only disables preemption.
    bool irqs_off_in_enqueue = false;
    // true: only the swap runs with local interrupts off; the append and the full check that lead to it do not.
    bool irqs_off_in_swap = false;
    // false: lib/llist.c's llist_del_first retries with the head its failed cmpxchg returned and reads that node's
    // next through the address dependency, which the LKMM orders and C++ does not (docs/semantics.md §1); true:
    // after a failed cmpxchg it re-reads the head with smp_load_acquire (swap.free_first_load), ordered in both.
    bool del_first_reloads_head = false;
    friend constexpr bool operator==(const Options&, const Options&) = default;
  };

  static std::vector<std::pair<std::string, bool>> describe(const Options& o) {
    return {{"free_pool_consumers_locked", o.free_pool_consumers_locked},
            {"irqs_off_in_enqueue", o.irqs_off_in_enqueue},
            {"irqs_off_in_swap", o.irqs_off_in_swap},
            {"del_first_reloads_head", o.del_first_reloads_head}};
  }
};

constexpr std::size_t site_index(Site s) { return static_cast<std::size_t>(s); }

}  // namespace dfrace::producer_swap
