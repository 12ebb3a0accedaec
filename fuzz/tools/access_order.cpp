#include "tools/access_order.hpp"

#include <sstream>

namespace dfrace::fuzz {

std::string access_order(const std::string& recipe, const ExecResult& r) {
  std::ostringstream o;
  const Program& p = r.program;
  o << "recipe " << recipe << "\ncpus " << p.nr_cpus << "\nsize " << p.size << "\nenqueues";
  for (unsigned c = 0; c < kMaxCpus; ++c) o << " " << p.enqueues[c];
  bool irq_bound = false;  // the interrupt preempted its producer (else it ran on an idle CPU)
  for (const auto& e : r.trace.events) irq_bound |= e.kind == rt::EventKind::kOp && e.note.rfind("interrupt on", 0) == 0;
  o << "\nflush " << (p.flusher ? 1 : 0) << "\nirq " << (p.irq ? 1 : 0) << " " << p.irq_cpu << " "
    << (irq_bound ? "bound" : "idle") << "\nfail_mask " << p.alloc_fail_mask << "\n";
  std::string race = r.outcome.kind == VerdictKind::kDataRace ? r.outcome.detail : r.outcome.race;
  o << "race " << (race.empty() ? "none" : race) << "\nverdict " << r.outcome.line() << "\n";
  // The thread whose next access is the finding (a use after free, a NULL slot): natively it must wait for the
  // whole order, or it would run ahead of the recording.
  for (const auto& e : r.trace.events) {
    if (e.kind == rt::EventKind::kVerdict && e.tid >= 0) o << "finding_thread " << r.trace.who(e.tid) << "\n";
  }
  for (const auto& e : r.trace.events) {
    // get_cpu_ptr is a step too: a real thread must not take a CPU's binding before its turn, or it could hold
    // it while waiting for a turn that needs the binding (flush, another enqueue on that CPU).
    // cancel_work_sync too: a real teardown must not cancel a drain the recording ran first.
    if (e.kind == rt::EventKind::kOp && (e.note.rfind("get_cpu_ptr(", 0) == 0 || e.note == "cancel_work_sync")) {
      o << "step " << r.trace.who(e.tid) << " " << e.note << "\n";
      continue;
    }
    if (!rt::is_memory_access(e) && e.kind != rt::EventKind::kFence) continue;
    o << "step " << r.trace.who(e.tid) << " " << e.site << (e.stale ? " stale" : "") << "\n";
  }
  return o.str();
}

}  // namespace dfrace::fuzz
