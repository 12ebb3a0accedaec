// The model configurations: small pools that Relacy can search (issue: models; docs/semantics.md §5).
//
// Contract: a configuration is plain data (CPUs = producer threads, SIZE, pushes per producer, a concurrent
// flush() or not, refill allocations that may fail or not). Every model also runs the drain worker and ends with
// the pool's teardown. `search` is the default search, chosen from measurements on this machine (relacy/README.md):
// full search only where it finishes, context-bound (exhaustive up to N preemptions) or random beyond.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dfrace::relacy {

// How a configuration is searched: every interleaving (Relacy's full search), every interleaving with at most
// `context_bound` preemptions (exhaustive within the bound), or random schedules.
enum class SearchKind { kExhaustive, kRandom, kContextBound };

struct ModelConfig {
  std::string name;
  std::string description;
  unsigned cpus = 1;         // one producer thread per CPU
  std::size_t size = 1;      // SIZE
  unsigned pushes = 2;       // handles each producer enqueues
  bool flush = false;        // a thread calls pool.flush() concurrently
  bool alloc_faults = false; // each refill kvmalloc_array may fail
  SearchKind search = SearchKind::kExhaustive;  // default: full where it was measured to finish, else bounded
  unsigned context_bound = 2;
  std::uint64_t random_iterations = 200000;
  bool in_default_set = true;  // run when no --config is given

  unsigned threads() const { return cpus + 1 + (flush ? 1 : 0); }
};

inline constexpr unsigned kMaxPushes = 6;

// A protocol's configurations: its plug-in's relacy_models() (its folder's relacy_models.cpp), by protocol name.
const std::vector<ModelConfig>& model_configs(std::string_view protocol);
std::optional<ModelConfig> find_config(const std::vector<ModelConfig>& configs, std::string_view name);

}  // namespace dfrace::relacy
