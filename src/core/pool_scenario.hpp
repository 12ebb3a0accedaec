// PoolScenario<P, Pool>: what a check of a deferred-free pool runs, written once for every engine. A protocol's
// plug-in names it as its Scenario (or writes its own with the same members, if its users differ).
//
// In the spirit of folly's runTryEnqDeqTest<Atom>, run under std::atomic, EmulatedFutexAtomic and
// DeterministicAtomic: the thread bodies and the audit live here, and each engine only decides how the threads
// are run (Relacy threads, fuzz fibers, real threads in stress and the unit tests) and how a broken invariant
// is raised.
//
// Contract
// - Construction is the setup: a backend that has already handed out every handle the plan enqueues, then the
//   pool. Handles are allocated before any thread runs because zs_malloc takes the backend's lock, and a lock
//   taken between enqueues would order the producers after the drain's zs_free calls and hide races.
// - The threads, each called from its own context:
//     producer(i)     producer i enqueues plan.pushes[i] handles on CPU i % nr_cpus (with `migrate`, its k-th
//                     handle goes to CPU (i + k) % nr_cpus);
//     flusher()       one pool.flush();
//     interrupt(n)    the interrupt's handle on plan.interrupt_cpu: `nested` = it arrived while that CPU's
//                     producer was inside enqueue (so it runs on the already-bound CPU), else an ordinary enqueue;
//     the drain       runs where the platform's WorkItem runs it (a worker thread, a fiber, a Relacy thread).
//   An engine that injects faults does so through its platform (refill failures) or by when it calls interrupt().
// - teardown() is the pool's destructor (cancel the drain, free everything still deferred), with nothing else
//   running; audit() then names the first broken invariant (empty when all hold): every handle freed exactly
//   once, none lost. A misuse of zs_free (double free, never allocated) is reported as it happens through
//   backend().on_misuse, which the engine sets.
// - quiesce() is for engines with real threads: with nothing else running, flush() and check that the pool's
//   counters add up (every deferred handle drained or flushed) while the pool is still alive.
// - The directions the execution exercised are reported by the pool to the platform (Platform::observed).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>

#include "backend/zs_backend.hpp"
#include "platform/platform.hpp"
#include "core/pool_shape.hpp"

namespace dfrace {

inline constexpr unsigned kMaxScenarioProducers = 8;

// What the threads of one execution do: plain data, decoded from a fuzz input, read from a Relacy model
// configuration, or written by a test.
struct ScenarioPlan {
  unsigned nr_cpus = 1;
  std::size_t size = 1;  // SIZE
  unsigned producers = 1;
  std::array<unsigned, kMaxScenarioProducers> pushes{};  // handles producer i enqueues
  bool migrate = false;
  bool interrupt = false;  // one more handle, enqueued by an interrupt on interrupt_cpu
  unsigned interrupt_cpu = 0;

  unsigned total_handles() const {
    unsigned n = interrupt ? 1 : 0;
    for (unsigned i = 0; i < producers && i < kMaxScenarioProducers; ++i) n += pushes[i];
    return n;
  }
};

// `PoolT` is the protocol's pool on platform P: constructed from (P&, Backend&, PoolConfig), with enqueue(cpu, h),
// enqueue_on_bound_cpu(cpu, h) (an interrupt on a CPU its producer holds), flush(), stats() and drain_work().
template <Platform P, class PoolT, std::size_t kMaxHandles = 64>
class PoolScenario {
 public:
  using Pool = PoolT;
  using Backend = ZsBackend<BackendMutexOf<P>>;

  // Throws std::invalid_argument when the plan asks for more producers or handles than this scenario holds.
  PoolScenario(P& platform, const ScenarioPlan& plan) : plan_(checked(plan)) {
    backend_.emplace();
    unsigned next = 0;
    for (unsigned i = 0; i < plan_.producers; ++i) {
      first_handle_[i] = next;
      for (unsigned k = 0; k < plan_.pushes[i]; ++k) handles_[next++] = backend_->zs_malloc();
    }
    if (plan_.interrupt) interrupt_handle_ = backend_->zs_malloc();
    pool_.emplace(platform, *backend_, PoolConfig{plan_.nr_cpus, plan_.size});
  }

  PoolScenario(const PoolScenario&) = delete;
  PoolScenario& operator=(const PoolScenario&) = delete;

  void producer(unsigned i) {
    const Handle* mine = &handles_[first_handle_[i]];
    for (unsigned k = 0; k < plan_.pushes[i]; ++k) pool_->enqueue(cpu_of(i, k), mine[k]);
  }

  void flusher() { pool_->flush(); }

  void interrupt(bool nested) {
    if (nested) {
      pool_->enqueue_on_bound_cpu(plan_.interrupt_cpu, interrupt_handle_);
    } else {
      pool_->enqueue(plan_.interrupt_cpu, interrupt_handle_);
    }
  }

  // With nothing else running: flush, then every handle deferred so far must have been drained or flushed.
  std::string quiesce() {
    pool_->flush();
    const PoolStats s = pool_->stats();
    if (s.deferred + s.overflowed != s.enqueued) return "enqueue accounting (deferred + overflowed != enqueued)";
    if (s.drained + s.flushed != s.deferred) {
      return "flush completeness (after a quiescent flush(), drained + flushed != deferred)";
    }
    return {};
  }

  // Stats as of the end of the threads (kept across teardown).
  void teardown() {
    if (!pool_) return;
    stats_ = pool_->stats();
    pool_.reset();
  }

  std::string audit() const {
    const BackendAudit audit = backend_->audit();
    if (!audit.misuse.empty()) return "zs_free: " + audit.misuse.front().describe();
    if (!audit.live.empty()) {
      return "handle " + std::to_string(audit.live.front()) + " never freed (lost; " +
             std::to_string(audit.live.size()) + " handle(s) lost)";
    }
    return {};
  }

  const ScenarioPlan& plan() const { return plan_; }
  Pool& pool() { return *pool_; }
  bool has_pool() const { return pool_.has_value(); }
  Backend& backend() { return *backend_; }
  // The pool's counters: live while the pool exists, else as they were at teardown.
  PoolStats stats() const { return pool_ ? pool_->stats() : stats_; }

 private:
  static ScenarioPlan checked(const ScenarioPlan& plan) {
    if (plan.producers > kMaxScenarioProducers) throw std::invalid_argument("too many producers for the scenario");
    if (plan.total_handles() > kMaxHandles) throw std::invalid_argument("too many handles for the scenario");
    return plan;
  }

  unsigned cpu_of(unsigned producer, unsigned k) const {
    return (producer + (plan_.migrate ? k : 0)) % plan_.nr_cpus;
  }

  const ScenarioPlan plan_;
  std::optional<Backend> backend_;  // first: outlives the pool, which frees into it
  std::optional<Pool> pool_;
  std::array<Handle, kMaxHandles> handles_{};
  std::array<unsigned, kMaxScenarioProducers> first_handle_{};
  Handle interrupt_handle_ = 0;
  PoolStats stats_{};
};

}  // namespace dfrace
