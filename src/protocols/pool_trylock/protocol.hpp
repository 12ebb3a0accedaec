// The series as posted (RFC v2 patch 2/4), before the seed's per-CPU redesign: one array of handles per pool and a
// count, protected by a spinlock. zs_free defers with spin_trylock; the drain work swaps the array for a spare under
// the lock and frees the handles outside it. The pool (pool.hpp) performs exactly these accesses; a recipe
// (recipes.hpp) gives each one its kernel access kind; plugin.hpp registers it with the engines.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/recipe.hpp"

namespace dfrace::pool_trylock {

// Sites in the order the code runs them.
enum class Site : std::uint8_t {
  // zs_free's deferral, on the caller's CPU, after a successful spin_trylock(&pool->lock)
  kEnqueueCountLoad,   // if (pool->count < SIZE)
  kEnqueueHandlesLoad, // pool->handles[...]
  kEnqueueSlotStore,   // pool->handles[pool->count] = handle;
  kEnqueueCountStore,  // pool->count++;
  kEnqueueHalfCheck,   // if (pool->count == SIZE / 2) schedule_work(...)  (under the lock, or after the unlock)
  // the drain work
  kDrainEmptyCheck,    // if (!pool->count) return;  (a variant's unlocked check; the posted drain has none)
  kDrainHandlesLoad,   // old = pool->handles;
  kDrainCountLoad,     // n = pool->count;
  kDrainHandlesStore,  // pool->handles = spare;
  kDrainCountReset,    // pool->count = 0;
  kDrainSlotLoad,      // zs_free(old[i]) for i < n, outside the lock
  kCount
};

// The directions (hand-offs), in the order of Protocol::kDirections; the pool reports each where it happens.
enum class Direction : std::uint8_t {
  kProducerToDrain,     // the drain took a non-empty array and freed the handles producers wrote into it
  kDrainToProducer,     // a producer appended to an array after the drain had taken the pool's contents before
  kContendedFallback,   // a zs_free found the lock taken (by another CPU, the drain or the CPU it interrupted)
  kRepeatedDrains,      // the drain took two or more non-empty arrays (the spare swapped back in and refilled)
  kCount
};

struct Protocol {
  using Site = pool_trylock::Site;
  using Direction = pool_trylock::Direction;
  static constexpr std::size_t kSiteCount = static_cast<std::size_t>(Site::kCount);
  static constexpr std::string_view kName = "pool_trylock";
  static constexpr bool kReadsVersion1Findings = false;  // its findings were always written with its name
  // The configurations `./dfrace check` proves each recipe at, smallest first (prove stops at the first
  // counterexample). SIZE 2 is what two of the variants need (with one slot nobody appends between the unlock
  // and the re-read). posted_trylock's executions: 476, 1,224, 476, then SIZE 2 with four pushes per CPU and three
  // drain runs (105,756, about 1.3 s) and three CPUs (38,898, under half a second).
  static constexpr std::array<std::string_view, 5> kCheckProveConfigs = {
      "2cpu-s1-p2-d2", "2cpu-s1-p1-d2-flush", "2cpu-s2-p2-d2", "2cpu-s2-p4-d3", "3cpu-s1-p2-d2"};

  static constexpr std::array<SiteInfo, kSiteCount> kSites = {{
      {"enqueue.count_load", SiteKind::kLoad, "if (pool->count < SIZE)"},
      {"enqueue.handles_load", SiteKind::kLoad, "pool->handles[...]"},
      {"enqueue.slot_store", SiteKind::kStore, "pool->handles[pool->count] = handle;"},
      {"enqueue.count_store", SiteKind::kStore, "pool->count++;"},
      {"enqueue.half_check", SiteKind::kReload, "if (pool->count == SIZE / 2) schedule_work(&pool->work);"},
      {"drain.empty_check", SiteKind::kLoad, "if (!pool->count) return;  (not in the patch: a variant)"},
      {"drain.handles_load", SiteKind::kLoad, "old = pool->handles;"},
      {"drain.count_load", SiteKind::kLoad, "n = pool->count;"},
      {"drain.handles_store", SiteKind::kStore, "pool->handles = pool->spare;"},
      {"drain.count_reset", SiteKind::kStore, "pool->count = 0;"},
      {"drain.slot_load", SiteKind::kLoad, "zs_free(pool, old[i]);  (after spin_unlock)"},
  }};

  static constexpr std::array<DirectionInfo, static_cast<std::size_t>(Direction::kCount)> kDirections = {{
      {"producer->drain", "the drain took a non-empty array and freed the handles producers had written into it"},
      {"drain->producer", "a producer appended to the pool's array after the drain had taken its contents before"},
      {"contended fallback",
       "a zs_free found the pool's lock taken (another CPU, the drain, or the code it interrupted) and freed "
       "synchronously"},
      {"repeated drains", "the drain took two or more non-empty arrays in one execution"},
  }};

  // Where the code's structure differs, as data like the accesses: the tempting variants of issue 15.
  struct Options {
    // true: "half full, schedule the drain" is decided from a count read after spin_unlock.
    bool half_check_after_unlock = false;
    // true: the drain first checks `count == 0` without the lock and returns early (drain.empty_check).
    bool drain_checks_empty_unlocked = false;
    // true: the drain takes the count and resets it under the lock, but swaps in the spare array after unlocking.
    bool swaps_outside_lock = false;
    friend constexpr bool operator==(const Options&, const Options&) = default;
  };

  static std::vector<std::pair<std::string, bool>> describe(const Options& o) {
    return {{"half_check_after_unlock", o.half_check_after_unlock},
            {"drain_checks_empty_unlocked", o.drain_checks_empty_unlocked},
            {"swaps_outside_lock", o.swaps_outside_lock}};
  }
};

constexpr std::size_t site_index(Site s) { return static_cast<std::size_t>(s); }

}  // namespace dfrace::pool_trylock
