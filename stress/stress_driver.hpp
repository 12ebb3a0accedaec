// StressDriver<P, Plugin, kRecipe>: the native pool on real threads, round after round, with exact handle accounting.
//
// Contract
// - A round constructs a fresh pool (and backend), runs for a slice of the budget, tears the pool down and audits
//   the backend: every handle allocated in the round must have been freed exactly once, and the pool's counters
//   must add up. The first violation ends the run (StressTotals::invariant).
// - During a round: `threads` producers, each bound to cpu = index % cpus and migrating now and then, allocate
//   handles in batches and enqueue them; the pool's drain worker runs as the pool queues it; a flusher thread
//   calls flush() every few milliseconds. All of this is the pool's own code; the driver adds no ordering between
//   the pool's contexts except thread start/join at round boundaries (its own counters and flags are relaxed).
//   Producers allocate handles in batches because every zs_malloc takes the backend lock, and a lock taken per
//   enqueue would order producers after the drain's zs_free calls and hide races from ThreadSanitizer.
// - Stops at the time budget, the operation budget, an invariant violation, or when `stop` becomes true (signal).
// - `progress(totals)` is called from the calling thread every `progress_seconds` with the counters so far.
//
// - Setup, the flusher's flush, the quiescent check, teardown and audit are the protocol's Scenario
//   (its plug-in's Scenario, core/pool_scenario.hpp); the producers here are its open-ended form (handles allocated in
//   batches during the round, migrating between CPUs), which a fixed plan cannot express.
//
// Coverage: the directions the pool itself reported to the platform (Platform::observed) in any round.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "backend/zs_backend.hpp"
#include "chaos.hpp"
#include "platform/weak/weak_memory.hpp"
#include "core/pool_scenario.hpp"
#include "core/protocol_info.hpp"
#include "stress_run.hpp"

namespace dfrace::stress {

template <class P, class Plugin, Recipe<typename Plugin::Protocol> kRecipe>
class StressDriver {
 public:
  using Clock = std::chrono::steady_clock;
  using Scenario = typename Plugin::template Scenario<P, kRecipe, 1>;  // no handles of its own: producers allocate in batches
  using Pool = typename Scenario::Pool;
  using Backend = typename Scenario::Backend;

  StressDriver(const StressOptions& options, const std::atomic<bool>& stop,
               std::function<void(const StressTotals&)> progress)
      : opt_(options), stop_(stop), progress_(std::move(progress)) {}

  StressTotals run() {
    start_ = Clock::now();
    next_progress_ = start_ + to_duration(opt_.progress_seconds);
    const auto deadline = start_ + to_duration(opt_.seconds);
    while (!budget_spent(deadline) && totals_.invariant.empty()) {
      run_round(totals_.rounds, std::min(deadline, Clock::now() + to_duration(opt_.round_ms / 1000.0)));
    }
    totals_.seconds = elapsed();
    totals_.stale_loads = weak::WeakMemory::stale_loads();
    totals_.interrupted = stop_.load(std::memory_order_relaxed);
    return totals_;
  }

 private:
  static constexpr std::size_t kBatch = 64;  // handles allocated per zs_malloc burst

  static Clock::duration to_duration(double seconds) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  }
  double elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

  bool ops_spent() const { return opt_.ops != 0 && produced_.load(std::memory_order_relaxed) >= opt_.ops; }
  bool budget_spent(Clock::time_point deadline) const {
    return stop_.load(std::memory_order_relaxed) || ops_spent() || Clock::now() >= deadline;
  }

  static std::uint64_t next_random(std::uint64_t& s) {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }

  void producer(Pool& pool, Backend& backend, unsigned index, std::uint64_t round,
                const std::atomic<bool>& round_over) {
    if (opt_.chaos) Chaos::begin_thread(index + 1);
    std::uint64_t rng = (opt_.seed * 0x9E3779B97F4A7C15ull) ^ (round << 20) ^ (index + 1);
    unsigned cpu = index % opt_.cpus;
    Handle batch[kBatch];
    while (!round_over.load(std::memory_order_relaxed)) {
      if (opt_.ops != 0 && produced_.fetch_add(kBatch, std::memory_order_relaxed) >= opt_.ops) break;
      for (Handle& h : batch) h = backend.zs_malloc();
      const std::uint64_t overflowed_before = pool.stats().overflowed;
      for (Handle h : batch) {
        if (next_random(rng) % 32 == 0) cpu = static_cast<unsigned>(next_random(rng) % opt_.cpus);  // migration
        pool.enqueue(cpu, h);
      }
      // Mostly overflowing means the drain is starved of CPU (2 cores, several producers): step aside, so the
      // time goes to swaps and resets, where the interesting interleavings are, not to synchronous frees.
      if (pool.stats().overflowed - overflowed_before > kBatch / 2) std::this_thread::yield();
    }
  }

