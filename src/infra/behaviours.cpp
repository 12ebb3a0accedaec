#include "infra/behaviours.hpp"

#include <algorithm>

namespace dfrace {

bool is_behaviour(std::string_view name) {
  return std::find(kBehaviours.begin(), kBehaviours.end(), name) != kBehaviours.end();
}

std::vector<std::string> declared_behaviours(std::string_view engine) {
  // relacy: relaxed-memory outcomes, the models with a flush thread and with failing refills; user-space threads
  //   have no interrupts.
  // fuzz, prove: the executor's program has all four (prove only those its configuration names).
  // tsan, asan, native (stress): a flusher thread, failed refills with --alloc-fail-rate, older stores only with
  //   --weak (real x86 threads never read one); no interrupts.
  if (engine == "relacy") return behaviours(false, true, true, true);
  if (engine == "fuzz" || engine == "prove") return behaviours(true, true, true, true);
  if (engine == "tsan" || engine == "asan" || engine == "native") return behaviours(false, true, true, true);
  return {};
}

std::vector<std::string> behaviours(bool interrupts, bool failed_refills, bool weak_memory, bool flush) {
  std::vector<std::string> out;
  const bool on[] = {interrupts, failed_refills, weak_memory, flush};
  for (std::size_t i = 0; i < kBehaviours.size(); ++i) {
    if (on[i]) out.emplace_back(kBehaviours[i]);
  }
  return out;
}

std::vector<std::string> behaviours_union(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (std::string_view name : kBehaviours) {
    if (std::count(a.begin(), a.end(), name) || std::count(b.begin(), b.end(), name)) out.emplace_back(name);
  }
  return out;
}

}  // namespace dfrace
