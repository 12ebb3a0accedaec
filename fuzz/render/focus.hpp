// Which events of a trace matter for its finding: the racing accesses and the violating one, and the chain of
// program order and reads-from that leads to them.
//
// Contract: key events are every data race's two accesses and the access of the thread that made the finding
// (the last one before the verdict). From them the focus closes backwards: a thread in the focus contributes
// every shared access (load, store, fence, race) and every buffer/workqueue/interrupt operation up to its last
// focused event, a focused load pulls in the store it read (and so its thread, up to that store), and a focused
// start of a drain run the schedule_work that queued it. Binding
// lock/unlock and spawn notes are never focused. A finding made at teardown (a lost handle) focuses every thread.
// A clean trace focuses everything.
#pragma once

#include <vector>

#include "rt/trace.hpp"

namespace dfrace::render {

struct Focus {
  std::vector<bool> shown;  // per event
  std::vector<bool> key;    // per event: a racing or violating access (drawn red)
  // Per event: for a race event whose access went on (consequence mode), the index of that access, which then
  // carries the race in the renderings; otherwise -1.
  std::vector<long> race_access;
};

Focus focus_of(const rt::Trace& t, bool full);

}  // namespace dfrace::render
