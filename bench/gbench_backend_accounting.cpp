// How the backend should keep its accounting when a run hands out 10^8 handles: the vector it uses (one state
// byte per handle ever allocated, indexed by the handle) against the Abseil hash containers the issue proposed
// (a flat_hash_map from handle to state, or a flat_hash_set of the live handles only). Each iteration is one
// zs_malloc and one zs_free, with `window` handles in flight (the pool's buffers hold that many); the counters
// report the accounting's memory at the end. Result and decision: bench/README.md, "Backend accounting".
#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <benchmark/benchmark.h>

#include <cstdint>
#include <deque>
#include <mutex>

#include "backend/zs_backend.hpp"

namespace {

using dfrace::Handle;

struct NoLock {
  void lock() {}
  void unlock() {}
};

// The shipped backend.
struct VectorAccounting {
  dfrace::ZsBackend<NoLock> backend;
  Handle malloc() { return backend.zs_malloc(); }
  void free(Handle h) { backend.zs_free(h); }
  std::size_t bytes() const { return backend.audit().allocated; }  // one byte per handle ever handed out
};

// Every handle's state in a hash map: the same information, hashed.
struct MapAccounting {
  enum class State : std::uint8_t { kLive, kFreed };
  absl::flat_hash_map<Handle, State> state;
  Handle next = 0;
  Handle malloc() {
    state.emplace(++next, State::kLive);
    return next;
  }
  void free(Handle h) {
    auto it = state.find(h);
    if (it != state.end() && it->second == State::kLive) it->second = State::kFreed;
  }
  std::size_t bytes() const { return state.capacity() * (sizeof(std::pair<Handle, State>) + 1); }
};

// Only the live handles: memory follows what is in flight, not what was ever allocated.
struct LiveSetAccounting {
  absl::flat_hash_set<Handle> live;
  Handle next = 0;
  Handle malloc() {
    live.insert(++next);
    return next;
  }
  void free(Handle h) { live.erase(h); }
  std::size_t bytes() const { return live.capacity() * (sizeof(Handle) + 1); }
};

template <class Accounting>
void BM_MallocFree(benchmark::State& st) {
  const auto window = static_cast<std::size_t>(st.range(0));
  Accounting acc;
  std::deque<Handle> in_flight;
  for (auto _ : st) {
    in_flight.push_back(acc.malloc());
    if (in_flight.size() > window) {
      acc.free(in_flight.front());
      in_flight.pop_front();
    }
  }
  st.counters["accounting_MiB"] = static_cast<double>(acc.bytes()) / (1 << 20);
  st.counters["handles"] = static_cast<double>(st.iterations());
}

constexpr std::int64_t kHandles = 100'000'000;  // the 10^8
BENCHMARK(BM_MallocFree<VectorAccounting>)->Arg(4096)->Iterations(kHandles)->Unit(benchmark::kNanosecond);
BENCHMARK(BM_MallocFree<MapAccounting>)->Arg(4096)->Iterations(kHandles)->Unit(benchmark::kNanosecond);
BENCHMARK(BM_MallocFree<LiveSetAccounting>)->Arg(4096)->Iterations(kHandles)->Unit(benchmark::kNanosecond);

}  // namespace

BENCHMARK_MAIN();
