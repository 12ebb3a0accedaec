// The Relacy model configurations of the per-CPU swap protocol (relacy/models/model_config.hpp says what a
// configuration is); built into dfrace-relacy only.
#include "models/model_config.hpp"
#include "protocols/percpu_swap/plugin.hpp"

namespace dfrace::percpu_swap {

const std::vector<relacy::ModelConfig>& relacy_models() {
  using relacy::ModelConfig;
  using relacy::SearchKind;
  // Each line says which direction of docs/semantics.md §5 it is there for.
  using enum SearchKind;
  static const std::vector<ModelConfig> configs = {
      // name, description, cpus, SIZE, pushes, flush, alloc_faults, search, context bound, random budget, default set
      {"1cpu-s1-p1", "1 CPU, SIZE 1, 1 push: producer->drain only; small enough for full search", 1, 1, 1, false,
       false, kExhaustive, 0, 0, true},
      {"1cpu-s2-p2", "1 CPU, SIZE 2, 2 pushes: producer->drain with two slots (full search)", 1, 2, 2, false, false,
       kExhaustive, 0, 0, true},
      {"2cpu-s1-p1", "2 CPUs, SIZE 1, 1 push each: cross-CPU drain, no refill reuse (a full-search probe)", 2, 1, 1,
       false, false, kContextBound, 3, 0, false},
      {"1cpu-s1-p2", "1 CPU, SIZE 1, 2 pushes: drain->producer (the second push lands in the refilled buffer)", 1,
       1, 2, false, false, kContextBound, 3, 0, true},
      {"1cpu-s2-p3", "1 CPU, SIZE 2, 3 pushes: SIZE+1 pushes with a drain in between", 1, 2, 3, false, false,
       kContextBound, 3, 0, true},
      {"1cpu-s1-p2-flush", "1 CPU, SIZE 1, 2 pushes, concurrent flush(): flush vs producer vs drain", 1, 1, 2, true,
       false, kContextBound, 2, 0, true},
      {"1cpu-s1-p2-allocfail", "1 CPU, SIZE 1, 2 pushes, each refill kvmalloc_array may fail", 1, 1, 2, false, true,
       kContextBound, 3, 0, true},
      {"2cpu-s1-p2", "2 CPUs, SIZE 1, 2 pushes each: cross-CPU drain, repeated drains", 2, 1, 2, false, false,
       kContextBound, 2, 0, true},
      {"2cpu-s2-p3-flush", "2 CPUs, SIZE 2, 3 pushes each, concurrent flush(): the largest model", 2, 2, 3, true,
       false, kRandom, 2, 100000, false},
      {"1cpu-s3-p4-flush", "1 CPU, SIZE 3, 4 pushes, concurrent flush(): SIZE 3", 1, 3, 4, true, false, kRandom, 2,
       100000, false},
  };
  return configs;
}

}  // namespace dfrace::percpu_swap
