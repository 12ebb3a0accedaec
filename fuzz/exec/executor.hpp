// execute<kRecipe>(bytes): one deterministic execution of the real DeferredFreePool<SimPlatform, kRecipe> under
// the schedule the bytes encode.
//
// Threads: "main" builds the backend, the handles and the pool (whose work item spawns "drain"), starts a producer
// per CPU ("cpuN"), optionally "flush" and an interrupt ("irq@cpuN"), joins them, tears the pool down and audits
// the backend: every handle freed exactly once (zs_free misuse is reported as it happens).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backend/zs_backend.hpp"
#include "exec/execution.hpp"
#include "platform/sim_platform.hpp"
#include "protocols/percpu_swap/pool.hpp"
#include "rt/runtime.hpp"

namespace dfrace::fuzz {

const std::vector<std::string_view>& site_names();

// Everything one execution's virtual threads share. The thread bodies and gates capture only a pointer to it (and a
// CPU number), so their std::functions keep them inline: no heap allocation per thread under ASan.
template <class Pool, class Backend>
struct ExecContext {
  static constexpr unsigned kMaxHandles = kMaxCpus * 8 + 1;  // enqueues are b % 8 per CPU, plus the interrupt's

  rt::Runtime& rt = rt::Runtime::get();
  Program prog;
  SimPlatform platform;
  std::optional<Backend> backend;
  std::optional<Pool> pool;
  Handle handles[kMaxHandles] = {};
  unsigned handle_count = 0;
  unsigned first_handle[kMaxCpus] = {};
  Handle irq_handle = 0;
  int producer[kMaxCpus] = {-1, -1, -1};
  bool irq_active[kMaxCpus] = {};
  bool irq_started = false;
  bool reenqueued_after_drain = false;
  percpu_swap::PoolStats stats{};

  explicit ExecContext(const Program& p) : prog(p), platform(p.alloc_fail_mask) {}

  void producer_body(unsigned cpu) {
    for (unsigned k = 0; k < prog.enqueues[cpu]; ++k) {
      const bool after_swap = pool->stats().buffer_allocs > prog.nr_cpus;
      const auto deferred = pool->stats().deferred;
      pool->enqueue(cpu, handles[first_handle[cpu] + k]);
      if (after_swap && pool->stats().deferred > deferred) reenqueued_after_drain = true;
    }
  }

  void irq_body(unsigned cpu) {
    const int victim = producer[cpu];
    irq_started = true;
    if (rt.done(victim)) {  // the CPU is idle: the interrupt's zs_free takes the ordinary path
      rt.join(victim);
      pool->enqueue(cpu, irq_handle);
      return;
    }
    // Same CPU: the handler runs after the interrupted code and before it resumes.
    irq_active[cpu] = true;
    rt.acquire_from(rt.clock_of(victim));
    if (rt.tracing()) rt.note("interrupt on cpu" + std::to_string(cpu) + " (interrupts " + rt.thread_name(victim) + ")");
    pool->enqueue_on_bound_cpu(cpu, irq_handle);
    irq_active[cpu] = false;
    rt.clock_of(victim).join(rt.clock());
    if (rt.tracing()) rt.note("interrupt returns");
  }

  // The interrupt can start only while its CPU's producer holds the binding with interrupts enabled.
  bool irq_may_start(unsigned cpu) const {
    const int victim = producer[cpu];
    if (irq_started) return true;
    if (rt.done(victim)) return true;
    const auto* b = platform.binding(cpu);
    return b != nullptr && b->holder() == victim && platform.irq_depth(cpu) == 0;
  }

  void main_body() {
    backend.emplace();
    backend->on_misuse = [r = &rt](const Misuse& m) {
      if (!r->dead()) r->fail(VerdictKind::kInvariant, "zs_free: " + m.describe());
    };
    handle_count = prog.total_handles();
    for (unsigned i = 0; i < handle_count; ++i) handles[i] = backend->zs_malloc();
    pool.emplace(platform, *backend, percpu_swap::PoolConfig{prog.nr_cpus, prog.size});
    unsigned next_handle = 0;
    int joined[kMaxCpus + 2];
    unsigned njoined = 0;
    for (unsigned cpu = 0; cpu < prog.nr_cpus; ++cpu) {
      first_handle[cpu] = next_handle;
      next_handle += prog.enqueues[cpu];
      producer[cpu] = rt.spawn(
          "cpu" + std::to_string(cpu), [c = this, cpu] { c->producer_body(cpu); },
          [c = this, cpu] { return !c->irq_active[cpu]; });  // an interrupted producer waits for the handler
      joined[njoined++] = producer[cpu];
    }
    if (prog.flusher) joined[njoined++] = rt.spawn("flush", [c = this] { c->pool->flush(); });
    if (prog.irq) {
      const unsigned cpu = prog.irq_cpu;
      irq_handle = handles[next_handle];
      joined[njoined++] = rt.spawn("irq@cpu" + std::to_string(cpu), [c = this, cpu] { c->irq_body(cpu); },
                                   [c = this, cpu] { return c->irq_may_start(cpu); });
    }
    for (unsigned i = 0; i < njoined; ++i) rt.join(joined[i]);
    stats = pool->stats();
    if (rt.tracing()) rt.note("teardown (zs_destroy_pool)");
    pool.reset();
    const BackendAudit audit = backend->audit();
    if (!audit.live.empty()) {
      rt.fail(VerdictKind::kInvariant, "handle " + std::to_string(audit.live.front()) +
                                           " never freed (lost; " + std::to_string(audit.live.size()) +
                                           " handle(s) lost)");
    }
  }
};

template <Recipe<percpu_swap::Protocol> kRecipe>
ExecResult execute(const std::uint8_t* data, std::size_t size, const ExecRequest& request) {
  using Pool = percpu_swap::DeferredFreePool<SimPlatform, kRecipe>;
  using Backend = ZsBackend<SimPlatform::Mutex>;

  ExecResult result;
  rt::ChoiceSource in(data, size);
  const Program prog = decode_program(in);
  result.program = prog;
  rt::Runtime& rt = rt::Runtime::get();
  rt.reset(in, rt::RunOptions{.trace = request.trace, .feedback = request.feedback, .races_fatal = request.races_fatal}, &site_names());

  ExecContext<Pool, Backend> ctx(prog);
  rt.spawn("main", [c = &ctx] { c->main_body(); });

  result.outcome = rt.run();
  // After a finding the runtime is dead: tearing down is sequential and unchecked.
  percpu_swap::PoolStats stats = ctx.stats;
  if (ctx.pool) stats = ctx.pool->stats();
  ctx.pool.reset();
  ctx.backend.reset();
  result.coverage.producer_to_drain = stats.drained > 0;
  result.coverage.drain_to_producer = ctx.reenqueued_after_drain;
  result.coverage.cross_cpu_drain = stats.drained > 0 && prog.nr_cpus >= 2;
  result.coverage.repeated_drains = stats.drain_runs >= 2;
  if (request.trace) result.trace = rt.take_trace();
  return result;
}

}  // namespace dfrace::fuzz
