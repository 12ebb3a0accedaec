// The recipe catalogue of the trylock-array protocol: the posted patch and the variants a developer is tempted by
// (issue 15). Each entry's claim is the developer's; the engines decide, and a claim they refuted is recorded here
// with what they demonstrated (expected_verdicts.json).
//
// TO ADD A RECIPE: append one entry to kRecipes below. Nothing else changes.
#pragma once

#include <array>

#include "core/recipe_builder.hpp"
#include "protocols/pool_trylock/protocol.hpp"

namespace dfrace::pool_trylock {

using A = Access;
using S = Site;

// Every access plain (the patch's C: every access under the lock; core/recipe_builder.hpp), except the ones a recipe
// names.
inline constexpr RecipeMarker<Protocol> recipe{};

inline constexpr auto kRecipes = std::to_array<RecipeEntry<Protocol>>({
    {"posted_trylock",
     "RFC v2 patch 2/4, as posted: one array per pool under spin_trylock",
     "Every access of the array and the count is made holding pool->lock (a plain C access, as the patch writes "
     "it): the append, the half-full check that schedules the drain, and the drain's swap and reset. The drain "
     "frees the old array's handles after unlocking, which is safe because producers only ever write the array "
     "installed under the lock, and the old one is not installed again until the drain's next run.",
     true,
     recipe({}, {})},

    {"half_check_unlocked",
     "a tempting variant: decide \"half full, schedule the drain\" after spin_unlock",
     "Shortens the critical section: the count is re-read after unlocking to decide whether to schedule the drain. "
     "The developer's argument: a stale count only delays the drain, and the lock still protects the array. "
     "Refuted: the re-read races with the drain's reset under the lock (Relacy: drain.count_reset vs "
     "enqueue.half_check, config 1cpu-s2-p3), and a producer that reads another's count misses the schedule.",
     false,
     recipe({}, {.half_check_after_unlock = true})},

    {"unlocked_empty_check",
     "a tempting variant: the drain skips the work when count == 0, checked without the lock",
     "Saves a lock round trip when the work runs with nothing to do. The developer's argument: a producer that "
     "appends after the check scheduled (or will schedule) another run. Refuted: the unlocked read races with "
     "the producers' count store (Relacy: drain.empty_check vs enqueue.count_store, config 1cpu-s2-p3).",
     false,
     recipe({}, {.drain_checks_empty_unlocked = true})},

    {"swap_unlocked",
     "a tempting variant: the spare array is swapped in after spin_unlock",
     "The drain takes the count and resets it under the lock, then installs the spare array outside it. The "
     "developer's argument: only the drain ever writes pool->handles. Refuted: between the unlock and the swap a "
     "producer appends to the old array the drain is about to free (Relacy: drain.handles_store vs "
     "enqueue.handles_load, config 1cpu-s2-p3).",
     false,
     recipe({}, {.swaps_outside_lock = true})},
});

// Mutants are the single-step weakenings of this recipe (none: its accesses are plain, the lock orders them).
inline constexpr std::string_view kMutantBase = "posted_trylock";

}  // namespace dfrace::pool_trylock
