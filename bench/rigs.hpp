// The rigs of measure.hpp: what each timed free path runs against.
//
// - FloorRig: a per-thread array (FloorAppend); the backend only supplies handle values.
// - SyncFreeRig<std::mutex>: ZsBackend<std::mutex>::zs_free under its lock, exactly as the overflow fallback
//   calls it. SyncFreeRig<ModelledCostMutex>: the same with modelled_zs_free.hpp's fixed work under the lock.
// - PoolRig<P, Plugin, kRecipe, kBound>: a registered protocol's real pool on P with kRecipe (nr_cpus slots, SIZE from the settings)
//   with its drain worker running; producer t enqueues on CPU slot t, with the binding (kBound false) or on its
//   already-bound slot (kBound true; each slot has exactly one producer and nobody flushes meanwhile).
//   finish() snapshots the pool's statistics (unless the platform keeps none), destroys the pool (teardown frees
//   what is still deferred) and audits the backend: every handle the producers took must have been freed exactly
//   once. event_probe(): the BatchEvents of the calling producer (all of them on AttributedPlatform).
#pragma once

#include <memory>
#include <mutex>

#include "backend/zs_backend.hpp"
#include "free_paths.hpp"
#include "measure.hpp"
#include "core/pool_shape.hpp"
#include "core/recipe.hpp"

namespace dfrace::bench {

class FloorRig {
 public:
  explicit FloorRig(const Settings& s) : size_(s.size) {}
  ZsBackend<std::mutex>& backend() { return backend_; }
  FloorAppend path(unsigned) { return FloorAppend(size_); }
  void finish(RunOutcome&) {}
  auto event_probe() { return &no_events; }

 private:
  std::size_t size_;
  ZsBackend<std::mutex> backend_;
};

template <class Mutex>
class SyncFreeRig {
 public:
  explicit SyncFreeRig(const Settings&) {}
  ZsBackend<Mutex>& backend() { return backend_; }
  SyncFree<ZsBackend<Mutex>> path(unsigned) { return {backend_}; }
  void finish(RunOutcome& out) { out.audit = backend_.audit(); }
  auto event_probe() { return &no_events; }

 private:
  ZsBackend<Mutex> backend_;
};

template <class P, class Plugin, Recipe<typename Plugin::Protocol> kRecipe, bool kBound>
class PoolRig {
 public:
  using Pool = typename Plugin::template Pool<P, kRecipe>;
  using Backend = typename Pool::Backend;

  explicit PoolRig(const Settings& s)
      : pool_(std::make_unique<Pool>(platform_, backend_, PoolConfig{s.nr_cpus, s.size})) {
    if constexpr (kAttributes) P::watch_backend(&backend_, sizeof backend_);
  }
  Backend& backend() { return backend_; }
  auto path(unsigned cpu) {
    if constexpr (kBound) {
      return PoolEnqueueBound<Pool>{*pool_, cpu};
    } else {
      return PoolEnqueue<Pool>{*pool_, cpu};
    }
  }
  void finish(RunOutcome& out) {
    if constexpr (!requires { P::kNoStatistics; }) out.stats = pool_->stats();
    pool_.reset();
    out.observed = platform_.observed_directions();
    out.audit = backend_.audit();
  }
  // What the calling producer's calls did (AttributedPlatform), else only the pool's count of synchronous
  // fallbacks (pool-wide; zero on a platform that keeps no statistics).
  auto event_probe() {
    if constexpr (kAttributes) {
      return &P::calling_thread_events;
    } else {
      return [pool = pool_.get()] {
        BatchEvents e;
        e.fallbacks = pool->stats().overflowed;
        return e;
      };
    }
  }
  P& platform() { return platform_; }
  Pool& pool() { return *pool_; }

 public:
  // Whether event_probe() sees every event (AttributedPlatform) rather than only the pool-wide fallbacks.
  static constexpr bool kAttributes = requires { P::calling_thread_events(); };

 private:
  P platform_;
  Backend backend_;
  std::unique_ptr<Pool> pool_;
};

}  // namespace dfrace::bench
