#include "platform/relacy_include.hpp"  // first: see its header comment
#include "platform/relacy_platform.hpp"

#include <algorithm>
#include <cstdio>

namespace dfrace::relacy {

ModelTrace& trace() {
  static ModelTrace t;
  return t;
}

void fail_run(PlatformFailure kind, std::string text, rl::test_result_e result, std::size_t site) {
  ModelTrace& tr = trace();
  tr.failure = kind;
  std::snprintf(tr.failure_text, sizeof tr.failure_text, "%s", text.c_str());
  rl::ctx().fail_test(tr.failure_text, result, site_info(site));
}

RelacyPlatform::Buffer*& null_buffer_sentinel() {
  static RelacyPlatform::Buffer* sentinel = nullptr;
  return sentinel;
}

RelacyPlatform::RelacyPlatform(Options o) : options_(o), null_sentinel_(new Buffer(kMaxSlots, false)) {
  null_sentinel_->null_buffer = true;
  null_buffer_sentinel() = null_sentinel_;
}

RelacyPlatform::~RelacyPlatform() {
  for (Buffer* b : parked_) delete b;
  delete null_sentinel_;
  null_buffer_sentinel() = nullptr;
}

RelacyPlatform::Buffer* RelacyPlatform::allocate_buffer(std::size_t n, bool may_fail) {
  if (n > kMaxSlots) {
    fail_run(PlatformFailure::kInvariant, "model error: SIZE " + std::to_string(n) + " above the platform's " +
             std::to_string(kMaxSlots) + " slots", rl::test_result_user_assert_failed, kNoSite);
    return nullptr;
  }
  if (may_fail && options_.alloc_faults && rl::rand(2) == 0) return nullptr;  // kvmalloc_array failed
  ++live_buffers_;
  return new Buffer(n, /*is_refill=*/may_fail);
}

void RelacyPlatform::free_buffer(Buffer* b) {
  if (b == nullptr) return;  // kvfree(NULL)
  if (b->freed) {
    fail_run(PlatformFailure::kUseAfterFree, "kvfree of a buffer that was already kvfree'd (double free)",
             rl::test_result_double_free, trace().last_site);
    return;
  }
  b->freed = true;  // poisoned: every later slot access is a use after free
  parked_.push_back(b);
  --live_buffers_;
}

RelacyPlatform::Shared<Handle>& RelacyPlatform::slot(Buffer* b, std::size_t i) {
  if (b == nullptr) return null_buffer_sentinel()->slots.cell[0];  // the access through it is the crash
  if (i >= b->size) {
    fail_run(PlatformFailure::kCrash, "out-of-bounds slot " + std::to_string(i) + " of a " +
             std::to_string(b->size) + "-slot buffer", rl::test_result_user_assert_failed, trace().last_site);
    return b->slots.cell[0];
  }
  return b->slots.cell[i];
}

bool RelacyPlatform::WorkItem::queue() {
  if (cancelled_) return false;
  const rl::debug_info info("workqueue.queue_work", "relacy_platform.cpp", __LINE__);
  int expected = 0;
  for (;;) {
    if (expected & kPending) return false;  // already pending: writes nothing, orders nothing
    if (state_.compare_exchange_strong(expected, expected | kPending, rl::mo_release, info, rl::mo_relaxed, info)) {
      last_queuer_ = rl::thread_index();
      worker_waiters_.unpark_one(rl::ctx(), info);
      return true;
    }
  }
}

bool RelacyPlatform::WorkItem::try_run() {
  const rl::debug_info info("workqueue.worker", "relacy_platform.cpp", __LINE__);
  int expected = kPending;
  if (!state_.compare_exchange_strong(expected, kRunning, rl::mo_acquire, info, rl::mo_relaxed, info)) return false;
  platform_.drain_run_queuer_ = last_queuer_;
  platform_.in_drain_ = true;
  ++runs_;
  work_();
  platform_.in_drain_ = false;
  state_.fetch_and(~kRunning, rl::mo_release, info);
  flush_waiters_.unpark_all(rl::ctx(), info);
  return true;
}

void RelacyPlatform::WorkItem::wait_for_work() {
  const rl::debug_info info("workqueue.worker_idle", "relacy_platform.cpp", __LINE__);
  worker_waiters_.park_current(rl::ctx(), false, false, false, info);
}

void RelacyPlatform::WorkItem::wake_worker() {
  const rl::debug_info info("workqueue.wake_worker", "relacy_platform.cpp", __LINE__);
  worker_waiters_.unpark_one(rl::ctx(), info);
}

void RelacyPlatform::WorkItem::flush() {
  const rl::debug_info info("workqueue.flush_work", "relacy_platform.cpp", __LINE__);
  for (;;) {
    int expected = 0;  // a read-modify-write reads the newest state, never a stale one
    if (state_.compare_exchange_strong(expected, 0, rl::mo_acquire, info, rl::mo_acquire, info)) return;
    flush_waiters_.park_current(rl::ctx(), false, false, false, info);  // the worker unparks us after a run
  }
}

}  // namespace dfrace::relacy
