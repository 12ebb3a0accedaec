#include "platform/sim_platform.hpp"

#include <cstdlib>
#include <memory>

namespace dfrace::fuzz {

using rt::Runtime;

namespace {
constexpr rt::ObjectId kAllocator = rt::fixed_object(1);
}  // namespace

SimPlatform::SimPlatform(std::uint32_t fail_mask, std::uint32_t work_run_limit, Abstraction abstraction)
    : fail_mask_(fail_mask), work_run_limit_(work_run_limit), abstraction_(abstraction) {
  if (current_ != nullptr) std::abort();  // the buffer arena is shared: one execution at a time
  current_ = this;
}

SimPlatform::~SimPlatform() {
  auto& buffers = arena();
  for (std::uint32_t i = 0; i < used_; ++i) {
    Buffer& b = *buffers[i];
    std::destroy_n(b.slots, b.size);
    b.size = 0;
  }
  if (current_ == this) current_ = nullptr;
}

std::vector<std::unique_ptr<SimPlatform::Buffer>>& SimPlatform::arena() {
  // Never destroyed: the storage outlives every execution (and static destruction order does not matter).
  static auto* buffers = new std::vector<std::unique_ptr<Buffer>>();
  return *buffers;
}

SimPlatform::Buffer* SimPlatform::allocate_buffer(std::size_t n, bool may_fail) {
  Runtime& rt = Runtime::get();
  rt.touch(kAllocator, true);
  if (may_fail) {
    const std::uint32_t k = refills_++;
    if (k < 32 && (fail_mask_ >> k) & 1u) {
      ++failed_refills_;
      if (rt.tracing()) rt.note("kvmalloc_array -> NULL (injected failure)");
      return nullptr;
    }
  }
  auto& buffers = arena();
  if (buffers.size() <= used_) buffers.push_back(std::make_unique<Buffer>());
  Buffer* b = buffers[used_++].get();
  if (b->capacity < n) {
    std::allocator<Shared<Handle>>().deallocate(b->slots, b->capacity);
    b->slots = std::allocator<Shared<Handle>>().allocate(n);
    b->capacity = n;
  }
  b->id = used_;
  b->object = rt.next_object_id();
  b->size = n;
  b->freed = false;
  for (std::size_t i = 0; i < n; ++i) {
    Shared<Handle>* slot = std::construct_at(b->slots + i);
    slot->owner = b;
    if (rt.tracing()) slot->set_label("buf#" + std::to_string(b->id) + "[" + std::to_string(i) + "]");
  }
  if (rt.tracing()) rt.note("kvmalloc_array -> buf#" + std::to_string(b->id));
  return b;
}

void SimPlatform::free_buffer(Buffer* b) {
  if (b == nullptr) return;  // kvfree(NULL)
  Runtime& rt = Runtime::get();
  rt.touch(b->object, true);
  if (b->freed && !rt.dead()) rt.fail(VerdictKind::kInvariant, "buf#" + std::to_string(b->id) + " kvfree'd twice");
  b->freed = true;
  ++freed_;
  if (rt.tracing()) rt.note("kvfree buf#" + std::to_string(b->id));
}

SimPlatform::Shared<Handle>& SimPlatform::slot(Buffer* b, std::size_t i) {
  if (b == nullptr) {
    static Shared<Handle> null_slot;
    null_slot.problem = SlotProblem::kNullBuffer;
    return null_slot;
  }
  if (i >= b->size) {
    static Shared<Handle> out_of_range;
    out_of_range.problem = SlotProblem::kOutOfRange;
    return out_of_range;
  }
  return b->slots[i];
}

void SimPlatform::irq_disable(unsigned cpu) {
  if (cpu >= kMaxSimCpus) std::abort();
  Runtime::get().touch(irq_state_object(cpu), true);
  ++irq_depth_[cpu];
}

void SimPlatform::irq_enable(unsigned cpu) {
  Runtime::get().touch(irq_state_object(cpu), true);
  if (cpu < kMaxSimCpus && irq_depth_[cpu] > 0) --irq_depth_[cpu];
}

// --- CpuBinding / Mutex: a lock hands the holder's clock to the next holder ---

SimPlatform::CpuBinding::CpuBinding() {
  SimPlatform& p = current();
  if (p.nbindings_ >= kMaxSimCpus) std::abort();  // more CPUs than the executor ever configures
  cpu_ = p.nbindings_;
  p.bindings_[p.nbindings_++] = this;
}

void SimPlatform::CpuBinding::lock() {
  lock_.lock();
  Runtime& rt = Runtime::get();
  if (!rt.dead() && rt.tracing()) rt.note("get_cpu_ptr(cpu" + std::to_string(cpu_) + ")");
}

void SimPlatform::CpuBinding::unlock() {
  lock_.unlock();
  Runtime& rt = Runtime::get();
  if (!rt.dead() && rt.tracing()) rt.note("put_cpu_ptr(cpu" + std::to_string(cpu_) + ")");
}

SimPlatform::Mutex::Mutex() : object_(Runtime::get().next_object_id()) {}

void SimPlatform::Mutex::lock() {
  Runtime& rt = Runtime::get();
  if (rt.dead()) return;
  rt.point();
  // A step that finds the lock taken and blocks touches nothing; the acquisition that follows the wait races with
  // the lock's previous acquisition (Runtime::touch_acquire), so the search also runs this thread first there.
  rt.wait_until([this] { return holder_ < 0; });
  rt.touch_acquire(object_);
  holder_ = rt.current();
  rt.acquire_from(clock_);
}

bool SimPlatform::Mutex::try_lock() {
  Runtime& rt = Runtime::get();
  if (rt.dead()) return true;  // as lock(): after a finding, teardown runs sequentially
  rt.point();
  rt.touch(object_, true);  // a failed attempt reads the lock's state: it depends on the holder's steps too
  if (holder_ >= 0) return false;
  holder_ = rt.current();
  rt.acquire_from(clock_);
  return true;
}

void SimPlatform::Mutex::unlock() {
  Runtime& rt = Runtime::get();
  if (rt.dead()) return;
  rt.touch(object_, true);
  holder_ = -1;
  clock_ = {};
  rt.release_into(clock_);
}

// --- WorkItem: schedule_work / flush_work / cancel_work_sync on a virtual worker thread ---

SimPlatform::WorkItem::WorkItem(SimPlatform& platform, std::function<void()> work)
    : work_(std::move(work)),
      run_limit_(platform.work_run_limit_),
      abstract_(platform.abstraction_.work && platform.work_run_limit_ > 0) {
  Runtime& rt = Runtime::get();
  if (rt.dead()) return;
  object_ = rt.next_object_id();
  run_object_ = rt.next_object_id();
  worker_ = abstract_ ? rt.spawn("drain", [this] { abstract_worker_loop(); })
                     : rt.spawn("drain", [this] { worker_loop(); });
}

// Past the run limit the worker starts a run only when someone waits for it (see the class comment).
bool SimPlatform::WorkItem::may_start() const {
  return cancelled_ || (pending_ && (run_limit_ == 0 || runs_ < run_limit_ || flushers_ > 0));
}

void SimPlatform::WorkItem::worker_loop() {
  Runtime& rt = Runtime::get();
  for (;;) {
    rt.touch(object_, /*write=*/false);  // only looks (also when it blocks): steps that only look commute
    rt.wait_until([this] { return may_start(); });
    rt.touch(object_, /*write=*/false);
    if (!pending_) return;  // cancelled
    rt.point();             // the worker may still run late: anything can happen before it starts
    rt.touch(object_, /*write=*/false);
    if (!pending_) return;
    if (!may_start()) continue;
    rt.touch(object_, /*write=*/true);
    pending_ = false;
    rt.acquire_from(queued_clock_);  // queue_work returning true happens-before the run
    run("drain work starts");
  }
}

// One run, from the step that starts it: the run side is written at its start and its end, and the end releases
// into what flush and cancel_sync acquire.
void SimPlatform::WorkItem::run(const char* start_note) {
  Runtime& rt = Runtime::get();
  rt.touch(run_object_, /*write=*/true);
  running_ = true;
  ++runs_;
  if (rt.tracing()) rt.note(start_note);
  work_();
  rt.touch(run_object_, /*write=*/true);
  running_ = false;
  rt.release_into(done_clock_);
  if (rt.tracing()) rt.note("drain work ends");
}

// The abstract model's worker (the class comment has why it only adds executions): up to the run limit, a run
// whenever the schedule says, ordered after nothing but the previous run; cancel_sync stops it between runs.
void SimPlatform::WorkItem::abstract_worker_loop() {
  Runtime& rt = Runtime::get();
  while (runs_ < run_limit_) {
    rt.point();
    rt.touch(object_, /*write=*/false);
    if (cancelled_) return;
    run("drain work starts (abstract model)");
  }
}

bool SimPlatform::WorkItem::queue() {
  Runtime& rt = Runtime::get();
  if (rt.dead()) return false;
  if (abstract_) return true;  // no scheduling point, no state, no ordering: the worker runs regardless
  rt.point();
  if (pending_ || cancelled_) {
    rt.touch(object_, /*write=*/false);  // a failed queue() changes nothing: two of them commute
    if (rt.tracing()) rt.note("schedule_work -> false (already pending)");
    return false;  // a failed queue() transfers nothing
  }
  rt.touch(object_, /*write=*/true);
  pending_ = true;
  rt.release_into(queued_clock_);
  if (rt.tracing()) rt.note("schedule_work -> true");
  return true;
}

void SimPlatform::WorkItem::flush() {
  Runtime& rt = Runtime::get();
  if (rt.dead()) return;
  // The abstract work item is only built for programs without a flusher; a flush here would make its proof
  // meaningless, so the search is marked as cut short (the proof then searches the exact model).
  if (abstract_) rt.hit_model_limit(rt::ModelLimit::kAbstraction);
  rt.point();
  if (rt.tracing()) rt.note("flush_work");
  rt.touch(object_, /*write=*/true);
  ++flushers_;
  rt.touch(run_object_, /*write=*/false);  // a flush that blocks has read both sides
  rt.wait_until([this] { return !pending_ && !running_; });
  rt.touch(object_, /*write=*/true);
  rt.touch(run_object_, /*write=*/false);
  --flushers_;
  rt.acquire_from(done_clock_);
}

void SimPlatform::WorkItem::cancel_sync() {
  Runtime& rt = Runtime::get();
  if (rt.dead()) return;
  rt.point();
  if (rt.tracing()) rt.note("cancel_work_sync");
  // A step that blocks here has read the run side, yet only its write of the queue side is recorded: every step
  // that starts a run (the only one that can make this wait block) touches the queue side too, so that order is
  // explored anyway. Recording the read as well made a blocked wait race with the run's *end*, which re-explored
  // the same executions: the same reads-from and modification orders, twice the executions (abstract model).
  rt.touch(object_, /*write=*/true);
  cancelled_ = true;
  pending_ = false;
  rt.wait_until([this] { return !running_; });
  rt.touch(run_object_, /*write=*/false);
  rt.acquire_from(done_clock_);
  if (worker_ >= 0) rt.join(worker_);
}

}  // namespace dfrace::fuzz
