// ModelTrace: host-side bookkeeping of one Relacy run that Relacy itself does not keep.
//
// Contract
// - Everything here is ordinary host memory, outside Relacy's model: reading or writing it adds no happens-before
//   edge, so it can never hide a race. Relacy runs one fiber at a time, so no locking is needed.
// - `current` is the access the platform is performing right now (set before each shadow access): when Relacy
//   stops a run on a data race, it names one side of the race; the Shared cell's own last-access record names the
//   other (see RelacyPlatform::Shared::race_partner).
// - `failure` holds the text of a failure the platform raised itself (invariant, misuse, use after free, NULL
//   buffer), so the verdict can quote it.
// - Observed directions are ORed over every explored execution: "clean" reports what the search actually exercised.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <cstring>

#include "core/verdict.hpp"

namespace dfrace::relacy {

inline constexpr unsigned kMaxModelThreads = 4;
inline constexpr std::size_t kNoSite = static_cast<std::size_t>(-1);

// What a thread of the model is, so the platform can tell a drain from a producer (coverage, race naming).
enum class Role : std::uint8_t { kIdle, kProducer, kWorker, kFlusher };

struct AccessRecord {
  std::size_t site = kNoSite;
  bool store = false;
  bool marked = false;
  unsigned thread = 0;
  std::uint64_t seq = 0;  // host order of accesses, newest wins when several threads conflict
};

// The platform raised this failure (not Relacy's own detectors).
enum class PlatformFailure : std::uint8_t { kNone, kInvariant, kUseAfterFree, kCrash };

struct ModelTrace {
  // per run
  AccessRecord current;
  AccessRecord partner;  // filled when the platform finds the other side of a race
  PlatformFailure failure = PlatformFailure::kNone;
  // Fixed storage, not std::string: anything allocated inside a Relacy run lives on Relacy's heap, which is gone
  // when the run ends, and fail_test keeps the pointer.
  char failure_text[512] = {};
  std::size_t last_site = kNoSite;  // the last site any thread accessed (names the caller of a misused zs_free)
  std::uint64_t seq = 0;
  Role roles[kMaxModelThreads] = {};
  unsigned cpu_of_thread[kMaxModelThreads] = {};
  unsigned drained_buffers = 0;  // buffers the drain kvfree'd in this run
  // per search (ORed over executions): the directions the pool reported (Platform::observed)
  DirectionSet observed = 0;

  void reset_run() {
    current = {};
    partner = {};
    failure = PlatformFailure::kNone;
    failure_text[0] = '\0';
    last_site = kNoSite;
    seq = 0;
    drained_buffers = 0;
  }
};

// The one trace of the search in progress (Relacy runs one search at a time in this process).
ModelTrace& trace();

}  // namespace dfrace::relacy
