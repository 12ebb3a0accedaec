// Trace: what one execution did, event by event, and its two renderings (a text timeline with a column per
// virtual thread, and an SVG picture of the same). Recorded only when asked (replays), never on the fuzzing path.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dfrace::rt {

using ValueFormat = std::string (*)(std::uint64_t);

enum class EventKind : std::uint8_t { kLoad, kStore, kFence, kOp, kVerdict };

struct Event {
  int tid = 0;
  EventKind kind = EventKind::kOp;
  std::string site;      // the protocol's site name, or empty for an operation
  std::string location;  // "count@1", "slot buf#3[0]"
  std::string value;     // formatted value read or written
  std::uint32_t store_no = 0;  // store: its number; load: the number of the store it read
  int from_tid = -1;           // load: the writer of the store it read (-1: initial value)
  bool stale = false;          // load: read a store older than the newest
  std::string note;            // operations: "lock cpu0", "queue_work -> true"; verdict: the line
};

struct Trace {
  std::vector<std::string> thread_names;
  std::vector<Event> events;

  // One line per event, in execution order, the text in its thread's column.
  std::string timeline(std::size_t column_width = 52) const;
  std::string svg() const;
  static std::string describe(const Event& e, const std::vector<std::string>& names);
};

}  // namespace dfrace::rt
