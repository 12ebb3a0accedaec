// execute<Plugin, kRecipe>(bytes): one deterministic execution of a registered protocol's real pool (its Scenario
// on SimPlatform with kRecipe) under the schedule the bytes encode.
//
// Threads: "main" sets up the protocol's Scenario (backend, handles, pool, whose work item spawns "drain"), starts
// its producer per CPU ("cpuN"), optionally its flusher ("flush") and interrupt ("irq@cpuN"), joins them, tears the
// pool down and runs the scenario's audit (zs_free misuse is reported as it happens).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backend/zs_backend.hpp"
#include "exec/execution.hpp"
#include "platform/sim_platform.hpp"
#include "core/pool_scenario.hpp"
#include "core/protocol_info.hpp"
#include "rt/runtime.hpp"

namespace dfrace::fuzz {

// A protocol's site names, as the runtime prints them (one static list per protocol).
template <class Protocol>
const std::vector<std::string_view>& site_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    for (const auto& s : Protocol::kSites) v.push_back(s.name);
    return v;
  }();
  return names;
}

// Everything one execution's virtual threads share. The thread bodies and gates capture only a pointer to it (and a
// CPU number), so their std::functions keep them inline: no heap allocation per thread under ASan. The threads'
// work is the protocol's Scenario; what is here is how the executor runs it: fibers, gates and the interrupt.
template <class Scenario>
struct ExecContext {
  rt::Runtime& rt = rt::Runtime::get();
  Program prog;
  SimPlatform platform;
  std::optional<Scenario> scenario;
  int producer[kMaxCpus] = {-1, -1, -1, -1};
  bool irq_active[kMaxCpus] = {};
  bool irq_started = false;
  // For a proof's footprints: the interrupt writes it when it closes and opens its victim's gate (irq_active),
  // and every step of the victim reads it (Runtime::spawn's gate object).
  rt::ObjectId irq_gate = 0;

  ExecContext(const Program& p, bool abstract_model)
      : prog(p),
        platform(p.alloc_fail_mask, p.drain_run_limit,
                 SimPlatform::Abstraction{.backend_lock = abstract_model, .work = abstract_model && !p.flusher}) {}

  ScenarioPlan plan() const {
    ScenarioPlan plan{.nr_cpus = prog.nr_cpus, .size = prog.size, .producers = prog.nr_cpus};
    for (unsigned cpu = 0; cpu < prog.nr_cpus; ++cpu) plan.pushes[cpu] = prog.enqueues[cpu];
    plan.interrupt = prog.irq;
    plan.interrupt_cpu = prog.irq_cpu;
    return plan;
  }

