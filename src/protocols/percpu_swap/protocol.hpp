// The per-CPU swap protocol of the seed (RFC v2 "per-cpu deferred free with lockless buffer swap"):
// its shared-access sites and its structural options. The pool (pool.hpp) performs exactly these accesses; a
// recipe (recipes.hpp) gives each one its kernel access kind. plugin.hpp registers it with the engines.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/recipe.hpp"

namespace dfrace::percpu_swap {

// Sites in the order the code runs them. The seed's pseudo-code re-reads def->count in several places; each
// re-read is its own "reload" site so a recipe can keep it (literal transcription) or reuse the loaded value.
enum class Site : std::uint8_t {
  // enqueue, the hot path, on the CPU the caller is bound to
  kEnqueueCountCheck,      // if (def->count < SIZE)            | count = smp_load_acquire(&def->count)
  kEnqueueRmbAfterCheck,   // (a barrier a recipe may add after the check)
  kEnqueueHandlesLoad,     // def->handles[...]                   (the buffer pointer)
  kEnqueueCountIndex,      // ...[def->count]
  kEnqueueSlotStore,       // def->handles[i] = handle
  kEnqueueCountIncrement,  // def->count + 1
  kEnqueueWmbBeforePublish,
  kEnqueueCountPublish,    // WRITE_ONCE(def->count, ...)        | smp_store_release(&def->count, count + 1)
  kEnqueueFullCheck,       // if (def->count == SIZE) schedule_work(...)
  // drain, the work item, for_each_possible_cpu
  kDrainCountCheck,        // if (def->count < SIZE) continue;
  kDrainRmbAfterCheck,
  kDrainHandlesLoad,       // old_buf = def->handles;
  kDrainCountReload,       // old_count = def->count;
  kDrainHandlesStore,      // def->handles = new_buf;
  kDrainWmbBeforeReset,
  kDrainCountReset,        // WRITE_ONCE(def->count, 0);         | smp_store_release(&def->count, 0)
  kDrainSlotLoad,          // /* now drain old_buf[0..old_count-1] */
  // flush and teardown (not in the seed; see DeferredFreePool::flush)
  kFlushCountLoad,
  kFlushHandlesLoad,
  kFlushSlotLoad,
  kFlushCountReset,
  kCount
};

// The protocol's directions (hand-offs), in the order of Protocol::kDirections. The pool reports each one to its
// platform (Platform::observed) at the point where it happens, so every engine reports what it saw, not what its
// configuration should make possible.
enum class Direction : std::uint8_t {
  kProducerToDrain,  // the drain took a full buffer and freed the handles producers wrote into it
  kDrainToProducer,  // a producer started filling a CPU's buffer again after the drain had reset that CPU's count
  kCrossCpuDrain,    // the drain took a buffer whose filling enqueue did not queue it (schedule_work was pending)
  kRepeatedDrains,   // the drain took a second full buffer (buffers reused and freed under running producers)
  kCount
};

struct Protocol {
  using Site = percpu_swap::Site;
  using Direction = percpu_swap::Direction;
  static constexpr std::size_t kSiteCount = static_cast<std::size_t>(Site::kCount);
  static constexpr std::string_view kName = "percpu_swap";
  // Finding files of version 1 name no protocol: they were all written for this one, when it was the only one.
  static constexpr bool kReadsVersion1Findings = true;
  // The configurations `./dfrace check` proves each recipe at, smallest first (prove stops at the first
  // counterexample), as searched in the abstract model (docs/prove.md), complete_fix's executions: two CPUs with a
  // re-enqueue after a drain and two drain runs (46); a flush racing one push per CPU (9,174, exact: the work item
  // stays exact with a flusher); SIZE 2 with four pushes per CPU and three drain runs (1,894); three CPUs (244);
  // three CPUs at SIZE 2 with four pushes each and three drain runs (69,242, about 3.5 s; wmb_rmb's fences about
  // 6 s). Larger ones are for `./dfrace prove --jobs` or the nightly's shards.
  static constexpr std::array<std::string_view, 5> kCheckProveConfigs = {
      "2cpu-s1-p2-d2", "2cpu-s1-p1-d2-flush", "2cpu-s2-p4-d3", "3cpu-s1-p2-d2", "3cpu-s2-p4-d3"};

