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

  SimPlatform platform(prog.alloc_fail_mask);
  std::optional<Backend> backend;
  std::optional<Pool> pool;
  std::vector<Handle> handles;
  int producer[kMaxCpus] = {-1, -1, -1};
  bool irq_active[kMaxCpus] = {};
  bool irq_started = false;
  bool reenqueued_after_drain = false;
  percpu_swap::PoolStats stats{};

  rt.spawn("main", [&] {
    backend.emplace();
    backend->on_misuse = [&rt](const Misuse& m) {
      if (!rt.dead()) rt.fail(VerdictKind::kInvariant, "zs_free: " + m.describe());
    };
    for (unsigned i = 0; i < prog.total_handles(); ++i) handles.push_back(backend->zs_malloc());
    pool.emplace(platform, *backend, percpu_swap::PoolConfig{prog.nr_cpus, prog.size});
    std::size_t next_handle = 0;
    for (unsigned cpu = 0; cpu < prog.nr_cpus; ++cpu) {
      const std::size_t first = next_handle;
      next_handle += prog.enqueues[cpu];
      producer[cpu] = rt.spawn(
          "cpu" + std::to_string(cpu),
          [&, cpu, first] {
            for (unsigned k = 0; k < prog.enqueues[cpu]; ++k) {
              const bool after_swap = pool->stats().buffer_allocs > prog.nr_cpus;
              const auto deferred = pool->stats().deferred;
              pool->enqueue(cpu, handles[first + k]);
              if (after_swap && pool->stats().deferred > deferred) reenqueued_after_drain = true;
            }
          },
          [&irq_active, cpu] { return !irq_active[cpu]; });  // an interrupted producer waits for the handler
    }
    std::vector<int> joined(producer, producer + prog.nr_cpus);
    if (prog.flusher) joined.push_back(rt.spawn("flush", [&] { pool->flush(); }));
    if (prog.irq) {
      const unsigned cpu = prog.irq_cpu;
      const Handle h = handles[next_handle];
      const int victim = producer[cpu];
      joined.push_back(rt.spawn(
          "irq@cpu" + std::to_string(cpu),
          [&, cpu, h, victim] {
            irq_started = true;
            if (rt.done(victim)) {  // the CPU is idle: the interrupt's zs_free takes the ordinary path
              rt.join(victim);
              pool->enqueue(cpu, h);
              return;
            }
            // Same CPU: the handler runs after the interrupted code and before it resumes.
            irq_active[cpu] = true;
            rt.acquire_from(rt.clock_of(victim));
            if (rt.tracing()) rt.note("interrupt on cpu" + std::to_string(cpu) + " (interrupts " + rt.thread_name(victim) + ")");
            pool->enqueue_on_bound_cpu(cpu, h);
            irq_active[cpu] = false;
            rt.clock_of(victim).join(rt.clock());
            if (rt.tracing()) rt.note("interrupt returns");
          },
          [&, cpu, victim] {
            if (irq_started) return true;
            if (rt.done(victim)) return true;
            const auto* b = platform.binding(cpu);
            return b != nullptr && b->holder() == victim && platform.irq_depth(cpu) == 0;
          }));
    }
    for (int tid : joined) rt.join(tid);
    stats = pool->stats();
    if (rt.tracing()) rt.note("teardown (zs_destroy_pool)");
    pool.reset();
    const BackendAudit audit = backend->audit();
    if (!audit.live.empty()) {
      rt.fail(VerdictKind::kInvariant, "handle " + std::to_string(audit.live.front()) +
                                           " never freed (lost; " + std::to_string(audit.live.size()) +
                                           " handle(s) lost)");
    }
  });

  result.outcome = rt.run();
  // After a finding the runtime is dead: tearing down is sequential and unchecked.
  if (pool) stats = pool->stats();
  pool.reset();
  backend.reset();
  result.coverage.producer_to_drain = stats.drained > 0;
  result.coverage.drain_to_producer = reenqueued_after_drain;
  result.coverage.cross_cpu_drain = stats.drained > 0 && prog.nr_cpus >= 2;
  result.coverage.repeated_drains = stats.drain_runs >= 2;
  if (request.trace) result.trace = rt.take_trace();
  return result;
}

}  // namespace dfrace::fuzz
