// Litmus tests of the platform contract's read-modify-writes (exchange, compare_exchange), written once over the
// platform as the pool is (folly's Atom-templated tests): every engine's test runs the same bodies on its platform
// and states what its checker must find (tests/, fuzz/tests/, relacy/tests/).
//
// Contract
// - A litmus test is a struct templated on the platform P: its shared cells are P::Shared, `thread(i)` is the body
//   of thread i (0 <= i < kThreads) and returns nullptr or what it saw go wrong; `after()` runs once every thread
//   has finished (sequentially) and returns the same; `state()` is the observable outcome as one line (the final
//   values and what the threads read), for comparing two searches of the same test.
// - Values a thread records for after() live in host memory, one row per thread: no platform orders or sees them.
// - The sites are this file's (kLitmusSiteNames), so a checker's report names the litmus' own accesses.
// - Each test has a broken twin (a template flag) that the same checker must catch, so no test passes vacuously.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/access.hpp"

namespace dfrace::litmus {

enum LitmusSite : std::size_t {
  kDataStore,
  kDataLoad,
  kFlagPublish,
  kFlagRead,
  kFlagPass,
  kCounterLoad,
  kCounterCas,
  kCounterStore,
  kTokenSwap,
  kTokenLoad,
  kTokenStore,
  kLitmusSites
};
inline constexpr std::array<std::string_view, kLitmusSites> kLitmusSiteNames = {
    "writer.data_store", "reader.data_load",  "writer.flag_publish", "reader.flag_read",
    "passer.flag_pass",  "inc.counter_load",  "inc.counter_cas",     "inc.counter_store",
    "swap.token_xchg",   "swap.token_load",   "swap.token_store"};

using Failure = const char*;

// Atomicity: kThreads threads each add 1 to a counter kIncrements times with a compare-exchange loop (kRmw), or
// with a load and a store (the broken twin: updates get lost). No increment may be lost.
template <class P, unsigned kIncrements, bool kRmw = true, Access kOrder = Access::kOnce>
struct CasCounter {
  static constexpr unsigned kThreads = 2;
  typename P::template Shared<std::size_t> counter{0};

  Failure thread(unsigned) {
    for (unsigned k = 0; k < kIncrements; ++k) {
      std::size_t seen = counter.template load<Access::kOnce, kCounterLoad>();
      if constexpr (kRmw) {
        while (!counter.template compare_exchange<kOrder, kCounterCas>(seen, seen + 1)) {
        }
      } else {
        counter.template store<Access::kOnce, kCounterStore>(seen + 1);
      }
    }
    return nullptr;
  }
  Failure after() {
    return final_count() == std::size_t{kThreads} * kIncrements ? nullptr : "lost update: the counter is short";
  }
  std::size_t final_count() { return counter.template load<Access::kOnce, kCounterLoad>(); }
  std::string state() { return "counter=" + std::to_string(final_count()); }
};

// Hand-off by exchange: each thread swaps its own distinct values into a token kSwaps times and keeps what it got
// back; with the initial value and what is left, every value ever written is then held exactly once (a value
// read twice was handed off twice). The broken twin swaps with a load and a store.
template <class P, unsigned kSwaps, bool kRmw = true, Access kOrder = Access::kOnce>
struct ExchangeHandoff {
  static constexpr unsigned kThreads = 2;
  static constexpr std::uint64_t kInitial = 1;
  typename P::template Shared<std::uint64_t> token{kInitial};
  std::uint64_t got[kThreads][kSwaps] = {};

  static std::uint64_t value_of(unsigned thread, unsigned k) { return kInitial + 1 + thread * kSwaps + k; }
  Failure thread(unsigned t) {
    for (unsigned k = 0; k < kSwaps; ++k) {
      if constexpr (kRmw) {
        got[t][k] = token.template exchange<kOrder, kTokenSwap>(value_of(t, k));
      } else {
        got[t][k] = token.template load<Access::kOnce, kTokenLoad>();
        token.template store<Access::kOnce, kTokenStore>(value_of(t, k));
      }
    }
    return nullptr;
  }
  Failure after() {
    constexpr unsigned kValues = 1 + kThreads * kSwaps;
    std::vector<unsigned> held(kValues + 1);  // by value: the initial one is 1, thread t's k-th is value_of(t, k)
    auto hold = [&](std::uint64_t v) { ++held[v <= kValues ? v : 0]; };
    hold(token.template load<Access::kOnce, kTokenLoad>());
    for (const auto& row : got) {
      for (std::uint64_t v : row) hold(v);
    }
    for (unsigned v = 1; v <= kValues; ++v) {
      if (held[v] != 1) return "a value was handed off twice (and another lost)";
    }
    return nullptr;
  }
  std::string state() {
    std::string s = "token=" + std::to_string(token.template load<Access::kOnce, kTokenLoad>()) + " got=";
    for (const auto& row : got) {
      for (std::uint64_t v : row) s += std::to_string(v) + ",";
    }
    return s;
  }
};

// What the publication tests share: plain data published through a flag, and what the reader saw.
template <class P>
struct PublishedData {
  typename P::template Shared<std::uint64_t> data{0};
  typename P::template Shared<std::uint64_t> flag{0};
  std::uint64_t seen_flag = 0, seen_data = 0;

