// Self-test of RelacyPlatform's mapping (docs/semantics.md §1), independent of the pool: small Relacy tests whose
// outcome is known, each run with full search. A platform that misses a race, invents one, or loses the
// use-after-free / workqueue ordering fails here before it can mislead a verdict.
#include "platform/relacy_include.hpp"  // first: see its header comment

#include <cstdio>
#include <sstream>

#include "litmus/rmw_litmus.hpp"
#include "platform/relacy_platform.hpp"

namespace {

using dfrace::Access;
using dfrace::relacy::RelacyPlatform;
template <class T>
using Shared = RelacyPlatform::Shared<T>;
constexpr std::size_t kA = 0, kB = 7;  // any two site indices: they only name the accesses

// Two threads: thread 0 writes `data` then publishes `flag`; thread 1 reads `flag` then `data` if set.
template <Access kDataStore, Access kFlagStore, Access kFlagLoad, Access kDataLoad, rl::test_result_e kExpected>
struct MessagePassing : rl::test_suite<MessagePassing<kDataStore, kFlagStore, kFlagLoad, kDataLoad, kExpected>, 2,
                                       kExpected> {
  Shared<int>* data = nullptr;
  Shared<int>* flag = nullptr;
  void before() {
    data = new Shared<int>(0);
    flag = new Shared<int>(0);
  }
  void thread(unsigned i) {
    if (i == 0) {
      data->store<kDataStore, kA>(1);
      flag->store<kFlagStore, kB>(1);
    } else if (flag->load<kFlagLoad, kB>() == 1) {
      RL_ASSERT((data->load<kDataLoad, kA>() == 1));
    }
  }
  void after() {
    delete data;
    delete flag;
  }
};

// A plain load racing a WRITE_ONCE of the same location (count is read plainly and written marked in recipes).
template <Access kLoad, Access kStore, rl::test_result_e kExpected>
struct MixedAccess : rl::test_suite<MixedAccess<kLoad, kStore, kExpected>, 2, kExpected> {
  Shared<int>* x = nullptr;
  void before() { x = new Shared<int>(0); }
  void thread(unsigned i) {
    if (i == 0) x->store<kStore, kA>(1);
    else (void)x->load<kLoad, kB>();
  }
  void after() { delete x; }
};

// A slot written after its buffer was kvfree'd.
struct WriteAfterFree : rl::test_suite<WriteAfterFree, 2, rl::test_result_access_to_freed_memory> {
  RelacyPlatform* p = nullptr;
  void before() { p = new RelacyPlatform(RelacyPlatform::Options{}); }
  void thread(unsigned i) {
    if (i != 0) return;
    RelacyPlatform::Buffer* b = p->allocate_buffer(1, false);
    p->free_buffer(b);
    RelacyPlatform::slot(b, 0).store<Access::kOnce, kA>(1);
  }
  void after() { delete p; }
};

// queue_work orders the queuer's plain store before the work (a successful queue is a release).
template <bool kQueueTwice, rl::test_result_e kExpected>
struct QueueOrders : rl::test_suite<QueueOrders<kQueueTwice, kExpected>, 3, kExpected> {
  RelacyPlatform* p = nullptr;
  RelacyPlatform::WorkItem* w = nullptr;
  Shared<int>* data = nullptr;
  unsigned finished = 0;
  void before() {
    p = new RelacyPlatform(RelacyPlatform::Options{});
    data = new Shared<int>(0);
    w = new RelacyPlatform::WorkItem(*p, [this] { (void)data->load<Access::kPlain, kA>(); });
  }
  void thread(unsigned i) {
    if (i == 0) {  // the queuer whose store the work must see
      data->store<Access::kPlain, kA>(1);
      w->queue();
      if (++finished == 2) w->wake_worker();
    } else if (i == 1) {  // a second queuer: if its queue() wins, thread 0's queue() fails and orders nothing
      if (kQueueTwice) w->queue();
      if (++finished == 2) w->wake_worker();
    } else {
      for (;;) {
        if (w->try_run()) continue;
        if (finished == 2) break;
        w->wait_for_work();
      }
    }
  }
  void after() {
    delete w;
    delete data;
    delete p;
  }
};

// A read-modify-write litmus test (tests/litmus/rmw_litmus.hpp, the bodies every platform runs) as a Relacy test.
template <template <class> class Litmus, rl::test_result_e kExpected>
struct RmwLitmus : rl::test_suite<RmwLitmus<Litmus, kExpected>, Litmus<RelacyPlatform>::kThreads, kExpected> {
  Litmus<RelacyPlatform>* test = nullptr;
  void before() { test = new Litmus<RelacyPlatform>(); }
  void thread(unsigned i) {
    const char* failure = test->thread(i);
    RL_ASSERT(failure == nullptr);
  }
  void after() {
    const char* failure = test->after();
    RL_ASSERT(failure == nullptr);
    delete test;
  }
};

namespace lit = dfrace::litmus;
template <class P> using CasCounter = lit::CasCounter<P, 2>;
template <class P> using CasCounterFull = lit::CasCounter<P, 2, true, Access::kMb>;
template <class P> using LoadStoreCounter = lit::CasCounter<P, 2, false>;
template <class P> using ExchangeHandoff = lit::ExchangeHandoff<P, 2>;
template <class P> using LoadStoreHandoff = lit::ExchangeHandoff<P, 2, false>;
template <class P> using MpReleaseXchgAcquireLoad = lit::ExchangeMessagePassing<P, Access::kRelease, Access::kAcquire, false>;
template <class P> using MpFullXchgAcquireXchg = lit::ExchangeMessagePassing<P, Access::kMb, Access::kAcquire, true>;
template <class P> using MpReleaseXchgFullXchg = lit::ExchangeMessagePassing<P, Access::kRelease, Access::kMb, true>;
template <class P> using MpRelaxedXchg = lit::ExchangeMessagePassing<P, Access::kOnce, Access::kAcquire, true>;
template <class P> using MpAcquireOnlyPublish = lit::ExchangeMessagePassing<P, Access::kAcquire, Access::kAcquire, true>;
template <class P> using MpReleaseOnlyRead = lit::ExchangeMessagePassing<P, Access::kMb, Access::kRelease, true>;
template <class P> using ReleaseSequenceByCas = lit::ReleaseSequence<P, true>;
template <class P> using ReleaseSequenceByStore = lit::ReleaseSequence<P, false>;
template <class P> using CasSucceeds = lit::FailedCompareExchange<P, Access::kAcquire, 1>;
template <class P> using CasFails = lit::FailedCompareExchange<P, Access::kAcquire, 0>;
template <class P> using FullCasFails = lit::FailedCompareExchange<P, Access::kMb, 0>;

template <class P> using SbFullXchg = lit::ExchangeStoreBuffering<P, Access::kMb>;
template <class P> using SbReleaseXchg = lit::ExchangeStoreBuffering<P, Access::kRelease>;

int failures = 0;

// Relacy's report goes nowhere: an std::ostringstream would grow on Relacy's heap, gone after the run.
struct NullBuf : std::streambuf {
  int_type overflow(int_type c) override { return traits_type::not_eof(c); }
};

template <class Test>
void expect(const char* what) {
  NullBuf null_buf;
  std::ostream sink(&null_buf);
  rl::test_params params;
  params.search_type = rl::sched_full;
  params.output_stream = &sink;
  params.progress_stream = &sink;
  const bool ok = rl::simulate<Test>(params);
  std::printf("%s %s (%s)\n", ok ? "ok  " : "FAIL", what, rl::test_result_str(params.test_result));
  failures += ok ? 0 : 1;
}

}  // namespace

