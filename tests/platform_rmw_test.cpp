// The read-modify-write litmus tests (tests/litmus/rmw_litmus.hpp) on real threads, on the platforms the pool ships
// and stresses on: NativePlatform and ChaosPlatform's base (std::atomic_ref). Natively nothing may be lost and the
// ordered variants must read the published data; under the tsan preset ThreadSanitizer also checks that the ordered
// variants have no data race (the racy twins are the fuzz executor's and Relacy's to catch: on real threads they
// race only sometimes).
#include <gtest/gtest.h>

#include <memory>
#include <thread>
#include <vector>

#include "litmus/rmw_litmus.hpp"
#include "platform/native/native_platform.hpp"

namespace dfrace {
namespace {

using litmus::CasCounter;
using litmus::ExchangeHandoff;
using litmus::ExchangeMessagePassing;
using litmus::ExchangeStoreBuffering;
using litmus::FailedCompareExchange;
using litmus::ReleaseSequence;
using P = NativePlatform;
using enum Access;

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
constexpr int kRounds = 300;
#else
constexpr int kRounds = 3000;
#endif

// Runs the litmus test's threads on real threads once; returns the first failure (a thread's or after()'s).
template <class Litmus>
std::string run_once(Litmus& test) {
  std::vector<const char*> failures(Litmus::kThreads, nullptr);
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < Litmus::kThreads; ++t) threads.emplace_back([&, t] { failures[t] = test.thread(t); });
  for (auto& th : threads) th.join();
  for (const char* f : failures) {
    if (f != nullptr) return f;
  }
  const char* f = test.after();
  return f != nullptr ? f : "";
}

template <class Litmus>
void expect_never_fails(int rounds) {
  for (int i = 0; i < rounds; ++i) {
    auto test = std::make_unique<Litmus>();
    ASSERT_EQ(run_once(*test), "") << "round " << i;
  }
}

TEST(NativeRmw, CompareExchangeLoopLosesNoIncrement) {
  expect_never_fails<CasCounter<P, 100000>>(1);
  expect_never_fails<CasCounter<P, 100000, true, kMb>>(1);
}

TEST(NativeRmw, ExchangeHandsEveryValueOffOnce) {
  expect_never_fails<ExchangeHandoff<P, 20000>>(1);
  expect_never_fails<ExchangeHandoff<P, 20000, true, kRelease>>(1);
}

TEST(NativeRmw, OrderedExchangePublishes) {
  expect_never_fails<ExchangeMessagePassing<P, kRelease, kAcquire, true>>(kRounds);
  expect_never_fails<ExchangeMessagePassing<P, kMb, kAcquire, false>>(kRounds);
  expect_never_fails<ExchangeMessagePassing<P, kMb, kMb, true>>(kRounds);
}

TEST(NativeRmw, FullExchangeIsAFullBarrier) {
  expect_never_fails<ExchangeStoreBuffering<P, kMb>>(kRounds);
}

TEST(NativeRmw, RelaxedCompareExchangeContinuesTheReleaseSequence) {
  expect_never_fails<ReleaseSequence<P>>(kRounds);
}

TEST(NativeRmw, SuccessfulAcquireCompareExchangeOrders) {
  expect_never_fails<FailedCompareExchange<P, kAcquire, 1>>(kRounds);
}

// Shared<T*> is a platform's pointer cell too (a list head): exchange and compare-exchange carry pointers.
TEST(NativeRmw, PointerCells) {
  int a = 0, b = 0;
  P::Shared<int*> head(nullptr);
  EXPECT_EQ((head.exchange<kMb, 0>(&a)), nullptr);
  int* expected = nullptr;
  EXPECT_FALSE((head.compare_exchange<kRelease, 0>(expected, &b)));
  EXPECT_EQ(expected, &a);
  EXPECT_TRUE((head.compare_exchange<kOnce, 0>(expected, &b)));
  EXPECT_EQ((head.load<kAcquire, 0>()), &b);
}

}  // namespace
}  // namespace dfrace
