#include "render/focus.hpp"

#include <string_view>

namespace dfrace::render {
namespace {

using rt::Event;
using rt::EventKind;

bool is_access(const Event& e) {
  return rt::is_memory_access(e) || e.kind == EventKind::kFence || e.kind == EventKind::kRace;
}

// Operations that change what the accesses mean: buffers appear and vanish, work is handed over, an interrupt
// preempts. Lock/unlock of the CPU binding and thread spawns are scaffolding.
bool is_key_op(const Event& e) {
  if (e.kind != EventKind::kOp) return false;
  for (std::string_view p : {"kvmalloc", "kvfree", "schedule_work", "drain work", "interrupt", "teardown",
                             "cancel_work", "flush_work"}) {
    if (e.note.rfind(p, 0) == 0) return true;
  }
  return false;
}

bool worth_showing(const Event& e) { return is_access(e) || is_key_op(e) || e.kind == EventKind::kVerdict; }

}  // namespace

Focus focus_of(const rt::Trace& t, bool full) {
  const std::size_t n = t.events.size();
  Focus f{std::vector<bool>(n, false), std::vector<bool>(n, false), std::vector<long>(n, -1)};
  bool finding = false;
  for (const Event& e : t.events) finding |= e.kind == EventKind::kVerdict || e.kind == EventKind::kRace;

  // Key events.
  int verdict_tid = -1;
  for (std::size_t i = 0; i < n; ++i) {
    const Event& e = t.events[i];
    if (e.kind == EventKind::kRace) {
      f.key[i] = true;
      for (std::size_t j = i; j-- > 0;) {  // the earlier access of the pair
        const Event& o = t.events[j];
        if (o.tid == e.other_tid && o.site == e.other_site && o.location == e.location &&
            rt::is_memory_access(o)) {
          f.key[j] = true;
          break;
        }
      }
      for (std::size_t j = i + 1; j < n; ++j) {  // the completing access itself, when it went on
        const Event& o = t.events[j];
        if (o.tid != e.tid) continue;
        if (o.site == e.site && rt::is_memory_access(o)) {
          f.key[j] = true;
          f.race_access[i] = static_cast<long>(j);
        }
        break;
      }
    } else if (e.kind == EventKind::kVerdict) {
      f.key[i] = true;
      // A race that led to nothing has no violating access of its own: its two accesses are the key events.
      if (e.note.rfind("data race:", 0) == 0 && e.note.find("→") == std::string::npos) continue;
      verdict_tid = e.tid;
      for (std::size_t j = i; j-- > 0;) {
        if (t.events[j].tid == e.tid && is_access(t.events[j])) {
          f.key[j] = true;
          break;
        }
      }
    }
  }
  const bool everything = full || !finding || (verdict_tid >= 0 && t.who(verdict_tid) == "main");
  if (everything) {
    for (std::size_t i = 0; i < n; ++i) f.shown[i] = full || !finding || worth_showing(t.events[i]);
    return f;
  }

  // Close backwards over program order (per-thread cut) and reads-from.
  std::vector<long> cut(t.thread_names.size() + 1, -1);
  for (std::size_t i = 0; i < n; ++i) {
    const int tid = t.events[i].tid;
    if (f.key[i] && t.events[i].kind != EventKind::kVerdict && tid >= 0 && tid < static_cast<int>(cut.size())) cut[tid] = std::max<long>(cut[tid], static_cast<long>(i));
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < n; ++i) {
      const Event& e = t.events[i];
      if (e.tid < 0 || e.tid >= static_cast<int>(cut.size()) || static_cast<long>(i) > cut[e.tid]) continue;
      if (!worth_showing(e) || f.shown[i]) continue;
      f.shown[i] = true;
      changed = true;
      if (e.kind == EventKind::kOp && e.note == "drain work starts") {  // and the schedule_work it synchronizes with
        for (std::size_t j = i; j-- > 0;) {
          const Event& q = t.events[j];
          if (q.kind == EventKind::kOp && q.note == "schedule_work -> true") {
            if (q.tid >= 0 && q.tid < static_cast<int>(cut.size())) cut[q.tid] = std::max<long>(cut[q.tid], static_cast<long>(j));
            break;
          }
        }
      }
      if (!rt::reads(e)) continue;
      for (std::size_t j = i; j-- > 0;) {  // the store it read
        const Event& s = t.events[j];
        if (rt::writes(s) && s.store_no == rt::store_read(e)) {
          if (s.tid >= 0 && s.tid < static_cast<int>(cut.size())) cut[s.tid] = std::max<long>(cut[s.tid], static_cast<long>(j));
          break;
        }
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i) f.shown[i] = f.shown[i] || f.key[i];
  return f;
}

}  // namespace dfrace::render
