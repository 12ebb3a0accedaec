// What ThreadSanitizer says about the read-modify-writes of the platforms that run on real threads: NativePlatform
// (`native`) and the weak-memory emulation (`weak`, which tells TSan its orderings itself, release sequences
// included). Built in the tsan preset only; ctest checks the exit status: 66 is TSan's "reported a race", 0 clean.
// Each case runs once, and the reader waits for the flag, so whether the reader reads the data does not depend on
// timing: only the ordering decides the report. Usage: dfrace_tsan_rmw_race CASE native|weak
//
//   relaxed_xchg_publish   data; xchg_relaxed(flag, 1)      | wait acquire flag == 1; data     -> race
//   release_xchg_publish   data; xchg_release(flag, 1)      | wait acquire flag == 1; data     -> clean
//   full_xchg_publish      data; xchg(flag, 1)              | wait xchg_acquire(flag, 0) == 1  -> clean
//   failed_cmpxchg         data; store_release(flag, 1)     | wait until cmpxchg_acquire(flag, 0, 2) fails on 1;
//                                                             data                              -> race
//   release_sequence       data; store_release(flag, 1)     | wait until cmpxchg_relaxed(flag, 1, 2); acquire
//                                                             flag == 2; data                   -> clean
#include <cstdio>
#include <cstring>
#include <memory>
#include <thread>

#include "platform/native/native_platform.hpp"
#include "platform/weak/weak_platform.hpp"

namespace {

using dfrace::Access;

template <class P>
struct Cells {
  typename P::template Shared<int> data{0};
  typename P::template Shared<int> flag{0};
};

// Out of line, on heap cells: the plain accesses must happen where the program says, for TSan to judge them.
template <class P>
[[gnu::noinline]] void write_data(Cells<P>& c) {
  c.data.template store<Access::kPlain, 0>(1);
}
template <class P>
[[gnu::noinline]] int read_data(Cells<P>& c) {
  return c.data.template load<Access::kPlain, 1>();
}

// How the writer publishes the data it wrote.
template <class P, Access kOrder>
void publish_by_exchange(Cells<P>& c) {
  (void)c.flag.template exchange<kOrder, 2>(1);
}
template <class P>
void publish_by_store_release(Cells<P>& c) {
  c.flag.template store<Access::kRelease, 2>(1);
}

// How the reader waits before it reads the data: false when what it read contradicts the case.
template <class P>
bool wait_by_acquire_load(Cells<P>& c) {
  while (c.flag.template load<Access::kAcquire, 3>() != 1) {
  }
  return true;
}
template <class P>
bool wait_by_exchange_acquire(Cells<P>& c) {  // an exchanging reader: xchg_acquire
  while (c.flag.template exchange<Access::kAcquire, 3>(0) != 1) {
  }
  return true;
}
template <class P>
bool wait_for_failed_cmpxchg(Cells<P>& c) {
  for (;;) {
    int expected = 0;
    if (!c.flag.template compare_exchange<Access::kAcquire, 3>(expected, 2) && expected == 1) return true;
  }
}
// The reader passes the flag on itself, so it reads the writer's 1 only through its relaxed compare-exchange
// (an acquire that read the 1, or a pile of relaxed reads of it, would order it with the writer directly); then
// its acquire load reads its own 2, which orders the data only through the release sequence.
template <class P>
bool wait_through_release_sequence(Cells<P>& c) {
  for (;;) {
    int expected = 1;
    if (c.flag.template compare_exchange<Access::kOnce, 4>(expected, 2)) break;
  }
  return c.flag.template load<Access::kAcquire, 3>() == 2;
}

// One case: the writer writes the data and publishes it, the reader waits and reads it. 0 when the reader saw the
// data; whether TSan reports the reader's read is the case's answer.
template <class P>
struct Case {
  const char* name;
  void (*publish)(Cells<P>&);
  bool (*wait)(Cells<P>&);
};

template <class P>
constexpr Case<P> kCases[] = {
    {"relaxed_xchg_publish", publish_by_exchange<P, Access::kOnce>, wait_by_acquire_load<P>},
    {"release_xchg_publish", publish_by_exchange<P, Access::kRelease>, wait_by_acquire_load<P>},
    {"full_xchg_publish", publish_by_exchange<P, Access::kMb>, wait_by_exchange_acquire<P>},
    {"failed_cmpxchg", publish_by_store_release<P>, wait_for_failed_cmpxchg<P>},
    {"release_sequence", publish_by_store_release<P>, wait_through_release_sequence<P>},
};

template <class P>
int run(const Case<P>& race) {
  [[maybe_unused]] P platform;  // the weak platform starts a fresh emulation domain
  auto cells = std::make_unique<Cells<P>>();
  Cells<P>& c = *cells;
  std::thread writer([&] {
    write_data(c);
    race.publish(c);
  });
  const bool waited = race.wait(c);
  const int seen = waited ? read_data(c) : 0;
  writer.join();
  return seen == 1 ? 0 : 1;
}

template <class P>
int run_case(const char* name) {
  for (const Case<P>& race : kCases<P>) {
    if (std::strcmp(name, race.name) == 0) return run(race);
  }
  std::fprintf(stderr, "tsan_rmw_race: unknown case '%s'\n", name);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  const char* c = argc > 1 ? argv[1] : "";
  const char* platform = argc > 2 ? argv[2] : "";
  if (std::strcmp(platform, "native") == 0) return run_case<dfrace::NativePlatform>(c);
  if (std::strcmp(platform, "weak") == 0) return run_case<dfrace::WeakPlatform<>>(c);
  std::fprintf(stderr, "tsan_rmw_race: unknown platform '%s' (native or weak)\n", platform);
  return 2;
}
