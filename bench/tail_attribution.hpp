// TailAttribution: what a run's slow batches have in common, from the events counted in each batch
// (batch_events.hpp), so a design's tail is explained by measurement rather than by a story.
//
// Contract
// - `attribute_tail(kept, preempted, batch, cal)`: kept.samples[i] is batch i's cost per call (ns), kept.events[i]
//   what happened in it. The tail is every kept batch at or above their p99 (nearest rank, as latency_summary),
//   the same batches the table's percentiles are taken over. Batches during which the producer was preempted are
//   set apart by the harness (batch_timer.hpp); they are summarized separately (how many, how slow, how many of
//   them queued the drain: on a 2-core machine the woken worker is what preempts the producer).
// - Each tail batch gets exactly one cause, the first of kTailCauses (in that order) whose event it contains:
//   waited on a lock > queued the drain > fell back to zs_free > first store to a swapped-in buffer > none of
//   these. The order is by the cost of one event (a sleep on a held lock, a worker wake-up, a synchronous free,
//   cache misses), so a batch is charged to its most expensive event; `tail_percent` therefore sums to 100 over
//   the causes whenever the tail is not empty.
// - Independently of that order, per cause: the share of tail batches containing the event and the share of all
//   batches containing it (the event's base rate: a cause explains the tail when it is far more frequent there),
//   and, for the two events whose time is measured, the share of the tail's excess time (time above the run's p50)
//   spent inside them.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

#include "batch_events.hpp"
#include "latency_summary.hpp"
#include "tsc_clock.hpp"

namespace dfrace::bench {

enum class TailCause : unsigned char { kLockWait, kDrainQueued, kFallback, kBufferSwitch, kNone, kCount };

struct TailCauseInfo {
  std::string_view key;    // JSON
  std::string_view label;  // table
};

inline constexpr std::array<TailCauseInfo, static_cast<std::size_t>(TailCause::kCount)> kTailCauses = {{
    {"lock_wait", "waited on a held lock"},
    {"drain_queued", "queued the drain (wake-up)"},
    {"fallback", "fell back to zs_free"},
    {"buffer_switch", "first store to a swapped-in buffer"},
    {"none", "none of these"},
}};

struct CauseShare {
  std::size_t tail_batches = 0;     // tail batches charged to this cause (exclusive)
  double tail_percent = 0;          // of all tail batches; sums to 100 over the causes
  double tail_with_event_percent = 0;  // tail batches containing the event at all (not exclusive)
  double all_with_event_percent = 0;   // every batch of the run containing it (base rate)
  double median_ns = 0;             // median cost per call of the tail batches charged to it
};

struct AttributedBatches {
  std::vector<float> samples;
  std::vector<BatchEvents> events;
};

struct TailAttribution {
  std::size_t batches = 0;
  std::size_t tail_batches = 0;
  double threshold_ns = 0;  // the run's p99: tail = batches at or above it
  LatencySummary latency;   // the attributed run's own percentiles
  std::array<CauseShare, static_cast<std::size_t>(TailCause::kCount)> causes{};
  double lock_wait_time_percent = 0;  // time waiting for held locks / tail excess time
  double queue_time_percent = 0;      // time in queue() calls that queued the drain / tail excess time
  double mean_queue_ns = 0;      // per queue() call that queued the drain, over every kept batch of the run
  double mean_lock_wait_ns = 0;  // per lock() that found the lock held, over every kept batch of the run
  std::size_t trylock_failures_in_tail = 0;  // spin_trylock failures inside tail batches (a fallback's reason)
  // The batches set apart as preempted (not in the tail above).
  std::size_t preempted_batches = 0;
  double preempted_percent = 0;                   // of all batches, kept and preempted
  double preempted_with_drain_queued_percent = 0;  // of the preempted batches
  double preempted_median_ns = 0;
};

TailAttribution attribute_tail(const AttributedBatches& kept, AttributedBatches preempted, unsigned batch,
                               const TscCalibration& cal);

}  // namespace dfrace::bench
