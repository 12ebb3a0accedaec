// The access order of a replayed finding, as text for the native replay (fuzz/native/): the program (recipe, CPUs,
// SIZE, enqueues, flush, interrupt, refill failures) and, in execution order, which thread made each shared access
// at which site (and took each CPU binding), marking the loads that read an older store than the newest (x86 cannot be made to do that).
//
//   recipe posted_v2 / cpus 2 / size 1 / enqueues 1 1 0 / flush 0 / irq 1 0 bound / fail_mask 12
//   race drain.count_reset vs enqueue.count_index        (the finding's first race, or "race none")
//   verdict <the finding's line>
//   finding_thread cpu0                                   (the thread that made the finding's access)
//   step cpu0 get_cpu_ptr(cpu0)                          (one per CPU binding taken)
//   step main cancel_work_sync                           (the teardown's cancel of the drain)
//   step cpu0 enqueue.count_check [stale]                 (one per access)
#pragma once

#include <string>

#include "exec/execution.hpp"

namespace dfrace::fuzz {

std::string access_order(const std::string& recipe, const ExecResult& r);

}  // namespace dfrace::fuzz
