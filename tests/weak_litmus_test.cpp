// Litmus tests of the weak-memory emulation (src/platform/weak): on real threads, the outcomes the C++ memory
// model forbids never appear, and the ones it allows and x86 hides do appear.
//
// Method: two real threads run the two sides of a litmus test step by step, in a random interleaving chosen per
// iteration (a turn counter the emulation cannot see, so to the emulation the two sides are fully concurrent).
// Every iteration uses fresh locations. Each test counts outcomes over a bounded number of iterations and compares
// the set that came out with the known answer of the memory model for that litmus test (forbidden ones never,
// each allowed one at least once); nothing depends on timing.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "platform/weak/weak_platform.hpp"

namespace dfrace {
namespace {

using P = WeakPlatform<>;
using Loc = P::Shared<std::uint64_t>;
using Step = std::function<void()>;
using Outcome = std::pair<std::uint64_t, std::uint64_t>;

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
constexpr int kIterations = 2000;  // sanitizers make every hand-over slow
#else
constexpr int kIterations = 5000;
#endif

// Runs `thread0` and `thread1` (lists of steps) on two threads, interleaved in a random order chosen by `order`.
class Interleaver {
 public:
  Interleaver() : workers_{std::thread([this] { loop(0); }), std::thread([this] { loop(1); })} {}
  ~Interleaver() {
    stop_.store(true);
    for (auto& t : workers_) t.join();
  }

  void run(const std::vector<Step>& thread0, const std::vector<Step>& thread1, std::mt19937_64& rng) {
    // A random merge of the two step lists: the schedule is a list of thread ids.
    std::vector<int> schedule;
    std::size_t a = 0, b = 0;
    while (a < thread0.size() || b < thread1.size()) {
      const bool first = b == thread1.size() || (a < thread0.size() && rng() % 2 == 0);
      schedule.push_back(first ? 0 : 1);
      (first ? a : b)++;
    }
    steps_[0] = &thread0;
    steps_[1] = &thread1;
    schedule_ = &schedule;
    next_[0] = next_[1] = 0;
    turn_.store(0);
    generation_.fetch_add(1);
    while (done_.load() != 2) std::this_thread::yield();
    done_.store(0);
  }

 private:
  void loop(int self) {
    std::uint64_t seen_generation = 0;
    while (!stop_.load()) {
      if (generation_.load() == seen_generation) {
        std::this_thread::yield();
        continue;
      }
      seen_generation = generation_.load();
      for (;;) {
        const std::size_t t = turn_.load();
        if (t == schedule_->size()) break;
        if ((*schedule_)[t] != self) {
          std::this_thread::yield();
          continue;
        }
        (*steps_[self])[next_[self]++]();
        turn_.store(t + 1);
      }
      done_.fetch_add(1);
    }
  }

  const std::vector<Step>* steps_[2] = {};
  const std::vector<int>* schedule_ = nullptr;
  std::size_t next_[2] = {};
  std::atomic<std::size_t> turn_{0};
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<int> done_{0};
  std::atomic<bool> stop_{false};
  std::array<std::thread, 2> workers_;
};

class WeakLitmus : public ::testing::Test {
 protected:
  void SetUp() override {
    weak::WeakMemory::configure({.stale_probability = 0.5, .seed = 7});
    weak::WeakMemory::begin_domain();
  }

