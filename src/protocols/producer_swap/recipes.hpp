// The recipe catalogue of the producer-swap protocol (the thread's RFC v3): how a kernel developer would protect the
// two lists the cover letter leaves open, and where interrupts are off. Each entry's claim is the developer's; the
// engines decide, and a claim they refuted is recorded here with what they demonstrated (expected_verdicts.json).
//
// TO ADD A RECIPE: append one entry to kRecipes below. Nothing else changes.
#pragma once

#include <array>

#include "core/recipe_builder.hpp"
#include "protocols/producer_swap/protocol.hpp"

namespace dfrace::producer_swap {

using A = Access;
using S = Site;

// Both lists as lib/llist.c writes them — llist_del_first: smp_load_acquire of the head, READ_ONCE of the entry's
// next, a fully ordered try_cmpxchg; llist_add and llist_add_batch: READ_ONCE of the head, a plain store of the
// node's next, a fully ordered try_cmpxchg; llist_del_all: a fully ordered xchg — and every access of a CPU's page
// and count plain (only that CPU touches them).
inline constexpr Recipe<Protocol> kLlistAsWritten = marked_recipe<Protocol>(unmarked_recipe<Protocol>(),
                                                                           {{S::kSwapFreeFirstLoad, A::kAcquire},
                                                                            {S::kSwapNextLoad, A::kOnce},
                                                                            {S::kSwapDrainFirstLoad, A::kOnce},
                                                                            {S::kDrainFreeFirstLoad, A::kOnce}},
                                                                           {});

// kLlistAsWritten with `marked` overriding and `options` saying the rest.
inline constexpr RecipeMarker<Protocol> recipe{kLlistAsWritten};

inline constexpr auto kRecipes = std::to_array<RecipeEntry<Protocol>>({
    {"v3_llist",
     "RFC v3 cover letter, as a kernel developer would write it: both lists are lib/llist.c's llists",
     "Enqueue under preemption off only (get_cpu_ptr), as the cover letter says; the drain list is an llist "
     "(llist_add by the producers, llist_del_all by the drain, both fully ordered), and so is the free pool: each "
     "producer takes its page with llist_del_first, the drain returns emptied pages with llist_add_batch. The "
     "developer's argument: every list operation is a fully ordered atomic.",
     false,
     recipe({}, {})},

    {"v3_llist_irqs_off",
     "v3_llist with the whole enqueue under local_irq_save: the free pool's concurrent llist_del_first alone",
     "Interrupts cannot enqueue in the middle of an enqueue or a swap any more, and a failed cmpxchg is followed "
     "by an acquire re-read of the head (no reliance on a dependency), so what is left is the free pool itself: "
     "include/linux/llist.h allows llist_del_first for one consumer at a time, here every CPU is one, and the drain "
     "recycles the pages they take (the classic ABA on the list head).",
     false,
     recipe({}, {.irqs_off_in_enqueue = true, .del_first_reloads_head = true})},

    {"v3_aba_once_next",
     "v3_llist_irqs_off with every llist next pointer marked (WRITE_ONCE / READ_ONCE)",
     "Marks the node's next stores and the drain's walk, so that no access of the free pool is a data race any "
     "more: what is left of v3_llist_irqs_off is the ABA itself, an algorithmic bug no marking repairs.",
     false,
     recipe({{S::kSwapNextStore, A::kOnce},
             {S::kDrainNextLoad, A::kOnce},
             {S::kDrainNextStore, A::kOnce}},
            {.irqs_off_in_enqueue = true, .del_first_reloads_head = true})},

    {"v3_locked_free_pool",
     "dfrace team: the free pool's consumers under a spinlock, the enqueue under local_irq_save",
     "The straightforward correct version. The producers' llist_del_first runs under pool->free_lock, as llist.h "
     "requires for several consumers (the drain's llist_add_batch needs no lock: adds may run concurrently with one "
     "deleter), and re-reads the head with smp_load_acquire after a failed cmpxchg. Drain -> producer: the drain "
     "reads a page's handles and writes its next, then returns it with a fully ordered cmpxchg; the producer's "
     "smp_load_acquire of the head then orders its reads and writes of the page after those. Producer -> drain: "
     "the producer writes the handles and the node's next, then llist_add's cmpxchg; the drain's xchg in "
     "llist_del_all acquires them (RMWs continue the release sequence of earlier adds). Interrupts are off for the "
     "whole enqueue, so one cannot enqueue between the append's two stores, between the fill and the swap, nor "
     "inside the swap.",
     true,
     recipe({}, {.free_pool_consumers_locked = true, .irqs_off_in_enqueue = true, .del_first_reloads_head = true})},

    {"v3_locked_llist_literal",
     "v3_locked_free_pool with lib/llist.c's llist_del_first as written: the retry uses the failed cmpxchg's value",
     "After a failed cmpxchg, lib/llist.c reads the new head's next with READ_ONCE, ordered after the drain's "
     "writes only by the address dependency on the head the cmpxchg returned. The LKMM orders that dependency; "
     "C++ (without memory_order_consume) does not, so dfrace flags this recipe and the LKMM passes it "
     "(docs/semantics.md §1). It is here to show where the two models part, not as a kernel bug.",
     false,
     recipe({}, {.free_pool_consumers_locked = true, .irqs_off_in_enqueue = true})},

    {"v3_locked_irqs_on",
     "v3_locked_free_pool under preemption off only, as the cover letter's enqueue",
     "The free pool is right; interrupts are not masked. The developer's argument: the append is one line and the "
     "swap is short. An interrupt that frees a handle on the CPU can arrive between the append's slot store and "
     "count store, between the fill and the swap, or inside the swap (where spin_lock(&pool->free_lock) may "
     "already be held by the code it interrupted).",
     false,
     recipe({}, {.free_pool_consumers_locked = true, .del_first_reloads_head = true})},

    {"v3_irqs_off_swap_only",
     "v3_locked_free_pool with interrupts off around the swap only",
     "The developer's argument: the swap is the multi-step critical section, the append a single store pair. The "
     "interrupt can still arrive between the append's two stores, and between the enqueue that fills the page and "
     "the swap it then performs.",
     false,
     recipe({}, {.free_pool_consumers_locked = true, .irqs_off_in_swap = true, .del_first_reloads_head = true})},
});

// Mutants are the single-step weakenings of this recipe: each list operation's memory order, one at a time.
inline constexpr std::string_view kMutantBase = "v3_locked_free_pool";

}  // namespace dfrace::producer_swap
