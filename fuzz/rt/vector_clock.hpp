// VectorClock: happens-before bookkeeping for at most kMaxThreads virtual threads (the executor's bound).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>

namespace dfrace::rt {

inline constexpr int kMaxThreads = 8;

struct VectorClock {
  std::array<std::uint32_t, kMaxThreads> c{};

  void join(const VectorClock& o) {
    for (int i = 0; i < kMaxThreads; ++i) c[i] = std::max(c[i], o.c[i]);
  }
  // Did thread `tid`'s event at epoch `e` happen before the point this clock describes?
  bool covers(int tid, std::uint32_t e) const { return e <= c[tid]; }
};

}  // namespace dfrace::rt