  // Runs a two-location litmus test kIterations times; returns how often each (r0, r1) came out.
  template <class Body>
  std::map<Outcome, int> outcomes(Body body) {
    std::map<Outcome, int> seen;
    std::mt19937_64 rng(11);
    Interleaver threads;
    for (int i = 0; i < kIterations; ++i) {
      Loc x(0), y(0);
      std::uint64_t r0 = 0, r1 = 0;
      auto [t0, t1] = body(x, y, r0, r1);
      threads.run(t0, t1, rng);
      ++seen[{r0, r1}];
    }
    return seen;
  }
};

constexpr std::size_t kSite = 0;  // litmus accesses are no pool site; any index will do
template <Access A>
std::uint64_t ld(Loc& l) { return l.load<A, kSite>(); }
template <Access A>
void st(Loc& l, std::uint64_t v) { l.store<A, kSite>(v); }

constexpr auto kOnce = Access::kOnce;

// The outcomes that came out at least once.
std::set<Outcome> observed(const std::map<Outcome, int>& seen) {
  std::set<Outcome> out;
  for (const auto& [outcome, count] : seen) {
    if (count > 0) out.insert(outcome);
  }
  return out;
}

TEST_F(WeakLitmus, MessagePassingRelaxedShowsTheStaleData) {
  // data = x, flag = y. Writer: WRITE_ONCE(x, 1); WRITE_ONCE(y, 1). Reader: r0 = READ_ONCE(y); r1 = READ_ONCE(x).
  auto seen = outcomes([](Loc& x, Loc& y, std::uint64_t& r0, std::uint64_t& r1) {
    return std::pair{std::vector<Step>{[&] { st<kOnce>(x, 1); }, [&] { st<kOnce>(y, 1); }},
                     std::vector<Step>{[&] { r0 = ld<kOnce>(y); }, [&] { r1 = ld<kOnce>(x); }}};
  });
  EXPECT_GT((seen[{1, 0}]), 0) << "flag seen, data not: allowed without release/acquire, and never on x86";
  EXPECT_EQ(observed(seen), (std::set<Outcome>{{0, 0}, {0, 1}, {1, 0}, {1, 1}})) << "every outcome is allowed";
}

TEST_F(WeakLitmus, MessagePassingReleaseAcquireNeverShowsStaleData) {
  auto seen = outcomes([](Loc& x, Loc& y, std::uint64_t& r0, std::uint64_t& r1) {
    return std::pair{std::vector<Step>{[&] { st<kOnce>(x, 1); }, [&] { st<Access::kRelease>(y, 1); }},
                     std::vector<Step>{[&] { r0 = ld<Access::kAcquire>(y); }, [&] { r1 = ld<kOnce>(x); }}};
  });
  EXPECT_EQ((seen[{1, 0}]), 0) << "forbidden: the acquire read the release, so the data must be visible";
  EXPECT_EQ(observed(seen), (std::set<Outcome>{{0, 0}, {0, 1}, {1, 1}})) << "exactly the allowed outcomes";
}

TEST_F(WeakLitmus, MessagePassingWithWmbRmbNeverShowsStaleData) {
  P p;
  auto seen = outcomes([&p](Loc& x, Loc& y, std::uint64_t& r0, std::uint64_t& r1) {
    return std::pair{
        std::vector<Step>{[&] { st<kOnce>(x, 1); }, [&] { p.fence<Access::kWmb, kSite>(&y); },
                          [&] { st<kOnce>(y, 1); }},
        std::vector<Step>{[&] { r0 = ld<kOnce>(y); }, [&] { p.fence<Access::kRmb, kSite>(&y); },
                          [&] { r1 = ld<kOnce>(x); }}};
  });
  EXPECT_EQ((seen[{1, 0}]), 0) << "forbidden: smp_wmb / smp_rmb order the pair";
  EXPECT_EQ(observed(seen), (std::set<Outcome>{{0, 0}, {0, 1}, {1, 1}})) << "exactly the allowed outcomes";
}

TEST_F(WeakLitmus, MessagePassingWithOnlyTheWmbShowsStaleData) {
  P p;  // the reader's smp_rmb is missing: its second load may still be stale
  auto seen = outcomes([&p](Loc& x, Loc& y, std::uint64_t& r0, std::uint64_t& r1) {
    return std::pair{
        std::vector<Step>{[&] { st<kOnce>(x, 1); }, [&] { p.fence<Access::kWmb, kSite>(&y); },
                          [&] { st<kOnce>(y, 1); }},
        std::vector<Step>{[&] { r0 = ld<kOnce>(y); }, [&] { r1 = ld<kOnce>(x); }}};
  });
  EXPECT_GT((seen[{1, 0}]), 0);
  EXPECT_EQ(observed(seen), (std::set<Outcome>{{0, 0}, {0, 1}, {1, 0}, {1, 1}}));
}

TEST_F(WeakLitmus, StoreBufferingWithoutMbShowsBothZero) {
  // Thread 0: WRITE_ONCE(x, 1); r0 = READ_ONCE(y). Thread 1: WRITE_ONCE(y, 1); r1 = READ_ONCE(x).
  auto seen = outcomes([](Loc& x, Loc& y, std::uint64_t& r0, std::uint64_t& r1) {
    return std::pair{std::vector<Step>{[&] { st<kOnce>(x, 1); }, [&] { r0 = ld<kOnce>(y); }},
                     std::vector<Step>{[&] { st<kOnce>(y, 1); }, [&] { r1 = ld<kOnce>(x); }}};
  });
  EXPECT_GT((seen[{0, 0}]), 0) << "both stores still in the store buffers: allowed (and seen on x86 too)";
  EXPECT_EQ(observed(seen), (std::set<Outcome>{{0, 0}, {0, 1}, {1, 0}, {1, 1}}));
}

TEST_F(WeakLitmus, StoreBufferingWithMbNeverShowsBothZero) {
  P p;
  auto seen = outcomes([&p](Loc& x, Loc& y, std::uint64_t& r0, std::uint64_t& r1) {
    return std::pair{
        std::vector<Step>{[&] { st<kOnce>(x, 1); }, [&] { p.fence<Access::kMb, kSite>(&x); },
                          [&] { r0 = ld<kOnce>(y); }},
        std::vector<Step>{[&] { st<kOnce>(y, 1); }, [&] { p.fence<Access::kMb, kSite>(&y); },
                          [&] { r1 = ld<kOnce>(x); }}};
  });
  EXPECT_EQ((seen[{0, 0}]), 0) << "forbidden: smp_mb on both sides";
  EXPECT_EQ(observed(seen), (std::set<Outcome>{{0, 1}, {1, 0}, {1, 1}})) << "exactly the allowed outcomes";
}

TEST_F(WeakLitmus, CoherenceOfReadsNeverGoesBackwards) {
  // CoRR: Thread 0: x = 1; x = 2. Thread 1: r0 = x; r1 = x. Once 2 is read, 1 (or 0) can no longer be.
  auto seen = outcomes([](Loc& x, Loc&, std::uint64_t& r0, std::uint64_t& r1) {
    return std::pair{std::vector<Step>{[&] { st<kOnce>(x, 1); }, [&] { st<kOnce>(x, 2); }},
                     std::vector<Step>{[&] { r0 = ld<kOnce>(x); }, [&] { r1 = ld<kOnce>(x); }}};
  });
  for (const auto& [outcome, count] : seen) {
    EXPECT_FALSE(outcome.first > outcome.second && count > 0)
        << "forbidden: read " << outcome.first << " then " << outcome.second;
  }
  // Allowed: any pair that does not go backwards in the order 0, 1, 2; all of them come out.
  EXPECT_EQ(observed(seen), (std::set<Outcome>{{0, 0}, {0, 1}, {0, 2}, {1, 1}, {1, 2}, {2, 2}}));
}

TEST_F(WeakLitmus, OwnStoreIsVisibleAtOnce) {
  // CoWR: Thread 0: x = 1; r0 = x. Thread 1: x = 2. r0 is 1 or 2 (if 2 came later in coherence), never 0.
  auto seen = outcomes([](Loc& x, Loc&, std::uint64_t& r0, std::uint64_t& r1) {
    r1 = 0;
    return std::pair{std::vector<Step>{[&] { st<kOnce>(x, 1); }, [&] { r0 = ld<kOnce>(x); }},
                     std::vector<Step>{[&] { st<kOnce>(x, 2); }}};
  });
  EXPECT_EQ((seen[{0, 0}]), 0) << "forbidden: a thread's own store is visible to it at once";
  EXPECT_EQ(observed(seen), (std::set<Outcome>{{1, 0}, {2, 0}})) << "its own 1, or the other's later 2";
}

TEST_F(WeakLitmus, UnlockThenLockOrders) {
  // Thread 0: lock; x = 1; y = 1; unlock. Thread 1: lock; r0 = y; r1 = x; unlock. Each side is one step.
  P::Mutex m;
  auto seen = outcomes([&m](Loc& x, Loc& y, std::uint64_t& r0, std::uint64_t& r1) {
    return std::pair{std::vector<Step>{[&] {
                       std::lock_guard g(m);
                       st<Access::kPlain>(x, 1);
                       st<Access::kPlain>(y, 1);
                     }},
                     std::vector<Step>{[&] {
                       std::lock_guard g(m);
                       r0 = ld<Access::kPlain>(y);
                       r1 = ld<Access::kPlain>(x);
                     }}};
  });
  EXPECT_EQ((seen[{1, 0}]) + (seen[{0, 1}]), 0) << "forbidden: the lock orders both stores before both loads";
  EXPECT_EQ(observed(seen), (std::set<Outcome>{{0, 0}, {1, 1}}));
}

TEST_F(WeakLitmus, QueuedWorkSeesWhatWasStoredBeforeQueueing) {
  // A successful queue() releases; the run it queued acquires: the work must see x = 1.
  P p;
  int runs = 0, stale = 0;
  for (int i = 0; i < kIterations / 10; ++i) {
    weak::WeakMemory::begin_domain();  // two new threads per iteration: a fresh set of clocks
    Loc x(0);
    P::WorkItem work(p, [&] {
      ++runs;
      if (x.load<kOnce, kSite>() != 1) ++stale;
    });
    std::thread producer([&] {
      x.store<kOnce, kSite>(1);
      work.queue();
    });
    producer.join();
    work.flush();
  }
  EXPECT_EQ(runs, kIterations / 10);
  EXPECT_EQ(stale, 0);
}

// --- read-modify-writes (exchange, compare-exchange): never stale, atomic, and ordering as C++20 says ---

template <Access A>
std::uint64_t xchg(Loc& l, std::uint64_t v) { return l.exchange<A, kSite>(v); }
template <Access A>
std::uint64_t cmpxchg(Loc& l, std::uint64_t expected, std::uint64_t desired) {  // returns the value it read
  l.compare_exchange<A, kSite>(expected, desired);
  return expected;
}
template <Access A>
std::uint64_t increment(Loc& l) {  // a compare-exchange loop, as a kernel atomic_inc_return would be; the new value
  std::uint64_t seen = ld<kOnce>(l);
  while (!l.compare_exchange<A, kSite>(seen, seen + 1)) {
  }
  return seen + 1;
}

TEST_F(WeakLitmus, CompareExchangeLoopLosesNoIncrement) {
  // Three increments per thread, one step each; r0, r1: the last value each thread stored. One of them is 6.
  auto seen = outcomes([](Loc& x, Loc&, std::uint64_t& r0, std::uint64_t& r1) {
    auto inc0 = [&] { r0 = increment<kOnce>(x); };
    auto inc1 = [&] { r1 = increment<kOnce>(x); };
    return std::pair{std::vector<Step>{inc0, inc0, inc0}, std::vector<Step>{inc1, inc1, inc1}};
  });
  for (const auto& [outcome, count] : seen) EXPECT_EQ(std::max(outcome.first, outcome.second), 6u) << count;
}

TEST_F(WeakLitmus, LoadThenStoreLosesIncrements) {
  // The same with a READ_ONCE and a WRITE_ONCE: even one step at a time, a stale read loses an increment.
  auto seen = outcomes([](Loc& x, Loc&, std::uint64_t& r0, std::uint64_t& r1) {
    auto inc = [&x](std::uint64_t& r) { return [&x, &r] { r = ld<kOnce>(x) + 1; st<kOnce>(x, r); }; };
    return std::pair{std::vector<Step>{inc(r0), inc(r0), inc(r0)}, std::vector<Step>{inc(r1), inc(r1), inc(r1)}};
  });
  bool lost = false;
  for (const auto& [outcome, count] : seen) lost |= std::max(outcome.first, outcome.second) < 6;
  EXPECT_TRUE(lost) << "the emulation returns stale values to plain loads, so the broken twin must lose updates";
}

TEST_F(WeakLitmus, ExchangeReadsTheNewestValue) {
  // Thread 0: WRITE_ONCE(x, 1); WRITE_ONCE(x, 2); r0 = READ_ONCE(x). Thread 1: r1 = xchg_relaxed(x, 3).
  // r0 == 3 puts the exchange after the 2 in x's modification order, and a read-modify-write reads the store just
  // before its own: r1 is then 2. A stale exchange (1 or 0 there) would also lose a store.
  auto seen = outcomes([](Loc& x, Loc&, std::uint64_t& r0, std::uint64_t& r1) {
    return std::pair{std::vector<Step>{[&] { st<kOnce>(x, 1); }, [&] { st<kOnce>(x, 2); }, [&] { r0 = ld<kOnce>(x); }},
                     std::vector<Step>{[&] { r1 = xchg<kOnce>(x, 3); }}};
  });
  EXPECT_EQ((seen[{3, 0}]) + (seen[{3, 1}]), 0) << "forbidden: the exchange read a stale value";
  EXPECT_GT((seen[{3, 2}]), 0);
}

TEST_F(WeakLitmus, FullExchangeIsAFullBarrier) {
  // Store buffering through xchg: with the fully ordered form one load sees the other thread's store.
  auto seen = outcomes([](Loc& x, Loc& y, std::uint64_t& r0, std::uint64_t& r1) {
    return std::pair{std::vector<Step>{[&] { xchg<Access::kMb>(x, 1); }, [&] { r0 = ld<kOnce>(y); }},
                     std::vector<Step>{[&] { xchg<Access::kMb>(y, 1); }, [&] { r1 = ld<kOnce>(x); }}};
  });
  EXPECT_EQ((seen[{0, 0}]), 0) << "forbidden: xchg is smp_mb on each side";
  EXPECT_EQ(observed(seen), (std::set<Outcome>{{0, 1}, {1, 0}, {1, 1}}));
}

TEST_F(WeakLitmus, ReleaseExchangeIsNoFullBarrier) {
  auto seen = outcomes([](Loc& x, Loc& y, std::uint64_t& r0, std::uint64_t& r1) {
    return std::pair{std::vector<Step>{[&] { xchg<Access::kRelease>(x, 1); }, [&] { r0 = ld<kOnce>(y); }},
                     std::vector<Step>{[&] { xchg<Access::kRelease>(y, 1); }, [&] { r1 = ld<kOnce>(x); }}};
  });
  EXPECT_GT((seen[{0, 0}]), 0) << "xchg_release orders nothing after it";
}

TEST_F(WeakLitmus, ReleaseExchangePublishesToAnAcquire) {
  auto seen = outcomes([](Loc& x, Loc& y, std::uint64_t& r0, std::uint64_t& r1) {
    return std::pair{std::vector<Step>{[&] { st<kOnce>(x, 1); }, [&] { xchg<Access::kRelease>(y, 1); }},
                     std::vector<Step>{[&] { r0 = ld<Access::kAcquire>(y); }, [&] { r1 = ld<kOnce>(x); }}};
  });
  EXPECT_EQ((seen[{1, 0}]), 0) << "forbidden: the acquire read the release exchange";
  EXPECT_EQ(observed(seen), (std::set<Outcome>{{0, 0}, {0, 1}, {1, 1}}));
}

TEST_F(WeakLitmus, FullExchangePublishesToAnAcquireExchange) {
  auto seen = outcomes([](Loc& x, Loc& y, std::uint64_t& r0, std::uint64_t& r1) {
    return std::pair{std::vector<Step>{[&] { st<kOnce>(x, 1); }, [&] { xchg<Access::kMb>(y, 1); }},
                     std::vector<Step>{[&] { r0 = xchg<Access::kAcquire>(y, 2); }, [&] { r1 = ld<kOnce>(x); }}};
  });
  EXPECT_EQ((seen[{1, 0}]), 0) << "forbidden: xchg_acquire read the fully ordered xchg";
  EXPECT_EQ(observed(seen), (std::set<Outcome>{{0, 0}, {0, 1}, {1, 1}}));
}

TEST_F(WeakLitmus, RelaxedExchangePublishShowsStaleData) {
  auto seen = outcomes([](Loc& x, Loc& y, std::uint64_t& r0, std::uint64_t& r1) {
    return std::pair{std::vector<Step>{[&] { st<kOnce>(x, 1); }, [&] { xchg<kOnce>(y, 1); }},
                     std::vector<Step>{[&] { r0 = xchg<Access::kAcquire>(y, 2); }, [&] { r1 = ld<kOnce>(x); }}};
  });
  EXPECT_GT((seen[{1, 0}]), 0) << "xchg_relaxed publishes nothing";
}

TEST_F(WeakLitmus, RelaxedCompareExchangeContinuesTheReleaseSequence) {
  // Thread 0: WRITE_ONCE(x, 1); smp_store_release(y, 1). Thread 1: cmpxchg_relaxed(y, 1, 2); r0 = acquire y;
  // r1 = x. Reading 2 (its own store, in thread 0's release sequence) synchronizes with thread 0: x is 1.
  auto seen = outcomes([](Loc& x, Loc& y, std::uint64_t& r0, std::uint64_t& r1) {
    return std::pair{std::vector<Step>{[&] { st<kOnce>(x, 1); }, [&] { st<Access::kRelease>(y, 1); }},
                     std::vector<Step>{[&] { cmpxchg<kOnce>(y, 1, 2); }, [&] { r0 = ld<Access::kAcquire>(y); },
                                       [&] { r1 = ld<kOnce>(x); }}};
  });
  EXPECT_EQ((seen[{2, 0}]), 0) << "forbidden: the release sequence carries thread 0's release to the 2";
  EXPECT_GT((seen[{2, 1}]), 0);
}

TEST_F(WeakLitmus, RelaxedStoreEndsTheReleaseSequence) {
  // The same with READ_ONCE and WRITE_ONCE instead of the compare-exchange: the 2 carries nothing.
  auto seen = outcomes([](Loc& x, Loc& y, std::uint64_t& r0, std::uint64_t& r1) {
    return std::pair{std::vector<Step>{[&] { st<kOnce>(x, 1); }, [&] { st<Access::kRelease>(y, 1); }},
                     std::vector<Step>{[&] {
                                         if (ld<kOnce>(y) == 1) st<kOnce>(y, 2);
                                       },
                                       [&] { r0 = ld<Access::kAcquire>(y); }, [&] { r1 = ld<kOnce>(x); }}};
  });
  EXPECT_GT((seen[{2, 0}]), 0) << "a relaxed store heads no release sequence";
}

TEST_F(WeakLitmus, FailedCompareExchangeOrdersNothing) {
  // Thread 1: r0 = cmpxchg_acquire(y, 0, 2) (the value read); r1 = x. Failing on 1 is a relaxed load.
  auto seen = outcomes([](Loc& x, Loc& y, std::uint64_t& r0, std::uint64_t& r1) {
    return std::pair{std::vector<Step>{[&] { st<kOnce>(x, 1); }, [&] { st<Access::kRelease>(y, 1); }},
                     std::vector<Step>{[&] { r0 = cmpxchg<Access::kMb>(y, 0, 2); }, [&] { r1 = ld<kOnce>(x); }}};
  });
  EXPECT_GT((seen[{1, 0}]), 0) << "the failed cmpxchg read the release and acquired nothing";
}

TEST_F(WeakLitmus, SuccessfulCompareExchangeAcquires) {
  auto seen = outcomes([](Loc& x, Loc& y, std::uint64_t& r0, std::uint64_t& r1) {
    return std::pair{std::vector<Step>{[&] { st<kOnce>(x, 1); }, [&] { st<Access::kRelease>(y, 1); }},
                     std::vector<Step>{[&] { r0 = cmpxchg<Access::kAcquire>(y, 1, 2); }, [&] { r1 = ld<kOnce>(x); }}};
  });
  EXPECT_EQ((seen[{1, 0}]), 0) << "forbidden: the cmpxchg_acquire that stored read the release";
  EXPECT_GT((seen[{1, 1}]), 0);
}

}  // namespace
}  // namespace dfrace
