// Decoding never fails: empty, short, random and garbage byte strings run through every recipe's executor, with
// and without the trace, and must never crash (ASan/UBSan are on) nor spin the checker past its step limit.
// Findings are fine on a recipe not claimed correct, a deadlock included: every wait the simulator blocks in is
// the protocol's own (a lock, a work flush, a join), so all threads blocked is the protocol's deadlock, as when an
// interrupt spins on a lock the code it interrupted holds. A recipe claimed correct must survive every input.
// Also checks determinism: the same bytes give the same verdict and the same number of scheduling points.
#include <cstdio>
#include <random>
#include <vector>

#include "exec/registry.hpp"
#include "protocols/registry.hpp"

int main() {
  int failures = 0;
  std::mt19937_64 rng(12345);
  for (const auto& meta : dfrace::protocols::all_recipes(true)) {
    const std::string& name = meta.name;
    auto exec = dfrace::fuzz::find_executor(name);
    if (exec == nullptr) {
      std::printf("FAIL %s: no executor\n", name.c_str());
      return 1;
    }
    unsigned findings = 0, runs = 0;
    for (int i = 0; i < 1500; ++i) {
      std::vector<std::uint8_t> bytes(i == 0 ? 0 : rng() % 200);
      for (auto& b : bytes) b = static_cast<std::uint8_t>(i % 7 == 0 ? 0xff : rng());
      auto a = exec(bytes.data(), bytes.size(), {.trace = i % 10 == 0, .feedback = true});
      auto b = exec(bytes.data(), bytes.size(), {.trace = false, .feedback = false});
      ++runs;
      findings += a.outcome.finding();
      if (a.outcome.line() != b.outcome.line() || a.outcome.steps != b.outcome.steps) {
        std::printf("FAIL %s: not deterministic: '%s' (%llu steps) vs '%s' (%llu steps)\n", name.c_str(),
                    a.outcome.line().c_str(), static_cast<unsigned long long>(a.outcome.steps),
                    b.outcome.line().c_str(), static_cast<unsigned long long>(b.outcome.steps));
        ++failures;
        break;
      }
      if (a.outcome.detail.rfind("no progress", 0) == 0) {
        std::printf("FAIL %s: the checker itself got stuck: %s\n", name.c_str(), a.outcome.line().c_str());
        ++failures;
        break;
      }
      if (meta.claimed_correct && a.outcome.finding()) {
        std::printf("FAIL %s: claimed correct, yet input %d finds: %s\n", name.c_str(), i, a.outcome.line().c_str());
        ++failures;
        break;
      }
    }
    std::printf("ok   %-45s %u runs, %u findings\n", name.c_str(), runs, findings);
  }
  return failures == 0 ? 0 : 1;
}