  // The interrupt's hand-overs, named for a proof's footprints: its gate reads the victim's binding, the CPU's
  // interrupt state and the victim's end (the objects spawn() is given); its start and its return write the
  // victim's gate (irq_gate) and clock, which only the victim's steps read.
  void irq_body(unsigned cpu) {
    const int victim = producer[cpu];
    rt.touch(irq_gate, /*write=*/true);
    irq_started = true;
    if (rt.done(victim)) {  // the CPU is idle: the interrupt's zs_free takes the ordinary path
      rt.join(victim);
      scenario->interrupt(/*nested=*/false);
      return;
    }
    // Same CPU: the handler runs after the interrupted code and before it resumes.
    irq_active[cpu] = true;
    rt.acquire_from(rt.clock_of(victim));
    if (rt.tracing()) rt.note("interrupt on cpu" + std::to_string(cpu) + " (interrupts " + rt.thread_name(victim) + ")");
    scenario->interrupt(/*nested=*/true);
    rt.touch(irq_gate, /*write=*/true);
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
    scenario.emplace(platform, plan());
    scenario->backend().on_misuse = [r = &rt](const Misuse& m) {
      if (!r->dead()) r->fail(VerdictKind::kInvariant, "zs_free: " + m.describe());
    };
    int joined[kMaxCpus + 2];
    unsigned njoined = 0;
    if (prog.irq) irq_gate = rt.next_object_id();
    for (unsigned cpu = 0; cpu < prog.nr_cpus; ++cpu) {
      producer[cpu] = rt.spawn(
          "cpu" + std::to_string(cpu), [c = this, cpu] { c->scenario->producer(cpu); },
          [c = this, cpu] { return !c->irq_active[cpu]; },  // an interrupted producer waits for the handler
          prog.irq && cpu == prog.irq_cpu ? rt::GateObjects{irq_gate} : rt::GateObjects{});
      joined[njoined++] = producer[cpu];
    }
    if (prog.flusher) joined[njoined++] = rt.spawn("flush", [c = this] { c->scenario->flusher(); });
    if (prog.irq) {
      const unsigned cpu = prog.irq_cpu;
      joined[njoined++] = rt.spawn(
          "irq@cpu" + std::to_string(cpu), [c = this, cpu] { c->irq_body(cpu); },
          [c = this, cpu] { return c->irq_may_start(cpu); },
          rt::GateObjects{platform.binding(cpu)->object(), SimPlatform::irq_state_object(cpu),
                          rt::thread_object(producer[cpu])});
    }
    for (unsigned i = 0; i < njoined; ++i) rt.join(joined[i]);
    if (rt.tracing()) rt.note("teardown (zs_destroy_pool)");
    scenario->teardown();
    if (const std::string broken = scenario->audit(); !broken.empty()) rt.fail(VerdictKind::kInvariant, broken);
  }
};

template <class Plugin, Recipe<typename Plugin::Protocol> kRecipe>
ExecResult execute(const std::uint8_t* data, std::size_t size, const ExecRequest& request) {
  // Enqueues are b % 8 per CPU, plus the interrupt's handle.
  using Scenario = typename Plugin::template Scenario<SimPlatform, kRecipe, kMaxCpus * 7 + 1>;

  ExecResult result;
  rt::ChoiceSource in(data, size);
  const Program prog = decode_program(in);
  result.program = prog;
  rt::Runtime& rt = rt::Runtime::get();
  rt.reset(in, rt::RunOptions{.trace = request.trace, .feedback = request.feedback, .races_fatal = request.races_fatal}, &site_names<typename Plugin::Protocol>());

  ExecContext<Scenario> ctx(prog, request.abstract_model);
  rt.spawn("main", [c = &ctx] { c->main_body(); });

  result.outcome = rt.run();
  if (request.final_state && ctx.scenario) {
    // Only what is final once every thread is done: the producers' counters (they were joined before teardown),
    // the backend after teardown, the buffers and refills. (The drain's counters were read while teardown had not
    // yet stopped it, so they are not.)
    const PoolStats stats = ctx.scenario->stats();
    const BackendAudit audit = ctx.scenario->backend().audit();
    result.final_state = "enqueued=" + std::to_string(stats.enqueued) + " deferred=" + std::to_string(stats.deferred) +
                         " overflowed=" + std::to_string(stats.overflowed) + " handles_freed=" +
                         std::to_string(audit.freed) + " live=" + std::to_string(audit.live.size()) + " buffers=" +
                         std::to_string(ctx.platform.buffers_allocated()) + " kvfreed=" +
                         std::to_string(ctx.platform.buffers_freed()) + " refills=" +
                         std::to_string(ctx.platform.refills()) + " failed_refills=" +
                         std::to_string(ctx.platform.failed_refills());
  }
  // After a finding the runtime is dead: tearing down is sequential and unchecked.
  if (ctx.scenario) ctx.scenario->teardown();
  result.directions = ctx.platform.observed_directions();
  result.model_limit = rt.model_limit();
  result.abandoned = rt.abandoned();
  ctx.scenario.reset();
  if (request.trace) result.trace = rt.take_trace();
  return result;
}

}  // namespace dfrace::fuzz
