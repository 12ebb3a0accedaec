#include "prove/two_pass.hpp"

namespace dfrace::fuzz {

TwoPassResult prove_abstract_first(ExecFn exec, const std::vector<Program>& programs, const ProofOptions& options,
                                   unsigned jobs) {
  ProofOptions abstract_options = options;
  abstract_options.abstract_model = true;
  ProofResult abstract = prove_in_parallel(exec, programs, abstract_options, jobs);
  const bool stopped_at_bound = !abstract.complete && !abstract.counterexample && !abstract.diverged &&
                                !abstract.model_limit && options.max_executions != 0 &&
                                abstract.executions >= options.max_executions;
  if (abstract.proved() || stopped_at_bound) {
    const bool proved = abstract.proved();
    return TwoPassResult{std::move(abstract), proved, std::nullopt};
  }
  ProofResult exact = prove_in_parallel(exec, programs, options, jobs);
  return TwoPassResult{std::move(exact), false, std::move(abstract)};
}

}  // namespace dfrace::fuzz
