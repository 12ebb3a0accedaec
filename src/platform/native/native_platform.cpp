#include "platform/native/native_platform.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>

namespace dfrace {

bool NativePlatform::allocation_fails(bool may_fail) {
  bool fail = false;
  if (may_fail && (faults_.fail_every != 0 || faults_.fail_probability > 0.0)) {
    std::lock_guard guard(alloc_mutex_);
    ++allocations_;
    if (faults_.fail_every != 0 && allocations_ % faults_.fail_every == 0) fail = true;
    if (faults_.fail_probability > 0.0) {
      rng_state_ ^= rng_state_ << 13;  // xorshift64: a fault schedule, not cryptography
      rng_state_ ^= rng_state_ >> 7;
      rng_state_ ^= rng_state_ << 17;
      if (static_cast<double>(rng_state_ >> 11) * 0x1.0p-53 < faults_.fail_probability) fail = true;
    }
  }
  if (fail) failed_.fetch_add(1, std::memory_order_relaxed);
  return fail;
}

NativePlatform::Buffer* NativePlatform::allocate_buffer(std::size_t n, bool may_fail) {
  if (allocation_fails(may_fail)) return nullptr;
  auto* b = new (std::nothrow) Buffer{n, std::unique_ptr<Shared<Handle>[]>(new (std::nothrow) Shared<Handle>[n])};
  if (b != nullptr && b->slots == nullptr) {
    delete b;
    return nullptr;
  }
  return b;
}

void NativePlatform::null_buffer_oops() {
  static const char kMsg[] = "dfrace: access through a NULL buffer (the drain installed a failed allocation)\n";
  std::fwrite(kMsg, 1, sizeof kMsg - 1, stderr);
  std::raise(SIGSEGV);
  std::abort();
}

NativePlatform::WorkItem::WorkItem(NativePlatform&, std::function<void()> work)
    : work_(std::move(work)), worker_([this] { worker_loop(); }) {}

NativePlatform::WorkItem::~WorkItem() { cancel_sync(); }

bool NativePlatform::WorkItem::queue() {
  bool expected = false;
  if (!pending_.compare_exchange_strong(expected, true, std::memory_order_release, std::memory_order_relaxed)) {
    return false;
  }
  std::lock_guard guard(m_);
  wake_.notify_one();
  return true;
}

void NativePlatform::WorkItem::flush() {
  std::unique_lock lock(m_);
  idle_.wait(lock, [&] { return stopping_ || (!running_ && !pending_.load(std::memory_order_relaxed)); });
}

void NativePlatform::WorkItem::cancel_sync() {
  {
    std::unique_lock lock(m_);
    if (stopping_ && !worker_.joinable()) return;
    stopping_ = true;
    wake_.notify_one();
    idle_.notify_all();
  }
  if (worker_.joinable()) worker_.join();
}

void NativePlatform::WorkItem::worker_loop() {
  std::unique_lock lock(m_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || pending_.load(std::memory_order_relaxed); });
    if (stopping_) break;
    if (!pending_.exchange(false, std::memory_order_acquire)) continue;
    running_ = true;
    lock.unlock();
    work_();
    lock.lock();
    running_ = false;
    ++completed_runs_;
    idle_.notify_all();
  }
  running_ = false;
  idle_.notify_all();
}

}  // namespace dfrace