  void write_data() { data.template store<Access::kPlain, kDataStore>(1); }
  void publish_with_release_store() {
    write_data();
    flag.template store<Access::kRelease, kFlagPublish>(1);
  }
  // The reader, once the flag said the data is there.
  Failure read_data() {
    seen_data = data.template load<Access::kPlain, kDataLoad>();
    return seen_data == 1 ? nullptr : "the flag was seen, the data published before it was not";
  }
  std::string seen() const { return "flag=" + std::to_string(seen_flag) + " data=" + std::to_string(seen_data); }
};

// Message passing: thread 0 writes plain data, then publishes a flag with an exchange of order kPublish; thread 1
// reads the flag (an exchange of order kRead, or a load of that order) and, if it is set, the plain data. With a
// release (or fully ordered) publish and an acquire (or fully ordered) read the data is ordered; a relaxed side
// leaves the two data accesses unordered: a data race.
template <class P, Access kPublish, Access kRead, bool kReadByExchange>
struct ExchangeMessagePassing : PublishedData<P> {
  static constexpr unsigned kThreads = 2;

  Failure thread(unsigned t) {
    if (t == 0) {
      this->write_data();
      (void)this->flag.template exchange<kPublish, kFlagPublish>(1);
      return nullptr;
    }
    if constexpr (kReadByExchange) {
      this->seen_flag = this->flag.template exchange<kRead, kFlagRead>(2);
    } else {
      this->seen_flag = this->flag.template load<kRead, kFlagRead>();
    }
    return this->seen_flag == 1 ? this->read_data() : nullptr;
  }
  Failure after() { return nullptr; }
  std::string state() { return this->seen(); }
};

// Release sequence (C++20): thread 0 writes plain data and publishes flag = 1 with a release store; thread 1 moves
// the flag from 1 to 2 with a relaxed compare-exchange; thread 2 reads the flag with an acquire load and, if it is 2,
// the data. The compare-exchange continues thread 0's release sequence, so reading 2 synchronizes with thread 0.
// The broken twin moves the flag with a relaxed load and a relaxed store, which heads no release sequence: a race.
template <class P, bool kPassByRmw = true>
struct ReleaseSequence : PublishedData<P> {
  static constexpr unsigned kThreads = 3;
  bool passed = false;

  Failure thread(unsigned t) {
    if (t == 0) {
      this->publish_with_release_store();
    } else if (t == 1) {
      if constexpr (kPassByRmw) {
        std::uint64_t expected = 1;
        passed = this->flag.template compare_exchange<Access::kOnce, kFlagPass>(expected, 2);
      } else if (this->flag.template load<Access::kOnce, kFlagPass>() == 1) {
        this->flag.template store<Access::kOnce, kFlagPass>(2);
        passed = true;
      }
    } else {
      this->seen_flag = this->flag.template load<Access::kAcquire, kFlagRead>();
      if (this->seen_flag == 2) return this->read_data();
    }
    return nullptr;
  }
  Failure after() { return nullptr; }
  std::string state() { return "passed=" + std::to_string(passed) + " " + this->seen(); }
};

// A failed compare-exchange orders nothing: thread 0 writes plain data and publishes flag = 1 with a release store;
// thread 1 compare-exchanges the flag from kExpected to 2 with order kOrder and reads the data once the flag read 1.
// kExpected = 1: it succeeds on 1 and, acquiring, orders the data. kExpected = 0: it fails on 1, a relaxed load
// whatever kOrder says, and the data read races with thread 0's write.
template <class P, Access kOrder, std::uint64_t kExpected>
struct FailedCompareExchange : PublishedData<P> {
  static constexpr unsigned kThreads = 2;
  bool stored = false;

  Failure thread(unsigned t) {
    if (t == 0) {
      this->publish_with_release_store();
      return nullptr;
    }
    std::uint64_t expected = kExpected;
    stored = this->flag.template compare_exchange<kOrder, kFlagRead>(expected, 2);
    this->seen_flag = expected;
    return this->seen_flag == 1 ? this->read_data() : nullptr;
  }
  Failure after() { return nullptr; }
  std::string state() { return "stored=" + std::to_string(stored) + " " + this->seen(); }
};

// Store buffering through exchanges: thread 0 exchanges x then reads y (READ_ONCE), thread 1 exchanges y then reads
// x. The fully ordered xchg is a full barrier (smp_mb on each side): one of the loads sees the other's store. With
// a release, acquire or relaxed exchange both loads may miss (as on x86 with plain stores).
template <class P, Access kOrder>
struct ExchangeStoreBuffering {
  static constexpr unsigned kThreads = 2;
  typename P::template Shared<std::uint64_t> x{0};
  typename P::template Shared<std::uint64_t> y{0};
  std::uint64_t seen[kThreads] = {};

  Failure thread(unsigned t) {
    auto& mine = t == 0 ? x : y;
    auto& other = t == 0 ? y : x;
    (void)mine.template exchange<kOrder, kFlagPublish>(1);
    seen[t] = other.template load<Access::kOnce, kFlagRead>();
    return nullptr;
  }
  Failure after() {
    return seen[0] == 0 && seen[1] == 0 ? "both loads missed the other thread's exchange" : nullptr;
  }
  std::string state() { return "r0=" + std::to_string(seen[0]) + " r1=" + std::to_string(seen[1]); }
};

}  // namespace dfrace::litmus
