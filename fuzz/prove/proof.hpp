// prove(): every execution of a recipe's programs, explored by the runtime's Explorer — the proof mode's engine.
//
// Contract
// - Runs `exec` (the fuzz executor of one recipe: the real pool on the deterministic runtime) once per explored
//   execution of each program, with the same detectors and invariants as fuzzing. Decisions come from the explorer,
//   so a counterexample is the executor's own input bytes: a finding file `dfrace repro` replays.
// - Stops at the end of the tree (complete), or `shorter_search` executions after the first finding (keeping the
//   finding with the fewest scheduling points), unless `keep_going` (then every verdict and final state is
//   collected: the soundness tests compare them between reduced and unreduced searches), or at `max_executions`
//   (then incomplete).
// - A proof is only claimed when the search was complete, found nothing, never diverged, and no load met the
//   store-history bound (ProofResult::proved()).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "exec/execution.hpp"
#include "schedule/program.hpp"

namespace dfrace::fuzz {

// The model every proved verdict states (docs/prove.md has the details).
inline constexpr const char* kProofModel =
    "C11 model of the dfrace executor: plain accesses race-checked, relaxed/acquire/release accesses, "
    "read-modify-writes and fences, "
    "seq_cst fences totally ordered; no load buffering";
// What a proof in the abstract model (ProofOptions::abstract_model) adds to the model it states.
inline constexpr const char* kAbstractModelNote =
    "abstract model: zs_free's lock and, with no flusher, schedule_work order nothing, and the drain runs whenever "
    "it likes, which only adds executions to the exact model";

struct ProofProgress {
  std::uint64_t executions = 0;
  std::uint64_t probes = 0;
  std::size_t depth = 0;  // decisions of the current execution
  double seconds = 0;
};

struct ProofOptions {
  bool reduce = true;
  bool reads_from = true;  // the reads-from refinement of the reduction (rt::ExplorerOptions)
  bool store_floors = true;  // and its store floors (rt::ExplorerOptions)
  unsigned shard = 0;
  unsigned shards = 1;
  unsigned prefix_branches = 16;  // with shards > 1: decisions dealt out (rt::ExplorerOptions; --split-depth)
  // The abstract model (ExecRequest::abstract_model): proved there is proved in the exact model too.
  bool abstract_model = false;
  bool keep_going = false;
  bool collect_final_states = false;
  std::uint64_t shorter_search = 20000;
  std::uint64_t max_executions = 0;  // 0: no bound
  std::function<void(const ProofProgress&)> progress;  // about once a second
};

struct Counterexample {
  std::string verdict;
  std::vector<std::uint8_t> input;  // program header + decisions: the executor's input bytes
  std::uint64_t steps = 0;
};

struct ProofResult {
  std::uint64_t executions = 0;  // this shard's executions (probes excluded)
  std::uint64_t probes = 0;
  std::uint64_t abandoned = 0;  // cut short by sleep sets: redundant, neither counted nor judged
  std::size_t max_depth = 0;
  bool complete = false;  // every program's tree (this shard's part of it) was explored to the end
  bool diverged = false;
  bool model_limit = false;
  std::optional<Counterexample> counterexample;  // the shortest finding
  std::map<std::string, std::uint64_t> verdicts;  // outcome line -> executions
  std::set<std::string> final_states;             // of the executions without a finding (collect_final_states)
  DirectionSet directions = 0;  // the protocol's directions some explored execution exercised
  double seconds = 0;

  bool proved() const { return complete && !diverged && !model_limit && !counterexample; }
  // Merges another shard's result into this one (executions add up; complete only if both are).
  void merge(const ProofResult& other);
};

ProofResult prove(ExecFn exec, const std::vector<Program>& programs, const ProofOptions& options);

}  // namespace dfrace::fuzz
