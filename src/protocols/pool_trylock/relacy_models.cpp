// The Relacy model configurations of the trylock-array protocol (relacy/models/model_config.hpp says what a
// configuration is); built into dfrace-relacy only.
#include "models/model_config.hpp"
#include "protocols/pool_trylock/plugin.hpp"

namespace dfrace::pool_trylock {

const std::vector<relacy::ModelConfig>& relacy_models() {
  using relacy::ModelConfig;
  using relacy::SearchKind;
  using enum SearchKind;
  static const std::vector<ModelConfig> configs = {
      // name, description, cpus, SIZE, pushes, flush, alloc_faults, search, context bound, random budget, default set
      {"1cpu-s2-p3", "1 CPU, SIZE 2, 3 pushes: the drain is scheduled at the first push and races the next two",
       1, 2, 3, false, false, kContextBound, 3, 0, true},  // full search does not finish in 60 s
      {"2cpu-s2-p2", "2 CPUs, SIZE 2, 2 pushes each: contended trylock, producers vs the drain", 2, 2, 2, false,
       false, kContextBound, 2, 0, true},
      {"1cpu-s1-p2-flush", "1 CPU, SIZE 1, 2 pushes, concurrent flush(): flush vs producer vs drain", 1, 1, 2, true,
       false, kContextBound, 2, 0, true},
      {"2cpu-s2-p3-flush", "2 CPUs, SIZE 2, 3 pushes each, concurrent flush(): the largest model", 2, 2, 3, true,
       false, kRandom, 2, 100000, false},
  };
  return configs;
}

}  // namespace dfrace::pool_trylock
