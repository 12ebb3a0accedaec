// VectorClock: happens-before bookkeeping for at most kMaxThreads virtual threads (the executor's bound).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>

namespace dfrace::rt {

inline constexpr int kMaxThreads = 8;

struct VectorClock {
  std::array<std::uint32_t, kMaxThreads> c{};

  // Hot (every acquire, lock, release): always inlined, a branch-free loop the compiler can vectorize.
  [[gnu::always_inline]] void join(const VectorClock& o) {
    for (int i = 0; i < kMaxThreads; ++i) c[i] = c[i] < o.c[i] ? o.c[i] : c[i];
  }
  // Did thread `tid`'s event at epoch `e` happen before the point this clock describes?
  [[gnu::always_inline]] bool covers(int tid, std::uint32_t e) const { return e <= c[tid]; }
};

}  // namespace dfrace::rt
