// Trace: what one execution did, event by event. Recorded only when asked (replays), never on the fuzzing path.
// The renderings (the text timeline, the execution graph) are in fuzz/render/.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dfrace::rt {

using ValueFormat = std::string (*)(std::uint64_t);

// kRmw: an exchange or compare-exchange (a failed one only reads); kRace: the access that completes a data race
// (recorded before the access itself, which follows unless the race is fatal); kVerdict: the finding, last.
enum class EventKind : std::uint8_t { kLoad, kStore, kRmw, kFence, kOp, kRace, kVerdict };

struct Event {
  int tid = 0;
  EventKind kind = EventKind::kOp;
  std::string site;      // the protocol's site name, or empty for an operation
  std::string location;  // "count@1", "slot buf#3[0]"
  std::string value;     // formatted value read or written
  std::uint32_t store_no = 0;  // store, rmw that wrote: its number; load: the number of the store it read
  int from_tid = -1;           // load, rmw: the writer of the store it read (-1: initial value)
  bool stale = false;          // load: read a store older than the newest
  bool synchronizes = false;   // load, rmw: an acquire that read a store publishing a clock (synchronizes-with)
  bool stored = false;         // rmw: it wrote (an exchange, a successful compare-exchange)
  std::uint32_t read_store_no = 0;  // rmw: the number of the store it read (always the newest)
  std::string old_value;       // rmw: the value it read
  bool write = false;          // race: the completing access is a write
  std::string other_site;      // race: the earlier access it races with, and its thread
  int other_tid = -1;
  std::string note;            // operations: "schedule_work -> true"; rmw: "xchg_release"; verdict: the line
};

// An access that reads (a load, any rmw) or writes (a store, an rmw that stored), and the store a read read.
inline bool reads(const Event& e) { return e.kind == EventKind::kLoad || e.kind == EventKind::kRmw; }
inline bool writes(const Event& e) { return e.kind == EventKind::kStore || (e.kind == EventKind::kRmw && e.stored); }
inline bool is_memory_access(const Event& e) { return reads(e) || e.kind == EventKind::kStore; }
inline std::uint32_t store_read(const Event& e) { return e.kind == EventKind::kRmw ? e.read_store_no : e.store_no; }

struct Trace {
  std::vector<std::string> thread_names;
  std::vector<Event> events;

  std::string who(int tid) const;  // thread name, "init" for -1
  // One event in words: "enqueue.count_check reads count@3 = 0 (store #11 by drain, STALE)";
  // "list.del_all xchg head@2: reads buf#1 (store #4 by cpu0), writes NULL (store #7)".
  std::string describe(const Event& e) const;
};

}  // namespace dfrace::rt
