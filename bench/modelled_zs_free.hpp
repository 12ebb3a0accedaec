// A MODEL of the real zs_free's cost, for the clearly labelled "sync (modelled)" row only.
//
// The stand-in backend's zs_free is a lock, a byte store and a counter decrement. The kernel's zs_free does far
// more under its locks: pool->lock (read), class->lock, obj_free() writing the free-list link into the object's
// zspage (usually a cache miss on a page nobody touched recently), fix_fullness_group() moving the zspage between
// fullness lists, and for the last object of a zspage free_zspage() returning its pages to the buddy allocator.
// ModelledCostMutex stands for that work as a fixed busy time spent while holding the lock (set once, before any
// thread uses it). It is never used by the pool, whose fallback keeps the unmodelled backend, and the unmodelled
// "sync" row is always reported next to it.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>

#include "tsc_clock.hpp"

namespace dfrace::bench {

inline std::uint64_t g_modelled_ticks = 0;  // written before the measurement starts, then only read

class ModelledCostMutex {
 public:
  void lock() {
    m_.lock();
    const std::uint64_t until = tsc_start() + g_modelled_ticks;
    while (tsc_start() < until) {
    }
  }
  void unlock() { m_.unlock(); }

 private:
  std::mutex m_;
};

}  // namespace dfrace::bench