int main() {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  using enum Access;
  expect<MessagePassing<kPlain, kRelease, kAcquire, kPlain, rl::test_result_success>>(
      "release/acquire orders plain data");
  expect<MessagePassing<kPlain, kOnce, kAcquire, kPlain, rl::test_result_data_race>>(
      "WRITE_ONCE publish: the plain data races");
  expect<MessagePassing<kPlain, kRelease, kOnce, kPlain, rl::test_result_data_race>>(
      "READ_ONCE of the flag: the plain data races");
  expect<MessagePassing<kOnce, kOnce, kOnce, kOnce, rl::test_result_user_assert_failed>>(
      "all relaxed: no race, but the stale read is seen");
  expect<MixedAccess<kPlain, kOnce, rl::test_result_data_race>>("plain load vs WRITE_ONCE is a race");
  expect<MixedAccess<kOnce, kPlain, rl::test_result_data_race>>("READ_ONCE vs plain store is a race");
  expect<MixedAccess<kOnce, kOnce, rl::test_result_success>>("READ_ONCE vs WRITE_ONCE is not a race");
  expect<WriteAfterFree>("a slot store after kvfree is a use after free");
  expect<QueueOrders<false, rl::test_result_success>>("a successful queue_work orders the queuer's store");
  expect<QueueOrders<true, rl::test_result_data_race>>("a failed queue_work orders nothing");
  expect<RmwLitmus<CasCounter, rl::test_result_success>>("relaxed cmpxchg loop: no increment lost");
  expect<RmwLitmus<CasCounterFull, rl::test_result_success>>("fully ordered cmpxchg loop: no increment lost");
  expect<RmwLitmus<LoadStoreCounter, rl::test_result_user_assert_failed>>("load then store loses an increment");
  expect<RmwLitmus<ExchangeHandoff, rl::test_result_success>>("xchg hands every value off once");
  expect<RmwLitmus<LoadStoreHandoff, rl::test_result_user_assert_failed>>("load then store hands a value off twice");
  expect<RmwLitmus<MpReleaseXchgAcquireLoad, rl::test_result_success>>("xchg_release publishes to an acquire load");
  expect<RmwLitmus<MpFullXchgAcquireXchg, rl::test_result_success>>("xchg publishes to an xchg_acquire");
  expect<RmwLitmus<MpReleaseXchgFullXchg, rl::test_result_success>>("xchg_release publishes to an xchg");
  expect<RmwLitmus<MpRelaxedXchg, rl::test_result_data_race>>("xchg_relaxed publish: the plain data races");
  expect<RmwLitmus<MpAcquireOnlyPublish, rl::test_result_data_race>>("xchg_acquire publish: the plain data races");
  expect<RmwLitmus<MpReleaseOnlyRead, rl::test_result_data_race>>("xchg_release read: the plain data races");
  expect<RmwLitmus<ReleaseSequenceByCas, rl::test_result_success>>("cmpxchg_relaxed continues a release sequence");
  expect<RmwLitmus<ReleaseSequenceByStore, rl::test_result_data_race>>("a relaxed store ends a release sequence");
  expect<RmwLitmus<CasSucceeds, rl::test_result_success>>("a successful cmpxchg_acquire orders the data");
  expect<RmwLitmus<CasFails, rl::test_result_data_race>>("a failed cmpxchg_acquire orders nothing");
  expect<RmwLitmus<FullCasFails, rl::test_result_data_race>>("a failed fully ordered cmpxchg orders nothing");
  expect<RmwLitmus<SbFullXchg, rl::test_result_success>>("xchg is a full barrier: store buffering forbidden");
  expect<RmwLitmus<SbReleaseXchg, rl::test_result_user_assert_failed>>("xchg_release is not: both loads miss");
  std::printf("%d failure(s)\n", failures);
  return failures == 0 ? 0 : 1;
}
