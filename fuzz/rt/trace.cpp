#include "rt/trace.hpp"

namespace dfrace::rt {

std::string Trace::who(int tid) const {
  if (tid < 0) return "init";
  return tid < static_cast<int>(thread_names.size()) ? thread_names[tid] : "T" + std::to_string(tid);
}

std::string Trace::describe(const Event& e) const {
  switch (e.kind) {
    case EventKind::kLoad:
      return e.site + " reads " + e.location + " = " + e.value + " (store #" + std::to_string(e.store_no) + " by " +
             who(e.from_tid) + (e.stale ? ", STALE)" : ")") + (e.synchronizes ? " [acquire: synchronizes]" : "");
    case EventKind::kStore:
      return e.site + " writes " + e.location + " = " + e.value + " (store #" + std::to_string(e.store_no) + ")";
    case EventKind::kRmw:
      return e.site + " " + e.note + " " + e.location + ": reads " + e.old_value + " (store #" +
             std::to_string(e.read_store_no) + " by " + who(e.from_tid) + ")" +
             (e.stored ? ", writes " + e.value + " (store #" + std::to_string(e.store_no) + ")"
                       : ", expected " + e.value + ": FAILED (orders nothing)") +
             (e.synchronizes ? " [acquire: synchronizes]" : "");
    case EventKind::kFence: return e.site + ": " + e.note;
    case EventKind::kOp: return e.note;
    case EventKind::kRace:
      return e.site + (e.write ? " writes " : " reads ") + e.location + ": DATA RACE with " + e.other_site + " by " +
             who(e.other_tid);
    case EventKind::kVerdict: return "==> " + e.note;
  }
  return "?";
}

}  // namespace dfrace::rt