  void flusher(Scenario& scenario, std::uint64_t round, const std::atomic<bool>& round_over, std::uint64_t& flushes) {
    if (opt_.chaos) Chaos::begin_thread(opt_.threads + 1);
    std::uint64_t rng = (opt_.seed * 0xD1B54A32D192ED03ull) ^ (round << 20) ^ 0xF1u;
    const auto mean_us = static_cast<std::uint64_t>(opt_.flush_every_ms * 1000.0);
    while (!round_over.load(std::memory_order_relaxed)) {
      std::this_thread::sleep_for(std::chrono::microseconds(mean_us == 0 ? 0 : next_random(rng) % (2 * mean_us)));
      scenario.flusher();
      ++flushes;
    }
  }

  void report_progress(const PoolStats& live) {
    if (Clock::now() < next_progress_) return;
    next_progress_ += to_duration(opt_.progress_seconds);
    StressTotals snapshot = totals_;
    add(snapshot, live);
    snapshot.handles += live.enqueued;  // every enqueued handle was allocated; the round's audit counts exactly
    snapshot.seconds = elapsed();
    snapshot.stale_loads = weak::WeakMemory::stale_loads();
    progress_(snapshot);
  }

  static void add(StressTotals& t, const PoolStats& s) {
    t.ops += s.enqueued;
    t.deferred += s.deferred;
    t.overflows += s.overflowed;
    t.drained += s.drained;
    t.flushed += s.flushed;
    t.drains += s.drain_runs;
    t.alloc_failures += s.buffer_alloc_failures;
  }

  void run_round(std::uint64_t round, Clock::time_point round_end) {
    if (opt_.chaos) Chaos::begin_round(round);
    P platform(AllocFaults{.fail_probability = opt_.alloc_fail_rate, .seed = opt_.seed + round});
    Scenario scenario(platform, ScenarioPlan{.nr_cpus = opt_.cpus, .size = opt_.size, .producers = 0});
    Backend& backend = scenario.backend();
    Pool& pool = scenario.pool();
    std::mutex misuse_mutex;  // only taken on a misuse, which ends the run anyway
    std::string first_misuse;
    std::atomic<bool> round_over{false};
    backend.on_misuse = [&](const Misuse& m) {
      std::lock_guard guard(misuse_mutex);
      if (first_misuse.empty()) first_misuse = m.describe();
      round_over.store(true, std::memory_order_relaxed);
    };
    std::uint64_t flushes = 0;
    std::vector<std::thread> threads;
    for (unsigned i = 0; i < opt_.threads; ++i) {
      threads.emplace_back([&, i] { producer(pool, backend, i, round, round_over); });
    }
    threads.emplace_back([&] { flusher(scenario, round, round_over, flushes); });
    while (!round_over.load(std::memory_order_relaxed) && Clock::now() < round_end && !stop_.load() &&
           !ops_spent()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      report_progress(pool.stats());
    }
    round_over.store(true, std::memory_order_relaxed);
    for (auto& t : threads) t.join();
    platform.threads_joined();
    // With nobody enqueueing, a flush frees every deferred handle: the counters must now add up.
    const std::string unbalanced = scenario.quiesce();
    scenario.teardown();  // cancels the drain and frees everything still deferred
    audit_round(scenario, first_misuse, unbalanced);
    add(totals_, scenario.stats());
    totals_.flushes += flushes;
    totals_.rounds += 1;
    totals_.coverage.merge(Coverage::of(platform.observed_directions(), direction_names<typename Plugin::Protocol>()));
  }

  void audit_round(Scenario& scenario, const std::string& first_misuse, const std::string& unbalanced) {
    const BackendAudit audit = scenario.backend().audit();
    const PoolStats s = scenario.stats();
    totals_.handles += audit.allocated;
    std::string& why = totals_.invariant;
    if (!first_misuse.empty()) {
      why = "each handle freed exactly once (" + first_misuse + ")";
    } else if (!audit.each_freed_exactly_once()) {
      why = "each handle freed exactly once (" + audit.summary() + ")";
    } else if (audit.allocated != s.enqueued) {
      why = "handle count (" + std::to_string(audit.allocated) + " allocated, " + std::to_string(s.enqueued) +
            " enqueued)";
    } else if (!unbalanced.empty()) {
      why = unbalanced;
    }
  }

  const StressOptions& opt_;
  const std::atomic<bool>& stop_;
  std::function<void(const StressTotals&)> progress_;
  StressTotals totals_;
  std::atomic<std::uint64_t> produced_{0};
  Clock::time_point start_;
  Clock::time_point next_progress_;
};

}  // namespace dfrace::stress
