// The recipe catalogue of the per-CPU swap protocol.
//
// TO ADD A RECIPE: append one entry to kRecipes below (a name, where it comes from, a note, whether you claim it
// correct, and the accesses that differ from the all-plain default). Nothing else changes: `dfrace recipes` lists
// it and every engine (Relacy, fuzz, stress, bench, check) runs it.
#pragma once

#include <array>

#include "core/recipe_builder.hpp"
#include "protocols/percpu_swap/protocol.hpp"

namespace dfrace::percpu_swap {

using A = Access;
using S = Site;

// Start from the unmarked code, every load and store plain and no barriers (core/recipe_builder.hpp), and name only
// what a recipe marks, so each entry reads as a list of the seed's marked accesses.
inline constexpr RecipeMarker<Protocol> recipe{};

inline constexpr auto kRecipes = std::to_array<RecipeEntry<Protocol>>({
    {"posted_v2",
     "RFC v2 0/4 pseudo-code, as posted",
     "Literal: every def->count read is its own plain load, the only marked accesses are the two WRITE_ONCEs, "
     "kvmalloc_array is not checked. Flush (not in the seed) mirrors the drain: plain loads, WRITE_ONCE reset.",
     false,
     recipe({{S::kEnqueueCountPublish, A::kOnce},
             {S::kDrainCountReset, A::kOnce},
             {S::kFlushCountReset, A::kOnce}},
            {.checks_alloc_failure = false, .irqs_off_in_enqueue = false})},

    {"reply_fix",
     "the author's reply: smp_store_release / smp_load_acquire pairs",
     "Exactly the reply's changes: enqueue loads count once with smp_load_acquire and reuses it for the index and "
     "the increment, publishes with smp_store_release; the drain resets with smp_store_release. Lines the reply "
     "does not show stay as posted: the drain's plain `if (def->count < SIZE)` and `old_count = def->count`, "
     "and the enqueue's plain re-read in `if (def->count == SIZE)`. Flush mirrors it (acquire load, release reset).",
     false,
     recipe({{S::kEnqueueCountCheck, A::kAcquire},
             {S::kEnqueueCountIndex, A::kReuse},
             {S::kEnqueueCountIncrement, A::kReuse},
             {S::kEnqueueCountPublish, A::kRelease},
             {S::kDrainCountReset, A::kRelease},
             {S::kFlushCountLoad, A::kAcquire},
             {S::kFlushCountReset, A::kRelease}},
            {.checks_alloc_failure = false, .irqs_off_in_enqueue = false})},

    {"complete_fix",
     "dfrace team",
     "Both hand-offs need a release/acquire pair on def->count. Drain -> producer (the reviewer's bug): the drain "
     "stores def->handles, then smp_store_release(count, 0); the producer's smp_load_acquire of count = 0 then "
     "sees the new buffer. Producer -> drain (missed by the reply): the producer writes the slot, then "
     "smp_store_release(count, SIZE); the drain's smp_load_acquire(count) == SIZE then sees every slot. The "
     "workqueue's own ordering does not cover it: the drain scans every CPU, not only the one that queued it, and "
     "a schedule_work that finds the work pending orders nothing. Each count is loaded once and reused (no plain "
     "re-read can race with the other side's store). A failed kvmalloc_array drains the full buffer in place. "
     "Enqueue runs with interrupts off, so an interrupt cannot enqueue between the slot store and the publish.",
     true,
     recipe({{S::kEnqueueCountCheck, A::kAcquire},
             {S::kEnqueueCountIndex, A::kReuse},
             {S::kEnqueueCountIncrement, A::kReuse},
             {S::kEnqueueCountPublish, A::kRelease},
             {S::kEnqueueFullCheck, A::kReuse},
             {S::kDrainCountCheck, A::kAcquire},
             {S::kDrainCountReload, A::kReuse},
             {S::kDrainCountReset, A::kRelease},
             {S::kFlushCountLoad, A::kAcquire},
             {S::kFlushCountReset, A::kRelease}},
            {.checks_alloc_failure = true, .irqs_off_in_enqueue = true})},

    {"wmb_rmb",
     "dfrace team: complete_fix in the classic barrier style",
     "READ_ONCE + smp_rmb() in place of each smp_load_acquire of count, smp_wmb() + WRITE_ONCE in place of each "
     "smp_store_release. Same reasoning as complete_fix; flush keeps acquire/release (it has no barrier sites).",
     true,
     recipe({{S::kEnqueueCountCheck, A::kOnce},
             {S::kEnqueueRmbAfterCheck, A::kRmb},
             {S::kEnqueueCountIndex, A::kReuse},
             {S::kEnqueueCountIncrement, A::kReuse},
             {S::kEnqueueWmbBeforePublish, A::kWmb},
             {S::kEnqueueCountPublish, A::kOnce},
             {S::kEnqueueFullCheck, A::kReuse},
             {S::kDrainCountCheck, A::kOnce},
             {S::kDrainRmbAfterCheck, A::kRmb},
             {S::kDrainCountReload, A::kReuse},
             {S::kDrainWmbBeforeReset, A::kWmb},
             {S::kDrainCountReset, A::kOnce},
             {S::kFlushCountLoad, A::kAcquire},
             {S::kFlushCountReset, A::kRelease}},
            {.checks_alloc_failure = true, .irqs_off_in_enqueue = true})},

    {"release_on_handles",
     "a new user's spelling: the release/acquire pair on def->handles instead of def->count",
     "The drain publishes the new buffer with smp_store_release(&def->handles, new) and then WRITE_ONCE(def->count, "
     "0); the producer reads READ_ONCE(def->count) and then smp_load_acquire(&def->handles). A release orders what "
     "comes before it, not what comes after: the count reset may be seen before the new pointer, so a producer can "
     "see count == 0 with the old buffer and write into it while the drain frees it (the reviewer's bug in another "
     "spelling). Everything else is complete_fix. On x86 (TSO) the two stores are never seen out of order.",
     false,
     recipe({{S::kEnqueueCountCheck, A::kOnce},
             {S::kEnqueueHandlesLoad, A::kAcquire},
             {S::kEnqueueCountIndex, A::kReuse},
             {S::kEnqueueCountIncrement, A::kReuse},
             {S::kEnqueueCountPublish, A::kRelease},
             {S::kEnqueueFullCheck, A::kReuse},
             {S::kDrainCountCheck, A::kAcquire},
             {S::kDrainCountReload, A::kReuse},
             {S::kDrainHandlesStore, A::kRelease},
             {S::kDrainCountReset, A::kOnce},
             {S::kFlushCountLoad, A::kAcquire},
             {S::kFlushCountReset, A::kRelease}},
            {.checks_alloc_failure = true, .irqs_off_in_enqueue = true})},
});

// Mutants are the single-step weakenings of this recipe.
inline constexpr std::string_view kMutantBase = "complete_fix";

}  // namespace dfrace::percpu_swap
