// What one stress run is asked to do (StressOptions) and what it counted (StressTotals), shared by the
// supervisor (CLI) and the worker process, which exchange them as JSON lines.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/verdict.hpp"

namespace dfrace::stress {

struct StressOptions {
  std::string recipe;
  double seconds = 10;           // time budget (whichever of time and ops runs out first)
  std::uint64_t ops = 0;         // operation budget: enqueues; 0 = none
  unsigned threads = 4;          // producer threads
  unsigned cpus = 2;             // the pool's CPUs (producers are bound to cpu = thread % cpus, and migrate)
  std::size_t size = 8;          // SIZE: small, so the drain runs constantly
  std::uint64_t seed = 1;
  bool chaos = false;
  bool weak = false;             // emulated weak memory (src/platform/weak): loads may return older legal values
  double stale_probability = 0.25;  // with --weak: chance a load with older legal values returns one of them
  double alloc_fail_rate = 0.0;  // probability that the drain's kvmalloc_array fails
  double round_ms = 200;         // each round: new pool, run this long, teardown, audit
  double flush_every_ms = 5;     // mean pause of the flusher between two flush() calls
  double progress_seconds = 1;   // how often the worker reports its counters
};

nlohmann::json to_json(const StressOptions& o);
StressOptions options_from_json(const nlohmann::json& j);

struct StressTotals {
  std::uint64_t ops = 0;        // enqueue calls
  std::uint64_t handles = 0;    // handles allocated (each must be freed exactly once)
  std::uint64_t deferred = 0;
  std::uint64_t overflows = 0;  // enqueues that found the buffer full and freed synchronously
  std::uint64_t drained = 0;    // handles freed by the drain
  std::uint64_t flushed = 0;    // handles freed by flush() or teardown
  std::uint64_t drains = 0;     // drain runs
  std::uint64_t flushes = 0;    // flush() calls
  std::uint64_t rounds = 0;     // pools constructed, run and torn down
  std::uint64_t alloc_failures = 0;
  std::uint64_t stale_loads = 0;  // --weak: loads that returned an older value than the newest
  double seconds = 0;
  bool interrupted = false;     // ended by Ctrl-C / SIGTERM
  std::string invariant;        // the first invariant violation, empty when none
  Coverage coverage;            // directions the pool reported exercised (Platform::observed)

  double ops_per_second() const { return seconds > 0 ? static_cast<double>(ops) / seconds : 0.0; }
};

nlohmann::json to_json(const StressTotals& t);
StressTotals totals_from_json(const nlohmann::json& j);

}  // namespace dfrace::stress
