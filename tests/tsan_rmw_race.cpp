// What ThreadSanitizer says about the native platform's read-modify-writes (built in the tsan preset only; ctest
// checks the exit status: 66 is TSan's "reported a race", 0 clean). Each case runs once, and the reader waits for
// the flag, so whether the reader reads the data does not depend on timing: only the ordering decides the report.
//
//   relaxed_xchg_publish   data; xchg_relaxed(flag, 1)      | wait acquire flag == 1; data     -> race
//   release_xchg_publish   data; xchg_release(flag, 1)      | wait acquire flag == 1; data     -> clean
//   full_xchg_publish      data; xchg(flag, 1)              | wait xchg_acquire(flag, 0) == 1  -> clean
//   failed_cmpxchg         data; store_release(flag, 1)     | wait until cmpxchg_acquire(flag, 0, 2) fails on 1;
//                                                             data                              -> race
//   release_sequence       data; store_release(flag, 1)     | wait cmpxchg_relaxed(flag, 1, 2) | wait acquire
//                                                             flag == 2; data                   -> clean
#include <cstdio>
#include <cstring>
#include <memory>
#include <thread>

#include "platform/native/native_platform.hpp"

namespace {

using dfrace::Access;
using P = dfrace::NativePlatform;

struct Cells {
  P::Shared<int> data{0};
  P::Shared<int> flag{0};
};

// Out of line, on heap cells: the plain accesses must happen where the program says, for TSan to judge them.
[[gnu::noinline]] void write_data(Cells& c) { c.data.store<Access::kPlain, 0>(1); }
[[gnu::noinline]] int read_data(Cells& c) { return c.data.load<Access::kPlain, 1>(); }

template <Access kPublish>
int publish_by_exchange() {
  auto cells = std::make_unique<Cells>();
  Cells& c = *cells;
  std::thread writer([&] {
    write_data(c);
    (void)c.flag.exchange<kPublish, 2>(1);
  });
  int seen = 0;
  if constexpr (kPublish == Access::kMb) {
    while (c.flag.exchange<Access::kAcquire, 3>(0) != 1) {  // an exchanging reader: xchg_acquire
    }
  } else {
    while (c.flag.load<Access::kAcquire, 3>() != 1) {
    }
  }
  seen = read_data(c);
  writer.join();
  return seen == 1 ? 0 : 1;
}

int failed_cmpxchg() {
  auto cells = std::make_unique<Cells>();
  Cells& c = *cells;
  std::thread writer([&] {
    write_data(c);
    c.flag.store<Access::kRelease, 2>(1);
  });
  for (;;) {
    int expected = 0;
    if (!c.flag.compare_exchange<Access::kAcquire, 3>(expected, 2) && expected == 1) break;
  }
  const int seen = read_data(c);
  writer.join();
  return seen == 1 ? 0 : 1;
}

int release_sequence() {
  auto cells = std::make_unique<Cells>();
  Cells& c = *cells;
  std::thread writer([&] {
    write_data(c);
    c.flag.store<Access::kRelease, 2>(1);
  });
  std::thread passer([&] {
    for (;;) {
      int expected = 1;
      if (c.flag.compare_exchange<Access::kOnce, 4>(expected, 2)) break;
    }
  });
  while (c.flag.load<Access::kAcquire, 3>() != 2) {
  }
  const int seen = read_data(c);
  writer.join();
  passer.join();
  return seen == 1 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const char* c = argc > 1 ? argv[1] : "";
  if (std::strcmp(c, "relaxed_xchg_publish") == 0) return publish_by_exchange<Access::kOnce>();
  if (std::strcmp(c, "release_xchg_publish") == 0) return publish_by_exchange<Access::kRelease>();
  if (std::strcmp(c, "full_xchg_publish") == 0) return publish_by_exchange<Access::kMb>();
  if (std::strcmp(c, "failed_cmpxchg") == 0) return failed_cmpxchg();
  if (std::strcmp(c, "release_sequence") == 0) return release_sequence();
  std::fprintf(stderr, "tsan_rmw_race: unknown case '%s'\n", c);
  return 2;
}
