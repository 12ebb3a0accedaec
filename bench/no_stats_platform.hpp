// NoStatsPlatform: the native platform with statistics counters that count nothing, i.e. the seed's enqueue,
// which keeps no statistics.
//
// Why: the pool's hot path adds to two statistics counters per enqueue (`enqueued`, `deferred`: single-writer,
// a relaxed load and store each, kept in the CPU's own slot). That is the statistics' cost, not the protocol's;
// the seed's pseudo-code has no counters at all. With this platform the table shows the protocol alone next to
// the pool as shipped.
// Everything else (Shared accesses, buffers, binding, work item) is NativePlatform's, unchanged.
// Contract: `kNoStatistics` tells a rig that the pool's stats() are all zero and must not be read as figures.
#pragma once

#include <cstdint>

#include "platform/native/native_platform.hpp"

namespace dfrace::bench {

class NoStatsPlatform : public NativePlatform {
 public:
  static constexpr bool kNoStatistics = true;
  class Counter {
   public:
    void add(std::uint64_t) {}
    std::uint64_t value() const { return 0; }
  };
};

static_assert(Platform<NoStatsPlatform>);

}  // namespace dfrace::bench
