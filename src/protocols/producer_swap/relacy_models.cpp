// The Relacy model configurations of the producer-swap protocol (relacy/models/model_config.hpp says what a
// configuration is); built into dfrace-relacy only. Relacy runs no interrupts: the fuzz executor checks those.
#include "models/model_config.hpp"
#include "protocols/producer_swap/plugin.hpp"

namespace dfrace::producer_swap {

const std::vector<relacy::ModelConfig>& relacy_models() {
  using relacy::ModelConfig;
  using relacy::SearchKind;
  using enum SearchKind;
  static const std::vector<ModelConfig> configs = {
      // name, description, cpus, SIZE, pushes, flush, alloc_faults, search, context bound, random budget, default set
      {"1cpu-s1-p3", "1 CPU, SIZE 1, 3 pushes: producer->drain, and drain->producer when a returned page is reused",
       1, 1, 3, false, false, kContextBound, 3, 0, true},
      {"1cpu-s1-p4", "1 CPU, SIZE 1, 4 pushes: the free pool runs empty when the drain is slow (fallback)", 1, 1, 4,
       false, false, kContextBound, 2, 0, true},
      {"2cpu-s1-p2", "2 CPUs, SIZE 1, 2 pushes each: concurrent llist_del_first while the drain recycles pages", 2,
       1, 2, false, false, kContextBound, 2, 0, true},
      {"1cpu-s2-p3-flush", "1 CPU, SIZE 2, 3 pushes, concurrent flush(): flush vs producer vs drain", 1, 2, 3, true,
       false, kContextBound, 2, 0, true},
      {"2cpu-s1-p3", "2 CPUs, SIZE 1, 3 pushes each: the ABA's page handed to two CPUs", 2, 1, 3, false, false,
       kRandom, 2, 100000, false},
      {"2cpu-s2-p3-flush", "2 CPUs, SIZE 2, 3 pushes each, concurrent flush(): the largest model", 2, 2, 3, true,
       false, kRandom, 2, 100000, false},
  };
  return configs;
}

}  // namespace dfrace::producer_swap
