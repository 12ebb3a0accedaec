// The free calls the benchmark times, each a callable `void(Handle)` for one producer thread.
//
// - FloorAppend: the least any deferred free can cost, a bare per-thread array append with a count store (plain
//   slot write, plain count store; wraps to 0 when full so it never leaves its array).
// - PoolEnqueue: a registered protocol's real pool's enqueue(cpu, h), with the user-space CPU binding
//   (a std::mutex standing in for get_cpu_ptr/put_cpu_ptr).
// - PoolEnqueueBound: enqueue_on_bound_cpu(cpu, h), the kernel-equivalent hot path. Legal only because the
//   producer owns `cpu` for the whole run: no other thread enqueues on it and flush() is never called meanwhile.
// - SyncFree: ZsBackend::zs_free(h), the synchronous free under the backend lock (what the overflow path does).
// Nothing is re-typed: each path calls the code that ships.
#pragma once

#include <cstddef>
#include <vector>

#include "backend/zs_backend.hpp"
#include "platform/platform.hpp"

namespace dfrace::bench {

class FloorAppend {
 public:
  explicit FloorAppend(std::size_t size) : slots_(size) {}
  void operator()(Handle h) {
    std::size_t count = count_;
    if (count == slots_.size()) count = 0;  // stands in for the drain's swap: never out of bounds
    slots_[count] = h;
    count_ = count + 1;
  }

 private:
  std::vector<Handle> slots_;
  std::size_t count_ = 0;
};

template <class Pool>
struct PoolEnqueue {
  Pool& pool;
  unsigned cpu;
  void operator()(Handle h) { pool.enqueue(cpu, h); }
};

template <class Pool>
struct PoolEnqueueBound {
  Pool& pool;
  unsigned cpu;
  void operator()(Handle h) { pool.enqueue_on_bound_cpu(cpu, h); }
};

template <class Backend>
struct SyncFree {
  Backend& backend;
  void operator()(Handle h) { backend.zs_free(h); }
};

}  // namespace dfrace::bench
