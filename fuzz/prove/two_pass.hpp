// prove_abstract_first(): the proof's two passes (docs/prove.md, "The abstract model").
//
// Contract
// - Searches the abstract model first (ProofOptions::abstract_model; its executions are a superset of the exact
//   model's). Its answer stands when it proved, or when it stopped at the caller's --max-executions bound with
//   nothing found: a proof there is a proof of the exact model.
// - Otherwise (it found something, which may need what was abstracted away, or could not finish for another
//   reason) the exact model is searched and its answer is the result: a counterexample is always the exact model's,
//   so `dfrace repro` replays it.
// - `options` must ask for the exact model; its other fields (jobs, bounds, progress) apply to both passes.
#pragma once

#include <optional>

#include "prove/parallel.hpp"

namespace dfrace::fuzz {

struct TwoPassResult {
  ProofResult result;           // the answer: the abstract model's when it stands, else the exact model's
  bool by_abstraction = false;  // proved in the abstract model
  std::optional<ProofResult> abstract;  // the first pass, when the exact model had to decide
};

TwoPassResult prove_abstract_first(ExecFn exec, const std::vector<Program>& programs, const ProofOptions& options,
                                   unsigned jobs);

}  // namespace dfrace::fuzz