  static constexpr std::array<SiteInfo, kSiteCount> kSites = {{
      {"enqueue.count_check", SiteKind::kLoad, "if (def->count < SIZE)"},
      {"enqueue.rmb_after_check", SiteKind::kFence, "(not in the seed)"},
      {"enqueue.handles_load", SiteKind::kLoad, "def->handles[...]"},
      {"enqueue.count_index", SiteKind::kReload, "...[def->count] = handle"},
      {"enqueue.slot_store", SiteKind::kStore, "def->handles[def->count] = handle"},
      {"enqueue.count_increment", SiteKind::kReload, "def->count + 1"},
      {"enqueue.wmb_before_publish", SiteKind::kFence, "(not in the seed)"},
      {"enqueue.count_publish", SiteKind::kStore, "WRITE_ONCE(def->count, def->count + 1)"},
      {"enqueue.full_check", SiteKind::kReload, "if (def->count == SIZE) schedule_work(...)"},
      {"drain.count_check", SiteKind::kLoad, "if (def->count < SIZE) continue;"},
      {"drain.rmb_after_check", SiteKind::kFence, "(not in the seed)"},
      {"drain.handles_load", SiteKind::kLoad, "old_buf = def->handles;"},
      {"drain.count_reload", SiteKind::kReload, "old_count = def->count;"},
      {"drain.handles_store", SiteKind::kStore, "def->handles = new_buf;"},
      {"drain.wmb_before_reset", SiteKind::kFence, "(not in the seed)"},
      {"drain.count_reset", SiteKind::kStore, "WRITE_ONCE(def->count, 0);"},
      {"drain.slot_load", SiteKind::kLoad, "/* now drain old_buf[0..old_count-1] */"},
      {"flush.count_load", SiteKind::kLoad, "(not in the seed: flush on each CPU)"},
      {"flush.handles_load", SiteKind::kLoad, "(not in the seed: flush on each CPU)"},
      {"flush.slot_load", SiteKind::kLoad, "(not in the seed: flush on each CPU)"},
      {"flush.count_reset", SiteKind::kStore, "(not in the seed: flush on each CPU)"},
  }};

  static constexpr std::array<DirectionInfo, static_cast<std::size_t>(Direction::kCount)> kDirections = {{
      {"producer->drain", "the drain took a full buffer and freed the handles producers had written into it"},
      {"drain->producer", "a producer wrote the first slot of a CPU's buffer after the drain had reset its count"},
      {"cross-CPU drain",
       "the drain took a full buffer whose filling enqueue found the work already pending (queued by another CPU "
       "or a flush), so only def->count's own ordering hands the slots over"},
      {"repeated drains", "the drain took two or more full buffers in one execution"},
  }};

  // Structural switches that are not a memory order. Plain data, like the accesses.
  struct Options {
    // false: the seed's drain never checks kvmalloc_array's result and installs a NULL buffer.
    // true: on failure the drain frees the full buffer's handles in place and only then resets the count.
    bool checks_alloc_failure = false;
    // true: enqueue runs with local interrupts off (local_irq_save), so an interrupt cannot enqueue in the middle
    // of an enqueue on the same CPU. The seed's get_cpu_ptr only disables preemption.
    bool irqs_off_in_enqueue = false;
    friend constexpr bool operator==(const Options&, const Options&) = default;
  };

  static std::vector<std::pair<std::string, bool>> describe(const Options& o) {
    return {{"checks_alloc_failure", o.checks_alloc_failure}, {"irqs_off_in_enqueue", o.irqs_off_in_enqueue}};
  }
};

constexpr std::size_t site_index(Site s) { return static_cast<std::size_t>(s); }

}  // namespace dfrace::percpu_swap
